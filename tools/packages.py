"""Write the mip package files (package.json) from the sources and firmware/manifest.py.

    python tools/packages.py            # rewrite package.json + package-<part>.json
    python tools/packages.py --check    # exit 1 if any of them is out of date (a test runs this)
    python tools/packages.py --mpy build/mip   # a local package of the compiled build/mpy

Installing (mpremote's mip; the files land in the board's /lib):
    mpremote mip install github:<owner>/<repo>                      # the whole library
    mpremote mip install github:<owner>/<repo>/package-sfnet.json   # one part + what it imports
    mpremote mip install build/mip/package.json                     # compiled .mpy, local

Each part's file lists the part and every module of ours it imports, found by reading
the imports of the sources (so sfnet brings socket and netlink with it). The per-part
files sit at the top level because mip resolves relative URLs against the package
file's directory, and a part needs files from its siblings. The version of every file
is the firmware manifest's, so one number describes the frozen and the mip library.
"""

import argparse
import ast
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

import build  # noqa: E402
import manifest  # noqa: E402

PARTS = ("socket", "wireless", "ethernet", "sfnet", "simplesockets", "drivers")


def library(root=ROOT):
    """{top-level name: [(source path, frozen path)]} for modules/ and drivers/."""
    tops = {}
    for src, rel in build.sources(root):
        tops.setdefault(rel.parts[0].removesuffix(".py"), []).append((src, rel.as_posix()))
    return tops


def imports_of(path):
    names = set()
    for node in ast.walk(ast.parse(Path(path).read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module.split(".")[0])
    return names


def closure(part, tops):
    """The top-level names `part` needs, itself first."""
    need, todo = [], [part]
    while todo:
        name = todo.pop(0)
        if name in need or name not in tops:
            continue
        need.append(name)
        for src, _ in tops[name]:
            todo.extend(sorted(imports_of(src) & set(tops)))
    return need


def version(root=ROOT):
    return manifest.load(root / "firmware" / "manifest.py").version


def package_json(names, tops, ver, root=ROOT, compiled_dir=None, base=None):
    urls = []
    for name in names:
        for src, rel in tops[name]:
            if compiled_dir:
                target = rel[:-3] + ".mpy"
                url = os.path.relpath(Path(compiled_dir) / target, base).replace(os.sep, "/")
            else:
                target, url = rel, src.relative_to(root).as_posix()
            urls.append([target, url])
    return {"urls": urls, "deps": [], "version": ver}


def expected_files(root=ROOT):
    """{file name at the top level: package dict} for the source packages."""
    tops = library(root)
    ver = version(root)
    files = {"package.json": package_json([n for n in tops], tops, ver, root)}
    for part in PARTS:
        if part in tops:
            files["package-%s.json" % part] = package_json(closure(part, tops), tops, ver, root)
    return files


def dump(obj):
    return json.dumps(obj, indent=2) + "\n"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true")
    parser.add_argument("--mpy", metavar="DIR", help="write a compiled local package into DIR")
    args = parser.parse_args(argv)
    if args.mpy:
        out = Path(args.mpy).resolve()
        out.mkdir(parents=True, exist_ok=True)
        tops = library()
        compiled = ROOT / "build" / "mpy"
        build.build(compiled)
        ver = version()
        (out / "package.json").write_text(dump(package_json(list(tops), tops, ver, ROOT, compiled, out)))
        for part in PARTS:
            if part in tops:
                pj = package_json(closure(part, tops), tops, ver, ROOT, compiled, out)
                (out / ("package-%s.json" % part)).write_text(dump(pj))
        print("%s/package.json: install with `mpremote connect PORT mip install %s/package.json`"
              % (out, os.path.relpath(out)))
        return 0
    stale = []
    for name, obj in expected_files().items():
        path = ROOT / name
        if args.check:
            if not path.exists() or path.read_text() != dump(obj):
                stale.append(name)
        else:
            path.write_text(dump(obj))
            print("wrote %s (%d files)" % (name, len(obj["urls"])))
    if stale:
        print("out of date: %s; run `make packages`" % ", ".join(stale), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
