"""Flash MicroPython firmware onto a board with esptool (pinned in requirements.txt).

    python tools/flash.py --board WT32_ETH01 --port /dev/ttyUSB0 [--firmware FILE] [--erase]

The chip, flash offset and baud rate come from boards/<BOARD>/board.json, so the image
always lands where that chip's ROM bootloader expects it (0x1000 on ESP32, 0x0 on
ESP32-S3/C3). Without --firmware it flashes build/firmware/<BOARD>.bin, which
`make firmware` writes. esptool's own progress output is shown as it runs.
--dry-run prints the esptool commands instead of running them.
"""

import argparse
import os
import shlex
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

import boardinfo  # noqa: E402


class FlashError(Exception):
    pass


def default_firmware(board):
    return ROOT / "build" / "firmware" / ("%s.bin" % board)


def esptool_base(info, port):
    return [sys.executable, "-m", "esptool", "--chip", info["chip"], "--port", port]


def commands(board, port, firmware=None, erase=False, baud=None):
    """The esptool command lines for this flash, after checking every input."""
    info = boardinfo.load(board)
    if not port:
        raise FlashError("no serial port given: use PORT=/dev/ttyUSB0 (or /dev/ttyACM0, COM3); "
                         "`mpremote devs` lists the connected boards")
    if not port.startswith(("rfc2217://", "socket://")) and not os.path.exists(port):
        raise FlashError("serial port %s does not exist: is the board plugged in, and is the "
                         "USB-serial driver loaded? (`mpremote devs` lists ports)" % port)
    firmware = Path(firmware) if firmware else default_firmware(board)
    if not firmware.is_file():
        raise FlashError(
            "firmware file %s not found: build it with `make firmware BOARD=%s MICROPY_DIR=...`, "
            "or download the stock image for %s from https://micropython.org/download/ and pass "
            "FIRMWARE=path/to/file.bin" % (firmware, board, board))
    if firmware.suffix != ".bin":
        raise FlashError("%s is not a .bin image (esptool writes raw binaries; "
                         "a .uf2/.hex/.elf is for other tools)" % firmware)
    base = esptool_base(info, port)
    cmds = []
    if erase:
        cmds.append(base + ["erase-flash"])
    cmds.append(base + ["--baud", str(baud or info.get("baud", 460800)), "write-flash",
                        "0x%x" % info["flash_offset"], str(firmware)])
    return cmds


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--board", default=os.environ.get("BOARD"))
    parser.add_argument("--port", default=os.environ.get("PORT"))
    parser.add_argument("--firmware", default=None)
    parser.add_argument("--erase", action="store_true", help="erase the whole flash first")
    parser.add_argument("--baud", type=int, default=None)
    parser.add_argument("--dry-run", action="store_true", help="print the esptool commands only")
    args = parser.parse_args(argv)
    try:
        cmds = commands(args.board, args.port, args.firmware, args.erase, args.baud)
    except (FlashError, boardinfo.UnknownBoard) as exc:
        print("error: %s" % exc, file=sys.stderr)
        return 2
    for cmd in cmds:
        print("$ " + " ".join(shlex.quote(c) for c in ["esptool"] + cmd[3:]), flush=True)
        if args.dry_run:
            continue
        code = subprocess.call(cmd)  # esptool prints its own progress
        if code:
            print("error: esptool failed (exit %d); see its message above, and "
                  "docs/troubleshooting.md" % code, file=sys.stderr)
            return code
    return 0


if __name__ == "__main__":
    sys.exit(main())
