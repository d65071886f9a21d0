"""The documented surface: every command has help and is in the README, and the README's
examples are true of the sample corpus."""

from __future__ import annotations

import re
import shlex

import pytest
from click.testing import CliRunner
from conftest import ROOT

from kg import store
from kg.cli import cli

README = (ROOT / "README.md").read_text(encoding="utf-8")
COMMANDS = sorted(cli.commands)
# ```sparql blocks: the example queries.
QUERIES = re.findall(r"```sparql\n(.*?)```", README, re.DOTALL)
# ```console blocks: "$ kg ..." and the output it printed.
SESSIONS = re.findall(r"```console\n\$ (kg .*?)\n(.*?)```", README, re.DOTALL)
# Queries: their output depends only on the graph (build prints timings; stats counts
# everything and would fail on every change to the extractor).
REPLAYED = [(command, output) for command, output in SESSIONS if command.startswith("kg query")]


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(command):
    result = CliRunner().invoke(cli, [command, "--help"])
    assert result.exit_code == 0
    assert f"Usage: cli {command}" in result.output or f"Usage: kg {command}" in result.output
    assert len(result.output.splitlines()) > 4


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_is_in_the_readme(command):
    assert f"kg {command}" in README


def test_quickstart_is_two_commands():
    quickstart = README.split("## Quickstart", 1)[1].split("\n## ", 1)[0]
    assert re.findall(r"^make \w+$", quickstart, re.MULTILINE) == ["make demo", "make test"]


def test_the_readme_has_five_example_queries():
    assert len(QUERIES) >= 5


@pytest.mark.parametrize("sparql", QUERIES, ids=[f"query{i}" for i in range(len(QUERIES))])
def test_example_queries_answer_on_the_sample_corpus(built, sparql):
    result = store.query(built, sparql)
    assert list(result), sparql  # type: ignore[arg-type]


@pytest.mark.parametrize("command, output", REPLAYED, ids=[c[:40] for c, _ in REPLAYED])
def test_tour_output_is_what_the_command_prints(built, command, output):
    args = shlex.split(command)[1:]
    result = CliRunner().invoke(cli, [*args, "-g", str(built)], env={"COLUMNS": "100"})
    assert result.exit_code == (2 if output.startswith("error:") else 0)
    assert _lines(result.output) == _lines(output)


def _lines(text: str) -> list[str]:
    return [line.rstrip() for line in text.strip("\n").splitlines()]


def test_tour_build_output_is_what_a_build_prints(built_summary):
    block = re.search(r"```console\n\$ kg build seeds/\n(.*?)```", README, re.S)
    assert block is not None
    shown = block.group(1).splitlines()[1:]  # the first line holds the time taken
    assert shown == built_summary.lines()[1:]
