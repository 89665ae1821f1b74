"""tools/build.py: the frozen layout, incremental rebuilds, pruning, compile errors."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))

import build  # noqa: E402


@pytest.fixture
def tree(tmp_path):
    src = tmp_path / "src"
    for rel, text in {"modules/top.py": "X = 1\n", "modules/pkg/__init__.py": "",
                      "modules/pkg/sub.py": "Y = 2\n", "drivers/__init__.py": "",
                      "drivers/eth/lan.py": "Z = 3\n"}.items():
        p = src / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text)
    return src, tmp_path / "out"


def listing(out):
    return sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())


def test_frozen_layout(tree):
    src, out = tree
    build.build(out, root=src)
    assert listing(out) == ["drivers/__init__.mpy", "drivers/eth/lan.mpy", "pkg/__init__.mpy",
                            "pkg/sub.mpy", "top.mpy"]
    assert (out / "top.mpy").read_bytes()[:1] == b"M"  # an .mpy header


def test_source_layout(tree):
    src, out = tree
    build.build(out, compile_mpy=False, root=src)
    assert "pkg/sub.py" in listing(out)
    assert (out / "pkg" / "sub.py").read_text() == "Y = 2\n"


def test_incremental(tree):
    src, out = tree
    assert len(build.build(out, root=src)) == 5
    assert build.build(out, root=src) == []
    later = time.time() + 5
    os.utime(src / "modules" / "pkg" / "sub.py", (later, later))
    assert build.build(out, root=src) == [out / "pkg" / "sub.mpy"]


def test_removed_source_is_pruned(tree):
    src, out = tree
    build.build(out, root=src)
    (src / "drivers" / "eth" / "lan.py").unlink()
    build.build(out, root=src)
    assert "drivers/eth/lan.mpy" not in listing(out)
    assert not (out / "drivers" / "eth").exists()


def test_compile_error_names_the_file(tree):
    src, out = tree
    (src / "modules" / "bad.py").write_text("def f(:\n")
    with pytest.raises(build.BuildError, match="bad.py"):
        build.build(out, root=src)


def test_traceback_names_are_frozen_paths(tree, tmp_path):
    src, out = tree
    (src / "modules" / "pkg" / "boom.py").write_text("def f():\n    raise ValueError('x')\n")
    build.build(out, root=src)
    micropython = os.environ.get("MICROPYTHON") or str(ROOT / ".venv" / "bin" / "micropython")
    r = subprocess.run([micropython, "-c", "import pkg.boom; pkg.boom.f()"],
                       env=dict(os.environ, MICROPYPATH=str(out)), capture_output=True, text=True)
    assert 'File "pkg/boom.py", line 2' in r.stdout + r.stderr


def test_cli(tmp_path):
    r = subprocess.run([sys.executable, str(ROOT / "tools" / "build.py"), "mpy", "--out",
                        str(tmp_path / "o")], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "o" / "socket.mpy").is_file()
