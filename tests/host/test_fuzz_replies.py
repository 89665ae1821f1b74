"""Bad input for the HTTP and FTP reply parsers, seeded (tests/peers/fuzz_peers.py):
random and truncated status lines, headers, Content-Lengths and chunk sizes, mutated
and garbage responses; FTP greetings and replies that are garbage, truncated, overlong
or endless, and PWD replies of every shape. A raw CPython peer serves case i to the
i-th connection; the MicroPython client (both variants) reports what it made of each.

Every response must end in its documented outcome: the exact status and body for
well-formed ones, INVALID_RESPONSE (1000) for broken ones, ValueError for a body above
max_body (32 KB by default), CONNECTION_CLOSED (1002) for an FTP server that went away; never another
exception, a hang (each request returns within its 3 s timeout + 0.5 s) or a body
mistaken for whole.
"""

import os
import subprocess
import zlib
from pathlib import Path

import pytest

from peers import mprun
from peers.fuzz_peers import CaseServer, http_cases, ftp_cases, INVALID
from harness.device import micropython_binary

ROOT = Path(__file__).resolve().parents[2]
HTTP_SEED, HTTP_N = 777, 480
FTP_SEED, FTP_N = 888, 200
BOUND_MS = 3000 + 500


def run(script, server, n, variant):
    env = dict(os.environ)
    env["MICROPYPATH"] = os.pathsep.join([str(mprun.lib(variant)), str(ROOT / "tests" / "lib")])
    proc = subprocess.run([micropython_binary(), str(mprun.SCRIPTS / script), server.address[0],
                           str(server.address[1]), str(n)], env=env, capture_output=True, text=True,
                          timeout=120)
    lines = proc.stdout.splitlines()
    assert proc.returncode == 0 and lines and lines[-1] == "END", proc.stdout[-3000:] + proc.stderr
    return lines[:-1]


@pytest.mark.parametrize("variant", ["py", "mpy"])
def test_http_responses(variant):
    cases = http_cases(HTTP_SEED, HTTP_N)
    server = CaseServer(cases, "http").start()
    try:
        lines = run("fuzz_http.py", server, len(cases), variant)
    finally:
        server.stop()
    assert len(lines) == len(cases), lines[-5:]
    problems = []
    tally = {}
    for (data, want), line in zip(cases, lines):
        kind, i, ms, *rest = line.split(" ", 3)
        i, ms = int(i), int(ms)
        what = "case %d (%r...): %s" % (i, data[:60], line)
        if ms > BOUND_MS:
            problems.append("took %d ms: %s" % (ms, what))
        if kind == "X":
            problems.append("unexpected exception: " + what)
            continue
        if kind == "V":
            tally["ValueError(max_body)"] = tally.get("ValueError(max_body)", 0) + 1
            if want[0] != "max_body":
                problems.append("ValueError: " + what)
            continue
        status, size, crc, has_error = (int(x) for x in rest[0].split())
        tally[status] = tally.get(status, 0) + 1
        if (status in (1000, 1001)) != bool(has_error):
            problems.append(".error set iff the status is 1000/1001: " + what)
        if status in (1000, 1001) and size:
            problems.append("a body kept for a failed response: " + what)
        if want[0] == "exact":
            if (status, size, crc) != (want[1], len(want[2]), zlib.crc32(want[2])):
                problems.append("want %d with %d body bytes: %s" % (want[1], len(want[2]), what))
        elif want[0] == "status":
            if status != want[1]:
                problems.append("want status %d: %s" % (want[1], what))
        elif want[0] == "max_body":
            problems.append("want ValueError for a body above max_body: " + what)
        elif not (100 <= status <= 599 or status in (1000, 1001)):
            problems.append("status out of range: " + what)
    print("FUZZ http-responses[%s] inputs=%d seed=%d outcomes=%s" % (variant, len(cases), HTTP_SEED, tally))
    assert not problems, "\n".join(problems[:20])
    assert tally.get(INVALID, 0) > len(cases) // 4 and tally.get(200, 0) > 20, tally  # both sides exercised


@pytest.mark.parametrize("variant", ["py", "mpy"])
def test_ftp_replies(variant):
    cases = ftp_cases(FTP_SEED, FTP_N)
    server = CaseServer(cases, "ftp").start()
    try:
        lines = run("fuzz_ftp.py", server, len(cases), variant)
    finally:
        server.stop()
    assert len(lines) == len(cases), lines[-5:]
    problems = []
    tally = {}
    for (greeting, replies, want), line in zip(cases, lines):
        kind, i, ms, rest = line.split(" ", 3)
        what = "case %s (%r / %r): %s" % (i, greeting[:50], [r[:40] for r in replies], line)
        if int(ms) > BOUND_MS:
            problems.append("took %s ms: %s" % (ms, what))
        if kind != "F":
            problems.append("unexpected exception: " + what)
            continue
        g, p, d = rest.split(" ", 2)
        tally[int(g)] = tally.get(int(g), 0) + 1
        if want is None:
            continue
        if int(g) != want[0]:
            problems.append("want greeting status %d: %s" % (want[0], what))
        elif want[1] is not None:
            if p == "-" or int(p) != want[1] or d != (want[2].encode().hex() or "''"):
                problems.append("want PWD %d %r: %s" % (want[1], want[2], what))
    print("FUZZ ftp-replies[%s] inputs=%d seed=%d greeting-outcomes=%s" % (variant, len(cases), FTP_SEED, tally))
    assert not problems, "\n".join(problems[:20])
