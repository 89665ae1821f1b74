"""bench/ram_budget.py and the RAM sections of bench/run.py: verdicts, and updating
docs/performance.md's RAM/flash sections in place (`make bench BENCH_ARGS=--ram-only`).
The measurements themselves are benchmarks: `make bench` runs them, not `make test`."""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))

import ram_budget  # noqa: E402
import run  # noqa: E402  (bench/run.py)


def test_every_budget_has_a_verdict():
    measured = {key: budget for key, _, budget in ram_budget.BUDGETS}  # exactly at the budget
    measured["socket-idle"] = 161
    del measured["udp-after-wait"]
    lines = ram_budget.ram_lines(measured)
    assert len(lines) == 2 + len(ram_budget.BUDGETS)
    rows = {line.split(" | ")[0][2:]: line for line in lines[2:]}
    assert rows["`import socket`"].endswith("| <= 2048 | met |")
    assert rows["an idle `socket.socket` (created)"].endswith("| 161 | <= 160 | **not met** |")
    assert rows["a UDP `socket.socket` after its first wait"].endswith("| - | <= 256 | not measured |")
    assert "| <= 768 |" in rows["a `simplesockets.TCPServer` client (recv_buffer=512)"]


def test_esp32_library_has_no_host_driver():
    mods = ram_budget.esp32_modules()
    assert "socket" in mods and "sfnet.tcp" in mods and "drivers.wifi.esp32wifi" in mods
    assert "drivers.host" not in mods
    assert not [m for m in mods if m.split(".")[-1].startswith("_")]


def test_ram_section_is_replaced_in_place_or_inserted_before_the_notes():
    doc = "# Performance\n\ntable\n\n## Notes on the figures\n\nnotes\n"
    once = run.replace_ram_section(doc, ["## RAM budgets (x)", "", "old"])
    assert once.index("## RAM budgets") < once.index("## Notes on the figures")
    twice = run.replace_ram_section(once, ["## RAM budgets (x)", "", "new", "## Flash cost", "f"])
    assert "old" not in twice and "new" in twice and "## Flash cost" in twice
    assert twice.startswith("# Performance\n\ntable\n") and twice.endswith("## Notes on the figures\n\nnotes\n")
    assert run.replace_ram_section(twice, ["## RAM budgets (x)", "", "new", "## Flash cost", "f"]) == twice
    fresh = run.replace_ram_section(twice, ["## RAM budgets (x)", "", "new"], "## Notes on the figures\n\nnewer\n")
    assert fresh.endswith("new\n\n## Notes on the figures\n\nnewer\n") and "\nnotes\n" not in fresh


def test_flash_table_totals_its_rows():
    lines = ram_budget.flash_lines([("a.py", 10), ("b.py", 30), ("(qstrs shared by several library modules)", 5)])
    assert lines[2] == "| b.py | 30 |"  # biggest first, shared qstrs last
    assert lines[-2] == "| (qstrs shared by several library modules) | 5 |"
    assert lines[-1] == "| **total** | **45** |"


def test_c_module_flash_sums_code_and_constants(tmp_path):
    # a compiled object with a known constant: its size is counted, nothing else
    (tmp_path / "netfast").mkdir()
    src = tmp_path / "netfast" / "netfast.c"
    src.write_text("const char table[1000] = {1};\nint f(int x) { return x * 3 + table[x]; }\n")
    import subprocess
    subprocess.run(["gcc", "-O2", "-c", str(src), "-o", str(tmp_path / "netfast" / "netfast.o")], check=True)
    size = ram_budget.c_module_flash(tmp_path)
    assert 1000 < size < 1200, size
