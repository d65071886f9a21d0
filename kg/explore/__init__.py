"""Answer an analyst's questions about a built graph: cards, chains, neighbours, centrality.

Every function takes the output folder of a build (``-g DIR``) and returns typed records
(``Card``, ``Chain``, ``Neighbour``, ``Ranked``, ``Community``); the CLI formats them with
the ``format_*`` functions and the server renders them as pages. Names are looked up by
IRI, ``Type/name`` key, label or alias, traditional or simplified, through the search
index a build writes (``kg.search``); a name that fits no single entity raises
``EntityNotFound`` with the closest matches.

>>> format_neighbours([])
''
"""

from kg.explore._card import entity_card, find_entity, suggestions
from kg.explore._format import (
    format_card,
    format_chains,
    format_communities,
    format_neighbours,
    format_ranking,
)
from kg.explore._network import RANK_BY, communities, neighbours, network, paths, rank
from kg.explore._records import (
    Card,
    Chain,
    Community,
    DocumentMentions,
    EntityNotFound,
    EntityRef,
    Evidence,
    Fact,
    Neighbour,
    Ranked,
    Step,
)

__all__ = [
    "RANK_BY",
    "Card",
    "Chain",
    "Community",
    "DocumentMentions",
    "EntityNotFound",
    "EntityRef",
    "Evidence",
    "Fact",
    "Neighbour",
    "Ranked",
    "Step",
    "communities",
    "entity_card",
    "find_entity",
    "format_card",
    "format_chains",
    "format_communities",
    "format_neighbours",
    "format_ranking",
    "neighbours",
    "network",
    "paths",
    "rank",
    "suggestions",
]
