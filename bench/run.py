"""`make bench`: run every bench/*_bench.py on the MicroPython unix port against real
CPython peers on loopback, measure the import RAM of every library module, print ONE
table and write docs/performance.md (with bench/NOTES.md appended).

Bench scripts print lines `RESULT name=<group>/<path> key=value ...`; keys used:
mbps, rtps, alloc_per_op, ratio, peak_heap, import_bytes.

Every script runs --passes times (default 3). A row's MB/s and round trips/s are the
best pass (the least disturbed by the rest of the machine), its heap figures the
worst pass, and its ratio the median over the passes of the ratio measured within one
pass, so drift between passes cannot bias it. A row without a ratio of its own gets
one against the built-in row of its group ("builtin ..."; for server rows the one
with the same number of clients) measured in the same pass.
"""

import argparse
import datetime
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from peers.servers import PeerSet  # noqa: E402

sys.path.insert(0, str(ROOT / "tools"))
import unix_firmware  # noqa: E402  (tools/unix_firmware.py)
import ram_budget  # noqa: E402  (bench/ram_budget.py)

RAM_HEADING = "## RAM budgets"
NOTES_HEADING = "## Notes on the figures"

# The order of the table: raw and socket, sfnet's TcpSocket, Packet, Http, servers.
GROUPS = ("tcp-bulk-send", "tcp-bulk-send-64K", "tcp-bulk-recv", "tcp-bulk-recv-64K",
          "tcp-echo-64B", "udp-echo-64B",
          "sfnet/tcp-bulk-send", "sfnet/tcp-bulk-recv", "sfnet/tcp-echo-64B", "sfnet/packet-echo",
          "http-get-1MiB", "echo-1KiB")
# Issue 15's targets: the CPU-time ratio to the built-in, and heap traffic per call.
# A 64K row has its 4K row's targets.
RATIO_TARGETS = {
    "tcp-bulk-send/socket sendall": 0.95,
    "tcp-bulk-recv/socket recv_into": 0.85,
    "tcp-bulk-recv/socket recv": 0.95,
    "tcp-echo-64B/socket recv_into": 0.95,
    "tcp-echo-64B/socket recv": 0.85,
    "udp-echo-64B/socket recvfrom_into": 0.8,
    "sfnet/tcp-bulk-send/TcpSocket.send": 0.9,
    "sfnet/tcp-bulk-recv/TcpSocket.receive_into": 0.8,
    "sfnet/tcp-echo-64B/TcpSocket.receive": 0.75,
}
ZERO_ALLOC = re.compile(r"(recv_into|sendall|receive_into|TcpSocket\.send)$")
TUPLE_BYTES = 32  # recvfrom_into's result tuple on the 64-bit unix port


def targets_for(name):
    """[(key, bound, text)] the issue's targets that apply to this row."""
    group, _, label = name.rpartition("/")
    out = []
    if not (label.startswith("socket ") or label.startswith("TcpSocket.")):
        return out  # built-in baselines, Packet, Http and servers have no target
    ratio = RATIO_TARGETS.get(name.replace("-64K/", "/"))
    if ratio is not None:
        out.append(("ratio", ratio, ">= %.2fx" % ratio))
    if ZERO_ALLOC.search(name):
        out.append(("alloc_per_op", 0, "0 B/op"))
    elif name.endswith("recvfrom_into"):
        out.append(("alloc_per_op", TUPLE_BYTES, "<= %d B/op (its result tuple)" % TUPLE_BYTES))
    return out


def parse(output):
    rows = []
    for line in output.splitlines():
        if not line.startswith("RESULT "):
            continue
        rest = line[len("RESULT "):]
        # the name may contain spaces: it runs up to the first word holding "="
        name, _, tail = rest.partition(" ")
        while tail and "=" not in tail.split(" ", 1)[0]:
            word, _, tail = tail.partition(" ")
            name += " " + word
        fields = {"name": name.split("=", 1)[1]}
        for item in tail.split():
            key, _, value = item.partition("=")
            fields[key] = value
        rows.append(fields)
    return rows


def num(row, key):
    v = row.get(key, "-")
    return None if v in ("-", "", None) else float(v)


def baseline_of(name, names):
    """The built-in row this row compares with, or None."""
    group, _, label = name.rpartition("/")
    if label.startswith("builtin"):
        return None
    m = re.search(r" (\d+ clients)$", label)
    for other in names:
        g, _, lab = other.rpartition("/")
        if g == group and lab.startswith("builtin") and (not m or lab.endswith(m.group(1))):
            return other
    return None


def pass_ratios(rows):
    """Fill in ratios against the same pass's built-in rows where a script gave none."""
    by_name = {r["name"]: r for r in rows}
    for r in rows:
        if num(r, "ratio") is not None or "import_bytes" in r:
            continue
        base = baseline_of(r["name"], list(by_name))
        if base is None:
            continue
        key = "mbps" if num(r, "mbps") is not None else "rtps"
        a, b = num(r, key), num(by_name[base], key)
        if a is not None and b:
            r["ratio"] = "%.3f" % (a / b)


def combine(passes):
    """One row per name over all passes (see the module docstring)."""
    order = []
    seen = {}
    for rows in passes:
        for r in rows:
            if r["name"] not in seen:
                seen[r["name"]] = []
                order.append(r["name"])
            seen[r["name"]].append(r)
    out = []
    for name in order:
        rs = seen[name]
        row = {"name": name, "passes": len(rs)}
        for key in ("mbps", "rtps"):
            vals = [num(r, key) for r in rs if num(r, key) is not None]
            row[key] = max(vals) if vals else None
        for key in ("alloc_per_op", "peak_heap", "import_bytes"):
            vals = [num(r, key) for r in rs if num(r, key) is not None]
            row[key] = max(vals) if vals else None
        ratios = [num(r, "ratio") for r in rs if num(r, "ratio") is not None]
        row["ratio"] = statistics.median(ratios) if ratios else None
        row["ratios"] = ratios
        out.append(row)
    return out


def group_rank(name):
    for i, g in enumerate(GROUPS):
        if name.rpartition("/")[0] == g:
            return i
    return len(GROUPS)


def fmt(v, spec):
    return "-" if v is None else spec % v


def check(row):
    """(target text, verdict) for a row."""
    label = row["name"].rpartition("/")[2]
    if label.startswith("noise:"):
        return "-", "the built-in against itself: no target"
    if label.startswith("floor:"):
        return "-", "the least a Python method adds: no target"
    ts = targets_for(row["name"])
    if not ts:
        return "", ""
    missed = []
    for key, bound, _ in ts:
        v = row.get(key)
        if v is None:
            missed.append(key + " not measured")
        elif key == "ratio" and v < bound:
            missed.append("ratio")
        elif key == "alloc_per_op" and v > bound:
            missed.append("heap")
    return "; ".join(t for _, _, t in ts), ("met" if not missed else "**missed** (%s)" % ", ".join(missed))


def table(rows, imports):
    out = ["| path | MB/s | round trips/s | heap traffic bytes/op (imports: total) | peak heap | CPU-time ratio to built-in | target | |",
           "|---|---|---|---|---|---|---|---|"]
    rows = sorted(rows, key=lambda r: (group_rank(r["name"]), not r["name"].rpartition("/")[2].startswith("builtin")))
    for r in rows:
        if r.get("import_bytes") is not None:
            continue
        target, verdict = check(r)
        ratio = fmt(r["ratio"], "%.3f")
        if len(r["ratios"]) > 1:
            ratio += " (%s-%s)" % (fmt(min(r["ratios"]), "%.2f"), fmt(max(r["ratios"]), "%.2f"))
        out.append("| %s | %s | %s | %s | %s | %s | %s | %s |" % (
            r["name"], fmt(r["mbps"], "%.1f"), fmt(r["rtps"], "%.0f"), fmt(r["alloc_per_op"], "%d"),
            fmt(r["peak_heap"], "%d"), ratio, target, verdict))
    for mod, value, note in imports:
        out.append("| import %s | - | - | %s | - | - | listed | %s |" % (
            mod, "-" if value is None else "%d" % value, note))
    return out


IMPORT_PROBE = """
import gc, sys
try:
    import network
except ImportError:
    # ESP32 drivers need `network`/`machine`: on the unix port the test stand-ins
    # play them, loaded before the measurement (on a board they are built in)
    import simnet
    simnet.install()
gc.collect(); gc.collect()
a = gc.mem_alloc()
for m in MODS:
    __import__(m)
gc.collect(); gc.collect()
print("IMPORT", gc.mem_alloc() - a)
"""


def library_modules(lib):
    mods = []
    for p in sorted(Path(lib).rglob("*.mpy")):
        rel = p.relative_to(lib).with_suffix("")
        parts = list(rel.parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        if any(x.startswith("_") for x in parts):
            continue
        mods.append(".".join(parts))
    return mods


def import_ram(micropython, lib):
    """[(module, heap bytes or None, note)]: each module alone in a fresh interpreter
    (with what it imports), then the whole library in one."""
    env = dict(os.environ)
    env["MICROPYPATH"] = os.pathsep.join([str(Path(lib).resolve()), str(ROOT / "tests" / "lib"), ".frozen"])
    mods = library_modules(lib)
    out = []
    for label, group in [(m, [m]) for m in mods] + [("(whole library)", mods)]:
        code = "MODS = %r\n" % group + IMPORT_PROBE
        proc = subprocess.run([micropython, "-c", code], env=env, capture_output=True, text=True, timeout=60)
        m = re.search(r"^IMPORT (\d+)$", proc.stdout, re.M)
        if m:
            out.append((label, int(m.group(1)), ""))
        else:
            err = (proc.stderr or proc.stdout).strip().splitlines()
            out.append((label, None, "not importable on the unix port: %s" % (err[-1] if err else "?")))
    return out


def machine():
    cpu = platform.processor() or platform.machine()
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = ""
    try:
        load = ", load average %s at the start" % open("/proc/loadavg").read().split()[0]
    except OSError:
        pass
    return "%s, %d cores, Linux %s%s" % (cpu, os.cpu_count() or 0, platform.release(), load)


def micropython_version(binary):
    out = subprocess.run([binary, "-c", "import sys; print(sys.version)"], capture_output=True, text=True)
    return out.stdout.strip()


def ram_section(tmp):
    """docs/performance.md's RAM budget and flash sections (bench/ram_budget.py), measured
    on the 32-bit frozen firmware; a short note instead when it cannot be built here."""
    try:
        binary = unix_firmware.build(32)
    except unix_firmware.FirmwareUnavailable as exc:
        return [RAM_HEADING + " (32-bit frozen firmware)", "", "Not measured in this run: %s." % exc]
    return ram_budget.section(binary, unix_firmware.build_dir(32), tmp)


def replace_ram_section(doc, section, notes_text=None):
    """doc with its RAM/flash sections replaced by `section` (or inserted before the
    notes), and its notes by `notes_text` (bench/NOTES.md) when given."""
    lines = doc.rstrip("\n").split("\n")
    start = next((i for i, l in enumerate(lines) if l.startswith(RAM_HEADING)), None)
    notes = next((i for i, l in enumerate(lines) if l.startswith(NOTES_HEADING)), len(lines))
    if start is None or start > notes:
        start = notes
    tail = lines[notes:] if notes_text is None else notes_text.rstrip("\n").split("\n")
    return "\n".join(lines[:start] + section + [""] + tail) + "\n"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--micropython", required=True)
    parser.add_argument("--lib", required=True, help="the .mpy library layout (build/mpy)")
    parser.add_argument("--only", default=None, help="run only bench scripts containing this")
    parser.add_argument("--passes", type=int, default=3)
    parser.add_argument("--no-write", action="store_true")
    parser.add_argument("--firmware", action="store_true",
                        help="run the bench scripts on the 64-bit firmware from `make firmware-unix`: "
                             "the library frozen in, as users flash it, with _netfast "
                             "(import rows still use --micropython and --lib)")
    parser.add_argument("--no-pin", action="store_true",
                        help="do not pin the benchmark and its peers to one CPU")
    parser.add_argument("--ram-only", action="store_true",
                        help="only the RAM budget and flash sections: measure them and update "
                             "those sections (and the notes, from bench/NOTES.md) of "
                             "docs/performance.md in place")
    args = parser.parse_args()
    if args.ram_only:
        peers = PeerSet()
        try:
            with tempfile.TemporaryDirectory() as tmp:
                Path(tmp, "testenv.py").write_text(peers.testenv_source())
                section = ram_section(tmp)
        finally:
            peers.stop()
        print("\n".join(section))
        if not args.no_write:
            path = ROOT / "docs" / "performance.md"
            notes = ROOT / "bench" / "NOTES.md"
            path.write_text(replace_ram_section(path.read_text(), section, notes.read_text()))
            print("\nupdated the RAM and flash sections and the notes of docs/performance.md")
        return 0
    args.micropython = os.path.abspath(args.micropython) if os.sep in args.micropython else args.micropython
    runner = args.micropython
    if args.firmware:
        try:
            runner = str(unix_firmware.build(64))
        except unix_firmware.FirmwareUnavailable as exc:
            print("!! no firmware here (%s): measuring the stock binary and the .mpy library" % exc)
            args.firmware = False
    libpath = [] if args.firmware else [str(Path(args.lib).resolve())]  # frozen: only the image's
    where = machine()
    pinned = None
    if not args.no_pin and hasattr(os, "sched_setaffinity"):
        # One core for the client and its peers (threads and children inherit it): a
        # round trip then costs CPU time, as on a board, instead of cross-core wake-ups,
        # which vary 3x from run to run on a shared machine and hide the library's cost.
        pinned = max(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {pinned})

    peers = PeerSet()
    passes = []
    failed = []
    try:
        with tempfile.TemporaryDirectory() as tmp:
            Path(tmp, "testenv.py").write_text(peers.testenv_source())
            env = dict(os.environ)
            env["MICROPYPATH"] = os.pathsep.join([tmp] + libpath + [str(ROOT / "bench"), ".frozen"])
            scripts = [s for s in sorted((ROOT / "bench").glob("*_bench.py"))
                       if not args.only or args.only in s.name]
            for k in range(args.passes):
                rows = []
                for script in scripts:
                    print("== pass %d/%d: %s" % (k + 1, args.passes, script.name), flush=True)
                    proc = subprocess.run([runner, "-X", "heapsize=64M", str(script)],
                                          env=env, capture_output=True, text=True, timeout=900, cwd=tmp)
                    if proc.returncode != 0:
                        sys.stdout.write(proc.stdout[-2000:] + proc.stderr[-2000:])
                        print("!! %s failed (exit %d)" % (script.name, proc.returncode))
                        failed.append(script.name)
                    rows += parse(proc.stdout)
                pass_ratios(rows)
                passes.append(rows)
            ram = ram_section(tmp) if not args.only else []
    finally:
        peers.stop()

    rows = combine(passes)
    imports = import_ram(args.micropython, args.lib) if not args.only else []
    lines = table(rows, imports)
    print("\n".join(lines))
    if failed:
        print("\n!! failed bench scripts: %s" % ", ".join(sorted(set(failed))))
    if args.no_write:
        return 1 if failed else 0
    doc = [
        "# Performance",
        "",
        "Written by `make bench` on %s UTC. Do not edit: run `make bench` again." %
        datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M"),
        "",
        "- Machine: %s" % where,
        "- MicroPython: %s (unix port, `-X heapsize=64M`, %s)" % (
            micropython_version(runner),
            "the 64-bit firmware from `make firmware-unix`: library frozen in, with `_netfast`"
            if args.firmware else "library as `.mpy`, no `_netfast`: the Python fallback"),
        "- Peers: CPython servers on loopback in the benchmark's own process (tests/peers/servers.py)",
        "- CPU: %s" % ("benchmark and peers pinned to CPU %d (round trips are CPU-bound, as on a board)" % pinned
                       if pinned is not None else "not pinned"),
        "- Passes: %d; MB/s and round trips/s are the best pass, heap figures the worst," % args.passes,
        "  the ratio the median of the per-pass ratios (their range in brackets); within a",
        "  pass, a group's rows run three times each, interleaved, and keep their best run",
        "",
        "Every ratio compares the MicroPython process's own CPU time (Linux's per-task run",
        "time, kernel time included, so the peers' work does not count) per operation, or",
        "per KB moved in the bulk rows (where the built-in's `readinto` fills its whole",
        "buffer per call), with the raw built-in socket doing the same job against the",
        "same peer in the same pass,",
        "with the garbage collector running: above 1 is faster than the built-in (Packet,",
        "Http and server rows, which have no targets: throughput ratios). Heap",
        "traffic per operation is `micropython.mem_total()`'s delta: every byte allocated,",
        "also what is freed at once (a call frame the VM puts on the heap), which",
        "`gc.mem_alloc()` does not show. Import rows: heap in use after importing the",
        "module (and what it imports) in a fresh interpreter, from `.mpy` on the stock",
        "binary (ESP32 drivers with the test stand-in for `network` loaded first, outside",
        "the figure); frozen into firmware the bytecode stays in flash (see the RAM",
        "budgets below). The unix port is 64-bit: heap figures are up to twice an ESP32's.",
        "Targets: issue 15 (CPU-time ratios; 0 bytes of heap traffic per `recv_into`,",
        "`sendall`, `TcpSocket.send` and `receive_into`; at most the result tuple per",
        "`recvfrom_into`); a 64K row has its 4K row's targets.",
        "",
    ] + lines
    if ram:
        doc += [""] + ram
    if failed:
        doc += ["", "Failed bench scripts in this run: %s." % ", ".join(sorted(set(failed)))]
    notes = ROOT / "bench" / "NOTES.md"
    if notes.exists():
        doc += ["", notes.read_text().rstrip()]
    (ROOT / "docs" / "performance.md").write_text("\n".join(doc) + "\n")
    print("\nwrote docs/performance.md")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
