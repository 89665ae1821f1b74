"""sfnet.Http (MicroPython, both variants) against a raw HTTP peer that also sends
chunked and broken responses, and compared with pySFML's Http on the same requests;
and raw peers whose response heads pass the client's size bound, in a 200 KB heap."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from peers import mprun  # noqa: E402
from peers.http_handlers import RawHttpServer  # noqa: E402
from peers.fuzz_peers import one_server_per_case, run_against_cases  # noqa: E402

SCRIPT = mprun.SCRIPTS / "http_peers.py"
COMPARE = mprun.SCRIPTS / "http_compare.py"
SFML_CLIENT = Path(__file__).resolve().parents[1] / "peers" / "sfml_http_client.py"
SYSTEM_PYTHON = "/usr/bin/python3"

# (method, path, http_version, body): requests both clients send to the same server
COMPARE_REQUESTS = [
    ("GET", "/tlen/3000", "1.0", ""),
    ("GET", "/tlen/0", "1.1", ""),
    ("GET", "/tclose/2000", "1.0", ""),
    ("GET", "/tchunked/7000", "1.1", ""),
    ("GET", "/status/404", "1.0", ""),
    ("GET", "/status/503", "1.1", ""),
    ("GET", "/status/204", "1.0", ""),
    ("GET", "/nothing", "1.0", ""),
    ("HEAD", "/head/100", "1.0", ""),
    ("POST", "/status/201", "1.0", "x=1"),
]
# Deliberate difference: on "100 Continue" + "200 OK" pySFML returns the 100 and the
# rest as its body; sfnet skips interim responses (tested in http_peers.py).


@pytest.fixture(scope="module")
def server():
    s = RawHttpServer().start()
    yield s
    s.stop()


@pytest.mark.parametrize("variant,name", mprun.params(SCRIPT))
def test_http_against_raw_peer(server, variant, name, tmp_path_factory):
    cwd = tmp_path_factory.getbasetemp()
    res = mprun.run(SCRIPT, [server.address[0], server.address[1]], variant, cwd=str(cwd))
    mprun.check(res, name)


def _sfml_results(server):
    if not os.path.exists(SYSTEM_PYTHON):
        pytest.skip("no system python3 for pySFML")
    probe = subprocess.run([SYSTEM_PYTHON, "-c", "import sfml.network"], capture_output=True)
    if probe.returncode != 0:
        pytest.skip("pySFML (Debian python3-sfml) is not installed: run `make peers` as root")
    proc = subprocess.run(
        [SYSTEM_PYTHON, str(SFML_CLIENT), server.address[0], str(server.address[1]), json.dumps(COMPARE_REQUESTS)],
        capture_output=True, text=True, timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


@pytest.mark.parametrize("variant", mprun.VARIANTS)
def test_http_matches_pysfml(server, variant, tmp_path):
    want = _sfml_results(server)
    reqfile = tmp_path / "requests.json"
    reqfile.write_text(json.dumps(COMPARE_REQUESTS))
    res = mprun.run(COMPARE, [server.address[0], server.address[1], reqfile], variant)
    lines = [l for l in res.output.splitlines() if l.startswith("{")]
    assert res.code == 0 and lines, res.output
    got = json.loads(lines[-1])["results"]
    assert len(got) == len(want)
    for req, g, w in zip(COMPARE_REQUESTS, got, want):
        assert g == w, "request %r: sfnet %r != pySFML %r" % (req, g, w)


HEAP_SCRIPT = mprun.SCRIPTS / "http_heap.py"


def _headers(n, size):
    return (b"HTTP/1.1 200 OK\r\n" + b"".join(b"X-%d: %s\r\n" % (i, b"v" * size) for i in range(n))
            + b"Content-Length: 2\r\n\r\nok")


@pytest.fixture(scope="module")
def hostile():
    """Raw HTTP peers (one per case, so a failing case cannot shift the others) whose
    response heads pass the client's bound, and one within it."""
    cases = [_headers(99, 8000), _headers(10, 1000), _headers(10, 1000), _headers(6, 1000),
             b"HTTP/1.1 100 Continue\r\n\r\n" * 1000 + _headers(0, 0)]
    yield from one_server_per_case([(case, None) for case in cases], "http", mprun.VARIANTS)


@pytest.mark.parametrize("variant,name", mprun.params(HEAP_SCRIPT))
def test_http_header_bound_in_small_heap(hostile, variant, name):
    run_against_cases(HEAP_SCRIPT, hostile[variant], variant, name)


DOC = mprun.ROOT / "docs" / "http.md"


@pytest.mark.parametrize("index", range(len(mprun.doc_examples(DOC))))
def test_docs_examples_run(server, index, tmp_path):
    """Every example in docs/http.md runs (port 8000 there is the test peer's port)."""
    source = mprun.doc_examples(DOC)[index].replace("8000", str(server.address[1]))
    code, out = mprun.run_source(source, "mpy", tmp_path)
    assert code == 0, out


LOWHEAP_SCRIPT = mprun.SCRIPTS / "http_lowheap.py"


@pytest.mark.parametrize("variant,name", mprun.params(LOWHEAP_SCRIPT))
def test_http_segmented_bodies_in_small_heaps(server, variant, name):
    res = mprun.run(LOWHEAP_SCRIPT, [server.address[0], server.address[1]], variant)
    mprun.check(res, name)
