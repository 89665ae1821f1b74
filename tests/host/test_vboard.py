"""tools/vboard.py, tools/deploy.py, make deploy / repl / test-hw / mip against a virtual
serial board: the unix port behind a pty, driven by the real mpremote.

Robust to a loaded machine: no fixed sleeps (each wait is for an observable event, with
a generous deadline), and every process a test starts runs in its own process group
that is killed when the test ends, passed or not."""

import os
import pty
import re
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))

import deploy  # noqa: E402
from vboard import VirtualBoard  # noqa: E402

MPREMOTE = str(ROOT / ".venv" / "bin" / "mpremote")


@pytest.fixture
def vb():
    board = VirtualBoard(startup_timeout=60)
    try:
        board.start()
        yield board
    finally:
        board.stop()
    assert board.error is None, board.error


def kill_group(p):
    try:
        os.killpg(p.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    p.wait()


def run(cmd, timeout=120, **kwargs):
    """subprocess.run in a process group of its own, all of it killed on a timeout."""
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                         start_new_session=True, **kwargs)
    try:
        out, err = p.communicate(timeout=timeout)
    finally:
        kill_group(p)  # a timeout, or children left behind by the command
    return subprocess.CompletedProcess(cmd, p.returncode, out, err)


@pytest.fixture
def spawn():
    """Popen in its own process group; every group is killed at the end of the test."""
    started = []

    def start(cmd, **kwargs):
        p = subprocess.Popen(cmd, start_new_session=True, **kwargs)
        started.append(p)
        return p

    yield start
    for p in started:
        kill_group(p)


def mpremote(vb, *args, timeout=120):
    return run([MPREMOTE, "connect", vb.port] + list(args), timeout=timeout)


def make(*args, timeout=600):
    return run(["make", "-s"] + list(args), timeout=timeout, cwd=ROOT)


def readline(stream, timeout=60):
    """One line from a pipe, or "" after `timeout` seconds."""
    r, _, _ = select.select([stream], [], [], timeout)
    return stream.readline() if r else ""


# -- the virtual board -------------------------------------------------------------------

def test_raw_repl_exec_and_board_like_filesystem(vb):
    r = mpremote(vb, "exec", "import os, sys; print(os.getcwd(), sys.path, os.listdir('/'))")
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "/ ['', '.frozen', '/lib'] ['proc']"  # /proc: see tools/vboard.py
    r = mpremote(vb, "mkdir", ":lib", "+", "fs", "cp", __file__, ":lib/x.py", "+", "ls", ":lib")
    assert r.returncode == 0, r.stderr
    assert (vb.root / "lib" / "x.py").read_bytes() == Path(__file__).read_bytes()


def test_sha256_of_a_file_matches(vb, tmp_path):
    import hashlib

    data = bytes(range(256)) * 9
    (tmp_path / "blob.bin").write_bytes(data)
    r = mpremote(vb, "cp", str(tmp_path / "blob.bin"), ":blob.bin", "+", "sha256sum", ":blob.bin")
    assert r.returncode == 0, r.stderr
    assert hashlib.sha256(data).hexdigest() in r.stdout
    r = mpremote(vb, "cp", ":blob.bin", str(tmp_path / "back.bin"))
    assert (tmp_path / "back.bin").read_bytes() == data


def test_soft_reset_restarts_the_interpreter(vb):
    before = vb.soft_reboots
    r = mpremote(vb, "exec", "x = 42", "+", "soft-reset", "+", "exec", "print('x' in globals())")
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "False"
    assert vb.soft_reboots > before


def test_sys_exit_in_a_program_is_a_soft_reset(vb):
    r = mpremote(vb, "exec", "import sys; print('bye'); sys.exit(3)")
    assert "bye" in r.stdout
    r = mpremote(vb, "exec", "print(1 + 1)")
    assert r.returncode == 0 and r.stdout.strip() == "2", r.stderr


def test_ctrl_c_interrupts_a_running_program(vb, spawn):
    p = spawn([MPREMOTE, "connect", vb.port, "exec", "print('looping')\nwhile True: pass"],
              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    assert readline(p.stdout).strip() == "looping"
    kill_group(p)
    # the loop still runs on the "board"; a new client interrupts it with Ctrl-C
    r = mpremote(vb, "exec", "print('alive')")
    assert r.returncode == 0 and r.stdout.strip() == "alive", r.stderr


def test_exception_reaches_the_client(vb):
    r = mpremote(vb, "exec", "raise ValueError('on the board')")
    assert r.returncode != 0
    assert "ValueError: on the board" in r.stdout + r.stderr


# -- deploy ------------------------------------------------------------------------------

def test_make_deploy_copies_changed_files_only_and_verifies(vb):
    r = make("deploy", "PORT=%s" % vb.port)
    assert r.returncode == 0, r.stderr
    total = len([p for p in (ROOT / "build" / "mpy").rglob("*.mpy")])
    assert "%d of %d file(s) copied to /" % (total, total) in r.stdout
    assert "all verified by SHA-256" in r.stdout
    assert (vb.root / "socket.mpy").read_bytes() == (ROOT / "build" / "mpy" / "socket.mpy").read_bytes()
    r = make("deploy", "PORT=%s" % vb.port)
    assert "0 of %d file(s) copied" % total in r.stdout
    # a file changed on the board is found by its hash and replaced
    (vb.root / "sfnet" / "tcp.mpy").write_bytes(b"garbage")
    r = make("deploy", "PORT=%s" % vb.port)
    assert "1 of %d file(s) copied" % total in r.stdout
    assert "/sfnet/tcp.mpy" in r.stdout
    r = mpremote(vb, "exec", "import socket, sfnet.tcp; print(socket.__file__)")
    assert r.stdout.strip() == "socket.mpy", r.stdout + r.stderr


def test_deploy_detects_a_bad_copy(vb, tmp_path):
    (tmp_path / "a.py").write_text("A = 1\n" * 100)
    t = deploy.connect(vb.port)
    try:
        real = t.fs_writefile

        def truncating(dest, data, **kw):  # a link that drops the last bytes
            real(dest, data[:-10], **kw)

        t.fs_writefile = truncating
        with pytest.raises(deploy.DeployError, match="hash mismatch after copy.*/lib/a.py"):
            deploy.deploy(t, tmp_path, "/lib", out=open(os.devnull, "w"))
    finally:
        t.close()


def test_deploy_errors():
    r = make("deploy", "PORT=")
    assert r.returncode != 0 and "no serial port given" in r.stderr
    with pytest.raises(deploy.DeployError, match="cannot open /dev/ttyNOPE"):
        deploy.connect("/dev/ttyNOPE")
    with pytest.raises(deploy.DeployError, match="run `make mpy`"):
        deploy.local_files("/nonexistent/build/mpy")


def test_a_port_that_is_not_a_board(tmp_path):
    # a pty nobody answers on: "does not answer like a MicroPython board", not a hang
    master, slave = os.openpty()
    try:
        start = time.monotonic()
        with pytest.raises(deploy.DeployError, match="does not answer like a MicroPython board"):
            deploy.connect(os.ttyname(slave))
        assert time.monotonic() - start < 30
    finally:
        os.close(master)
        os.close(slave)


# -- mip: the compiled library onto a "stock" board -------------------------------------

def test_mip_installs_the_compiled_library(vb):
    r = make("mip", "PORT=%s" % vb.port)
    assert r.returncode == 0, r.stdout + r.stderr
    assert (vb.root / "lib" / "socket.mpy").is_file()
    assert (vb.root / "lib" / "sfnet" / "tcp.mpy").is_file()
    r = mpremote(vb, "exec", "import socket, sfnet, wireless; print(socket.__file__)")
    assert r.stdout.strip() == "/lib/socket.mpy", r.stdout + r.stderr


# -- the REPL, as a person uses it --------------------------------------------------------

def read_until(fd, marker, timeout=60):
    data = b""
    deadline = time.monotonic() + timeout
    while marker not in data and time.monotonic() < deadline:
        r, _, _ = select.select([fd], [], [], 0.2)
        if r:
            try:
                data += os.read(fd, 4096)
            except OSError:
                break
    return data


def test_scripted_repl_session(vb):
    make("deploy", "PORT=%s" % vb.port)
    pid, fd = pty.fork()
    if pid == 0:
        os.chdir(str(ROOT))
        os.execvp("make", ["make", "-s", "repl", "PORT=%s" % vb.port])
    try:
        assert b"Use Ctrl-] or Ctrl-x to exit this shell" in read_until(fd, b"Ctrl-x to exit")
        os.write(fd, b"\r")
        read_until(fd, b">>> ")
        os.write(fd, b"import socket\r")
        read_until(fd, b">>> ")
        os.write(fd, b"print(socket.getaddrinfo('127.0.0.1', 80)[0][-1])\r")
        out = read_until(fd, b"80)")
        assert b"('127.0.0.1', 80)" in out, out
        os.write(fd, b"\x1d")  # Ctrl-]: leave mpremote
        _, status = os.waitpid(pid, 0)
        assert os.WEXITSTATUS(status) == 0
    finally:
        os.close(fd)


# -- make test-hw: the device scripts and a multitest on the board -------------------------

def test_make_test_hw(vb):
    # test_dnsclient: a script with its own host peer, deployed before each variant's run
    # (after another program's output); test_socket_units writes modules to the board
    r = make("test-hw", "PORT=%s" % vb.port, "PYTEST_ARGS=-rA",
             "HW_TESTS=tests/device/test_socket_smoke.py tests/device/test_dnsclient.py "
             "tests/device/test_socket_units.py tests/multi/test_tcp_two_instances.py")
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-2000:]
    assert "PASSED tests/device/test_socket_smoke.py::test_override_is_loaded[mpy]" in r.stdout
    for variant in ("py", "mpy"):
        assert "PASSED tests/device/test_dnsclient.py::host_peer[%s]" % variant in r.stdout
        assert ("PASSED tests/device/test_socket_units.py::test_other_imports_are_untouched[%s]" % variant
                in r.stdout)
    assert "PASSED tests/multi/test_tcp_two_instances.py::instance0[board]" in r.stdout
    assert "PASSED tests/multi/test_tcp_two_instances.py::instance1[unix]" in r.stdout


def test_failures_on_the_board_are_reported(vb, tmp_path):
    # A throwaway test tree that uses the project's conftest, with failing scripts.
    (tmp_path / "conftest.py").write_text(
        "import sys\nsys.path.insert(0, %r)\nexec(open(%r).read())\n"
        % (str(ROOT / "tests"), str(ROOT / "tests" / "conftest.py")))
    (tmp_path / "device").mkdir()
    (tmp_path / "device" / "test_onboard.py").write_text(
        "# mptest: not-on-board test_host_only: reads the host's disk\n"
        "import mptest, sys\n\n"
        "def test_platform():\n    assert sys.platform == 'linux'\n\n"
        "def test_host_only():\n    assert False, 'ran on the board'\n\n"
        "def test_fails():\n    assert 1 + 1 == 3, 'arithmetic on the board'\n\n"
        "mptest.main(globals())\n")
    (tmp_path / "multi").mkdir()
    (tmp_path / "multi" / "test_pair.py").write_text(
        "import multitest\n\n"
        "def instance0():\n    multitest.globals(V=41)\n    multitest.wait('seen')\n\n"
        "def instance1():\n    v = multitest.get('V')\n    multitest.broadcast('seen')\n"
        "    assert v == 42, 'got %r' % v\n\n"
        "multitest.main(globals())\n")
    r = run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-rA",
             "--rootdir", str(tmp_path), str(tmp_path), "--hw-port", vb.port],
            cwd=str(tmp_path), timeout=600)
    out = r.stdout
    assert r.returncode == 1, out + r.stderr
    assert "PASSED device/test_onboard.py::test_platform[py]" in out
    assert "PASSED device/test_onboard.py::test_platform[mpy]" in out
    assert "FAILED device/test_onboard.py::test_fails[mpy]" in out
    assert "SKIPPED [2] " in out and "cannot run on a board: reads the host's disk" in out
    assert "ran on the board" not in out
    assert "[frozen" not in out  # a board runs its own firmware: no frozen unix variants
    assert "arithmetic on the board" in out
    assert "PASSED multi/test_pair.py::instance0[board]" in out
    assert "FAILED multi/test_pair.py::instance1[unix]" in out
    assert "got 41" in out


def start_cli(spawn, *args):
    """tools/vboard.py as a user runs it; (process, its first line)."""
    p = spawn([sys.executable, str(ROOT / "tools" / "vboard.py")] + list(args),
              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    first = readline(p.stdout)
    assert first.startswith("vboard: port /dev/pts/"), first
    return p, first


def test_cli_heapsize_root_link_and_stop(tmp_path, spawn):
    link, root = tmp_path / "tty", tmp_path / "fs"
    p, _ = start_cli(spawn, "--link", str(link), "--root", str(root), "--heapsize", "256K")
    assert link.is_symlink()
    r = run([MPREMOTE, "connect", str(link), "exec",
             "import gc; f = open('/kept.txt', 'w'); f.write('x'); f.close(); "
             "print(gc.mem_free() + gc.mem_alloc())"])
    assert r.returncode == 0, r.stderr
    assert int(r.stdout.strip()) <= 256 * 1024
    assert (root / "kept.txt").read_text() == "x"
    p.send_signal(signal.SIGINT)
    assert p.wait(60) == 0, p.stderr.read()
    assert not link.exists()
    assert (root / "kept.txt").exists()  # a --root directory is the user's: kept


def test_cli_sigint_exits_0_every_time(spawn):
    # the relay thread used to hit closed descriptors (EBADF) in about 1 of 6-10 stops
    for _ in range(6):
        p, _ = start_cli(spawn)
        p.send_signal(signal.SIGINT)
        assert p.wait(60) == 0, p.stderr.read()


def test_cli_sigterm_removes_the_link_and_the_temp_filesystem(tmp_path, spawn):
    link = tmp_path / "tty"
    p, first = start_cli(spawn, "--link", str(link))
    fs = Path(re.search(r"filesystem (\S+)", first).group(1))
    assert fs.is_dir() and link.is_symlink()
    p.send_signal(signal.SIGTERM)
    assert p.wait(60) == 0, p.stderr.read()
    assert not link.exists() and not link.is_symlink()
    assert not fs.exists()


def test_main_py_runs_after_a_soft_reset_like_a_board(vb):
    (vb.root / "boot.py").write_text("print('boot.py ran')\n")
    (vb.root / "main.py").write_text("print('main.py ran')\nopen('/ran.txt', 'w').write('yes')\n")
    fd = os.open(vb.port, os.O_RDWR | os.O_NOCTTY)
    try:
        os.write(fd, b"\r\x03\x02")  # interrupt anything, friendly REPL
        read_until(fd, b">>> ", timeout=60)
        os.write(fd, b"\x04")  # Ctrl-D at the prompt: soft reset
        out = read_until(fd, b"main.py ran", timeout=60)
        while b"main.py ran" in out and b">>> " not in out.split(b"main.py ran", 1)[1]:
            more = read_until(fd, b">>> ", timeout=60)  # the prompt after main.py
            if not more:
                break
            out += more
    finally:
        os.close(fd)
    assert b"MPY: soft reboot" in out, out
    assert out.index(b"boot.py ran") < out.index(b"main.py ran") < out.rindex(b">>> "), out
    assert (vb.root / "ran.txt").read_text() == "yes"
    # from the raw REPL (mpremote's soft-reset) a board runs boot.py but not main.py
    (vb.root / "ran.txt").unlink()
    r = mpremote(vb, "soft-reset", "+", "exec", "import os; print(os.listdir('/'))")
    assert r.returncode == 0, r.stderr
    assert "ran.txt" not in r.stdout



def test_cli_without_a_micropython(tmp_path):
    env = dict(os.environ, MICROPYTHON=str(tmp_path / "missing"), PATH="/usr/bin:/bin")
    r = run([sys.executable, str(ROOT / "tools" / "vboard.py"), "--root", str(tmp_path)],
            env=env, cwd=str(tmp_path))
    assert r.returncode == 1
    assert "error: no MicroPython unix binary" in r.stderr


def test_peers_through_forwarders_for_a_real_board(vb, tmp_path):
    # MPTEST_HOST_IP: the board gets a testenv pointing at forwarders on that address
    # (127.0.0.2 here: still loopback). Data, FIN, RST and UDP datagrams must cross.
    (tmp_path / "conftest.py").write_text(
        "import sys\nsys.path.insert(0, %r)\nexec(open(%r).read())\n"
        % (str(ROOT / "tests"), str(ROOT / "tests" / "conftest.py")))
    (tmp_path / "device").mkdir()
    (tmp_path / "device" / "test_fw.py").write_text(
        "import mptest, socket, errno, testenv\n\n"
        "def test_host():\n    assert testenv.HOST == '127.0.0.2', testenv.HOST\n"
        "    assert testenv.SCENARIO[0] == '127.0.0.2'\n\n"
        "def test_echo():\n"
        "    s = socket.create_connection(testenv.SCENARIO, 5000)\n"
        "    s.sendall(b'echo\\nabc')\n    got = b''\n"
        "    while len(got) < 3:\n        got += s.recv(16)\n"
        "    assert got == b'abc', got\n    s.close()\n\n"
        "def test_send_then_fin():\n"
        "    s = socket.create_connection(testenv.SCENARIO, 5000)\n"
        "    s.sendall(b'send 3000\\n')\n    got = 0\n"
        "    while True:\n        d = s.recv(4096)\n        if not d:\n            break\n"
        "        got += len(d)\n"
        "    assert got == 3000, got\n    s.close()\n\n"
        "def test_send_then_reset():\n"
        "    s = socket.create_connection(testenv.SCENARIO, 5000)\n"
        "    s.sendall(b'send_rst 1000\\n')\n    got = 0\n"
        "    try:\n        while True:\n            d = s.recv(4096)\n"
        "            assert d, 'a FIN instead of a reset'\n            got += len(d)\n"
        "    except OSError as e:\n        assert e.errno == errno.ECONNRESET, e\n"
        "    assert got == 1000, got\n    s.close()\n\n"
        "def test_udp():\n"
        "    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n    u.settimeout(5000)\n"
        "    u.sendto(b'ping', testenv.UDP_ECHO)\n    d, a = u.recvfrom(64)\n"
        "    assert d == b'ping' and a == testenv.UDP_ECHO, (d, a)\n    u.close()\n\n"
        "mptest.main(globals())\n")
    env = dict(os.environ, MPTEST_HOST_IP="127.0.0.2")
    r = run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-rA",
             "--rootdir", str(tmp_path), str(tmp_path), "--hw-port", vb.port],
            cwd=str(tmp_path), timeout=600, env=env)
    assert r.returncode == 0, r.stdout[-4000:]
    assert "10 passed" in r.stdout


def test_cli_run_one_command():
    vboard = [sys.executable, str(ROOT / "tools" / "vboard.py"), "--run"]
    r = run(vboard + ["sh", "-c", "test -c {port} && echo {port}; exit 3"])
    assert r.returncode == 3, r.stderr
    assert r.stdout.startswith("/dev/pts/")
    r = make("test-vboard", "HW_TESTS=tests/device/test_socket_smoke.py", "PYTEST_ARGS=-rA")
    assert r.returncode == 0, r.stdout[-2000:]
    assert "PASSED tests/device/test_socket_smoke.py::test_builtin_reachable[mpy]" in r.stdout


def test_mip_part_package_brings_what_it_imports(vb):
    # the same package-<part>.json that `mip install github:<owner>/<repo>/package-sfnet.json`
    # reads, here from the checkout (mip resolves its relative URLs the same way)
    r = mpremote(vb, "mip", "install", str(ROOT / "package-sfnet.json"), timeout=300)
    assert r.returncode == 0, r.stdout + r.stderr
    assert (vb.root / "lib" / "sfnet" / "tcp.py").is_file()
    assert (vb.root / "lib" / "socket.py").is_file()
    assert not (vb.root / "lib" / "wireless").exists()
    r = mpremote(vb, "exec", "import sfnet; t = sfnet.TcpSocket(); print(type(t).__name__)")
    assert r.stdout.strip() == "TcpSocket", r.stdout + r.stderr


def test_big_program_with_lots_of_output(vb):
    # 60 kB of script in while the program's output streams back: neither side stalls
    code = "x = %r\nfor i in range(2000): print(i, 'x' * 60)\nprint(len(x))\n" % ("y" * 60000)
    r = mpremote(vb, "exec", code, timeout=300)
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert len(lines) == 2001 and lines[-1] == "60000" and lines[1999].startswith("1999 ")
