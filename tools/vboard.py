"""A virtual serial board: the MicroPython unix port behind a pseudo-terminal.

    python tools/vboard.py [--root DIR] [--link PATH]    # prints the port, runs until Ctrl-C
    python tools/vboard.py --run make test-hw PORT={port} # a board for one command

mpremote (or any serial terminal) opens the printed /dev/pts/N exactly as it would open
/dev/ttyUSB0, so `make deploy`, `make test-hw` and `make repl` run unchanged against it.

How it is built (researched against mpremote's transport_serial.py and the unix port):
- The unix port already speaks the raw REPL on a tty: Ctrl-A enters it, Ctrl-B leaves
  it, Ctrl-D executes, and raw-paste mode (Ctrl-E A Ctrl-A, flow-control windows) works.
  So the interpreter runs on an inner pty and this module only relays bytes between it
  and the outer pty that the client opens. Nothing of the protocol is reimplemented.
- What the unix port does differently from a board is patched here, in the relay:
  * Soft reset (Ctrl-D at an empty prompt, or sys.exit()) ends the unix process. The
    relay prints "MPY: soft reboot", starts a fresh interpreter (new heap, new globals)
    and puts it back into the raw REPL if that is where the client was.
  * A board's stdout turns "\n" into "\r\n"; the inner pty has ONLCR off (it would turn
    the unix port's own "\r\n" into "\r\r\n", which mpremote does not recognise) and the
    relay adds the "\r" instead.
  * Ctrl-C from the client while code runs is delivered as SIGINT, which the unix port
    turns into KeyboardInterrupt (it does not read the tty while executing).
- The filesystem: each interpreter starts by mounting os.VfsPosix(root) at "/", so "/"
  is a temp dir, exactly the paths mpremote uses on a board (`:main.py`, `:/lib/x.mpy`).
  sys.path is a board's: ['', '.frozen', '/lib']. The host's /proc stays visible at
  /proc, because the unix port's socket layer reads /proc/net (getsockname).
- Boot and soft reset run boot.py, then main.py unless the client was in the raw REPL
  (as a board's main.c does), before the REPL prompt.
- Stopping: Ctrl-C (SIGINT) or SIGTERM stop the board cleanly, exit 0, and remove the
  --link symlink and the temporary filesystem. The signal only sets a flag: raising
  KeyboardInterrupt inside Thread.join() can leave the thread looking finished while it
  still runs, and the relay then hit closed descriptors (EBADF, exit 1).
"""

import argparse
import os
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import termios
import threading
import time
import tty
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Run by every fresh interpreter before the client sees it: a board-like "/" and sys.path,
# then what a board's _boot.py and main.c do: boot.py, and main.py unless the reset came
# from the raw REPL (pyexec's friendly-REPL rule). An exception in them is printed, as
# on a board; sys.exit() in them ends the script only (no endless reset loop).
_SETUP = (
    "import os, sys\n"
    "os.umount('/')\n"
    "os.mount(os.VfsPosix(%r), '/')\n"
    "os.mount(os.VfsPosix('/proc'), '/proc')\n"
    "os.chdir('/')\n"
    "sys.path[:] = ['', '.frozen', '/lib']\n"
    "def _vboard_run(name):\n"
    "    try:\n"
    "        os.stat(name)\n"
    "    except OSError:\n"
    "        return\n"
    "    try:\n"
    "        exec(open(name).read(), {'__name__': '__main__'})\n"
    "    except SystemExit:\n"
    "        pass\n"
    "    except BaseException as e:\n"
    "        sys.print_exception(e)\n"
    "_vboard_run('boot.py')\n"
    "if %r:\n"
    "    _vboard_run('main.py')\n"
    "del os, sys, _vboard_run\n"
)
_BANNER_END = b">>> "
_RAW_BANNER = b"raw REPL; CTRL-B to exit\r\n>"
_SOFT_REBOOT = b"MPY: soft reboot\r\n"
_CTRL_A, _CTRL_B, _CTRL_C, _CTRL_D = b"\x01", b"\x02", b"\x03", b"\x04"


class VBoardError(Exception):
    pass


def default_micropython():
    found = os.environ.get("MICROPYTHON") or str(ROOT / ".venv" / "bin" / "micropython")
    if not os.path.exists(found):
        found = shutil.which("micropython")
    if not found:
        raise VBoardError("no MicroPython unix binary: run `make venv` or set MICROPYTHON=/path")
    return found


class VirtualBoard:
    """A unix-port MicroPython that looks like a board on a serial port.

    with VirtualBoard() as vb:
        subprocess.run(["mpremote", "connect", vb.port, "ls"])
    """

    def __init__(self, root=None, micropython=None, heapsize=None, link=None, startup_timeout=10):
        self._own_root = root is None
        self.root = Path(root or tempfile.mkdtemp(prefix="vboard-")).resolve()
        self.micropython = micropython or default_micropython()
        self.heapsize = heapsize
        self.link = Path(link) if link else None
        self.startup_timeout = startup_timeout
        self.port = None
        self.soft_reboots = 0        # how many times the interpreter was restarted
        self._proc = None
        self._inner = None           # master side of the interpreter's pty
        self._outer = None           # master side of the client's pty
        self._outer_slave = None     # kept open so the master never sees EIO between clients
        self._raw = False            # the client's last REPL mode (Ctrl-A / Ctrl-B)
        self._tail = b""             # last bytes the interpreter printed (prompt detection)
        self._since_submit = b""     # interpreter output since the last raw-REPL Ctrl-D
        self._last_cr = False
        self._to_inner = bytearray()  # client input the interpreter has not taken yet
        self._stop = threading.Event()
        self._thread = None
        self.error = None            # an exception that ended the relay, for the tests

    # -- lifecycle -------------------------------------------------------------------

    def start(self):
        try:
            return self._start()
        except BaseException:
            self.stop()  # no pty, link or temp dir left behind by a failed start
            raise

    def _start(self):
        self.root.mkdir(parents=True, exist_ok=True)
        self._outer, self._outer_slave = os.openpty()
        tty.setraw(self._outer_slave)
        self.port = os.ttyname(self._outer_slave)
        if self.link:
            if self.link.is_symlink() or self.link.exists():
                self.link.unlink()
            self.link.parent.mkdir(parents=True, exist_ok=True)
            self.link.symlink_to(self.port)
        has_main = (self.root / "main.py").is_file()
        self._spawn(run_main=True)
        if not has_main:
            # a board has booted long before a client connects
            self._tail = self._read_until(_BANNER_END)[-8:]
        # (with a main.py, the relay forwards its output; it may run for ever, as on a board)
        self._thread = threading.Thread(target=self._relay, name="vboard-relay", daemon=True)
        self._thread.start()
        return self.port

    def stop(self):
        self._stop.set()
        if self._thread:
            # the relay notices _stop within one select() timeout; wait for it, however
            # loaded the machine is, before closing the descriptors it uses
            deadline = time.monotonic() + 60
            while self._thread.is_alive() and time.monotonic() < deadline:
                self._thread.join(0.5)
        self._kill()
        for fd in (self._outer, self._outer_slave):
            if fd is not None:
                try:
                    os.close(fd)
                except OSError:
                    pass
        self._outer = self._outer_slave = None
        if self.link and self.link.is_symlink():
            self.link.unlink()
        if self._own_root:
            shutil.rmtree(self.root, ignore_errors=True)

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.stop()

    # -- the interpreter -------------------------------------------------------------

    def _spawn(self, run_main):
        master, slave = os.openpty()
        attrs = termios.tcgetattr(slave)
        attrs[1] &= ~termios.ONLCR  # see the module docstring: the relay adds "\r" itself
        attrs[3] &= ~termios.ECHO   # a board never echoes what a running program reads
        termios.tcsetattr(slave, termios.TCSANOW, attrs)
        cmd = [self.micropython]
        if self.heapsize:
            cmd += ["-X", "heapsize=%s" % self.heapsize]
        cmd += ["-i", "-c", _SETUP % (str(self.root), bool(run_main))]
        self._proc = subprocess.Popen(
            cmd, stdin=slave, stdout=slave, stderr=slave, cwd=str(self.root),
            start_new_session=True, close_fds=True,
        )
        os.close(slave)
        os.set_blocking(master, False)
        self._inner = master
        self._tail = b""

    def _kill(self):
        if self._proc and self._proc.poll() is None:
            self._proc.kill()
            self._proc.wait(5)
        if self._inner is not None:
            os.close(self._inner)
            self._inner = None

    def _read_inner(self, timeout):
        r, _, _ = select.select([self._inner], [], [], timeout)
        if not r:
            return b""
        try:
            data = os.read(self._inner, 4096)
        except BlockingIOError:
            return b""
        except OSError:  # EIO: the interpreter has exited
            data = b""
        if not data:
            raise EOFError
        return data

    def _read_until(self, marker):
        """Read the fresh interpreter's output up to `marker` (and return it)."""
        data = b""
        deadline = time.monotonic() + self.startup_timeout
        while not data.endswith(marker):
            if time.monotonic() > deadline:
                raise VBoardError("interpreter did not print %r; got %r" % (marker, data[-200:]))
            try:
                data += self._read_inner(0.1)
            except EOFError:
                raise VBoardError("interpreter exited during start-up: %r" % data[-500:])
        return data

    def _soft_reboot(self):
        """The interpreter has exited: what a board does on soft reset."""
        if self._raw:
            # Exited while executing: finish the raw-REPL reply the client is waiting for
            # ("OK" out \x04 err \x04; raw-paste mode acknowledges with one more \x04).
            done = self._since_submit
            expected = 2 if done.startswith(b"OK") else 3 if done.startswith(_CTRL_D) else 0
            missing = expected - done.count(_CTRL_D)
            if missing > 0:
                self._to_client(_CTRL_D * missing, cook=False)
        self._kill()
        self.soft_reboots += 1
        self._to_client(_SOFT_REBOOT, cook=False)
        self._spawn(run_main=not self._raw)
        if self._raw:
            self._read_until(_BANNER_END)
            os.write(self._inner, _CTRL_A)
            self._to_client(self._read_until(_RAW_BANNER))
            # at the raw prompt: the client's next Ctrl-C is a byte for the REPL, not a
            # SIGINT that would hit the next program it runs
            self._tail = _RAW_BANNER[-8:]
        # else: boot.py/main.py output and the banner reach the client through the relay
        self._since_submit = b""

    # -- the relay -------------------------------------------------------------------

    def _idle(self):
        # At a prompt (friendly ">>> " / "... ", raw ">"), the REPL itself reads Ctrl-C.
        return self._tail.endswith((b">>> ", b"... ", b">"))

    def _to_client(self, data, cook=True):
        if cook:
            out = bytearray()
            for b in data:
                if b == 0x0A and not self._last_cr:
                    out += b"\r"
                out.append(b)
                self._last_cr = b == 0x0D
            data = bytes(out)
        os.write(self._outer, data)

    def _from_client(self, data):
        if _CTRL_A in data:
            self._raw = True
        if _CTRL_B in data:
            self._raw = False
        if self._raw and _CTRL_D in data:
            self._since_submit = b""
        if _CTRL_C in data and not self._idle() and self._proc.poll() is None:
            self._proc.send_signal(signal.SIGINT)
        # Queued, not written here: a busy interpreter must not block the relay (it
        # would stop draining the interpreter's output). Kept across a soft reboot,
        # as a board's UART buffer keeps what arrives while it restarts.
        self._to_inner += data

    def _feed_inner(self):
        try:
            n = os.write(self._inner, self._to_inner[:4096])
        except BlockingIOError:
            return
        except OSError:  # the interpreter is gone: the next read sees EOF and reboots
            return
        del self._to_inner[:n]

    def _relay(self):
        try:
            while not self._stop.is_set():
                w = [self._inner] if self._to_inner else []
                r, w, _ = select.select([self._outer, self._inner], w, [], 0.1)
                if w:
                    self._feed_inner()
                if self._outer in r:
                    try:
                        data = os.read(self._outer, 4096)
                    except OSError:
                        data = b""
                    if data:
                        self._from_client(data)
                if self._inner in r or self._proc.poll() is not None:
                    try:
                        data = self._read_inner(0)
                    except EOFError:
                        if self._stop.is_set():
                            break
                        self._soft_reboot()
                        continue
                    if data:
                        self._tail = (self._tail + data)[-8:]
                        self._since_submit = (self._since_submit + data)[-64:]
                        self._to_client(data)
        except Exception as exc:  # surfaced by the tests and the CLI
            if self._stop.is_set():
                return  # stopping: descriptors may be closing under us, not an error
            self.error = exc
            raise


def main(argv=None):
    parser = argparse.ArgumentParser(description="Run a virtual serial MicroPython board.")
    parser.add_argument("--root", help="directory used as the board's filesystem (default: temp dir)")
    parser.add_argument("--link", help="also make this path a symlink to the port")
    parser.add_argument("--heapsize", help="MicroPython heap, e.g. 256K (default: the port's)")
    parser.add_argument("--run", nargs=argparse.REMAINDER, metavar="CMD",
                        help="run CMD ({port} is replaced by the port), then stop; exit with its code")
    args = parser.parse_args(argv)
    stop = threading.Event()

    def request_stop(signum, frame):
        stop.set()

    def interrupt(signum, frame):
        raise KeyboardInterrupt

    # --run: the command gets the terminal's Ctrl-C itself; SIGTERM ends the run cleanly
    signal.signal(signal.SIGTERM, interrupt if args.run else request_stop)
    if not args.run:
        signal.signal(signal.SIGINT, request_stop)
    try:
        vb = VirtualBoard(root=args.root, heapsize=args.heapsize, link=args.link)
        port = vb.start()
    except VBoardError as exc:
        print("error: %s" % exc, file=sys.stderr)
        return 1
    if args.run:
        child = None
        try:
            child = subprocess.Popen([a.replace("{port}", port) for a in args.run])
            return child.wait()
        except KeyboardInterrupt:
            if child is not None and child.poll() is None:
                child.terminate()
                child.wait(30)
            return 130
        finally:
            vb.stop()
    print("vboard: port %s  filesystem %s%s" % (port, vb.root, "  link %s" % vb.link if vb.link else ""))
    print("        e.g. make deploy PORT=%s ; make repl PORT=%s ; Ctrl-C here to stop" % (port, port))
    sys.stdout.flush()
    try:
        while vb._thread.is_alive() and not stop.is_set():
            stop.wait(0.5)
    finally:
        vb.stop()
    if vb.error is not None:
        print("error: the relay failed: %r" % (vb.error,), file=sys.stderr)
        return 1
    return 0

if __name__ == "__main__":
    sys.exit(main())
