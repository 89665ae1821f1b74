"""Build the MicroPython unix port with this library frozen in (`make firmware-unix`).

    python tools/unix_firmware.py [--bits 64 32] [--vendor DIR] [--force]

From the pinned MicroPython source in the vendor directory (../shared/vendor, see its
README; VENDOR_DIR overrides it), unpacked under build/: mpy-cross, then the unix port's
standard variant with FROZEN_MANIFEST=firmware/unix/manifest.py, a board-style manifest
that includes the port's own (asyncio, ssl, requests, mip) and firmware/manifest.py.
Two binaries, printed one per line:

    build/firmware-unix/micropython-64   the 64-bit build
    build/firmware-unix/micropython-32   `CC="gcc -m32" MICROPY_PY_FFI=0`: objects have
                                         an ESP32's sizes (needs Debian gcc-multilib)

Each binary is cached, keyed on the tarball's SHA-256, the manifests, every file they
freeze and the build flags; an unchanged key skips the build entirely.
"""

import argparse
import fcntl
import hashlib
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

import manifest  # noqa: E402  (tools/manifest.py)

UNIX_MANIFEST = ROOT / "firmware" / "unix" / "manifest.py"
OUT_DIR = ROOT / "build" / "firmware-unix"
RECIPE = 1  # bump when the build commands below change: invalidates every cached binary


class FirmwareUnavailable(Exception):
    """A build that cannot happen on this machine for a reason the user cannot fix here
    (no root to install a compiler): tests skip with this message."""


class BuildError(Exception):
    """A build that should have worked and did not: tests fail with this message."""


def vendor_dir():
    return Path(os.environ.get("VENDOR_DIR") or ROOT.parent / "shared" / "vendor")


def tarball(vendor=None):
    found = sorted(Path(vendor or vendor_dir()).glob("micropython-*.tar.xz"))
    if not found:
        raise BuildError("no micropython-*.tar.xz in %s (the pinned MicroPython source, "
                         "see its README; set VENDOR_DIR=... to point elsewhere)" % (vendor or vendor_dir()))
    return found[-1]


def sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


# What an ESP32 image has and the unix port leaves out: os.dupterm and the WebREPL
# module (_webrepl), so stock webrepl.py runs over the library here
# (tests/host/test_stock_webrepl.py). modwebrepl.c compares an unsigned with -2, which
# the unix port's -Werror refuses.
ESP32_EXTRAS = "CFLAGS_EXTRA=-DMICROPY_PY_OS_DUPTERM=1 -DMICROPY_PY_WEBREPL=1 -Wno-error=sign-compare"


def make_flags(bits, have_ffi):
    flags = ["VARIANT=standard", "BUILD=build-frozen%d" % bits,
             "FROZEN_MANIFEST=%s" % UNIX_MANIFEST, ESP32_EXTRAS]
    if bits == 32:
        flags += ["CC=gcc -m32", "MICROPY_PY_FFI=0"]
    elif not have_ffi:
        flags.append("MICROPY_PY_FFI=0")
    return flags


def cache_key(tar_sha, flags, manifest_path=UNIX_MANIFEST):
    """Hash of everything the binary depends on that can change in this project."""
    m = manifest.load(manifest_path)
    h = hashlib.sha256()
    h.update(("recipe %d\ntarball %s\n" % (RECIPE, tar_sha)).encode())
    for flag in flags:
        h.update(("flag %s\n" % flag).replace(str(ROOT), "<root>").encode())
    c_files = [os.path.join(d, f) for d in m.c_modules for f in sorted(os.listdir(d))]
    for path in sorted(set(m.included) | {f.full_path for f in m.files} | set(c_files)):
        h.update(("file %s\n" % os.path.relpath(path, ROOT)).encode())
        h.update(Path(path).read_bytes())
    return h.hexdigest()


def source_tree(tar, tar_sha):
    """The unpacked MicroPython tree for this tarball (unpacked once)."""
    base = ROOT / "build" / ("micropython-" + tar_sha[:12])
    tree = base / "micropython"
    stamp = base / ".unpacked"
    if not stamp.is_file():
        shutil.rmtree(base, ignore_errors=True)
        base.mkdir(parents=True)
        with tarfile.open(tar) as t:
            t.extractall(base, filter="data") if hasattr(tarfile, "data_filter") else t.extractall(base)
        if not (tree / "ports" / "unix" / "Makefile").is_file():
            raise BuildError("%s does not unpack to micropython/ports/unix" % tar)
        stamp.write_text(tar_sha + "\n")
    return tree


def can_compile(cc_args):
    """True if this C compiler invocation links a program (gcc -m32 needs gcc-multilib)."""
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "t.c"
        src.write_text("#include <stdio.h>\n#include <math.h>\nint main(void){return 0;}\n")
        try:
            r = subprocess.run(cc_args + [str(src), "-o", str(Path(tmp) / "t"), "-lm", "-lpthread"],
                               capture_output=True)
        except OSError:
            return False
        return r.returncode == 0


def have_libffi():
    return subprocess.run(["pkg-config", "--exists", "libffi"], capture_output=True).returncode == 0 \
        if shutil.which("pkg-config") else False


def check_compiler(bits, is_root=None):
    if not shutil.which("gcc") or not shutil.which("make"):
        raise BuildError("gcc and make are needed to build the unix port (Debian: build-essential)")
    if bits == 32 and not can_compile(["gcc", "-m32"]):
        is_root = os.geteuid() == 0 if is_root is None else is_root
        if is_root:
            raise BuildError("`gcc -m32` cannot link a program although we run as root: "
                             "tools/install_peers.py (make peers) should have installed "
                             "Debian gcc-multilib; see its output")
        raise FirmwareUnavailable("`gcc -m32` cannot link a program: the 32-bit firmware needs "
                                  "Debian gcc-multilib, which only root can install "
                                  "(`make peers` as root does it)")


def run(cmd, log):
    log.write("$ %s\n" % " ".join(cmd))
    log.flush()
    r = subprocess.run(cmd, stdout=log, stderr=subprocess.STDOUT)
    if r.returncode:
        raise BuildError("`%s` failed (exit %d): see %s" % (" ".join(cmd), r.returncode, log.name))


def build(bits, force=False, jobs=2, vendor=None, out=sys.stderr):
    """Path of the frozen unix binary for `bits` (64 or 32), built unless cached."""
    if bits not in (64, 32):
        raise ValueError("bits must be 64 or 32, not %r" % (bits,))
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    binary = OUT_DIR / ("micropython-%d" % bits)
    key_file = OUT_DIR / ("micropython-%d.key" % bits)
    with open(OUT_DIR / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # two sessions at once build it once
        tar = tarball(vendor)
        tar_sha = sha256_file(tar)
        flags = make_flags(bits, have_ffi=have_libffi())
        key = cache_key(tar_sha, flags)
        if not force and binary.is_file() and key_file.is_file() and key_file.read_text().strip() == key:
            return binary
        check_compiler(bits)
        tree = source_tree(tar, tar_sha)
        log_path = OUT_DIR / ("build-%d.log" % bits)
        print("firmware-unix: building the %d-bit unix port with the library frozen in "
              "(log: %s)" % (bits, os.path.relpath(log_path, ROOT)), file=out, flush=True)
        port_build = tree / "ports" / "unix" / ("build-frozen%d" % bits)
        flags_seen = port_build / ".flags"
        if port_build.exists() and not (flags_seen.is_file() and flags_seen.read_text() == "\n".join(flags)):
            shutil.rmtree(port_build)  # make does not rebuild objects for other flags
        with open(log_path, "w") as log:
            run(["make", "-C", str(tree / "mpy-cross"), "-j%d" % jobs], log)
            run(["make", "-C", str(tree / "ports" / "unix"), "-j%d" % jobs] + flags, log)
        flags_seen.write_text("\n".join(flags))
        built = port_build / "micropython"
        # a new file renamed over the old: a process still running the old binary (a
        # benchmark, a parallel test run) keeps it, and the copy never hits ETXTBSY
        tmp = binary.with_name(binary.name + ".new")
        shutil.copy2(built, tmp)
        os.replace(tmp, binary)
        key_file.write_text(key + "\n")
        return binary


def build_dir(bits, vendor=None):
    """The MicroPython build directory of a binary (frozen_content.c/.o, for bench/)."""
    tar_sha = sha256_file(tarball(vendor))
    return ROOT / "build" / ("micropython-" + tar_sha[:12]) / "micropython" / "ports" / "unix" / \
        ("build-frozen%d" % bits)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bits", type=int, nargs="+", default=[64, 32], choices=(64, 32))
    parser.add_argument("--vendor", default=None, help="directory holding micropython-*.tar.xz")
    parser.add_argument("--force", action="store_true", help="rebuild even if cached")
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args(argv)
    code = 0
    for bits in args.bits:
        try:
            print(os.path.relpath(build(bits, args.force, args.jobs, args.vendor), ROOT))
        except FirmwareUnavailable as exc:
            print("firmware-unix: %d-bit build skipped: %s" % (bits, exc), file=sys.stderr)
        except (BuildError, manifest.ManifestError) as exc:
            print("error: %d-bit build: %s" % (bits, exc), file=sys.stderr)
            code = 1
    return code


if __name__ == "__main__":
    sys.exit(main())
