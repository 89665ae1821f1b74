"""RAM budgets and flash cost of the frozen library, for `make bench` (bench/run.py).

RAM: bench/ram_probe.py runs on the 32-bit frozen unix firmware (tools/unix_firmware.py),
whose objects have an ESP32's sizes, and each figure is checked against its budget
(issue 14). Flash: what each frozen module adds to that firmware image, read from the
build's frozen_content.c (which symbols and qstrs belong to which module) and the sizes
of those symbols in frozen_content.o.
"""

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

import build  # noqa: E402  (tools/build.py)
import manifest  # noqa: E402  (tools/manifest.py)

PROBE = ROOT / "bench" / "ram_probe.py"
sys.path.insert(0, str(ROOT / "tests" / "lib"))
from ram_objects import ESP32_BUDGETS, RECV_BUFFER  # noqa: E402  (what the device test asserts)

# (key printed by the probe, what, budget in bytes)
BUDGETS = [
    ("import socket", "`import socket`", 2048),
    ("import library", "the whole library imported (ESP32 image: no drivers.host)", 16384),
    ("socket-idle", "an idle `socket.socket` (created)", ESP32_BUDGETS["socket-idle"]),
    ("socket-connected", "a connected `socket.socket` (after one wait)",
     ESP32_BUDGETS["socket-connected"]),
    ("tcpsocket-connected", "a connected `sfnet.TcpSocket` (after one wait)",
     ESP32_BUDGETS["tcpsocket-connected"]),
    ("tcpserver-client-%d" % RECV_BUFFER,
     "a `simplesockets.TCPServer` client (recv_buffer=%d)" % RECV_BUFFER,
     ESP32_BUDGETS["tcpserver-client-%d" % RECV_BUFFER]),
    ("udp-after-wait", "a UDP `socket.socket` after its first wait", ESP32_BUDGETS["udp-after-wait"]),
]


def esp32_modules():
    """Importable names of what an ESP32 image freezes (firmware/manifest.py)."""
    names = []
    for f in manifest.load(ROOT / "firmware" / "manifest.py").files:
        parts = f.target_path[:-3].split("/")
        if parts[-1] == "__init__":
            parts = parts[:-1]
        if not any(p.startswith("_") for p in parts):
            names.append(".".join(parts))
    return names


def _probe(micropython, args, env):
    proc = subprocess.run([micropython, str(PROBE)] + args, env=env, capture_output=True,
                          text=True, timeout=300)
    found = dict(re.findall(r"^RAM (\S+) bytes=(\d+)$", proc.stdout, re.M))
    if proc.returncode:
        err = (proc.stderr or proc.stdout).strip().splitlines()
        raise RuntimeError("ram_probe %s failed: %s" % (" ".join(args), err[-1] if err else "?"))
    return {k: int(v) for k, v in found.items()}


def measure_ram(micropython, testenv_dir):
    """{key: bytes} of every BUDGETS row (peers must be running: testenv_dir/testenv.py)."""
    env = dict(os.environ)
    env["MICROPYPATH"] = os.pathsep.join([str(testenv_dir), str(ROOT / "tests" / "lib"), ".frozen"])
    out = {"import socket": _probe(micropython, ["import", "socket"], env)["import"],
           "import library": _probe(micropython, ["import"] + esp32_modules(), env)["import"]}
    out.update(_probe(micropython, ["objects"], env))
    return out


def smallest_heap_for_echo(micropython, testenv_dir, lib=None, top=512):
    """The smallest -X heapsize (KB) that runs one TCP echo with the library from `lib`
    (a .py or .mpy layout) or, without lib, from the frozen image; None if > top KB."""
    env = dict(os.environ)
    env["MICROPYPATH"] = os.pathsep.join([str(testenv_dir)] + ([str(lib)] if lib else []) + [".frozen"])

    def works(kb):
        r = subprocess.run([micropython, "-X", "heapsize=%dK" % kb, str(PROBE), "echo"], env=env,
                           capture_output=True, text=True, timeout=120, cwd=str(testenv_dir))
        return "ECHO ok" in r.stdout

    if not works(top):
        return None
    lo, hi = 1, top  # works(hi), not works(lo): heap use is deterministic, so bisect
    while hi - lo > 1:
        mid = (lo + hi) // 2
        lo, hi = (lo, mid) if works(mid) else (mid, hi)
    return hi


def echo_heaps(micropython, testenv_dir):
    """{'py'|'mpy'|'frozen': KB} for smallest_heap_for_echo()."""
    out = {}
    for kind in ("py", "mpy"):
        lib = ROOT / "build" / ("bench-" + kind)
        build.build(lib, compile_mpy=(kind == "mpy"))
        out[kind] = smallest_heap_for_echo(micropython, testenv_dir, lib)
    out["frozen"] = smallest_heap_for_echo(micropython, testenv_dir)
    return out


def ram_lines(measured):
    lines = ["| what | heap bytes | budget | |", "|---|---|---|---|"]
    for key, what, budget in BUDGETS:
        v = measured.get(key)
        verdict = "not measured" if v is None else "met" if v <= budget else "**not met**"
        lines.append("| %s | %s | <= %d | %s |" % (what, "-" if v is None else v, budget, verdict))
    return lines


# -- flash ------------------------------------------------------------------------------

_MODULE = re.compile(r"^// frozen module (\S+)$", re.M)
_DEFINED = re.compile(r"^(?:static )?const [\w\s\*]*?\b(\w+)\s*(?:\[\d*\])?\s*=", re.M)
_QSTR = re.compile(r"\bMP_QSTR_(\w+)")
_LITERAL = re.compile(r"\(const byte \*\)\"((?:[^\"\\]|\\.)*)\"")
_CHAR = re.compile(r"\\x[0-9a-fA-F]{2}|\\[0-7]{1,3}|\\.|.")
QSTR_OVERHEAD_32 = 8  # per frozen qstr on 32-bit: NUL, 2-byte hash, 1-byte length, 4-byte pointer


def _symbol_sizes(obj):
    out = subprocess.run(["nm", "-S", str(obj)], capture_output=True, text=True, check=True).stdout
    sizes = {}
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 4:
            sizes[parts[3]] = int(parts[1], 16)
    return sizes


def _frozen_qstr_lengths(text):
    """{qstr name: string length} of the firmware's frozen qstr pool."""
    enum = text[text.index("enum {"):]
    names = re.findall(r"^\s+MP_QSTR_(\w+)", enum[:enum.index("};")], re.M)
    lens = text[text.index("mp_qstr_frozen_const_lengths[]"):]
    lengths = [int(x) for x in re.findall(r"^\s+(\d+),", lens[:lens.index("};")], re.M)]
    return dict(zip(names, lengths))


def flash_costs(build_dir, library_files):
    """[(frozen file, bytes)] for each library file, then ('(qstrs shared ...)', bytes)."""
    text = (Path(build_dir) / "frozen_content.c").read_text()
    sizes = _symbol_sizes(Path(build_dir) / "frozen_content.o")
    pool = _frozen_qstr_lengths(text)
    starts = [(m.start(), m.group(1)) for m in _MODULE.finditer(text)]
    blocks = {}
    for i, (pos, _) in enumerate(starts):
        end = starts[i + 1][0] if i + 1 < len(starts) else text.index("mp_frozen_mpy_names", pos)
        block = text[pos:end]
        name = re.search(r"^// - frozen file name: (\S+)$", block, re.M).group(1)
        blocks[name] = block
    users = {}
    for name, block in blocks.items():
        for q in set(_QSTR.findall(block)) & set(pool):
            users.setdefault(q, set()).add(name)
    library = set(library_files)
    rows, shared = [], 0
    for name in library_files:
        block = blocks.get(name)
        if block is None:
            raise RuntimeError("%s is not frozen in %s" % (name, build_dir))
        own = sum(sizes.get(sym, 0) for sym in _DEFINED.findall(block))
        own += sum(len(_CHAR.findall(s)) + 1 for s in _LITERAL.findall(block))
        own += len(name) + 1 + 4  # its entry in the frozen names list and content table
        own += sum(pool[q] + QSTR_OVERHEAD_32 for q, who in users.items() if who == {name})
        rows.append((name, own))
    for q, who in users.items():
        if len(who) > 1 and who <= library:
            shared += pool[q] + QSTR_OVERHEAD_32
    rows.append(("(qstrs shared by several library modules)", shared))
    return rows


def c_module_flash(build_dir):
    """Bytes of code and constants of the _netfast C module in the build (gcc -m32 x86
    code: an estimate of the Xtensa figure, not that figure)."""
    out = subprocess.run(["size", "-A", str(Path(build_dir) / "netfast" / "netfast.o")],
                         capture_output=True, text=True, check=True).stdout
    total = 0
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[0].startswith((".text", ".rodata", ".data")):
            total += int(parts[1])
    return total


def flash_lines(rows):
    total = sum(b for _, b in rows)
    lines = ["| frozen file | flash bytes |", "|---|---|"]
    for name, b in sorted(rows[:-1], key=lambda r: -r[1]) + rows[-1:]:
        lines.append("| %s | %d |" % (name, b))
    lines.append("| **total** | **%d** |" % total)
    return lines


def section(micropython32, build_dir32, testenv_dir):
    """The markdown of docs/performance.md's RAM and flash sections."""
    measured = measure_ram(micropython32, testenv_dir)
    echo = echo_heaps(micropython32, testenv_dir)
    lib_files = [f.target_path for f in manifest.load(ROOT / "firmware" / "manifest.py").files]
    flash = flash_costs(build_dir32, lib_files)
    return [
        "## RAM budgets (32-bit frozen firmware)",
        "",
        "Measured by `make bench` on `build/firmware-unix/micropython-32` (`make firmware-unix`:",
        "the unix port built with `gcc -m32`, library frozen in, so objects have an ESP32's",
        "sizes). Heap bytes kept (`gc.mem_alloc()` after `gc.collect()`): imports in a fresh",
        "interpreter (the ESP32 drivers with the test stand-in for `network` loaded first,",
        "outside the figure), objects per object over 16 of them, each after one wait (which",
        "keeps nothing on this firmware, `_netfast.wait1`; without it, a `select.poll` per",
        "socket), against real peers on loopback. Budgets from issue 14.",
        "",
    ] + ram_lines(measured) + [
        "",
        "The smallest heap (`-X heapsize`, bisected) in which one TCP echo through `socket`",
        "runs, by how the library is loaded:",
        "",
        "| library loaded as | smallest heap for a TCP echo |",
        "|---|---|",
    ] + ["| %s | %s |" % (label, "> 512 KB" if echo[kind] is None else "%d KB" % echo[kind])
         for kind, label in (("frozen", "frozen into the firmware"), ("mpy", "`.mpy` files"),
                             ("py", "`.py` sources (compiled on the board)"))] + [
        "",
        "So the `.py` fallback (copying the sources instead of freezing or installing `.mpy`)",
        "does not fit an ESP32 in any scenario: compiling them needs about as much heap as",
        "an ESP32 has free (~100 KB) before the application allocates anything. Freeze the",
        "library (`make firmware`) or install `.mpy` files (`make deploy`, `make mip`).",
        "",
        "## Flash cost of the frozen library (32-bit)",
        "",
        "What each frozen file adds to the 32-bit image: its bytecode, constants and",
        "raw-code tables (symbol sizes in the build's `frozen_content.o`), its string",
        "constants, its entry in the frozen-module tables, and the qstrs only it uses",
        "(string + 8 bytes each). Qstrs several library modules share are one row; qstrs",
        "the port's own modules also use cost nothing extra. To trim, leave files out of",
        "a copy of firmware/manifest.py (keep what the files you keep import).",
        "",
    ] + flash_lines(flash) + [
        "",
        "The C module `_netfast` (firmware/cmodules/netfast) adds %d bytes of code and" % c_module_flash(build_dir32),
        "constants here (x86 code from `gcc -m32`, so only an estimate of its size on ESP32;",
        "its few qstrs are in the port's pool). Without it the library falls back to Python.",
    ]
