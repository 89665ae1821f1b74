"""stubcheck counts members a class inherits from a class of the same module."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tools"))

import stubcheck  # noqa: E402

SOURCE = '''
class _Shared:
    def ping(self, n=1):
        pass

class Server(_Shared):
    def start(self):
        pass
'''


def test_inherited_methods_must_be_in_the_stub(tmp_path):
    src = tmp_path / "mod.py"
    src.write_text(SOURCE)
    good = tmp_path / "good.pyi"
    good.write_text("class Server:\n    def ping(self, n: int = 1) -> None: ...\n"
                    "    def start(self) -> None: ...\n")
    assert stubcheck.compare(good, src) == []
    missing = tmp_path / "missing.pyi"
    missing.write_text("class Server:\n    def start(self) -> None: ...\n")
    assert stubcheck.compare(missing, src) == ["missing.pyi: missing Server.ping"]
    wrong = tmp_path / "wrong.pyi"
    wrong.write_text("class Server:\n    def ping(self) -> None: ...\n    def start(self) -> None: ...\n")
    assert len(stubcheck.compare(wrong, src)) == 1
