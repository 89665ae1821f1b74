"""A scripted FTP server that misbehaves on purpose, for tests/host/test_ftp_pyftpdlib.py.

One control connection at a time. What it does is set per server:
    epsv   "ok" (229 with the data port) or "refuse" (500, so the client falls back)
    pasv   "paren"  227 (127,0,0,1,p1,p2)
           "bare"   227 Entering Passive Mode 127,0,0,1,p1,p2   (no parentheses)
           "bounce" 227 (127,0,0,2,p1,p2): a bait listener waits on 127.0.0.2:port and
                    the real data listener on 127.0.0.1:port. `SITE BAIT` answers
                    "200 <connections the bait got>".
    retr   "ok" (150, the payload, 226), "no1xx" (226 at once) or "endless" (150, then
           data until the client goes away, then 426)
    stor   "ok" (150, store what arrives under root, 226) or "no1xx" (250 at once)
    seg    bytes per send on the data connection (TCP_NODELAY: small segments)
    ctl_seg  the same for the control connection's replies (None: whole replies)
The payload answers RETR and NLST.
"""

import os
import socket
import threading
import time


class HostileFtp:
    def __init__(self, root, payload=b"real data\r\n", epsv="ok", pasv="paren", retr="ok", stor="ok", seg=4096,
                 pace=0.0, ctl_seg=None):
        self.root = root
        self.payload = payload
        self.epsv, self.pasv, self.retr, self.stor = epsv, pasv, retr, stor
        self.seg, self.pace, self.ctl_seg = seg, pace, ctl_seg
        self.bait_hits = 0
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(4)
        self.address = self.sock.getsockname()
        self._stop = False
        self._thread = threading.Thread(target=self._serve, daemon=True)

    def start(self):
        self._thread.start()
        return self

    def stop(self):
        self._stop = True
        try:
            self.sock.close()
        except OSError:
            pass

    # -- data listeners

    def _listeners(self):
        """(real listener, bait listener or None) on the same port number."""
        for _ in range(50):
            real = socket.socket()
            real.bind(("127.0.0.1", 0))
            real.listen(1)
            if self.pasv != "bounce" or self.epsv == "ok":
                return real, None
            bait = socket.socket()
            try:
                bait.bind(("127.0.0.2", real.getsockname()[1]))
            except OSError:
                real.close()
                bait.close()
                continue
            bait.listen(1)
            threading.Thread(target=self._bait, args=(bait,), daemon=True).start()
            return real, bait
        raise OSError("no port free on both 127.0.0.1 and 127.0.0.2")

    def _bait(self, bait):
        bait.settimeout(10)
        try:
            conn, _ = bait.accept()
            self.bait_hits += 1
            conn.sendall(b"BAIT DATA: the client followed the PASV address\r\n")
            conn.close()
        except OSError:
            pass
        finally:
            bait.close()

    def _send_data(self, conn, data):
        conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        for i in range(0, len(data), self.seg):
            conn.sendall(data[i:i + self.seg])
            if self.pace:
                time.sleep(self.pace)

    # -- control connection

    def _serve(self):
        while not self._stop:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            try:
                conn.settimeout(20)
                self._session(conn)
            except OSError:
                pass
            finally:
                conn.close()

    def _session(self, conn):
        f = conn.makefile("rb")
        say = conn.sendall
        if self.ctl_seg:
            conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

            def say(data):
                for i in range(0, len(data), self.ctl_seg):
                    conn.sendall(data[i:i + self.ctl_seg])
                    time.sleep(self.pace)
        say(b"220-hostile peer\r\n" + b"".join(b" line %d of a long banner\r\n" % i for i in range(40))
            + b"220 ready\r\n" if self.ctl_seg else b"220 hostile peer ready\r\n")
        listener = None
        while True:
            line = f.readline()
            if not line:
                return
            cmd, _, arg = line.decode("latin-1").strip().partition(" ")
            cmd = cmd.upper()
            if cmd in ("USER", "PASS"):
                say(b"230 logged in\r\n")
            elif cmd in ("TYPE", "NOOP"):
                say(b"200 ok\r\n")
            elif cmd == "PWD":
                say(b'257 "/" is the current directory\r\n')
            elif cmd == "QUIT":
                say(b"221 bye\r\n")
                return
            elif cmd == "SITE" and arg.upper() == "BAIT":
                say(b"200 %d\r\n" % self.bait_hits)
            elif cmd == "EPSV":
                if self.epsv != "ok":
                    say(b"500 EPSV not understood\r\n")
                    continue
                listener, _ = self._listeners()
                say(b"229 Entering Extended Passive Mode (|||%d|)\r\n" % listener.getsockname()[1])
            elif cmd == "PASV":
                listener, _ = self._listeners()
                p = listener.getsockname()[1]
                host = b"127,0,0,2" if self.pasv == "bounce" else b"127,0,0,1"
                numbers = b"%s,%d,%d" % (host, p >> 8, p & 255)
                if self.pasv == "bare":
                    say(b"227 Entering Passive Mode " + numbers + b"\r\n")
                else:
                    say(b"227 Entering Passive Mode (" + numbers + b").\r\n")
            elif cmd in ("RETR", "NLST", "STOR", "APPE"):
                self._transfer(conn, say, cmd, arg, listener)
                listener = None
            else:
                say(b"500 unknown command\r\n")

    def _transfer(self, conn, say, cmd, arg, listener):
        store = cmd in ("STOR", "APPE")
        if (self.stor if store else self.retr) == "no1xx":
            say(b"250 done\r\n" if store else b"226 done\r\n")  # nothing was transferred
            if listener:
                listener.close()
            return
        if listener is None:
            say(b"425 use PASV or EPSV first\r\n")
            return
        say(b"150 opening data connection\r\n")
        listener.settimeout(10)
        try:
            data, _ = listener.accept()
        finally:
            listener.close()
        try:
            if store:
                got = bytearray()
                while True:
                    d = data.recv(65536)
                    if not d:
                        break
                    got += d
                with open(os.path.join(self.root, os.path.basename(arg)), "ab" if cmd == "APPE" else "wb") as out:
                    out.write(got)
                say(b"226 stored\r\n")
            elif cmd == "RETR" and self.retr == "endless":
                try:
                    while True:
                        data.sendall(b"x" * 4096)
                except OSError:
                    say(b"426 connection closed; transfer aborted\r\n")
            else:
                self._send_data(data, self.payload)
                data.shutdown(socket.SHUT_WR)
                data.settimeout(10)
                try:
                    data.recv(1)  # until the client closes: no reset on its last bytes
                except OSError:
                    pass
                say(b"226 transfer complete\r\n")
        finally:
            data.close()
