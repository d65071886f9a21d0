"""Answer an analyst's questions about a built graph: cards, chains, neighbours, centrality.

Every function takes the output folder of a build (``-g DIR``) or a ``Source`` and
returns typed records (``Card``, ``Chain``, ``Neighbour``, ``Ranked``, ``Community``); the
CLI formats them with the ``format_*`` functions and the server renders them as pages.
A source reads a local build (``LocalSource``) or a SPARQL server that holds a pushed
build (``RemoteSource``, which says what it answers differently). Names are looked up
by IRI, ``Type/name`` key, label or alias, traditional or simplified, through the
source's search (a build's index, ``kg.search``); a name that fits no single entity raises
``EntityNotFound`` with the closest matches. A card is bounded (the facts stated in the
most documents, sentences from a few of them, the documents with the most mentions) and
counts what it leaves out; ``group_query``, ``evidence_query`` and ``documents_query``
return the SPARQL that lists all of it.

>>> format_neighbours([])
''
"""

from kg.explore._card import (
    DOCUMENTS_SHOWN,
    EVIDENCE_SHOWN,
    FACTS_SHOWN,
    documents_query,
    entity_card,
    evidence_query,
    find_entity,
    group_query,
    suggestions,
)
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
    FactGroup,
    Neighbour,
    Ranked,
    Step,
)
from kg.explore._source import NETWORK_TTL, LocalSource, RemoteSource, Source, as_source

__all__ = [
    "DOCUMENTS_SHOWN",
    "EVIDENCE_SHOWN",
    "FACTS_SHOWN",
    "NETWORK_TTL",
    "RANK_BY",
    "Card",
    "Chain",
    "Community",
    "DocumentMentions",
    "EntityNotFound",
    "EntityRef",
    "Evidence",
    "Fact",
    "FactGroup",
    "LocalSource",
    "Neighbour",
    "Ranked",
    "RemoteSource",
    "Source",
    "Step",
    "as_source",
    "communities",
    "documents_query",
    "entity_card",
    "evidence_query",
    "find_entity",
    "format_card",
    "format_chains",
    "format_communities",
    "format_neighbours",
    "format_ranking",
    "group_query",
    "neighbours",
    "network",
    "paths",
    "rank",
    "suggestions",
]
