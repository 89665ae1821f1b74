"""bench/run.py's table logic on fixed RESULT lines (no benchmark runs here): parsing,
ratios against the same pass's built-in row, combining passes, and the target checks."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

import run  # noqa: E402  (bench/run.py)

PASS1 = """
RESULT name=tcp-bulk-send/builtin sendall mbps=300.0 rtps=- alloc_per_op=0 ratio=-
RESULT name=tcp-bulk-send/socket sendall mbps=290.0 rtps=- alloc_per_op=0 ratio=0.967
RESULT name=tcp-echo-64B/socket recv mbps=- rtps=1000 alloc_per_op=128 ratio=0.800
RESULT name=echo-1KiB/builtin poll server 8 clients mbps=80.00 rtps=40000 alloc_per_op=32 peak_heap=-
RESULT name=echo-1KiB/builtin poll server 64 clients mbps=80.00 rtps=10000 alloc_per_op=32 peak_heap=-
RESULT name=echo-1KiB/simplesockets TCPServer 8 clients mbps=40.00 rtps=20000 alloc_per_op=1332 peak_heap=-
RESULT name=import/socket import_bytes=25216
noise that is not a result
"""
PASS2 = PASS1.replace("mbps=290.0", "mbps=250.0").replace("ratio=0.967", "ratio=0.900")


def test_parse_names_with_spaces():
    rows = run.parse(PASS1)
    names = [r["name"] for r in rows]
    assert "echo-1KiB/simplesockets TCPServer 8 clients" in names
    assert rows[0]["mbps"] == "300.0" and rows[-1]["import_bytes"] == "25216"
    assert len(rows) == 7


def test_ratio_against_the_builtin_row_with_the_same_clients():
    rows = run.parse(PASS1)
    run.pass_ratios(rows)
    by = {r["name"]: r for r in rows}
    assert by["echo-1KiB/simplesockets TCPServer 8 clients"]["ratio"] == "0.500"  # 20000/40000, not /10000
    assert "ratio" not in by["echo-1KiB/builtin poll server 8 clients"]


def test_combine_best_rate_worst_heap_median_ratio():
    passes = []
    for text in (PASS1, PASS2, PASS1):
        rows = run.parse(text)
        run.pass_ratios(rows)
        passes.append(rows)
    by = {r["name"]: r for r in run.combine(passes)}
    row = by["tcp-bulk-send/socket sendall"]
    assert row["mbps"] == 290.0 and row["ratio"] == 0.967 and row["ratios"] == [0.967, 0.9, 0.967]


def test_targets_checked_per_row():
    rows = run.combine([run.parse(PASS1)])
    by = {r["name"]: r for r in rows}
    assert run.check(by["tcp-bulk-send/socket sendall"]) == (">= 0.95x; 0 B/op", "met")
    assert run.check(by["tcp-echo-64B/socket recv"]) == (">= 0.85x", "**missed** (ratio)")
    assert run.check(by["tcp-bulk-send/builtin sendall"]) == ("", "")
    lines = run.table(rows, [("socket", 25216, "")])
    assert len([x for x in lines if x.startswith("| ")]) == 1 + 6 + 1  # header, rows, one import
    assert lines[-1].startswith("| import socket | - | - | 25216 |")


def test_issue_15_targets_also_on_64k_rows():
    text = """
RESULT name=tcp-bulk-recv-64K/socket recv_into mbps=900.0 rtps=- alloc_per_op=0 cpu_us=1.0 ratio=0.900
RESULT name=tcp-echo-64B/socket recv_into mbps=- rtps=9000 alloc_per_op=0 cpu_us=5.0 ratio=0.900
RESULT name=udp-echo-64B/socket recvfrom_into mbps=- rtps=9000 alloc_per_op=64 cpu_us=5.0 ratio=0.850
RESULT name=sfnet/tcp-echo-64B/TcpSocket.receive_into mbps=- rtps=9000 alloc_per_op=0 cpu_us=5.0 ratio=0.700
"""
    by = {r["name"]: r for r in run.combine([run.parse(text)])}
    assert run.check(by["tcp-bulk-recv-64K/socket recv_into"]) == (">= 0.85x; 0 B/op", "met")
    assert run.check(by["tcp-echo-64B/socket recv_into"]) == (">= 0.95x; 0 B/op", "**missed** (ratio)")
    assert run.check(by["udp-echo-64B/socket recvfrom_into"]) == (
        ">= 0.80x; <= 32 B/op (its result tuple)", "**missed** (heap)")
    assert run.check(by["sfnet/tcp-echo-64B/TcpSocket.receive_into"]) == ("0 B/op", "met")


def test_a_noise_row_is_the_builtin_against_itself_without_a_target():
    text = PASS1 + "RESULT name=tcp-bulk-send/noise: builtin sendall again mbps=280.0 rtps=- alloc_per_op=0 ratio=0.700\n"
    rows = run.combine([run.parse(text)])
    by = {r["name"]: r for r in rows}
    noise = by["tcp-bulk-send/noise: builtin sendall again"]
    assert noise["ratio"] == 0.7
    assert run.check(noise) == ("-", "the built-in against itself: no target")
    assert run.baseline_of("tcp-bulk-send/socket sendall", list(by)) == "tcp-bulk-send/builtin sendall"
    line = [l for l in run.table(rows, []) if "noise:" in l][0]
    assert "0.700" in line and "no target" in line


def test_a_floor_row_is_a_minimal_python_wrapper_without_a_target():
    text = PASS1 + "RESULT name=tcp-bulk-send/floor: one-line Python sendall mbps=280.0 rtps=- alloc_per_op=0 ratio=0.800\n"
    rows = run.combine([run.parse(text)])
    by = {r["name"]: r for r in rows}
    floor = by["tcp-bulk-send/floor: one-line Python sendall"]
    assert run.check(floor) == ("-", "the least a Python method adds: no target")
    line = [l for l in run.table(rows, []) if "floor:" in l][0]
    assert "0.800" in line and "no target" in line
