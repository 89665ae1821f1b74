"""The examples in docs/getting-started.md, docs/testing.md and docs/troubleshooting.md
run as written, on a virtual board (tools/vboard.py) driven by mpremote."""

import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))

import deploy  # noqa: E402
from vboard import VirtualBoard  # noqa: E402

MPREMOTE = str(ROOT / ".venv" / "bin" / "mpremote")
DOCS = ROOT / "docs"


def example(doc, name):
    text = (DOCS / doc).read_text()
    m = re.search(r"<!-- example: %s -->\n```python\n(.*?)```" % re.escape(name), text, re.S)
    assert m, "no example %r in %s" % (name, doc)
    return m.group(1)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def vb():
    with VirtualBoard() as board:
        subprocess.run(["make", "-s", "mpy"], cwd=ROOT, check=True, capture_output=True)
        t = deploy.connect(board.port)
        try:
            deploy.deploy(t, ROOT / "build" / "mpy", "/", out=open("/dev/null", "w"))
        finally:
            t.close()
        yield board


def echo_once(port, payload=b"hello board"):
    deadline = time.monotonic() + 20
    while True:
        try:
            c = socket.create_connection(("127.0.0.1", port), timeout=5)
            break
        except ConnectionRefusedError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)
    with c:
        c.sendall(payload)
        got = b""
        while len(got) < len(payload):
            chunk = c.recv(4096)
            if not chunk:
                break
            got += chunk
        return got


def test_getting_started_echo_server_snippet(vb):
    port = free_port()
    code = example("getting-started.md", "echo-server")
    assert '("0.0.0.0", 8080)' in code
    code = code.replace('"0.0.0.0", 8080', '"127.0.0.1", %d' % port)
    p = subprocess.Popen([MPREMOTE, "connect", vb.port, "exec", code],
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        assert echo_once(port) == b"hello board"
        assert echo_once(port, b"again") == b"again"  # the loop serves the next client
    finally:
        p.kill()
        p.wait()


def test_getting_started_example_file(vb):
    port = free_port()
    r = subprocess.run([MPREMOTE, "connect", vb.port, "cp", str(ROOT / "examples" / "tcp_echo_server.py"),
                        ":tcp_echo_server.py"], capture_output=True, text=True, timeout=30)
    assert r.returncode == 0, r.stderr
    p = subprocess.Popen([MPREMOTE, "connect", vb.port, "exec",
                          "import tcp_echo_server as t; t.serve(%d, '127.0.0.1', max_clients=1)" % port],
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    assert echo_once(port, b"x" * 1500) == b"x" * 1500  # more than the server's buffer
    out, _ = p.communicate(timeout=20)
    assert p.returncode == 0, out
    assert "echo server listening on ('127.0.0.1', %d)" % port in out
    assert "client ('127.0.0.1'," in out


def test_testing_multitest_example(tmp_path):
    (tmp_path / "conftest.py").write_text(
        "import sys\nsys.path.insert(0, %r)\nexec(open(%r).read())\n"
        % (str(ROOT / "tests"), str(ROOT / "tests" / "conftest.py")))
    (tmp_path / "multi").mkdir()
    (tmp_path / "multi" / "test_doc.py").write_text(example("testing.md", "multitest"))
    with VirtualBoard() as board:
        r = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-rA",
                            "--rootdir", str(tmp_path), str(tmp_path), "--hw-port", board.port],
                           cwd=str(tmp_path), capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stdout[-3000:]
    assert "PASSED multi/test_doc.py::instance0[board]" in r.stdout
    assert "PASSED multi/test_doc.py::instance1[unix]" in r.stdout


def test_troubleshooting_flash_dry_run(tmp_path):
    text = (DOCS / "troubleshooting.md").read_text()
    fw = tmp_path / "fw.bin"
    fw.write_bytes(b"\xe9" + b"\0" * 15)
    r = subprocess.run([sys.executable, str(ROOT / "tools" / "flash.py"), "--board", "ESP32_GENERIC_S3",
                        "--port", "/dev/null", "--firmware", str(fw), "--dry-run"],
                       capture_output=True, text=True, cwd=str(tmp_path))
    assert r.returncode == 0, r.stderr
    shown = r.stdout.strip().replace("/dev/null", "/dev/ttyACM0").replace(str(fw), "fw.bin")
    assert "# " + shown in text


def test_troubleshooting_mpy_version_check():
    micropython = str(ROOT / ".venv" / "bin" / "micropython")
    line = "import sys; print((sys.implementation._mpy & 0xff, sys.implementation._mpy >> 8 & 3))"
    assert "sys.implementation._mpy & 0xff, sys.implementation._mpy >> 8 & 3" in \
        (DOCS / "troubleshooting.md").read_text()
    r = subprocess.run([micropython, "-c", line], capture_output=True, text=True)
    assert r.stdout.strip() == "(6, 3)"
