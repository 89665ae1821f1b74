"""Stock micropython-lib clients, unmodified from the vendored copy, over the library's
socket: mip installs from a package index that CPython's http.server serves from a
directory built here (package JSON, files by their sha256, a dependency, relative URLs,
a single file), then urllib.urequest and uaiohttpclient read files from it. Every
installed file is compared byte for byte. The script is
tests/peers/mpscripts/stock_installers.py."""

import functools
import hashlib
import json
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest

from harness.device import VARIANTS
from peers import mprun, stocklib

SCRIPT = mprun.SCRIPTS / "stock_installers.py"

FILES = {
    "demo/__init__.py": b"X = 42\n" * 300,
    "dep.py": b"Y = 1\n",
}
RAW = {
    "raw/pkg/package.json": json.dumps({"urls": [["rel.py", "rel.py"]], "version": "0.1"}).encode(),
    "raw/pkg/rel.py": b"Z = 3\n",
    "raw/single.py": b"S = 4\n",
    "raw/big.bin": bytes((i * 7 + 3) & 0xFF for i in range(20000)),
}
INSTALLED = dict(FILES, **{"rel.py": RAW["raw/pkg/rel.py"], "single.py": RAW["raw/single.py"]})


def _put(root, rel, data):
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def _build_index(root):
    def package(name, paths, deps=()):
        hashes = []
        for p in paths:
            h = hashlib.sha256(FILES[p]).hexdigest()[:8]
            _put(root, "file/%s/%s" % (h[:2], h), FILES[p])
            hashes.append([p, h])
        meta = {"hashes": hashes, "deps": [[d, "latest"] for d in deps], "version": "1.0"}
        _put(root, "package/py/%s/latest.json" % name, json.dumps(meta).encode())

    package("demo", ["demo/__init__.py"], deps=["dep"])
    package("dep", ["dep.py"])
    for rel, data in RAW.items():
        _put(root, rel, data)


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    root = tmp_path_factory.mktemp("index")
    _build_index(root)
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield server.server_address[1], tmp_path_factory.mktemp("targets")
    finally:
        server.shutdown()
        server.server_close()


def _run(index, variant):
    port, targets = index
    target = targets / variant
    target.mkdir(exist_ok=True)
    return mprun.run(SCRIPT, [port, target], variant=variant, path=[stocklib.stage()]), target


@pytest.mark.parametrize("variant,name", mprun.params(SCRIPT))
def test_stock_clients(index, variant, name):
    mprun.check(_run(index, variant)[0], name)


@pytest.mark.parametrize("variant", VARIANTS)
def test_mip_installed_every_byte(index, variant):
    res, target = _run(index, variant)
    assert res.code == 0, res.output
    got = {str(p.relative_to(target)): p.read_bytes() for p in target.rglob("*") if p.is_file()}
    assert got == INSTALLED
