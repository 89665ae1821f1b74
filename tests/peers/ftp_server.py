"""pyftpdlib on loopback with a temp directory, for the sfnet.Ftp tests.

Users: "user" / "12345" with every permission on the root; anonymous read-only.
Files whose name starts with "drop-data" are sent slowly and the data connection is
reset part-way; "drop-control" closes the control connection part-way. Everything
else is plain pyftpdlib.
"""

import logging
import socket
import struct
import tempfile
import threading

from pyftpdlib.authorizers import DummyAuthorizer
from pyftpdlib.handlers import FTPHandler, ThrottledDTPHandler
from pyftpdlib.ioloop import IOLoop
from pyftpdlib.servers import FTPServer

logging.getLogger("pyftpdlib").setLevel(logging.WARNING)

USER = "user"
PASSWORD = "12345"


class _SlowDTP(ThrottledDTPHandler):
    write_limit = 64 * 1024  # bytes/s, so a transfer is still running when it is cut
    read_limit = 64 * 1024


class _DroppingHandler(FTPHandler):
    def ftp_RETR(self, file):
        name = file.rsplit("/", 1)[-1]
        ret = super().ftp_RETR(file)
        if name.startswith("drop-data"):
            self.ioloop.call_later(0.3, self._reset_data)
        elif name.startswith("drop-control"):
            self.ioloop.call_later(0.3, self._reset_control)
        return ret

    def _reset_data(self):
        dc = self.data_channel
        if dc is not None and dc.socket is not None:
            dc.socket.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            # the reply pyftpdlib's own error path gives when a transfer breaks
            dc._resp = ("426 Data connection reset; transfer aborted.", logging.getLogger("pyftpdlib").warning)
            dc.close()

    def _reset_control(self):
        self.close()


class FtpPeer:
    def __init__(self, dropping=False):
        self.tmp = tempfile.TemporaryDirectory(prefix="ftp-peer-")
        self.root = self.tmp.name
        auth = DummyAuthorizer()
        auth.add_user(USER, PASSWORD, self.root, perm="elradfmwMT")
        auth.add_anonymous(self.root)
        handler = type("Handler", (_DroppingHandler if dropping else FTPHandler,), {})
        handler.authorizer = auth
        handler.banner = "sfnet test peer ready"
        handler.passive_ports = None
        handler.auth_failed_timeout = 0.1  # pyftpdlib delays failed logins 3 s by default
        if dropping:
            handler.dtp_handler = _SlowDTP
        # an IOLoop of its own: pyftpdlib's default is one per process
        self.server = FTPServer(("127.0.0.1", 0), handler, ioloop=IOLoop())
        self.address = self.server.address
        self._thread = threading.Thread(target=self.server.serve_forever,
                                        kwargs={"timeout": 0.1, "blocking": True}, daemon=True)

    def start(self):
        self._thread.start()
        return self

    def stop(self):
        self.server.close_all()
        self._thread.join(5)
        self.tmp.cleanup()
