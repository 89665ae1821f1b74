"""The real iperf3 against stock iperf3.py on MicroPython, on 127.0.0.1:5201 (the port
iperf3.py has fixed), inside the network namespace the calling test made for it
(`unshare -rn`), so no other process can hold the port.

    python3 iperf3_pair.py ROLE MODE SECONDS MICROPYTHON_COMMAND...

ROLE is MicroPython's: `server` (iperf3.server_once(); the real `iperf3 -c` measures
for SECONDS) or `client` (iperf3.client(), which always runs 10 s, against
`iperf3 -s -1`). MODE: tcp, tcp-reverse, udp, udp-reverse. Prints one JSON object:
iperf3's own -J report, both exit codes, and MicroPython's output.
"""

import json
import shutil
import subprocess
import sys
import time

PORT = 5201
MODES = {"tcp": [], "tcp-reverse": ["-R"], "udp": ["-u", "-b", "10M"], "udp-reverse": ["-u", "-b", "10M", "-R"]}


def _listening(port):
    # from the kernel's tables, so that waiting for iperf3 -s -1 does not use up its one
    # session (iperf3 listens on IPv6's any address, iperf3.py on IPv4's)
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with open(table) as f:
            for line in f.readlines()[1:]:
                fields = line.split()
                if fields[1].endswith(":%04X" % port) and fields[3] == "0A":
                    return True
    return False


def _wait(cond, seconds):
    deadline = time.monotonic() + seconds
    while not cond():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True


def _finish(proc, seconds):
    """Its output; killed (and said so) if it has not ended within seconds."""
    try:
        return proc.communicate(timeout=seconds)[0]
    except subprocess.TimeoutExpired:
        proc.kill()
        return proc.communicate()[0] + "\n[killed: still running after %d s]" % seconds


def main(role, mode, seconds, mp_cmd):
    iperf3 = shutil.which("iperf3")
    mp = None
    if role == "client":
        server = subprocess.Popen([iperf3, "-s", "-1", "-J", "-p", str(PORT)], stdout=subprocess.PIPE,
                                  stderr=subprocess.STDOUT, text=True)
        if not _wait(lambda: _listening(PORT), 20):
            server.kill()
            raise SystemExit("iperf3 -s did not listen on %d" % PORT)
        mp = subprocess.Popen(mp_cmd + ["client", mode], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        mp_out = _finish(mp, 60)
        report = _finish(server, 30)
        rc = server.returncode
    else:
        mp = subprocess.Popen(mp_cmd + ["server", mode], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        if not _wait(lambda: _listening(PORT) or mp.poll() is not None, 20):
            mp.kill()
            raise SystemExit("iperf3.py did not listen on %d" % PORT)
        client = subprocess.run([iperf3, "-c", "127.0.0.1", "-p", str(PORT), "-t", str(seconds), "-J"] + MODES[mode],
                                capture_output=True, text=True, timeout=60)
        report, rc = client.stdout, client.returncode
        mp_out = _finish(mp, 30)
    try:
        report = json.loads(report)
    except ValueError:
        report = {"error": "not JSON: %r" % report[-2000:]}
    print(json.dumps({"iperf3": report, "iperf3_rc": rc, "mp_rc": mp.returncode, "mp_out": mp_out}))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4:])
