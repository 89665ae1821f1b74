# sfnet.ftp: pySFML's Ftp client over the project's socket. See docs/ftp.md.
#
# Passive mode only (works through NAT and firewalls). Transfers stream through one
# fixed buffer per Ftp object, so file size is not limited by RAM. A download is
# written to "<name>.part" and renamed only once the server confirmed the transfer, so
# a dropped connection never leaves a truncated file under the real name.
# Timeouts are in MILLISECONDS.
from micropython import const
import os
import socket
from time import ticks_ms, ticks_add, ticks_diff
from sfnet.time import to_ms

_DEFAULT_TIMEOUT = const(10000)
_MAX_LINE = const(4096)  # longest reply line accepted
_MAX_REPLY_LINES = const(200)
_DEFAULT_MAX_REPLY = const(8192)  # bytes of one reply, line ends included (see docs/ftp.md)
_PART = ".part"


class FtpResponse:
    RESTART_MARKER_REPLY = const(110)
    SERVICE_READY_SOON = const(120)
    DATA_CONNECTION_ALREADY_OPENED = const(125)
    OPENING_DATA_CONNECTION = const(150)
    OK = const(200)
    POINTLESS_COMMAND = const(202)
    SYSTEM_STATUS = const(211)
    DIRECTORY_STATUS = const(212)
    FILE_STATUS = const(213)
    HELP_MESSAGE = const(214)
    SYSTEM_TYPE = const(215)
    SERVICE_READY = const(220)
    CLOSING_CONNECTION = const(221)
    DATA_CONNECTION_OPENED = const(225)
    CLOSING_DATA_CONNECTION = const(226)
    ENTERING_PASSIVE_MODE = const(227)
    LOGGED_IN = const(230)
    FILE_ACTION_OK = const(250)
    DIRECTORY_OK = const(257)
    NEED_PASSWORD = const(331)
    NEED_ACCOUNT_TO_LOG_IN = const(332)
    NEED_INFORMATION = const(350)
    SERVICE_UNAVAILABLE = const(421)
    DATA_CONNECTION_UNAVAILABLE = const(425)
    TRANSFER_ABORTED = const(426)
    FILE_ACTION_ABORTED = const(450)
    LOCAL_ERROR = const(451)
    INSUFFICIENT_STORAGE_SPACE = const(452)
    COMMAND_UNKNOWN = const(500)
    PARAMETERS_UNKNOWN = const(501)
    COMMAND_NOT_IMPLEMENTED = const(502)
    BAD_COMMAND_SEQUENCE = const(503)
    PARAMETER_NOT_IMPLEMENTED = const(504)
    NOT_LOGGED_IN = const(530)
    NEED_ACCOUNT_TO_STORE = const(532)
    FILE_UNAVAILABLE = const(550)
    PAGE_TYPE_UNKNOWN = const(551)
    NOT_ENOUGH_MEMORY = const(552)
    FILENAME_NOT_ALLOWED = const(553)
    INVALID_RESPONSE = const(1000)
    CONNECTION_FAILED = const(1001)
    CONNECTION_CLOSED = const(1002)
    INVALID_FILE = const(1003)

    def __init__(self, status=1000, message=""):
        self.status = status
        self.message = message

    @property
    def ok(self):
        return self.status < 400

    def __repr__(self):
        return "<%s %d %r>" % (type(self).__name__, self.status, self.message)


class FtpDirectoryResponse(FtpResponse):
    def __init__(self, status=1000, message=""):
        if isinstance(status, FtpResponse):
            status, message = status.status, status.message
        super().__init__(status, message)
        self._dir = ""
        if self.ok:
            # 257 "/the/dir" is current; "" inside the quotes stands for one quote
            i = message.find('"')
            if i >= 0:
                j = i + 1
                out = []
                while j < len(message):
                    c = message[j]
                    if c == '"':
                        if message[j + 1:j + 2] == '"':
                            out.append('"')
                            j += 2
                            continue
                        break
                    out.append(c)
                    j += 1
                self._dir = "".join(out)
            else:
                self._dir = message

    def get_directory(self):
        return self._dir


class FtpListingResponse(FtpResponse):
    def __init__(self, status=1000, message="", listing=b""):
        if isinstance(status, FtpResponse):
            status, message = status.status, status.message
        super().__init__(status, message)
        names = []
        if self.ok and listing:
            for line in listing.split(b"\n"):
                if line.endswith(b"\r"):
                    line = line[:-1]
                if line:
                    names.append(_text(line))
        self._names = names

    def get_filenames(self):
        return self._names


def _text(b):
    try:
        return b.decode()
    except UnicodeError:
        return "".join(chr(c) for c in b)


def _arg(s, what):
    if type(s) is bytes:
        s = s.decode()
    if type(s) is not str:
        raise TypeError("%s must be a str, not %s" % (what, type(s).__name__))
    if "\r" in s or "\n" in s:
        raise ValueError("%s must not contain CR or LF: %r" % (what, s))
    return s


def _basename(path):
    return path.rstrip("/").rsplit("/", 1)[-1]


def _join(d, name):
    if not d:
        return name
    return d + name if d.endswith("/") else d + "/" + name


def _remove(path):
    try:
        os.remove(path)
    except OSError:
        pass


class _Closed(Exception):
    pass


class _LocalError(Exception):
    pass


class Ftp:
    BINARY = const(0)
    ASCII = const(1)
    EBCDIC = const(2)

    def __init__(self, bufsize=1024, max_reply=_DEFAULT_MAX_REPLY):
        """bufsize: the transfer buffer. max_reply: the most bytes one server reply may
        take (all its lines, line ends included); a longer one is INVALID_RESPONSE."""
        if type(bufsize) is not int or bufsize < 64:
            raise ValueError("bufsize must be an int >= 64")
        if type(max_reply) is not int or max_reply < 64:
            raise ValueError("max_reply must be an int >= 64, got %r" % (max_reply,))
        self.max_reply = max_reply
        self._room = 0  # bytes the reply being read may still take
        self._buf = bytearray(bufsize)
        self._mv = memoryview(self._buf)
        self._line = bytearray(256)  # control replies
        self._li = 0
        self._lj = 0
        self._ctl = None
        self._timeout = _DEFAULT_TIMEOUT
        self._host = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.disconnect()

    # -- control connection

    def connect(self, server, port=21, timeout=_DEFAULT_TIMEOUT):
        """Connect and read the greeting. timeout (ms or an sfnet Time) bounds the connect and then every
        later reply and every pause in a transfer; None or 0 = no limit."""
        if type(server) is bytes:
            server = server.decode()
        if type(server) is not str:
            s = getattr(server, "string", None)  # an sfnet IpAddress
            if type(s) is not str:
                raise TypeError("server must be a str or an IpAddress, not %s" % type(server).__name__)
            server = s
        if type(port) is not int or not 0 < port <= 65535:
            raise ValueError("port must be 1-65535, got %r" % (port,))
        timeout = to_ms(timeout, True)  # ms or an sfnet Time
        self._close_ctl()
        self._timeout = timeout
        try:
            self._ctl = socket.create_connection((server, port), self._timeout)
        except OSError as e:
            return FtpResponse(1001, "cannot connect to %s:%d: %s" % (server, port, e))
        self._host = server
        self._li = self._lj = 0
        r = self._reply()
        if not r.ok:
            self._close_ctl()
        return r

    def _close_ctl(self):
        s = self._ctl
        if s is not None:
            self._ctl = None
            s.close()

    def disconnect(self):
        if self._ctl is None:
            return FtpResponse(1002, "not connected")
        r = self.send_command("QUIT")
        self._close_ctl()
        return r

    def _settime(self, sock, deadline):
        if deadline is None:
            sock.settimeout(None)
            return
        left = ticks_diff(deadline, ticks_ms())
        if left <= 0:
            raise socket.timeout(116, "timed out")
        sock.settimeout(left)

    def _too_long(self, lim):
        if lim < _MAX_LINE:
            return ValueError("reply longer than max_reply=%d bytes" % self.max_reply)
        return ValueError("reply line longer than %d bytes" % _MAX_LINE)

    def _readline(self, deadline):
        """One line of the current reply, without its line end. Every byte it takes,
        the LF included, comes off self._room; past the room (or _MAX_LINE) it raises
        ValueError before the line is held, so a reply never costs more than max_reply."""
        buf = self._line
        part = None
        room = self._room
        lim = _MAX_LINE if _MAX_LINE < room else room - 1  # bytes allowed before the LF
        while True:
            k = buf.find(b"\n", self._li, self._lj)
            if k >= 0:
                n = k - self._li
                if part:
                    n += len(part)
                if n > lim:
                    raise self._too_long(lim)
                line = bytes(buf[self._li:k])
                self._li = k + 1
                self._room = room - n - 1
                if part:
                    line = part + line
                return _text(line[:-1] if line.endswith(b"\r") else line)
            if self._li < self._lj:
                if (len(part) if part else 0) + self._lj - self._li > lim:
                    raise self._too_long(lim)
                part = (part or b"") + bytes(buf[self._li:self._lj])
            self._li = self._lj = 0
            self._settime(self._ctl, deadline)
            n = self._ctl.recv_into(buf)
            if n == 0:
                raise _Closed("the server closed the control connection")
            self._lj = n

    def _reply(self):
        """Read one (possibly multi-line) reply."""
        if self._ctl is None:
            return FtpResponse(1002, "not connected")
        t = self._timeout
        deadline = ticks_add(ticks_ms(), int(t)) if t else None
        self._room = self.max_reply
        try:
            line = self._readline(deadline)
            code = line[:3]
            if len(line) < 3 or not code.isdigit() or line[3:4] not in ("", " ", "-"):
                raise ValueError("not an FTP reply: %r" % line[:60])
            lines = [line[4:]]
            if line[3:4] == "-":
                end = code + " "
                while True:
                    line = self._readline(deadline)
                    if line.startswith(end) or line == code:
                        lines.append(line[4:])
                        break
                    if len(lines) >= _MAX_REPLY_LINES:
                        raise ValueError("multi-line reply longer than %d lines" % _MAX_REPLY_LINES)
                    lines.append(line)
            return FtpResponse(int(code), "\n".join(lines))
        except ValueError as e:
            self._close_ctl()
            return FtpResponse(1000, str(e))
        except _Closed as e:
            self._close_ctl()
            return FtpResponse(1002, str(e))
        except socket.timeout:
            self._close_ctl()
            return FtpResponse(1002, "timed out waiting for the server's reply")
        except OSError as e:
            self._close_ctl()
            return FtpResponse(1002, "control connection error: %s" % (e,))

    def send_command(self, command, parameter=""):
        """Send one command ("CMD" or "CMD param") and return the server's reply."""
        command = _arg(command, "command")
        parameter = _arg(parameter, "parameter")
        if not command:
            raise ValueError("empty FTP command")
        if self._ctl is None:
            return FtpResponse(1002, "not connected")
        line = (command + " " + parameter if parameter else command) + "\r\n"
        try:
            self._settime(self._ctl, ticks_add(ticks_ms(), int(self._timeout)) if self._timeout else None)
            self._ctl.sendall(line.encode())
        except OSError as e:
            self._close_ctl()
            return FtpResponse(1002, "control connection error: %s" % (e,))
        return self._reply()

    # -- simple commands

    def login(self, name=None, password=""):
        """Log in; anonymous when no name is given."""
        if name is None:
            name, password = "anonymous", password or "user@sfnet"
        r = self.send_command("USER", name)
        if r.status == 331:
            r = self.send_command("PASS", password)
        return r

    def keep_alive(self):
        return self.send_command("NOOP")

    def get_working_directory(self):
        return FtpDirectoryResponse(self.send_command("PWD"))

    def change_directory(self, directory):
        return self.send_command("CWD", directory)

    def parent_directory(self):
        return self.send_command("CDUP")

    def create_directory(self, name):
        return self.send_command("MKD", name)

    def delete_directory(self, name):
        return self.send_command("RMD", name)

    def rename_file(self, filename, new_name):
        r = self.send_command("RNFR", filename)
        if r.status == 350:
            r = self.send_command("RNTO", new_name)
        return r

    def delete_file(self, name):
        return self.send_command("DELE", name)

    # -- data connection

    def _passive(self, mode):
        """TYPE + PASV + connect: (data socket, None) or (None, failure response)."""
        r = self.send_command("TYPE", "IAE"[mode] if mode in (0, 1, 2) else "?")
        if not r.ok:
            return None, r
        r = self.send_command("PASV")
        if r.status != 227:
            return None, r
        m = r.message
        i = m.find("(")
        j = m.find(")", i + 1)
        try:
            nums = [int(x) for x in (m[i + 1:j] if i >= 0 and j > i else m).split(",")]
            if len(nums) != 6 or not all(0 <= x <= 255 for x in nums):
                raise ValueError
        except ValueError:
            return None, FtpResponse(1000, "unparsable PASV reply: %r" % m)
        host = "%d.%d.%d.%d" % tuple(nums[:4])
        if host == "0.0.0.0":
            host = self._host
        try:
            data = socket.create_connection((host, nums[4] * 256 + nums[5]), self._timeout)
        except OSError as e:
            return None, FtpResponse(1001, "cannot open the data connection: %s" % (e,))
        return data, None

    def _open_transfer(self, mode, command, arg):
        data, err = self._passive(mode)
        if err:
            return None, err
        r = self.send_command(command, arg)
        if not (100 <= r.status < 200):
            data.close()
            return None, r
        return data, None

    def _finish(self, data, failure):
        """Close the data connection and read the transfer's final reply. A local or
        data-connection failure wins over the server's reply."""
        data.close()
        r = self._reply()
        if failure is not None:
            if failure.status == 1002 and r.status >= 400 and r.status < 1000:
                failure.message += " (server: %d %s)" % (r.status, r.message)
            return failure
        return r

    def _recv_all(self, data, put, ascii_mode):
        """Receive the data connection until EOF into put(memoryview); None on success
        or a CONNECTION_CLOSED response."""
        buf = self._buf
        mv = self._mv
        t = self._timeout
        cr = False  # ASCII: a CR ended the last chunk
        try:
            data.settimeout(t)
            while True:
                n = data.recv_into(buf)
                if n == 0:
                    break
                if ascii_mode:
                    # CR LF -> LF (network ASCII to local text), in place
                    w = 0
                    if cr and buf[0] != 10:
                        put(b"\r")
                    cr = False
                    for k in range(n):
                        c = buf[k]
                        if c == 13:
                            if k + 1 < n:
                                if buf[k + 1] == 10:
                                    continue
                            else:
                                cr = True
                                continue
                        buf[w] = c
                        w += 1
                    n = w
                put(mv if n == len(buf) else mv[:n])
            if cr:
                put(b"\r")
        except socket.timeout:
            return FtpResponse(1002, "data connection timed out")
        except OSError as e:
            return FtpResponse(1002, "data connection lost: %s" % (e,))
        return None

    def get_directory_listing(self, directory="", max_size=16384):
        """NLST: the names in a directory (the current one by default). The listing is
        held in RAM: one larger than max_size bytes raises ValueError (after the
        transfer is closed cleanly) rather than being cut short."""
        data, err = self._open_transfer(1, "NLST", _arg(directory, "directory"))
        if err:
            return FtpListingResponse(err)
        parts = []
        size = [0]

        def put(mv):
            size[0] += len(mv)
            if size[0] > max_size:
                raise _LocalError("directory listing larger than max_size=%d bytes" % max_size)
            parts.append(bytes(mv))

        try:
            failure = self._recv_all(data, put, False)
        except _LocalError as e:
            self._finish(data, FtpResponse(1003, e.args[0]))
            raise ValueError(e.args[0])
        r = self._finish(data, failure)
        return FtpListingResponse(r.status, r.message, b"".join(parts))

    def download(self, remote_file, local_path, mode=0):
        """RETR remote_file into local_path/<basename>. The file appears under its
        name only when the whole transfer succeeded; until then it is <name>.part,
        which is removed on failure."""
        remote_file = _arg(remote_file, "remote file")
        local_path = _arg(local_path, "local path")
        if mode not in (0, 1, 2):
            raise ValueError("mode must be Ftp.BINARY, Ftp.ASCII or Ftp.EBCDIC")
        name = _basename(remote_file)
        if not name:
            return FtpResponse(1003, "no file name in %r" % remote_file)
        target = _join(local_path, name)
        part = target + _PART
        try:
            f = open(part, "wb")
        except OSError as e:
            return FtpResponse(1003, "cannot write %s: %s" % (part, e))
        ok = False
        try:
            data, err = self._open_transfer(mode, "RETR", remote_file)
            if err:
                return err
            def put(mv):
                try:
                    f.write(mv)
                except OSError as e:  # a local failure, not the network's
                    raise _LocalError("cannot write %s: %s" % (part, e))

            try:
                failure = self._recv_all(data, put, mode == 1)
            except _LocalError as e:
                failure = FtpResponse(1003, e.args[0])
            r = self._finish(data, failure)
            if r.ok:
                f.close()
                _remove(target)  # os.rename does not replace on every port
                os.rename(part, target)
                ok = True
            return r
        finally:
            if not ok:
                f.close()
                _remove(part)

    def upload(self, local_file, remote_path, mode=0, append=False):
        """STOR (or APPE) local_file as remote_path/<basename>."""
        local_file = _arg(local_file, "local file")
        remote_path = _arg(remote_path, "remote path")
        if mode not in (0, 1, 2):
            raise ValueError("mode must be Ftp.BINARY, Ftp.ASCII or Ftp.EBCDIC")
        try:
            f = open(local_file, "rb")
        except OSError as e:
            return FtpResponse(1003, "cannot read %s: %s" % (local_file, e))
        try:
            data, err = self._open_transfer(mode, "APPE" if append else "STOR",
                                            _join(remote_path, _basename(local_file)))
            if err:
                return err
            return self._finish(data, self._send_file(data, f, mode == 1))
        finally:
            f.close()

    def _send_file(self, data, f, ascii_mode):
        buf = self._buf
        mv = self._mv
        # ASCII: read at most half a buffer so LF -> CR LF always fits
        half = memoryview(buf)[len(buf) // 2:] if ascii_mode else None
        try:
            data.settimeout(self._timeout)
            while True:
                if ascii_mode:
                    n = f.readinto(half)
                    if not n:
                        break
                    w = 0
                    base = len(buf) // 2
                    for k in range(n):
                        c = buf[base + k]
                        if c == 10 and (k == 0 or buf[base + k - 1] != 13):
                            buf[w] = 13
                            w += 1
                        buf[w] = c
                        w += 1
                    data.sendall(mv[:w])
                else:
                    n = f.readinto(buf)
                    if not n:
                        break
                    data.sendall(mv if n == len(buf) else mv[:n])
        except socket.timeout:
            return FtpResponse(1002, "data connection timed out")
        except OSError as e:
            return FtpResponse(1002, "data connection lost: %s" % (e,))
        return None
