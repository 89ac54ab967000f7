"""`spintunnel reproduce`: the committed table is what the code computes now, and every
verdict points at a test that exists."""

import re
from pathlib import Path

from click.testing import CliRunner

from spintunnel import reproduce
from spintunnel.cli import main

ROOT = Path(__file__).resolve().parent.parent


def test_reproduce_command_writes_the_committed_table(tmp_path):
    """The command prints the table and writes it; the written table is the committed one
    (else: run `spintunnel reproduce --write docs/reproduction.md` and commit)."""
    out = tmp_path / "docs" / "reproduction.md"
    res = CliRunner().invoke(main, ["reproduce", "--write", str(out)])
    assert res.exit_code == 0
    assert "| claim | where |" in res.output and "Summary:" in res.output
    assert out.read_text() == (ROOT / "docs" / "reproduction.md").read_text()


def test_every_verdict_is_backed_by_an_existing_test():
    for c in reproduce.claims():
        assert c.verdict in (reproduce.HOLDS, reproduce.PRINTED_TR, reproduce.FAILS, reproduce.UNCHECKABLE)
        if c.verdict == reproduce.UNCHECKABLE and c.test == "-":
            continue
        path, _, name = c.test.partition("::")
        source = (ROOT / path).read_text()
        if name:
            assert re.search(rf"^def {re.escape(name)}\(", source, re.M), c.test
