"""simplesockets (modules/simplesockets/__init__.py): TCPServer / TCPClient. Timeouts in MILLISECONDS."""

from typing import Any
from typing_extensions import Self

IDLE_TIMEOUT: int


class SetupError(Exception):
    """setup() was not called, or was called twice."""
    ...


class Received:
    """One piece of received data: unpacks as (client, address, data) like the
    documented tuples; .response / .from_ name the same things as the PyPI package's
    Socket_Response."""
    def __init__(self, client: Any, address: Any, data: Any) -> None: ...
    def __iter__(self) -> None: ...


class ServerClient:
    """A connected client: .socket, .address, .send(data), .close(). Indexing gives the
    documented [thread, socket] pair (the thread is always None here)."""
    thread: Any
    closing: bool
    parked: bool
    eof: bool
    out: Any
    out_len: int
    out_t: int
    server: Any
    def __init__(self, sock: Any, address: Any, recv_buffer: Any, server: Any | None = ...) -> None: ...
    @property
    def recv_buffer(self) -> int: ...
    def send(self, data: Any) -> None:
        """Send (or queue) data; raises OSError where server.send_data returns False."""
    def close(self) -> None: ...


class TCPServer:
    socket: Any
    on_connect: Any
    on_disconnect: Any
    on_receive: Any
    refused: int
    accept_errors: int
    def __init__(self, max_connections: int | None = ..., idle_timeout: int | None = ..., max_queue: int | None = ..., send_timeout: int | None = ..., refuse_message: bytes | None = ..., max_output: int | None = ...) -> None:
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
    def __enter__(self) -> Self: ...
    def __exit__(self, *exc: Any) -> None: ...
    def setup(self, ip: str = ..., port: int = ..., listen: int = ..., recv_buffer: int = ..., handle_client: Any | None = ..., on_connect: Any | None = ..., on_disconnect: Any | None = ..., on_receive: Any | None = ...) -> None:
        """Bind and listen (backlog 128 by default). on_connect(address),
        on_disconnect(address), on_receive(client, address, data). handle_client(server,
        client), if given, replaces the built-in read of a readable client."""
    @property
    def address(self) -> Any:
        """(ip, port) the server listens on (the real port when setup got port 0)."""
    def start(self, threaded: bool = ...) -> None:
        """Accept clients. With threads (and threaded=True) the poll loop runs on a
        _thread; otherwise call poll() or serve_forever() yourself."""
    def stop(self) -> None:
        """Pause accepting (connected clients are still served); start() resumes.
        Once stop() returns, no new client is accepted (they wait in the backlog)."""
    def restart(self) -> None: ...
    def exit_accept(self) -> None:
        """Stop accepting for good (until restart()); killed becomes True."""
    @property
    def killed(self) -> Any: ...
    @property
    def new_data_recved(self) -> Any:
        """The documentation's older name for event.new_data."""
    @property
    def running(self) -> Any:
        """True while the loop thread started by start() is running."""
    def serve_forever(self) -> None:
        """Run the poll loop on this thread until close() (or stop_serving())."""
    def stop_serving(self) -> None:
        """Make serve_forever() / the loop thread return."""
    def poll(self, timeout: int = ...) -> Any:
        """Wait up to timeout ms for activity and handle it: accept, read, send queued
        output, drop idle and stalled clients. Returns the number of sockets that had
        events."""
    def send_data(self, data: Any, client_socket: Any) -> Any:
        """Send data (bytes, str or a Received) to a client given as ServerClient,
        address, socket or Received, without blocking: what the network stack cannot
        take now is queued (up to max_output bytes per client) and sent by the loop.
        Returns False and records the exception on failure."""
    def recv_data(self, client_socket: Any) -> Any:
        """Read what a client has sent so far (the loop does this for you). b"" at the
        end of the stream: the server then closes the client after handle_client returns."""
    def disconnect(self, client_socket: Any) -> Any:
        """Close a client's connection (client as ServerClient, address, socket or Received)."""
    def return_recved_data(self) -> Any: ...
    def return_exceptions(self, delete: bool = ..., reset_exception: bool = ...) -> Any: ...
    def close(self) -> None:
        """Stop the loop, disconnect every client and close the listening socket."""


class TCPClient:
    socket: Any
    on_connect: Any
    on_disconnect: Any
    on_receive: Any
    def __init__(self, max_queue: Any | None = ...) -> None: ...
    def __enter__(self) -> Self: ...
    def __exit__(self, *exc: Any) -> None: ...
    @property
    def Address(self) -> Any: ...
    @property
    def new_data_recved(self) -> Any:
        """The documentation's older name for event.new_data."""
    def start(self) -> Any:
        """The documentation's client example calls start() before connect(): connects."""
    def setup(self, target_ip: Any, target_port: int = ..., recv_buffer: int = ..., on_connect: Any | None = ..., on_disconnect: Any | None = ..., on_receive: Any | None = ..., timeout: int = ...) -> None:
        """on_connect(), on_disconnect(), on_receive(data); timeout (ms) bounds connect and send."""
    def connect(self) -> Any:
        """Connect to the target; True on success (failures go to event.exception)."""
    def reconnect(self) -> Any:
        """Close and connect again; a running autorecv() goes on with the new connection
        (the old one's end is not reported as a disconnect)."""
    def send_data(self, data: Any) -> Any: ...
    def poll(self, timeout: int = ...) -> Any:
        """Receive what has arrived, waiting up to timeout ms. Returns the byte count
        (0 also when the queue is full: read it with return_recved_data())."""
    def autorecv(self) -> Any:
        """Toggle automatic receiving on a _thread (where the port has threads); returns
        the new state. It turns off by itself when the connection ends."""
    def return_recved_data(self) -> Any: ...
    def return_exceptions(self, delete: bool = ..., reset_exceptions: bool = ...) -> Any: ...
    def disconnect(self) -> Any:
        """Close the connection; True if it was open. Stops autorecv()."""
    def shutdown(self) -> None:
        """Stop automatic receiving and close the connection."""
    close: Any
