# sfnet.ftp: pySFML's Ftp client over the project's socket. See docs/ftp.md.
#
# Passive mode only (works through NAT and firewalls): EPSV first, PASV if the server
# refuses it, as curl does. The data connection always goes to the control
# connection's peer; only the port comes from the reply (a PASV address is ignored, as
# curl and ftplib do), so a hostile server cannot bounce the client to a third host.
# Transfers stream through one
# fixed buffer per Ftp object, so file size is not limited by RAM. A download is
# written to "<name>.part" and renamed only once the server confirmed the transfer, so
# a dropped connection never leaves a truncated file under the real name.
# Timeouts are in MILLISECONDS.
from micropython import const
import os
import socket
from time import ticks_ms, ticks_add
from sfnet.time import to_ms
from sfnet.ipaddress import host_text
from _linebuf import LineBuffer, TooLong
import _netcore

_DEFAULT_TIMEOUT = const(10000)
_MAX_LINE = const(4096)  # longest reply line accepted
_MAX_REPLY_LINES = const(200)
_DEFAULT_MAX_REPLY = const(8192)  # bytes of one reply, line ends included (see docs/ftp.md)
_INVALID_RESPONSE = const(1000)  # SFML's status codes for failures below the protocol
_CONNECTION_FAILED = const(1001)
_CONNECTION_CLOSED = const(1002)
_INVALID_FILE = const(1003)
_PART = ".part"


class FtpResponse:
    RESTART_MARKER_REPLY = 110
    SERVICE_READY_SOON = 120
    DATA_CONNECTION_ALREADY_OPENED = 125
    OPENING_DATA_CONNECTION = 150
    OK = 200
    POINTLESS_COMMAND = 202
    SYSTEM_STATUS = 211
    DIRECTORY_STATUS = 212
    FILE_STATUS = 213
    HELP_MESSAGE = 214
    SYSTEM_TYPE = 215
    SERVICE_READY = 220
    CLOSING_CONNECTION = 221
    DATA_CONNECTION_OPENED = 225
    CLOSING_DATA_CONNECTION = 226
    ENTERING_PASSIVE_MODE = 227
    LOGGED_IN = 230
    FILE_ACTION_OK = 250
    DIRECTORY_OK = 257
    NEED_PASSWORD = 331
    NEED_ACCOUNT_TO_LOG_IN = 332
    NEED_INFORMATION = 350
    SERVICE_UNAVAILABLE = 421
    DATA_CONNECTION_UNAVAILABLE = 425
    TRANSFER_ABORTED = 426
    FILE_ACTION_ABORTED = 450
    LOCAL_ERROR = 451
    INSUFFICIENT_STORAGE_SPACE = 452
    COMMAND_UNKNOWN = 500
    PARAMETERS_UNKNOWN = 501
    COMMAND_NOT_IMPLEMENTED = 502
    BAD_COMMAND_SEQUENCE = 503
    PARAMETER_NOT_IMPLEMENTED = 504
    NOT_LOGGED_IN = 530
    NEED_ACCOUNT_TO_STORE = 532
    FILE_UNAVAILABLE = 550
    PAGE_TYPE_UNKNOWN = 551
    NOT_ENOUGH_MEMORY = 552
    FILENAME_NOT_ALLOWED = 553
    INVALID_RESPONSE = _INVALID_RESPONSE
    CONNECTION_FAILED = _CONNECTION_FAILED
    CONNECTION_CLOSED = _CONNECTION_CLOSED
    INVALID_FILE = _INVALID_FILE

    def __init__(self, status=_INVALID_RESPONSE, message=""):
        self.status = status
        self.message = message

    @property
    def ok(self):
        return self.status < 400

    def __repr__(self):
        return "<%s %d %r>" % (type(self).__name__, self.status, self.message)


class FtpDirectoryResponse(FtpResponse):
    def __init__(self, status=_INVALID_RESPONSE, message=""):
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
    def __init__(self, status=_INVALID_RESPONSE, message="", listing=b""):
        if isinstance(status, FtpResponse):
            status, message = status.status, status.message
        super().__init__(status, message)
        names = []
        if self.ok and listing:
            # one str per name and nothing else: no list of lines, no bytes copies
            if type(listing) is memoryview:
                listing = bytes(listing)
            mv = memoryview(listing)
            i = 0
            n = len(listing)
            while i < n:
                j = listing.find(b"\n", i)
                if j < 0:
                    j = n
                k = j - 1 if j > i and listing[j - 1] == 13 else j
                if k > i:
                    names.append(_text(mv[i:k]))
                i = j + 1
        self._names = names

    def get_filenames(self):
        return self._names

    @property
    def filenames(self):
        # (the installed pySFML 2.2 spells it as this attribute; its docs as the method)
        return self._names


def _text(b):
    try:
        return str(b, "utf-8")
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


def _pasv_port(m):
    """The port of a 227 reply, from the first h1,h2,h3,h4,p1,p2 in it (with or
    without parentheses, as ftplib reads it); the address part is not used. None if
    there is none."""
    i = 0
    n = len(m)
    while i < n:
        if "0" <= m[i] <= "9":
            j = i
            while j < n and ("0" <= m[j] <= "9" or m[j] == ","):
                j += 1
            nums = m[i:j].split(",")
            if len(nums) >= 6 and all(x and len(x) <= 3 and int(x) <= 255 for x in nums[:6]):
                return int(nums[4]) * 256 + int(nums[5]) or None
            i = j
        i += 1
    return None


def _epsv_port(m):
    """The port of a 229 reply: "(|||port|)", any printable delimiter (RFC 2428)."""
    i = m.find("(")
    if i < 0 or len(m) < i + 6:
        return None
    d = m[i + 1]
    j = m.find(")", i)
    f = m[i + 1:j].split(d) if j > i and ord(d) > 32 else ()
    if len(f) != 5 or f[1] or f[2] or f[4] or not f[3].isdigit() or len(f[3]) > 5:
        return None
    port = int(f[3])
    return port if 0 < port <= 65535 else None


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


class _TooBig(Exception):
    pass


class _Names:
    """A listing turned into names as it arrives: what is held is the names and one
    unfinished line, however the server segments it, and never more than limit bytes.
    Nothing is allocated per segment (only per name), so 1-byte segments do not
    scatter the names through the heap."""

    def __init__(self, limit):
        self.names = []
        self.pend = bytearray(64)  # the unfinished line: pend[:pl]
        self.pl = 0
        self.n = 0
        self.limit = limit

    def put(self, buf, n):
        self.n += n
        if self.n > self.limit:
            raise _LocalError("directory listing larger than max_size=%d bytes" % self.limit)
        i = 0
        while i < n:
            k = buf.find(b"\n", i, n)
            if k < 0:
                self._keep(buf, i, n)
                return
            if self.pl:
                self._keep(buf, i, k)
                self._add(self.pend, 0, self.pl)
                self.pl = 0
            else:
                self._add(buf, i, k)
            i = k + 1

    def _keep(self, buf, i, j):
        m = j - i
        pl = self.pl
        p = self.pend
        if pl + m > len(p):
            p = bytearray(max(2 * len(p), pl + m))
            p[:pl] = memoryview(self.pend)[:pl]
            self.pend = p
        if m <= 16:
            for k in range(m):
                p[pl + k] = buf[i + k]
        else:
            p[pl:pl + m] = memoryview(buf)[i:j]
        self.pl = pl + m

    def _add(self, b, i, k):
        if k > i and b[k - 1] == 13:
            k -= 1
        if k > i:
            self.names.append(_text(memoryview(b)[i:k]))

    def finish(self):
        if self.pl:
            self._add(self.pend, 0, self.pl)  # an unterminated last line is kept
            self.pl = 0
        return self.names


class Ftp:
    BINARY = 0
    ASCII = 1
    EBCDIC = 2

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
        self._lines = LineBuffer(bytearray(256))  # control replies
        self._ctl = None
        self._timeout = _DEFAULT_TIMEOUT
        self._host = None
        self._epsv = True  # cleared for the session once the server refuses EPSV

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.disconnect()

    # -- control connection

    def connect(self, server, port=21, timeout=_DEFAULT_TIMEOUT):
        """Connect and read the greeting. timeout (ms or an sfnet Time) bounds the connect and then every
        later reply and every pause in a transfer; None or 0 = no limit."""
        server = host_text(server, "server")  # IpAddress.NONE: ValueError
        if type(port) is not int or not 0 < port <= 65535:
            raise ValueError("port must be 1-65535, got %r" % (port,))
        timeout = to_ms(timeout, True)  # ms or an sfnet Time
        self._close_ctl()
        self._timeout = timeout
        try:
            self._ctl = socket.create_connection((server, port), self._timeout)
        except OSError as e:
            return FtpResponse(_CONNECTION_FAILED, "cannot connect to %s:%d: %s" % (server, port, e))
        self._host = server
        self._epsv = True
        self._lines.i = self._lines.j = 0
        # RFC 959: the greeting is 220, or 120 ("ready in nnn minutes") and then 220,
        # all within the one timeout; anything else positive is not a greeting.
        deadline = ticks_add(ticks_ms(), int(timeout)) if timeout else None
        r = self._reply(deadline)
        while r.status == 120:
            r = self._reply(deadline)
        if r.status != 220:
            if r.status < 400:
                r = FtpResponse(_INVALID_RESPONSE, "not an FTP greeting (want 220): %d %s" % (r.status, r.message[:60]))
            self._close_ctl()
        return r

    def _close_ctl(self):
        s = self._ctl
        if s is not None:
            self._ctl = None
            s.close()

    def disconnect(self):
        if self._ctl is None:
            return FtpResponse(_CONNECTION_CLOSED, "not connected")
        r = self.send_command("QUIT")
        self._close_ctl()
        return r

    def _settime(self, sock, deadline):
        if not _netcore.timeout_until(sock, deadline):
            raise socket.timeout(116, "timed out")

    def _too_long(self, lim):
        if lim < _MAX_LINE:
            return ValueError("reply longer than max_reply=%d bytes" % self.max_reply)
        return ValueError("reply line longer than %d bytes" % _MAX_LINE)

    def _readline(self, deadline):
        """One line of the current reply, without its line end, as a memoryview into
        the line buffer (valid until the next read) or a bytearray. Every byte it takes,
        the LF included, comes off self._room; past the room (or _MAX_LINE) it raises
        ValueError before the line is held, so a reply never costs more than max_reply."""
        room = self._room
        lim = _MAX_LINE if _MAX_LINE < room else room - 1  # bytes allowed before the LF

        def fill(into):
            self._settime(self._ctl, deadline)
            n = self._ctl.recv_into(into)
            if n == 0:
                raise _Closed("the server closed the control connection")
            return n

        lines = self._lines
        try:
            line = lines.next_line(lim, fill)
        except TooLong:
            raise self._too_long(lim)
        self._room = room - lines.taken
        return line

    def _reply(self, deadline=None):
        """Read one (possibly multi-line) reply, by the deadline given or within the
        timeout."""
        if self._ctl is None:
            return FtpResponse(_CONNECTION_CLOSED, "not connected")
        t = self._timeout
        if deadline is None and t:
            deadline = ticks_add(ticks_ms(), int(t))
        self._room = self.max_reply
        try:
            line = self._readline(deadline)
            code = bytes(line[:3])
            sep = line[3] if len(line) > 3 else 32
            if len(code) < 3 or not all(48 <= c <= 57 for c in code) or not 49 <= code[0] <= 53 \
                    or sep not in (32, 45):
                raise ValueError("not an FTP reply: %r" % bytes(line[:60]))
            # short strs joined once: no large block needed until the join
            lines = [_text(line[4:])]
            if sep == 45:  # "-": a multi-line reply, up to "<code> "
                end = code + b" "
                while True:
                    line = self._readline(deadline)
                    if bytes(line[:4]) == end or (len(line) == 3 and bytes(line) == code):
                        lines.append(_text(line[4:]))
                        break
                    if len(lines) >= _MAX_REPLY_LINES:
                        raise ValueError("multi-line reply longer than %d lines" % _MAX_REPLY_LINES)
                    lines.append(_text(line))
            return FtpResponse(int(code), "\n".join(lines))
        except ValueError as e:
            self._close_ctl()
            return FtpResponse(_INVALID_RESPONSE, str(e))
        except _Closed as e:
            self._close_ctl()
            return FtpResponse(_CONNECTION_CLOSED, str(e))
        except socket.timeout:
            self._close_ctl()
            return FtpResponse(_CONNECTION_CLOSED, "timed out waiting for the server's reply")
        except OSError as e:
            self._close_ctl()
            return FtpResponse(_CONNECTION_CLOSED, "control connection error: %s" % (e,))

    def send_command(self, command, parameter=""):
        """Send one command ("CMD" or "CMD param") and return the server's reply."""
        command = _arg(command, "command")
        parameter = _arg(parameter, "parameter")
        if not command:
            raise ValueError("empty FTP command")
        if self._ctl is None:
            return FtpResponse(_CONNECTION_CLOSED, "not connected")
        line = (command + " " + parameter if parameter else command) + "\r\n"
        try:
            self._settime(self._ctl, ticks_add(ticks_ms(), int(self._timeout)) if self._timeout else None)
            self._ctl.sendall(line.encode())
        except OSError as e:
            self._close_ctl()
            return FtpResponse(_CONNECTION_CLOSED, "control connection error: %s" % (e,))
        return self._reply()

    # -- simple commands

    def login(self, name=None, password=""):
        """Log in; anonymous when no name is given."""
        if name is None:
            name, password = "anonymous", password or "user@sfnet"
        password = _arg(password, "password")  # (both checked before USER goes out)
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
        new_name = _arg(new_name, "new name")  # (both checked before RNFR goes out)
        r = self.send_command("RNFR", filename)
        if r.status == 350:
            r = self.send_command("RNTO", new_name)
        return r

    def delete_file(self, name):
        return self.send_command("DELE", name)

    # -- data connection

    def _passive(self, mode):
        """TYPE + EPSV (or PASV) + connect: (data socket, None) or (None, failure
        response). Only the port is taken from the reply: the data connection goes to
        the control connection's peer, never to an address the server names."""
        r = self.send_command("TYPE", "IAE"[mode] if mode in (0, 1, 2) else "?")
        if not r.ok:
            return None, r
        port = None
        if self._epsv:
            r = self.send_command("EPSV")
            if r.status == 229:
                port = _epsv_port(r.message)
            elif r.status >= _INVALID_RESPONSE:
                return None, r
            else:
                self._epsv = False  # refused (500/502...): PASV from now on, as curl does
        if port is None and not self._epsv:
            r = self.send_command("PASV")
            if r.status != 227:
                return None, r
            port = _pasv_port(r.message)
        if port is None:
            return None, FtpResponse(_INVALID_RESPONSE, "unparsable passive-mode reply: %d %s" % (r.status, r.message[:80]))
        try:
            peer = self._ctl.getpeername()[0]
            data = socket.create_connection((peer, port), self._timeout)
        except OSError as e:
            return None, FtpResponse(_CONNECTION_FAILED, "cannot open the data connection: %s" % (e,))
        return data, None

    def _open_transfer(self, mode, command, arg):
        data, err = self._passive(mode)
        if err:
            return None, err
        r = self.send_command(command, arg)
        if not (100 <= r.status < 200):
            data.close()
            if r.status < 400:  # "226"/"250" with no 1xx: nothing was transferred
                r = FtpResponse(_INVALID_RESPONSE, "%s answered %d %s without opening the transfer (no 1xx reply)"
                                % (command, r.status, r.message[:60]))
            return None, r
        return data, None

    def _finish(self, data, failure):
        """Close the data connection and read the transfer's final reply. A local or
        data-connection failure wins over the server's reply."""
        data.close()
        r = self._reply()
        if failure is not None:
            if failure.status == _CONNECTION_CLOSED and r.status >= 400 and r.status < _INVALID_RESPONSE:
                failure.message += " (server: %d %s)" % (r.status, r.message)
            return failure
        if r.status < 200:  # a transfer ends with 2xx (or an error), never another 1xx
            self._close_ctl()
            return FtpResponse(_INVALID_RESPONSE, "transfer ended with %d %s (want 2xx)" % (r.status, r.message[:60]))
        return r

    def _recv_all(self, data, put, ascii_mode):
        """Receive the data connection until EOF, handing each piece to put(buf, n)
        (the first n bytes of buf; no slice made per segment); None on success or a
        CONNECTION_CLOSED response."""
        buf = self._buf
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
                        put(b"\r", 1)
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
                put(buf, n)
            if cr:
                put(b"\r", 1)
        except socket.timeout:
            return FtpResponse(_CONNECTION_CLOSED, "data connection timed out")
        except OSError as e:
            return FtpResponse(_CONNECTION_CLOSED, "data connection lost: %s" % (e,))
        return None

    def get_directory_listing(self, directory="", max_size=16384):
        """NLST: the names in a directory (the current one by default). The listing is
        held in RAM: one larger than max_size bytes raises ValueError (after the
        transfer is closed cleanly) rather than being cut short."""
        if type(max_size) is not int or max_size < 0:
            raise ValueError("max_size must be an int >= 0, got %r" % (max_size,))
        data, err = self._open_transfer(1, "NLST", _arg(directory, "directory"))
        if err:
            return FtpListingResponse(err)
        names = _Names(max_size)
        try:
            failure = self._recv_all(data, names.put, False)
        except _LocalError as e:
            self._finish(data, FtpResponse(_INVALID_FILE, e.args[0]))
            raise ValueError(e.args[0])
        except MemoryError:
            count = len(names.names)
            names.names = None  # give the names back first: closing needs a little RAM
            data.close()
            self._close_ctl()  # the rest of the transfer's replies would be out of step
            raise MemoryError("directory listing: no room in RAM after %d bytes (%d names); "
                              "lower max_size or list a smaller directory" % (names.n, count))
        except BaseException:
            data.close()
            raise
        r = self._finish(data, failure)
        resp = FtpListingResponse(r.status, r.message)
        if resp.ok:
            resp._names = names.finish()
        return resp

    def download(self, remote_file, local_path, mode=0, max_size=None):
        """RETR remote_file into local_path/<basename>. The file appears under its
        name only when the whole transfer succeeded; until then it is <name>.part,
        which is removed on failure. max_size (bytes written, None = no cap): past it
        the transfer is aborted, the .part file removed and ValueError raised."""
        remote_file = _arg(remote_file, "remote file")
        local_path = _arg(local_path, "local path")
        if mode not in (0, 1, 2):
            raise ValueError("mode must be Ftp.BINARY, Ftp.ASCII or Ftp.EBCDIC")
        if max_size is not None and (type(max_size) is not int or max_size < 0):
            raise ValueError("max_size must be None or an int >= 0, got %r" % (max_size,))
        name = _basename(remote_file)
        if not name:
            return FtpResponse(_INVALID_FILE, "no file name in %r" % remote_file)
        target = _join(local_path, name)
        part = target + _PART
        try:
            f = open(part, "wb")
        except OSError as e:
            return FtpResponse(_INVALID_FILE, "cannot write %s: %s" % (part, e))
        ok = False
        try:
            data, err = self._open_transfer(mode, "RETR", remote_file)
            if err:
                return err
            written = [0]

            def put(buf, n):
                written[0] += n
                if max_size is not None and written[0] > max_size:
                    raise _TooBig("download of %s larger than max_size=%d bytes" % (remote_file, max_size))
                try:
                    f.write(buf if n == len(buf) else memoryview(buf)[:n])
                except OSError as e:  # a local failure, not the network's
                    raise _LocalError("cannot write %s: %s" % (part, e))

            try:
                failure = self._recv_all(data, put, mode == 1)
            except _LocalError as e:
                failure = FtpResponse(_INVALID_FILE, e.args[0])
            except _TooBig as e:
                self._finish(data, FtpResponse(_INVALID_FILE, e.args[0]))  # close, read the 426
                raise ValueError(e.args[0])
            except BaseException:
                data.close()
                raise
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
            return FtpResponse(_INVALID_FILE, "cannot read %s: %s" % (local_file, e))
        try:
            data, err = self._open_transfer(mode, "APPE" if append else "STOR",
                                            _join(remote_path, _basename(local_file)))
            if err:
                return err
            try:
                failure = self._send_file(data, f, mode == 1)
            except BaseException:
                data.close()
                raise
            return self._finish(data, failure)
        finally:
            f.close()

    def _send_file(self, data, f, ascii_mode):
        """Send the file to its end: None, or the failure (CONNECTION_CLOSED for the
        data connection, INVALID_FILE for reading the local file)."""
        buf = self._buf
        mv = self._mv
        # ASCII: read into the upper half (the smaller one for an odd size) so that
        # LF -> CR LF always fits, written from the front; cr carries a CR that ended
        # the previous read, so a CR LF split across reads stays CR LF.
        half = len(buf) // 2
        base = len(buf) - half
        tail = mv[base:] if ascii_mode else None
        cr = False
        try:
            data.settimeout(self._timeout)
            while True:
                if ascii_mode:
                    n = _read(f, tail)
                    if not n:
                        break
                    w = 0
                    for k in range(base, base + n):
                        c = buf[k]
                        if c == 10 and not cr:
                            buf[w] = 13
                            w += 1
                        buf[w] = c
                        w += 1
                        cr = c == 13
                    data.sendall(mv[:w])
                else:
                    n = _read(f, buf)
                    if not n:
                        break
                    data.sendall(mv if n == len(buf) else mv[:n])
        except socket.timeout:
            return FtpResponse(_CONNECTION_CLOSED, "data connection timed out")
        except _LocalError as e:
            return FtpResponse(_INVALID_FILE, e.args[0])
        except OSError as e:
            return FtpResponse(_CONNECTION_CLOSED, "data connection lost: %s" % (e,))
        return None


def _read(f, buf):
    try:
        return f.readinto(buf)
    except OSError as e:  # a local failure, not the network's
        raise _LocalError("cannot read the local file: %s" % (e,))
