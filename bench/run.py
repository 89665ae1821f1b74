"""`make bench`: run every bench/*_bench.py on the MicroPython unix port against real
CPython peers on loopback, print one table and write docs/performance.md.

Bench scripts print lines `RESULT name=<path> key=value ...`; keys used in the table:
mbps, rtps, alloc_per_op, ratio, peak_heap, import_bytes.
"""

import argparse
import datetime
import os
import platform
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from peers.servers import PeerSet  # noqa: E402

COLUMNS = ("mbps", "rtps", "alloc_per_op", "peak_heap", "ratio")
# (path, key, bound) targets from the issues: ratios are minimums, allocations maximums
TARGETS = (
    ("tcp-bulk-send/socket sendall", "ratio", 0.95),
    ("tcp-bulk-recv/socket recv", "ratio", 0.95),
    ("tcp-bulk-recv/socket recv_into", "ratio", 0.95),
    ("tcp-echo-64B/socket recv_into", "ratio", 0.85),
    ("tcp-bulk-send/socket sendall", "alloc_per_op", 0),
    ("tcp-bulk-recv/socket recv_into", "alloc_per_op", 0),
    ("tcp-echo-64B/socket recv_into", "alloc_per_op", 0),
)


def parse(output):
    rows = []
    for line in output.splitlines():
        if not line.startswith("RESULT "):
            continue
        fields = {}
        rest = line[len("RESULT "):]
        # name may contain spaces: it runs up to the first " key=" of a known column
        name, _, tail = rest.partition(" ")
        while tail and "=" not in tail.split(" ", 1)[0]:
            word, _, tail = tail.partition(" ")
            name += " " + word
        fields["name"] = name.split("=", 1)[1]
        for item in tail.split():
            key, _, value = item.partition("=")
            fields[key] = value
        rows.append(fields)
    return rows


def machine():
    cpu = platform.processor() or platform.machine()
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return "%s, %d cores, Linux %s" % (cpu, os.cpu_count() or 0, platform.release())


def micropython_version(binary):
    out = subprocess.run([binary, "-c", "import sys; print(sys.version)"],
                         capture_output=True, text=True)
    return out.stdout.strip()


def check_targets(rows):
    lines = []
    for prefix, key, minimum in TARGETS:
        for row in rows:
            if row["name"] == prefix and row.get(key, "-") != "-":
                value = float(row[key])
                ok = value >= minimum if key == "ratio" else value <= minimum
                want = ">= %.2f" % minimum if key == "ratio" else "== %d bytes" % minimum
                lines.append("| %s | %s | %s | %s | %s |" % (
                    row["name"], key, want, row[key], "met" if ok else "**missed**"))
    return lines


def table(rows):
    out = ["| path | MB/s | round trips/s | heap bytes/op | peak heap | ratio to built-in |",
           "|---|---|---|---|---|---|"]
    for row in rows:
        if "import_bytes" in row:
            continue
        out.append("| %s | %s |" % (row["name"], " | ".join(row.get(c, "-") for c in COLUMNS)))
    imports = [r for r in rows if "import_bytes" in r]
    if imports:
        out += ["", "| import | heap bytes |", "|---|---|"]
        out += ["| %s | %s |" % (r["name"].split("/", 1)[-1], r["import_bytes"]) for r in imports]
    return out


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--micropython", required=True)
    parser.add_argument("--lib", required=True, help="the .mpy library layout (build/mpy)")
    parser.add_argument("--only", default=None, help="run only bench scripts containing this")
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    args.micropython = os.path.abspath(args.micropython) if os.sep in args.micropython else args.micropython

    peers = PeerSet()
    rows = []
    try:
        with tempfile.TemporaryDirectory() as tmp:
            Path(tmp, "testenv.py").write_text(peers.testenv_source())
            env = dict(os.environ)
            env["MICROPYPATH"] = os.pathsep.join([tmp, str(Path(args.lib).resolve()),
                                                  str(ROOT / "bench"), ".frozen"])
            for script in sorted((ROOT / "bench").glob("*_bench.py")):
                if args.only and args.only not in script.name:
                    continue
                print("== %s" % script.name, flush=True)
                proc = subprocess.run([args.micropython, "-X", "heapsize=64M", str(script)],
                                      env=env, capture_output=True, text=True, timeout=900,
                                      cwd=tmp)
                sys.stdout.write(proc.stdout)
                if proc.returncode != 0:
                    sys.stdout.write(proc.stderr)
                    print("!! %s failed (exit %d)" % (script.name, proc.returncode))
                rows += parse(proc.stdout)
    finally:
        peers.stop()

    lines = table(rows)
    targets = check_targets(rows)
    print("\n".join(lines))
    if targets:
        print("\n".join(["", "| path | measure | target | value | |", "|---|---|---|---|---|"] + targets))
    if args.no_write:
        return 0
    doc = [
        "# Performance",
        "",
        "Written by `make bench` on %s." % datetime.date.today().isoformat(),
        "",
        "- Machine: %s" % machine(),
        "- MicroPython: %s (unix port, `-X heapsize=64M`, library as frozen `.mpy`)" % micropython_version(args.micropython),
        "- Peers: CPython servers on loopback in the benchmark process (tests/peers/servers.py)",
        "",
        "Ratios compare with the raw built-in socket measured in the same run against the",
        "same peer. Heap bytes per operation are exact (`gc.mem_alloc()` deltas with the",
        "collector paused). Each figure is the best of three runs.",
        "",
    ] + lines
    if targets:
        doc += ["", "## Targets", "", "| path | measure | target | value | |", "|---|---|---|---|---|"] + targets
    notes = ROOT / "bench" / "NOTES.md"
    if notes.exists():
        doc += ["", notes.read_text().rstrip()]
    (ROOT / "docs" / "performance.md").write_text("\n".join(doc) + "\n")
    print("\nwrote docs/performance.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
