"""Copy the compiled library (build/mpy, frozen layout) to a board over mpremote.

    python tools/deploy.py --port /dev/ttyUSB0 [--src build/mpy] [--dest /] [--force]

Only files whose SHA-256 differs on the board are copied (one round trip hashes every
remote file); each copied file is hashed again on the board and compared, so a
truncated or garbled copy is an error, not a silent success. Progress goes to stdout.

It uses mpremote's own serial transport (the pinned mpremote in requirements.txt), so
it talks to a real board, to tools/vboard.py and to anything else mpremote can open.
"""

import argparse
import hashlib
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Runs on the board: {path: sha256 digest or None} for the listed files, in one exec.
_HASH_ALL = """
import hashlib
def _h(p):
    try:
        f = open(p, 'rb')
    except OSError:
        return None
    h = hashlib.sha256()
    b = bytearray(512)
    while True:
        n = f.readinto(b)
        if not n:
            break
        h.update(memoryview(b)[:n])
    f.close()
    return h.digest()
print(repr({p: _h(p) for p in %r}))
del _h
"""


class DeployError(Exception):
    pass


def local_files(src):
    """(path on host, path relative to src as posix) for every file under src, sorted."""
    src = Path(src)
    if not src.is_dir():
        raise DeployError("nothing to deploy: %s does not exist (run `make mpy`)" % src)
    return [(p, p.relative_to(src).as_posix()) for p in sorted(src.rglob("*")) if p.is_file()]


def remote_path(dest, rel):
    dest = "/" + dest.strip("/")
    return (dest.rstrip("/") + "/" + rel) if dest != "/" else "/" + rel


def connect(port, baudrate=115200, timeout=1):
    """An mpremote SerialTransport in the raw REPL (soft reset first, as mpremote does)."""
    if not port:
        raise DeployError("no serial port given: use PORT=/dev/ttyUSB0 (see `mpremote devs`)")
    from mpremote.transport import TransportError
    from mpremote.transport_serial import SerialTransport

    try:
        transport = SerialTransport(port, baudrate=baudrate, timeout=timeout)
    except TransportError as exc:
        raise DeployError("cannot open %s: %s" % (port, exc)) from None
    try:
        transport.enter_raw_repl(soft_reset=True)
    except TransportError as exc:
        transport.close()
        raise DeployError("%s does not answer like a MicroPython board (raw REPL): %s"
                          % (port, exc)) from None
    return transport


def remote_hashes(transport, paths):
    import ast

    if not paths:
        return {}
    out = transport.exec(_HASH_ALL % (list(paths),))
    return ast.literal_eval(out.decode().strip())


def _mkdirs(transport, remote, made):
    parts = remote.strip("/").split("/")[:-1]
    for i in range(1, len(parts) + 1):
        d = "/" + "/".join(parts[:i])
        if d not in made:
            transport.exec("import os\ntry:\n os.mkdir(%r)\nexcept OSError:\n pass" % d)
            made.add(d)


def deploy(transport, src, dest="/", force=False, out=sys.stdout):
    """Copy changed files from src to dest on the board; return the remote paths copied."""
    files = local_files(src)
    remotes = [remote_path(dest, rel) for _, rel in files]
    before = remote_hashes(transport, remotes)
    copied = []
    made = set()
    total = len(files)
    for i, ((path, rel), remote) in enumerate(zip(files, remotes), 1):
        data = path.read_bytes()
        digest = hashlib.sha256(data).digest()
        if not force and before.get(remote) == digest:
            continue
        _mkdirs(transport, remote, made)
        label = "[%d/%d] %s (%d bytes)" % (i, total, remote, len(data))

        def progress(done, size, label=label):
            if out.isatty():
                out.write("\r%s %3d%%" % (label, done * 100 // max(size, 1)))
                out.flush()

        transport.fs_writefile(remote, data, progress_callback=progress)
        copied.append(remote)
        out.write("%s%s copied\n" % ("\r" if out.isatty() else "", label))
    after = remote_hashes(transport, copied)
    want = {remote: hashlib.sha256(path.read_bytes()).digest()
            for (path, _), remote in zip(files, remotes)}
    bad = [p for p in copied if after.get(p) != want[p]]
    if bad:
        raise DeployError("hash mismatch after copy (board storage full or link errors?): %s"
                          % ", ".join(bad))
    out.write("%d of %d file(s) copied to %s, %d already up to date, all verified by SHA-256\n"
              % (len(copied), total, dest, total - len(copied)))
    return copied


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", default=None, help="serial port (e.g. /dev/ttyUSB0, or a vboard pty)")
    parser.add_argument("--src", default=str(ROOT / "build" / "mpy"))
    parser.add_argument("--dest", default="/", help="directory on the board (default /: overrides frozen modules)")
    parser.add_argument("--force", action="store_true", help="copy every file even if unchanged")
    args = parser.parse_args(argv)
    from mpremote.transport import TransportExecError

    transport = None
    try:
        local_files(args.src)  # fail before touching the board
        transport = connect(args.port)
        deploy(transport, args.src, args.dest, force=args.force)
    except DeployError as exc:
        print("error: %s" % exc, file=sys.stderr)
        return 2
    except TransportExecError as exc:
        print("error: the board refused a write: %s" % exc.error_output.strip(), file=sys.stderr)
        return 2
    finally:
        if transport is not None:
            transport.exit_raw_repl()
            transport.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
