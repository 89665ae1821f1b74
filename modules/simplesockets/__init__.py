# simplesockets: the TCPServer / TCPClient API of the PyPI `simplesockets` package,
# rebuilt for MicroPython. See docs/servers.md.
#
# The original runs a thread per client. Here one select.poll loop serves the listening
# socket and every client: call server.poll(ms) / serve_forever() yourself, or
# start(), which runs the loop on a _thread where the port has threads. On top of the
# original: max_connections is enforced (extra connections are accepted and closed at
# once, optionally after a refusal message), idle clients are dropped after
# idle_timeout ms, every client reads into one fixed buffer, the queue of received
# data is bounded (reading pauses when it is full, so TCP pushes back on the sender),
# sends never block the loop (what the stack cannot take waits in a bounded per-client
# queue), accept failures back off instead of spinning, and exceptions are recorded in
# a bounded event.exception list, never fatal.
# Timeouts are in MILLISECONDS.
from micropython import const
import errno
import gc
import select
import socket
import _netcore
from time import ticks_ms, ticks_add, ticks_diff

try:
    import _thread
except ImportError:  # ports without threads: start() runs the loop in the caller
    _thread = None  # type: ignore[assignment]

_POLLIN = select.POLLIN
_POLLOUT = select.POLLOUT
_POLLBAD = select.POLLERR | select.POLLHUP
_EAGAIN = errno.EAGAIN
_ETIMEDOUT = errno.ETIMEDOUT
_ENOBUFS = errno.ENOBUFS
# accept() failures that mean "out of descriptors or memory": retrying at once only spins
_RESOURCE = (getattr(errno, "EMFILE", 24), getattr(errno, "ENFILE", 23), errno.ENOBUFS, errno.ENOMEM)
_LOOP_MS = const(100)  # longest wait of serve_forever / the loop thread between checks
_ENTRY_COST = const(64)  # heap a queued message costs besides its bytes (max_queue counts it)
_MAX_EXCEPTIONS = const(32)  # event.exception.list keeps the newest this many
_BACKOFF_MIN = const(50)  # ms accepting pauses after a resource failure, doubling ...
_BACKOFF_MAX = const(1000)  # ... up to this
_SLOT_COST = const(1536)  # heap a new client needs besides recv_buffer
IDLE_TIMEOUT = const(300000)  # default: a client silent for 5 minutes is dropped (half-open cleanup)


class SetupError(Exception):
    """setup() was not called, or was called twice."""


class _Exceptions:
    """occurred, list (the newest _MAX_EXCEPTIONS), dropped (older ones discarded)."""

    def __init__(self):
        self.occurred = False
        self.list = []
        self.dropped = 0


class _Accepting:
    def __init__(self):
        self.run = True


class _ServerEvent:
    def __init__(self):
        self.exception = _Exceptions()
        self.new_data = False
        self.accepting_thread = _Accepting()


class _ClientEvent:
    def __init__(self):
        self.exception = _Exceptions()
        self.new_data = False
        self.disconnected = False
        self.connected = False
        self.is_connected = False


class _RLock:
    """A re-entrant lock (callbacks may call back into the server), or nothing without threads."""

    def __init__(self):
        self._lock = _thread.allocate_lock() if _thread else None
        self._owner = None
        self._depth = 0

    def __enter__(self):
        if self._lock is None:
            return
        me = _thread.get_ident()
        if self._owner != me:
            self._lock.acquire()
            self._owner = me
        self._depth += 1

    def __exit__(self, *exc):
        if self._lock is None:
            return
        self._depth -= 1
        if self._depth == 0:
            self._owner = None
            self._lock.release()


class Received:
    """One piece of received data: unpacks as (client, address, data) like the
    documented tuples; .response / .from_ name the same things as the PyPI package's
    Socket_Response."""

    def __init__(self, client, address, data):
        self.from_ = client
        self.address = address
        self.response = data
        self.time_ = ticks_ms()

    def __iter__(self):
        yield self.from_
        yield self.address
        yield self.response

    def __getitem__(self, i):
        return (self.from_, self.address, self.response)[i]

    def __len__(self):
        return 3

    def __repr__(self):
        return "Received(%r, %r)" % (self.address, self.response)


class _Results:
    """What TCPServer and TCPClient share: defaults, and handing over received data and
    exceptions."""

    # Defaults as class attributes: an instance's dict holds only what differs (RAM).
    socket = None
    on_connect = None
    on_disconnect = None
    on_receive = None
    _recv_buffer = 2048
    _queued = 0

    def _init(self, event, max_queue):
        self.event = event
        self.recved_data = []
        self.max_queue = max_queue
        self._lock = _RLock()

    @staticmethod
    def _check_setup(recv_buffer, callbacks):
        if type(recv_buffer) is not int or recv_buffer < 1:
            raise ValueError("recv_buffer must be an int >= 1")
        for name, f in callbacks:
            if f is not None and not callable(f):
                raise TypeError("%s must be callable or None" % name)

    def _apply_setup(self, recv_buffer, on_connect, on_disconnect, on_receive):
        self._recv_buffer = recv_buffer
        if self.max_queue is None:
            self.max_queue = 8 * recv_buffer
        self.on_connect = on_connect
        self.on_disconnect = on_disconnect
        self.on_receive = on_receive

    def _record(self, e):
        _record(self.event, e)

    def _call(self, f, *args):
        if f is None:
            return
        try:
            f(*args)
        except Exception as e:
            self._record(e)

    def return_recved_data(self):
        with self._lock:
            data = self.recved_data
            self.recved_data = []
            self._queued = 0
            self.event.new_data = False
        return data

    def _take_exceptions(self, delete, reset):
        with self._lock:
            ex = list(self.event.exception.list)
            if delete:
                self.event.exception.list = []
            if reset:
                self.event.exception.occurred = False
        return ex


class ServerClient:
    """A connected client: .socket, .address, .send(data), .close(). Indexing gives the
    documented [thread, socket] pair (the thread is always None here)."""

    # Defaults as class attributes: an instance's dict holds only what differs (RAM per client).
    thread = None
    closing = False
    parked = False  # out of the poll set: it reset or hung up while reading was paused
    eof = False  # recv_data() saw the end of the stream
    out = None  # queued output: a list of bytes / memoryviews the stack did not take yet
    out_len = 0
    out_t = 0  # ticks of the last progress of the queued output
    server = None  # a TCPServer's clients get it from their class (TCPServer._client_class)

    def __init__(self, sock, address, recv_buffer, server=None):
        self.socket = sock
        self.address = address
        self.buf = bytearray(recv_buffer)  # fixed: all reads of this client land here
        self.last = ticks_ms()
        if server is not None:
            self.server = server

    @property
    def recv_buffer(self):
        return len(self.buf)

    def __getitem__(self, i):
        return (None, self.socket)[i]

    def __repr__(self):
        return "<ServerClient %s:%d>" % self.address

    def send(self, data):
        """Send (or queue) data; raises OSError where server.send_data returns False."""
        if self.server is None:
            self.socket.sendall(data)
        else:
            self.server._send(self, data)

    def close(self):
        try:
            self.socket.close()
        except OSError:
            pass


def _record(event, exc):
    ex = event.exception
    ex.occurred = True
    try:
        if len(ex.list) >= _MAX_EXCEPTIONS:
            ex.list.pop(0)  # at capacity the list does not shrink or grow: no allocation
            ex.dropped += 1
        ex.list.append(exc)
    except MemoryError:
        ex.dropped += 1


def _bytes_or_none(v, what):
    # a copy, so that a later change to the caller's buffer does not reach the peer
    if v is None:
        return None
    if isinstance(v, str):
        raise TypeError("%s must be bytes, not str (encode it)" % what)
    try:
        return bytes(memoryview(v))
    except TypeError:
        raise TypeError("%s must be bytes-like or None, not %s" % (what, type(v).__name__))


class TCPServer(_Results):
    def __init__(self, max_connections=None, idle_timeout=IDLE_TIMEOUT, max_queue=None,
                 send_timeout=5000, refuse_message=None, max_output=None):
        """max_connections: clients served at once (None = no limit; more are refused).
        idle_timeout: ms without data after which a client is disconnected (default
        300000 = 5 min; None or 0 = never).
        max_queue: bytes held in recved_data before reading pauses (default 8 x recv_buffer;
        each message also counts 64 bytes for its own heap cost); the queue never holds
        more than max_queue + recv_buffer + 64, also after a client resets.
        send_timeout: ms a client's queued output may go without progress before the
        client is disconnected. max_output: bytes queued per client for sending (default
        4 x recv_buffer). refuse_message: bytes sent to a refused client before its
        connection is closed."""
        if max_connections is not None and (type(max_connections) is not int or max_connections < 1):
            raise ValueError("max_connections must be an int >= 1 or None")
        for name, v in (("idle_timeout", idle_timeout), ("max_queue", max_queue),
                        ("send_timeout", send_timeout), ("max_output", max_output)):
            if v is not None and (type(v) is not int or v < 0):
                raise ValueError("%s must be an int >= 0 or None" % name)
        refuse_message = _bytes_or_none(refuse_message, "refuse_message")  # (before any state)
        self._init(_ServerEvent(), max_queue)
        self.max_connections = max_connections
        self.idle_timeout = idle_timeout
        self.send_timeout = send_timeout
        self.max_output = max_output
        self.refuse_message = refuse_message
        self.clients = {}  # address -> ServerClient
        self._by_sock = {}
        self._closing = []  # clients whose disconnect another thread asked for

    refused = 0  # connections turned away by max_connections (or for lack of memory)
    accept_errors = 0  # accept() failures (EMFILE, ENOBUFS, ...) so far
    _handle = None
    _poll = None
    _paused = False
    _kill = False
    _loop_running = False
    _loop_ident = None
    _stop_loop = False
    _address = None
    _listen_mask = _POLLIN
    _backoff = 0  # ms of the current accept back-off (0: none)
    _resume = 0  # ticks when accepting resumes after a back-off

    def __repr__(self):
        return "<TCPServer %r clients=%d>" % (self._address, len(self.clients))

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.close()

    # -- setup and the accept switch

    def setup(self, ip="127.0.0.1", port=25567, listen=128, recv_buffer=2048, handle_client=None,
              on_connect=None, on_disconnect=None, on_receive=None):
        """Bind and listen (backlog 128 by default). on_connect(address),
        on_disconnect(address), on_receive(client, address, data). handle_client(server,
        client), if given, replaces the built-in read of a readable client."""
        if self.socket is not None:
            raise SetupError("the server is already set up")
        self._check_setup(recv_buffer, (("handle_client", handle_client), ("on_connect", on_connect),
                                        ("on_disconnect", on_disconnect), ("on_receive", on_receive)))
        s = socket.socket()
        try:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                # accepted connections inherit it (Linux and lwIP both copy it): keepalive
                # for half-open peers without a call and a stored option per client
                s.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
            except (OSError, AttributeError):
                pass  # the port has no keepalive: idle_timeout still cleans up
            s.bind((ip, port))
            s.listen(listen)
            s.settimeout(0)
        except Exception:
            s.close()
            raise
        self.socket = s
        self._address = (ip, port) if port else s.getsockname()
        self._apply_setup(recv_buffer, on_connect, on_disconnect, on_receive)
        # this server's clients: `server` is a class attribute, not one per client (RAM)
        self._client_class = type("ServerClient", (ServerClient,), {"server": self})
        if self.max_output is None:
            self.max_output = 4 * recv_buffer
        self._handle = handle_client
        self._poll = select.poll()
        self._poll.register(s, _POLLIN)
        self._listen_mask = _POLLIN

    @property
    def address(self):
        """(ip, port) the server listens on (the real port when setup got port 0)."""
        if self.socket is None:
            return None
        return self.socket.getsockname()

    def _check(self):
        if self.socket is None:
            raise SetupError("Server isn't setup")

    def start(self, threaded=True):
        """Accept clients. With threads (and threaded=True) the poll loop runs on a
        _thread; otherwise call poll() or serve_forever() yourself."""
        self._check()
        with self._lock:
            self._kill = False
            self.event.accepting_thread.run = True
        if threaded and _thread and not self._loop_running:
            self._loop_running = True
            self._stop_loop = False
            _thread.start_new_thread(self._loop, ())

    def stop(self):
        """Pause accepting (connected clients are still served); start() resumes.
        Once stop() returns, no new client is accepted (they wait in the backlog)."""
        with self._lock:  # the loop accepts under this lock: none is half-way through
            self.event.accepting_thread.run = False

    def restart(self):
        self._check()
        with self._lock:
            self._kill = False
            self.event.accepting_thread.run = True
        if self._loop_running is False and self._stop_loop:
            self.start()

    def exit_accept(self):
        """Stop accepting for good (until restart()); killed becomes True."""
        with self._lock:
            self._kill = True
            self.event.accepting_thread.run = False

    @property
    def killed(self):
        return self._kill

    @property
    def new_data_recved(self):
        """The documentation's older name for event.new_data."""
        return self.event.new_data

    @property
    def running(self):
        """True while the loop thread started by start() is running."""
        return self._loop_running

    # -- the poll loop

    def _loop(self):
        self._loop_ident = _thread.get_ident()
        try:
            while not self._stop_loop:
                self.poll(_LOOP_MS)
        except Exception as e:  # never dies silently
            self._record(e)
        finally:
            self._loop_running = False

    def serve_forever(self):
        """Run the poll loop on this thread until close() (or stop_serving())."""
        self._check()
        self._stop_loop = False
        while not self._stop_loop and self.socket is not None:
            self.poll(_LOOP_MS)

    def stop_serving(self):
        """Make serve_forever() / the loop thread return."""
        self._stop_loop = True

    def _accepting(self):
        return self.event.accepting_thread.run and not self._kill

    def _watch_listener(self, now):
        # The listening socket is polled only while accepting and not backing off:
        # a waiting client must not make every poll return at once (a spinning loop).
        want = _POLLIN
        wait = -1
        if not self._accepting():
            want = 0
        elif self._backoff:
            wait = ticks_diff(self._resume, now)
            if wait > 0:
                want = 0
            else:
                wait = -1
        if want != self._listen_mask:
            self._poll.modify(self.socket, want)
            self._listen_mask = want
        return wait

    def poll(self, timeout=0):
        """Wait up to timeout ms for activity and handle it: accept, read, send queued
        output, drop idle and stalled clients. Returns the number of sockets that had
        events."""
        self._check()
        p = self._poll
        if self._closing:
            with self._lock:
                for c in self._closing:
                    self._drop(c)
                self._closing = []
        if self._paused and self._queued < self.max_queue:
            self._set_reading(True)
        wait = self._watch_listener(ticks_ms())
        if timeout is None or timeout < 0:
            timeout = -1
        if wait >= 0 and (timeout < 0 or wait < timeout):
            timeout = wait  # wake up when the accept back-off ends
        n = 0
        # poll(), not ipoll(): handling an event may register or unregister sockets
        for obj, ev in p.poll(timeout):
            n += 1
            with self._lock:
                if obj is self.socket:
                    self._accept()
                    continue
                c = self._by_sock.get(obj)
                if c is None:
                    continue
                try:
                    self._event(c, ev)
                except MemoryError as e:
                    # what was read cannot be delivered: close, so the peer sees the loss
                    gc.collect()
                    self._record(e)
                    self._drop(c)
        self._expire()
        return n

    def _event(self, c, ev):
        if c.out:
            if ev & (_POLLOUT | _POLLBAD):
                self._flush(c)
            return  # reading waits until its replies are out: TCP pushes back on it
        if self._paused:
            # The queue is full (maybe filled by an earlier event of this poll): read
            # nothing more. A reset or hang-up is reported even with no events asked
            # for, so such a client leaves the poll set until reading resumes, instead
            # of being read (past max_queue) or making every poll return at once.
            if ev & _POLLBAD:
                self._park(c)
            return
        if self._handle is not None and not (ev & _POLLBAD):
            c.last = ticks_ms()
            try:
                self._handle(self, c)
            except Exception as e:
                self._record(e)
            if c.eof:
                self._drop(c)  # the handler saw the end and left the client open
            return
        self._read(c, ev)

    def _expire(self):
        # idle clients, and clients whose queued output made no progress
        idle = self.idle_timeout
        stall = self.send_timeout
        now = ticks_ms()
        late = None
        for c in self.clients.values():
            if (idle and ticks_diff(now, c.last) > idle) or (
                    c.out and stall is not None and ticks_diff(now, c.out_t) > stall):
                if late is None:
                    late = []
                late.append(c)
        if late:
            with self._lock:
                for c in late:
                    if c.out:
                        self._record(OSError(_ETIMEDOUT, "%r read nothing for send_timeout=%d ms"
                                                    % (c.address, stall)))
                    self._drop(c)

    def _back_off(self):
        self._backoff = min(_BACKOFF_MAX, 2 * self._backoff) if self._backoff else _BACKOFF_MIN
        self._resume = ticks_add(ticks_ms(), self._backoff)

    def _room(self):
        # Accept only with heap for the new client: a MemoryError half-way through
        # accepting can leave a connection nobody serves. No room: it waits in the
        # backlog and accepting backs off.
        need = self._recv_buffer + _SLOT_COST
        if gc.mem_free() >= need:
            return True
        gc.collect()
        return gc.mem_free() >= need

    def _accept(self):
        while self._accepting():
            if self._backoff and ticks_diff(self._resume, ticks_ms()) > 0:
                return
            if not self._room():
                self.accept_errors += 1
                self._record(MemoryError("no heap for another client (%d bytes free)" % gc.mem_free()))
                self._back_off()
                return
            try:
                conn, addr = self.socket.accept()
            except OSError as e:
                if e.errno == _EAGAIN:
                    self._backoff = 0
                    return
                self.accept_errors += 1
                self._record(e)
                if e.errno in _RESOURCE:
                    self._back_off()  # the client waits in the backlog meanwhile
                return
            except MemoryError as e:
                self.accept_errors += 1
                gc.collect()
                self._record(e)
                self._back_off()
                return
            if self.max_connections is not None and len(self.clients) >= self.max_connections:
                self.refused += 1
                try:
                    if self.refuse_message:
                        conn.settimeout(100)
                        conn.sendall(self.refuse_message)
                except OSError:
                    pass
                finally:  # (also when the attribute was set to something unsendable)
                    conn.close()
                continue
            try:
                c = self._admit(conn, addr)
            except MemoryError:
                gc.collect()  # once more after a collection, then give up on this one
                try:
                    c = self._admit(conn, addr)
                except MemoryError as e:
                    conn.close()  # never leaked: the client sees its connection end
                    self.refused += 1
                    self._record(e)
                    self._back_off()
                    return
            self._call(self.on_connect, addr)

    def _admit(self, conn, addr):
        # all or nothing: on MemoryError nothing refers to conn any more
        try:
            conn.settimeout(0)
            c = self._client_class(conn, addr, self._recv_buffer)
            self.clients[addr] = c
            self._by_sock[conn] = c
            self._poll.register(conn, 0 if self._paused else _POLLIN)
        except MemoryError:
            self.clients.pop(addr, None)
            self._by_sock.pop(conn, None)
            try:
                self._poll.unregister(conn)
            except (OSError, KeyError, ValueError):
                pass
            raise
        return c

    def _read(self, c, ev):
        try:
            n = c.socket.recv_into(c.buf)
        except OSError as e:
            if e.errno == _EAGAIN:
                if ev & _POLLBAD:
                    self._drop(c)
                return
            self._drop(c)  # reset by the peer: a disconnect, not a server error
            return
        if n == 0:
            self._drop(c)
            return
        c.last = ticks_ms()
        try:
            self._deliver(c, n)
        except MemoryError:
            gc.collect()  # once more; a second failure drops the client (see poll)
            self._deliver(c, n)

    def _deliver(self, c, n):
        data = bytes(c.buf) if n == len(c.buf) else bytes(memoryview(c.buf)[:n])
        if self.on_receive is not None:
            self._call(self.on_receive, c, c.address, data)
        else:
            self.recved_data.append(Received(c, c.address, data))
            self._queued += n + _ENTRY_COST
            self.event.new_data = True
            if self._queued >= self.max_queue:
                self._set_reading(False)

    def _mask(self, c):
        if c.out:
            return _POLLOUT
        return 0 if self._paused else _POLLIN

    def _set_reading(self, on):
        # Backpressure: stop polling clients for input while the queue is full.
        self._paused = not on
        for sock, c in self._by_sock.items():
            try:
                if c.parked:
                    if on:  # back in: its remaining data is read, then its end
                        c.parked = False
                        self._poll.register(sock, self._mask(c))
                else:
                    self._poll.modify(sock, self._mask(c))
            except OSError:
                pass

    def _park(self, c):
        c.parked = True
        try:
            self._poll.unregister(c.socket)
        except (OSError, KeyError, ValueError):
            pass

    def _drop(self, c):
        if self._by_sock.pop(c.socket, None) is None:
            return
        self.clients.pop(c.address, None)
        try:
            self._poll.unregister(c.socket)
        except (OSError, KeyError, ValueError):
            pass
        c.out = None
        c.out_len = 0
        c.close()
        self._call(self.on_disconnect, c.address)

    def _find(self, client):
        if isinstance(client, ServerClient):
            return client
        if isinstance(client, Received):
            return client.from_
        if type(client) is tuple:
            return self.clients.get(client)
        for c in self.clients.values():
            if c.socket is client:
                return c
        return None

    # -- sending: never blocks; what the stack does not take waits in c.out

    def _write(self, c, data):
        # bytes the stack took now (0 when its buffer is full); OSError if the connection is dead
        n = c.socket.write(data)
        if n:
            c.out_t = c.last = ticks_ms()
        return n or 0

    def _flush(self, c):
        try:
            while c.out:
                chunk = c.out[0]
                n = self._write(c, chunk)
                if n == 0:
                    return
                c.out_len -= n
                if n == len(chunk):
                    c.out.pop(0)
                    if not c.out:
                        c.out = None
                else:
                    c.out[0] = memoryview(chunk)[n:]
        except OSError:
            self._drop(c)  # reset or broken pipe while sending: a disconnect
            return
        if not c.parked:
            self._poll.modify(c.socket, self._mask(c))

    def _send(self, c, data):
        """Send or queue all of data for client c, or raise OSError (nothing queued then)."""
        if c is None or c.socket.fileno() < 0 or c.closing:
            raise OSError(errno.ENOTCONN, "no such client")
        size = len(data)
        if c.out:
            if c.out_len + size > self.max_output:
                raise OSError(_ENOBUFS, "%r is not reading: %d bytes queued, max_output=%d"
                              % (c.address, c.out_len, self.max_output))
            c.out.append(data if type(data) is bytes else bytes(data))
            c.out_len += size
            return
        try:
            n = self._write(c, data)
        except OSError as e:
            self._drop_soon(c)  # the connection is dead (reset, broken pipe)
            raise e
        if n < size:
            # one reply of any size is accepted when nothing is queued: it exists anyway
            rest = memoryview(data)[n:]
            c.out = [rest if type(data) is bytes else bytes(rest)]
            c.out_len = size - n
            c.out_t = ticks_ms()
            if not c.parked:
                self._poll.modify(c.socket, _POLLOUT)

    def send_data(self, data, client_socket):
        """Send data (bytes, str or a Received) to a client given as ServerClient,
        address, socket or Received, without blocking: what the network stack cannot
        take now is queued (up to max_output bytes per client) and sent by the loop.
        Returns False and records the exception on failure."""
        if isinstance(data, Received):
            data = data.response
        if type(data) is str:
            data = data.encode()
        with self._lock:
            c = self._find(client_socket)
            try:
                if c is None:
                    raise OSError(errno.ENOTCONN, "no such client: %r" % (client_socket,))
                self._send(c, data)
            except Exception as e:
                self._record(e)
                return False
            return True

    def _drop_soon(self, c):
        if self._loop_running and _thread and self._loop_ident != _thread.get_ident():
            c.closing = True
            self._closing.append(c)  # the loop thread owns the poll set
        else:
            self._drop(c)

    def recv_data(self, client_socket):
        """Read what a client has sent so far (the loop does this for you). b"" at the
        end of the stream: the server then closes the client after handle_client returns."""
        c = self._find(client_socket)
        if c is None:
            return b""
        try:
            n = c.socket.recv_into(c.buf)
        except OSError as e:
            if e.errno == _EAGAIN:
                return b""
            raise
        if n == 0:
            c.eof = True
        return bytes(memoryview(c.buf)[:n])

    def disconnect(self, client_socket):
        """Close a client's connection (client as ServerClient, address, socket or Received)."""
        c = self._find(client_socket)
        if c is None:
            return False
        with self._lock:
            self._drop_soon(c)
        return True

    def return_exceptions(self, delete=True, reset_exception=True):
        return self._take_exceptions(delete, reset_exception)

    def close(self):
        """Stop the loop, disconnect every client and close the listening socket."""
        self._stop_loop = True
        with self._lock:
            self._kill = True
            self.event.accepting_thread.run = False
        if self._loop_running and _thread:
            t0 = ticks_ms()
            while self._loop_running and ticks_diff(ticks_ms(), t0) < 5 * _LOOP_MS:
                import time

                time.sleep_ms(10)
        with self._lock:
            for c in list(self.clients.values()):
                self._drop(c)
            if self.socket is not None:
                try:
                    self._poll.unregister(self.socket)
                except (OSError, KeyError, ValueError):
                    pass
                self.socket.close()
                self.socket = None


class TCPClient(_Results):
    def __init__(self, max_queue=None):
        self._init(_ClientEvent(), max_queue)
        self._rx = _RLock()  # one reader of the socket at a time; connect/close wait for it

    _target_ip = None
    _target_port = None
    _timeout = 5000
    _buf = None
    _auto = False  # the autorecv() toggle, as the caller sees it
    _auto_token = 0  # the receive thread that may run: an older one just ends
    _auto_running = 0  # receive threads still alive (an old one may be winding down)
    _gen = 0  # connection generation: a thread of an older one never touches a newer
    _rpoll = None

    def __repr__(self):
        return "<TCPClient %r connected=%r>" % (self.Address, self.event.is_connected)

    def __enter__(self):
        self.connect()
        self.autorecv()
        return self

    def __exit__(self, *exc):
        self.shutdown()

    @property
    def Address(self):
        return (self._target_ip, self._target_port)

    @property
    def new_data_recved(self):
        """The documentation's older name for event.new_data."""
        return self.event.new_data

    def start(self):
        """The documentation's client example calls start() before connect(): connects."""
        return self.connect()

    def setup(self, target_ip, target_port=25567, recv_buffer=2048, on_connect=None,
              on_disconnect=None, on_receive=None, timeout=5000):
        """on_connect(), on_disconnect(), on_receive(data); timeout (ms) bounds connect and send."""
        self._check_setup(recv_buffer, (("on_connect", on_connect), ("on_disconnect", on_disconnect),
                                        ("on_receive", on_receive)))
        ip = getattr(target_ip, "string", target_ip)  # (an sfnet.IpAddress)
        if type(ip) is not str:
            raise TypeError("target_ip must be a str or an sfnet.IpAddress, not %s" % type(ip).__name__)
        # checked here, not at the first connect() (where it would only be recorded)
        _netcore.int_in(target_port, 1, 65535, "target_port")
        timeout = _netcore.check_timeout(timeout)
        self._target_ip = ip
        self._target_port = target_port
        self._buf = bytearray(recv_buffer)
        self._timeout = timeout
        self._apply_setup(recv_buffer, on_connect, on_disconnect, on_receive)

    def connect(self):
        """Connect to the target; True on success (failures go to event.exception)."""
        if self._buf is None:
            raise SetupError("Client isn't setup")
        with self._rx:
            if self.event.is_connected:
                return True
            try:
                s = socket.create_connection(self.Address, self._timeout)
                p = select.poll()  # receiving waits here: the socket's timeout stays the send timeout
                p.register(s, _POLLIN)
            except Exception as e:
                self._record(e)
                return False
            with self._lock:
                self._gen += 1
                self.socket = s
                self._rpoll = p
                self.event.connected = True
                self.event.is_connected = True
                self.event.disconnected = False
        self._call(self.on_connect)
        return True

    def reconnect(self):
        """Close and connect again; a running autorecv() goes on with the new connection
        (the old one's end is not reported as a disconnect)."""
        with self._rx:  # the receive thread is between reads: it never sees the old socket die
            self._close_socket()
            self.event.is_connected = False
            self.event.connected = False
            self.event.disconnected = False
            return self.connect()

    def send_data(self, data):
        if type(data) is str:
            data = data.encode()
        s, gen = self.socket, self._gen
        if not self.event.is_connected or s is None:
            self._record(OSError(errno.ENOTCONN, "not connected"))
            return False
        try:
            s.sendall(data)  # bounded by the timeout create_connection gave the socket
        except Exception as e:
            self._record(e)
            if isinstance(e, OSError) and not isinstance(e, socket.timeout):
                self._lost(gen)
            return False
        return True

    def poll(self, timeout=0):
        """Receive what has arrived, waiting up to timeout ms. Returns the byte count
        (0 also when the queue is full: read it with return_recved_data())."""
        with self._rx:
            return self._poll_once(timeout)

    def _poll_once(self, timeout):
        if not self.event.is_connected:
            return 0
        if self.on_receive is None and self._queued >= self.max_queue:
            return 0
        s, gen = self.socket, self._gen
        try:
            if not self._rpoll.poll(timeout if timeout is not None else -1):
                return 0
            n = s.recv_into(self._buf)
        except OSError as e:
            if isinstance(e, socket.timeout) or e.errno == _EAGAIN:
                return 0
            self._lost(gen)
            return 0
        if n == 0:
            self._lost(gen)
            return 0
        data = bytes(memoryview(self._buf)[:n])
        with self._lock:
            if self.on_receive is not None:
                self._call(self.on_receive, data)
            else:
                self.recved_data.append(data)
                self._queued += n + _ENTRY_COST
                self.event.new_data = True
        return n

    def _lost(self, gen):
        # the connection of generation gen ended: only reported if it is still the current one
        with self._lock:
            if gen != self._gen or not self.event.is_connected:
                return
            self._gen += 1
            self._close_socket()
            self.event.is_connected = False
            self.event.disconnected = True
            self._auto = False  # the receive thread ends with the connection
        self._call(self.on_disconnect)

    def autorecv(self):
        """Toggle automatic receiving on a _thread (where the port has threads); returns
        the new state. It turns off by itself when the connection ends."""
        if not _thread:
            raise OSError(errno.EOPNOTSUPP if hasattr(errno, "EOPNOTSUPP") else 95,
                          "no _thread on this port: call client.poll(ms) instead")
        with self._lock:
            self._auto = not self._auto
            self._auto_token += 1  # an older thread, maybe still winding down, just ends
            if self._auto:
                self._auto_running += 1
                _thread.start_new_thread(self._autoloop, (self._auto_token,))
            return self._auto

    def _autoloop(self, token):
        import time

        try:
            while True:
                with self._rx:
                    if not (self._auto and self._auto_token == token and self.event.is_connected):
                        break
                    self._poll_once(_LOOP_MS)
                    full = self.on_receive is None and self._queued >= self.max_queue
                if full:
                    time.sleep_ms(10)
        except Exception as e:
            self._record(e)
        finally:
            with self._lock:
                self._auto_running -= 1
                if self._auto_token == token and self._auto:
                    self._auto = False  # ended with its connection: the toggle says so

    def return_exceptions(self, delete=True, reset_exceptions=True):
        return self._take_exceptions(delete, reset_exceptions)

    def _close_socket(self):
        s = self.socket
        if s is not None:
            try:
                s.close()
            except OSError:
                pass

    def disconnect(self):
        """Close the connection; True if it was open. Stops autorecv()."""
        with self._lock:
            self._auto = False
            self._auto_token += 1
        with self._rx:  # waits for a read in progress (at most one autorecv step)
            with self._lock:
                was = self.event.is_connected
                self._gen += 1
                self._close_socket()
                self.event.is_connected = False
                if was:
                    self.event.disconnected = True
        if was:
            self._call(self.on_disconnect)
        return was

    def shutdown(self):
        """Stop automatic receiving and close the connection."""
        self.disconnect()
        t0 = ticks_ms()
        while self._auto_running and ticks_diff(ticks_ms(), t0) < 5 * _LOOP_MS:
            import time

            time.sleep_ms(10)

    close = shutdown
