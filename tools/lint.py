"""`make lint`: type-check the library against the published MicroPython ESP32 stubs.

    python tools/lint.py [paths...]     # default: modules/ and drivers/, then typings/

With no paths it also checks that the editor stubs in typings/ match the source
(tools/stubcheck.py).

Runs the pinned mypy with tools/mypy.ini. The stubs come from the pinned
micropython-esp32-stubs (network, machine, esp32, ...) and micropython-stdlib-stubs
(MicroPython's builtins, sys, os, ... as mypy's typeshed). The ESP32 stubs install as loose
.pyi files into site-packages, which mypy refuses as a search path, so they are linked
into build/lint-stubs first. Our own modules/ come first on the path, so `import socket`
checks against our socket, as on the board.
"""

import csv
import os
import subprocess
import sys
import sysconfig
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STUB_DIST = "micropython_esp32_stubs"


class LintError(Exception):
    pass


def site_packages():
    return Path(sysconfig.get_paths()["purelib"])


def stub_dir(out=ROOT / "build" / "lint-stubs"):
    """build/lint-stubs: links to every top-level stub of the ESP32 stubs + _mpy_shed."""
    sp = site_packages()
    records = sorted(sp.glob(STUB_DIST + "-*.dist-info/RECORD"))
    if not records or not (sp / "stdlib" / "VERSIONS").is_file():
        raise LintError("the MicroPython stubs are not installed: run `make venv` "
                        "(micropython-esp32-stubs is pinned in requirements.txt)")
    tops = {"_mpy_shed"}
    with open(records[-1], newline="") as f:
        for row in csv.reader(f):
            if row and row[0].endswith(".pyi") and not row[0].startswith(".."):
                tops.add(row[0].split("/")[0])
    out.mkdir(parents=True, exist_ok=True)
    for top in sorted(tops):
        link = out / top
        if not link.is_symlink():
            link.symlink_to(sp / top)
    return out


def command(paths):
    sp = site_packages()
    return [sys.executable, "-m", "mypy", "--config-file", str(ROOT / "tools" / "mypy.ini"),
            "--custom-typeshed-dir", str(sp), "--cache-dir", str(ROOT / "build" / "mypy-cache")
            ] + [str(p) for p in paths]


def run(paths=None, capture=False):
    paths = paths or [ROOT / "modules", ROOT / "drivers"]
    env = dict(os.environ)
    env["MYPYPATH"] = os.pathsep.join([str(ROOT / "modules"), str(ROOT), str(stub_dir()),
                                       str(ROOT / "firmware" / "cmodules" / "netfast")])  # _netfast.pyi
    return subprocess.run(command(paths), env=env, cwd=str(ROOT), text=True,
                          capture_output=capture)


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    try:
        code = run(argv).returncode
    except LintError as exc:
        print("error: %s" % exc, file=sys.stderr)
        return 2
    if not argv:  # the whole library: the editor stubs must match it too
        sys.path.insert(0, str(ROOT / "tools"))
        import stubcheck

        problems = stubcheck.check_all()
        for p in problems:
            print("typings/" + p)
        print("stubs: %d difference(s) from the source" % len(problems))
        code = code or (1 if problems else 0)
    return code


if __name__ == "__main__":
    sys.exit(main())
