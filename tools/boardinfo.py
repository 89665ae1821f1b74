"""The host-side view of boards/: each board's chip, flash offset and baud (board.json).

drivers/boards.py holds the same boards for the device (pins, Ethernet wiring);
tests/host/test_boards.py checks that the two agree.
"""

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BOARDS_DIR = ROOT / "boards"


class UnknownBoard(ValueError):
    pass


def names():
    return sorted(p.name for p in BOARDS_DIR.iterdir() if (p / "board.json").is_file())


def load(name):
    """board.json of `name` with flash_offset as an int; UnknownBoard lists the known ones."""
    if not name:
        raise UnknownBoard("no board given: BOARD=<name>, one of %s" % ", ".join(names()))
    path = BOARDS_DIR / name / "board.json"
    if not path.is_file():
        raise UnknownBoard("unknown board %r; known: %s" % (name, ", ".join(names())))
    info = json.loads(path.read_text())
    info["name"] = name
    info["flash_offset"] = int(info["flash_offset"], 0)
    return info
