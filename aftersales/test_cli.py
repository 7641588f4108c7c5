"""The ``aftersales`` command line: commands that take no input refuse arguments they do not
know with their usage and exit status 2, never a traceback."""

import pytest

from aftersales.cli import main


@pytest.mark.parametrize("argv", [
    ["storage-sweep", "--input", "cases.jsonl"], ["storage-sweep", "extra"], ["storage_sweep", "--no-progress=yes"],
    ["notifications-sweep", "--since", "2025-02-30"], ["notifications-sweep", "\x00"],
])
def test_a_sweep_given_arguments_it_does_not_take_exits_two_with_its_usage(argv, capsys):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("usage: aftersales") and "Traceback" not in err
