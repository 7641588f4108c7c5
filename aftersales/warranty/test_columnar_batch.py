"""The columnar batch (``warranty.columnar``) against the scalar batch (``batch.run_batch``), byte
for byte: every worked example of the warranty rules' tests, the hostile corpus, and generated
requests, valid and not, go through both, and both write the same bytes and count the same
errors. Each test also checks that the columnar engine answered lines itself, so that the
equality is not only the scalar engine's answers compared with themselves."""

import ast
import io
import sys
from pathlib import Path

import orjson
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aftersales.warranty.batch import run_batch
from aftersales.warranty.columnar import run_columnar
from aftersales.warranty.rules import conftest
from aftersales.warranty.rules.conftest import PACKS
from aftersales.warranty.test_batch_fast import DEVICES, as_request, requestable, requests
from aftersales.warranty.test_batch_hostile import CORPUS, good

RULES_TESTS = Path(__file__).parent / "rules"


def lookup(serials):
    return {s: DEVICES[s] for s in serials if s in DEVICES}


def both(tmp_path: Path, lines: list[bytes], final_newline: bool = True):
    """(the columnar output, its result), (the scalar output, its result) for a file of ``lines``."""
    path, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    path.write_bytes(b"\n".join(lines) + (b"\n" if final_newline else b""))
    columnar = run_columnar(str(path), str(out), packs=PACKS, lookup=lookup, threads=2)
    scalar_out = io.BytesIO()
    with open(path, "rb") as f:
        scalar = run_batch(f, scalar_out, packs=PACKS, pack_texts=[], lookup=lookup)
    return (out.read_bytes(), columnar), (scalar_out.getvalue(), scalar)


def worked_examples() -> list[dict]:
    """The facts of every worked example in the rules' tests that names its facts outright: each
    call of ``facts(...)`` or ``decide_for(...)`` whose arguments are all written as values."""
    examples = []
    for module in sorted(RULES_TESTS.glob("test_*.py")):
        for node in ast.walk(ast.parse(module.read_text())):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                    and node.func.id in ("facts", "decide_for")):
                continue
            try:
                args = [ast.literal_eval(a) for a in node.args]
                kwargs = {k.arg: ast.literal_eval(k.value) for k in node.keywords}
            except ValueError:
                continue
            examples.append(conftest.facts(*args, **kwargs))
    return examples


def test_every_worked_example_of_the_rules_gets_the_same_bytes_from_both_engines(tmp_path):
    # given every worked example of the warranty rules' tests, as batch lines
    examples = worked_examples()
    assert len(examples) >= 60
    lines = [orjson.dumps(as_request(requestable(f), f"W{n}")) for n, f in enumerate(examples)]
    # when the columnar and the scalar engine decide them
    (columnar, c_result), (scalar, s_result) = both(tmp_path, lines)
    # then they write the same bytes, and the columnar engine answered most of them itself
    assert columnar == scalar
    assert (c_result.lines, c_result.errors) == (s_result.lines, s_result.errors) == (len(lines), s_result.errors)
    assert c_result.columnar >= len(lines) // 2


def test_the_hostile_corpus_gets_the_same_bytes_from_both_engines(tmp_path):
    # given the hostile corpus between plain lines, a byte-order mark in the middle, a file
    # without a last newline
    lines = [good("first"), *(line for line, _ in CORPUS), b"\xef\xbb\xbf" + good("bom-inside"), good("after")]
    for final_newline in (True, False):
        # when both engines decide it
        (columnar, c_result), (scalar, s_result) = both(tmp_path, lines, final_newline)
        # then they write the same bytes and count the same errors
        assert columnar == scalar
        assert (c_result.lines, c_result.errors) == (s_result.lines, s_result.errors)
        assert c_result.columnar >= 3


def test_a_file_that_starts_with_a_byte_order_mark_gets_the_same_bytes_from_both_engines(tmp_path):
    lines = [b"\xef\xbb\xbf" + good("bom-first"), good("second"), good("third")]
    (columnar, c_result), (scalar, _) = both(tmp_path, lines)
    assert columnar == scalar
    assert c_result.columnar == 2


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.lists(st.tuples(requests(), st.integers(0, 9)), min_size=1, max_size=120))
def test_generated_requests_get_the_same_bytes_from_both_engines(tmp_path_factory, drawn):
    # given generated requests, valid and not, most with an id the columnar reader takes
    lines = [orjson.dumps(data if keep_id == 0 else {**data, "id": f"G{n}"}) for n, (data, keep_id) in enumerate(drawn)]
    # when both engines decide them; then they write the same bytes and count the same errors
    (columnar, c_result), (scalar, s_result) = both(tmp_path_factory.mktemp("generated"), lines)
    assert columnar == scalar
    assert (c_result.lines, c_result.errors) == (s_result.lines, s_result.errors)


def test_the_columnar_engine_answers_nearly_every_line_of_the_benchmark_input_itself_serial_lines_included(tmp_path):
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    import random

    from bench.gen_lines import line

    # given the benchmark's lines, one in ten asking by serial number as the benchmark's do
    rng = random.Random(5)
    lines = []
    for i in range(3000):
        obj = line(i, rng)
        if i % 10 == 0:
            device = rng.choice(list(DEVICES.values()))
            obj = {"id": obj["id"], "serial": device.serial.lower(), "part": "ssd", "purchased_on": None,
                   "registered_on": None, "service_in": device.sold_in, "as_of": obj["as_of"]}
        lines.append(orjson.dumps(obj))
    # when both engines decide them; then the same bytes, the columnar engine answering nearly all
    (columnar, c_result), (scalar, _) = both(tmp_path, lines)
    assert columnar == scalar
    assert c_result.columnar >= 0.85 * len(lines)


def test_lines_that_ask_by_serial_number_are_answered_by_the_columnar_engine_from_the_registry(tmp_path):
    # given lines that give a serial number (written in lower case) and leave the rest to the registry
    lines = [orjson.dumps({"id": f"S{n}", "serial": device.serial.lower(), "part": "ssd", "service_in": device.sold_in,
                           "as_of": f"2022-0{n % 9 + 1}-01"})
             for n, device in enumerate(list(DEVICES.values()) * 20)]
    # when both engines decide them; then the same bytes, every line answered by the columnar engine
    (columnar, c_result), (scalar, _) = both(tmp_path, lines)
    assert columnar == scalar
    assert c_result.columnar == len(lines)


def test_the_command_writes_the_same_file_and_exit_status_with_either_engine(tmp_path):
    # given the hostile corpus in a file
    from aftersales.warranty.test_batch_hostile import corpus_file, run

    path = corpus_file(tmp_path, final_newline=True)
    # when the command decides it with each engine into a file
    done = {engine: run("--input", str(path), "--output", str(tmp_path / f"{engine}.jsonl"), "--engine", engine)
            for engine in ("scalar", "columnar")}
    # then both exit 1 (some lines carry errors) and write the same bytes
    assert [d.returncode for d in done.values()] == [1, 1], done["columnar"].stderr.decode()[-2000:]
    assert (tmp_path / "columnar.jsonl").read_bytes() == (tmp_path / "scalar.jsonl").read_bytes()
    assert done["columnar"].stderr == done["scalar"].stderr
