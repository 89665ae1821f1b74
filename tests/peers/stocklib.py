"""Stock MicroPython libraries, unmodified, from the pinned vendored copy.

The tarball in ../shared/vendor/ holds micropython-lib; `stage()` unpacks just the
modules the ecosystem tests import into build/stocklib/ (once per tarball), laid out
as on a board's /lib, so a MicroPython script can import them by their own names.
"""

import hashlib
import tarfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
VENDOR = ROOT.parent / "shared" / "vendor"
_LIB = "micropython/lib/micropython-lib/"

# on-board path -> path inside micropython-lib
MODULES = {
    "ntptime.py": "micropython/net/ntptime/ntptime.py",
    "umqtt/simple.py": "micropython/umqtt.simple/umqtt/simple.py",
    "umqtt/robust.py": "micropython/umqtt.robust/umqtt/robust.py",
    "requests/__init__.py": "python-ecosys/requests/requests/__init__.py",
    "aiohttp/__init__.py": "python-ecosys/aiohttp/aiohttp/__init__.py",
    "aiohttp/aiohttp_ws.py": "python-ecosys/aiohttp/aiohttp/aiohttp_ws.py",
    "mip/__init__.py": "micropython/mip/mip/__init__.py",
    "urllib/urequest.py": "micropython/urllib.urequest/urllib/urequest.py",
    "uaiohttpclient.py": "micropython/uaiohttpclient/uaiohttpclient.py",
    "webrepl.py": "micropython/net/webrepl/webrepl.py",
    "iperf3.py": "python-ecosys/iperf3/iperf3.py",
}

# MicroPython libraries published on PyPI (pinned in requirements.txt): module files
# copied from the installed distribution.
PYPI = {"microdot": ("microdot.py", "microdot_asyncio.py")}


def tarball():
    found = sorted(VENDOR.glob("micropython-*.tar.xz"))
    if not found:
        raise FileNotFoundError("no vendored MicroPython tarball in %s" % VENDOR)
    return found[-1]


def stage_pypi(dist):
    """Copy a PyPI MicroPython library's modules into build/; returns the directory."""
    import importlib.metadata as md

    out = ROOT / "build" / ("stock-" + dist + "-" + md.version(dist))
    files = {str(f): f for f in md.files(dist)}
    for name in PYPI[dist]:
        dest = out / name
        if not dest.exists():
            out.mkdir(parents=True, exist_ok=True)
            dest.write_bytes(Path(files[name].locate()).read_bytes())
    return out


def stage(out=None):
    """Unpack the stock modules; returns the directory to put on MICROPYPATH."""
    tb = tarball()
    key = hashlib.sha256(tb.read_bytes()).hexdigest()[:12]
    out = Path(out or ROOT / "build" / ("stocklib-" + key))
    if all((out / rel).exists() for rel in MODULES):
        return out
    wanted = {_LIB + src: rel for rel, src in MODULES.items()}
    with tarfile.open(tb) as tf:
        for member in tf:
            rel = wanted.get(member.name)
            if rel:
                dest = out / rel
                dest.parent.mkdir(parents=True, exist_ok=True)
                dest.write_bytes(tf.extractfile(member).read())
    missing = [rel for rel in MODULES if not (out / rel).exists()]
    if missing:
        raise FileNotFoundError("not in %s: %s" % (tb.name, ", ".join(missing)))
    return out
