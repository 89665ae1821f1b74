"""typings/*.pyi (editor stubs for VS Code/Pylance) match the library's source, and the
checker (tools/stubcheck.py) catches every kind of drift."""

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))

import stubcheck  # noqa: E402

PAIRS = [(s, src) for s, src in stubcheck.PAIRS.items() if (ROOT / src).exists()]


@pytest.mark.parametrize("stub, source", PAIRS, ids=[s for s, _ in PAIRS])
def test_stub_matches_source(stub, source):
    assert (ROOT / "typings" / stub).exists(), "write typings/%s for %s" % (stub, source)
    assert stubcheck.compare(ROOT / "typings" / stub, ROOT / source) == []


def test_socket_stub_says_milliseconds():
    text = (ROOT / "typings" / "socket.pyi").read_text()
    assert "def settimeout(self, ms: int | float | None) -> None" in text
    assert "MILLISECONDS" in text


def mypy(tmp_path, code):
    (tmp_path / "user.py").write_text(textwrap.dedent(code))
    return subprocess.run(
        [sys.executable, "-m", "mypy", "--no-incremental", "--cache-dir", str(tmp_path / "c"),
         "--strict", "--no-site-packages", str(tmp_path / "user.py")],
        env={"MYPYPATH": str(ROOT / "typings"), "PATH": "/usr/bin:/bin"},
        capture_output=True, text=True, cwd=str(tmp_path))


def test_stubs_type_check_user_code(tmp_path):
    ok = mypy(tmp_path, """
        import socket
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.settimeout(1500)
        s.connect(("192.0.2.1", 80))
        buf = bytearray(64)
        n: int = s.recv_into(buf)
        peer: tuple[str, int] = s.getpeername()
        c = socket.create_connection(("example.com", 80), 2000)
        c.close()
        """)
    assert ok.returncode == 0, ok.stdout
    bad = mypy(tmp_path, """
        import socket
        s = socket.socket()
        s.recv("64")
        s.settimeout("1s")
        """)
    assert bad.returncode == 1
    assert 'Argument 1 to "recv" of "socket" has incompatible type "str"' in bad.stdout
    assert 'Argument 1 to "settimeout" of "socket" has incompatible type "str"' in bad.stdout


def test_stubs_cover_wifi_eth_sfnet(tmp_path):
    ok = mypy(tmp_path, """
        from wireless import wifi
        from ethernet import eth
        import sfnet
        ip: str = wifi.link("My SSID", wifi.WIFI_WPA2, "password", timeout=15000)
        info: tuple[str, str, str, str, bytes] = eth.link_info()
        try:
            eth.link(board="WT32_ETH01")
        except wifi.NoAccessPoint:
            pass
        t = sfnet.TcpSocket()
        t.connect("192.0.2.1", 80, 1000)
        n: int = t.send(b"GET")
        p = sfnet.Packet()
        """)
    assert ok.returncode == 0, ok.stdout
    bad = mypy(tmp_path, """
        from wireless import wifi
        import sfnet
        wifi.link(1234, wifi.WIFI_WPA2)
        sfnet.TcpSocket().receive("all")
        """)
    assert 'Argument 1 to "link" has incompatible type "int"' in bad.stdout
    assert 'Argument 1 to "receive" of "TcpSocket" has incompatible type "str"' in bad.stdout


# -- the checker itself ------------------------------------------------------------------

SOURCE = '''
import sys
from micropython import const
_PRIVATE = const(1)
PUBLIC = const(2)
if sys.platform == "esp32":
    def port_thing(a, b=1): pass
else:
    def port_thing(a, b=1): pass
try:
    import x
    HAVE_X = True
except ImportError:
    HAVE_X = False
def helper(): pass
del helper
class Thing:
    LIMIT = 3
    def __init__(self, ms, _private=None): pass
    def wait(self, ms=None, *, strict=False): pass
    def _hidden(self): pass
Thing.ZERO = Thing(0)
'''

STUB = '''
PUBLIC: int
HAVE_X: bool
def port_thing(a: int, b: int = 1) -> None: ...
class Thing:
    LIMIT: int
    ZERO: Thing
    def __init__(self, ms: int) -> None: ...
    def wait(self, ms: int | None = None, *, strict: bool = False) -> None: ...
'''


def check(tmp_path, stub, source=SOURCE):
    (tmp_path / "m.py").write_text(source)
    (tmp_path / "m.pyi").write_text(stub)
    return stubcheck.compare(tmp_path / "m.pyi", tmp_path / "m.py")


def test_checker_accepts_a_matching_stub(tmp_path):
    assert check(tmp_path, STUB) == []


@pytest.mark.parametrize("edit, problem", [
    (("PUBLIC: int\n", ""), "missing const PUBLIC"),
    (("HAVE_X: bool\n", ""), "missing const HAVE_X"),
    (("    ZERO: Thing\n", ""), "missing Thing.ZERO"),
    (("    LIMIT: int\n", ""), "missing Thing.LIMIT"),
    (("def port_thing(a: int, b: int = 1)", "def port_thing(a: int, b: int)"),
     "port_thing(a, b) differs from the source (a, b=...)"),
    (("def port_thing(a: int, b: int = 1)", "def port_thing(x: int, b: int = 1)"),
     "port_thing(x, b=...) differs"),
    (("*, strict: bool = False", "strict: bool = False"), "Thing.wait(self, ms=..., strict=...) differs"),
    (("HAVE_X: bool\n", "HAVE_X: bool\nEXTRA: int\n"), "EXTRA is not in the source"),
    (("    LIMIT: int\n", "    LIMIT: int\n    def more(self) -> None: ...\n"),
     "Thing.more is not in the source"),
])
def test_checker_catches(tmp_path, edit, problem):
    old, new = edit
    assert old in STUB
    problems = check(tmp_path, STUB.replace(old, new, 1))
    assert any(problem in p for p in problems), problems


def test_checker_follows_dunder_all_and_package_reexports(tmp_path):
    pkg = tmp_path / "pkg"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("from pkg.a import A\nfrom .b import B\nimport os\n")
    (pkg / "__init__.pyi").write_text("from pkg.a import A\n")
    assert stubcheck.compare(pkg / "__init__.pyi", pkg / "__init__.py") == [
        "__init__.pyi: missing import B"]
    assert check(tmp_path, "def f() -> None: ...\n",
                 "__all__ = ['f']\ndef f(): pass\ndef g(): pass\n") == []


def test_cli_reports_and_fails(tmp_path):
    r = subprocess.run([sys.executable, str(ROOT / "tools" / "stubcheck.py")],
                       capture_output=True, text=True)
    problems = stubcheck.check_all()
    assert r.returncode == (1 if problems else 0)
    assert r.stdout.strip().endswith("%d difference(s)" % len(problems))
