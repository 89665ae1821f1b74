"""sfnet.http (modules/sfnet/http.py). Times in MILLISECONDS unless a name says otherwise."""

from typing import Any
from typing_extensions import Self

from sfnet.time import to_ms as to_ms
USER_AGENT: str

class HttpRequest:
    GET: int
    POST: int
    HEAD: int
    PUT: int
    DELETE: int
    def __init__(self, uri: str = ..., method: int = ..., body: bytes = ...) -> None: ...
    @property
    def field(self) -> Any: ...
    def set_field(self, name: Any, value: Any) -> None: ...
    def get_field(self, name: Any) -> Any: ...
    def has_field(self, name: Any) -> Any: ...
    @property
    def method(self) -> Any: ...
    @property
    def uri(self) -> Any: ...
    @property
    def http_version(self) -> Any: ...
    @property
    def body(self) -> Any: ...


class HttpResponse:
    OK: int
    CREATED: int
    ACCEPTED: int
    NO_CONTENT: int
    RESET_CONTENT: int
    PARTIAL_CONTENT: int
    MULTIPLE_CHOICES: int
    MOVED_PERMANENTLY: int
    MOVED_TEMPORARILY: int
    NOT_MODIFIED: int
    BAD_REQUEST: int
    UNAUTHORIZED: int
    FORBIDDEN: int
    NOT_FOUND: int
    RANGE_NOT_SATISFIABLE: int
    INTERNAL_SERVER_ERROR: int
    NOT_IMPLEMENTED: int
    BAD_GATEWAY: int
    SERVICE_NOT_AVAILABLE: int
    GATEWAY_TIMEOUT: int
    VERSION_NOT_SUPPORTED: int
    INVALID_RESPONSE: int
    CONNECTION_FAILED: int
    def __init__(self) -> None: ...
    def get_field(self, name: Any) -> Any: ...
    @property
    def ok(self) -> Any: ...
    def chunks(self) -> None:
        """Yield the body as memoryviews into the Http object's buffer; each one is
        valid until the next iteration. Raises OSError/ValueError if the body breaks
        off, so a partial body is never mistaken for a whole one."""
    def readinto(self, buf: Any) -> Any:
        """Copy the next part of the body into buf; 0 at the end."""
    def close(self) -> None: ...
    def __enter__(self) -> Self: ...
    def __exit__(self, *exc: Any) -> None: ...


class Http:
    """An HTTP client for one host: Http(host, port=0). Port 0 means 80."""
    def __init__(self, host: Any, port: int = ..., bufsize: Any = ..., max_header_bytes: Any = ...) -> None:
        """max_header_bytes: the most bytes a response head (status line and header
        lines with their line ends, interim 1xx responses included) may take; a longer
        one is INVALID_RESPONSE."""
    def open(self, request: Any, timeout: int | None = ...) -> Any:
        """Send the request and read the status line and headers. The body is left to
        read with response.chunks() / response.readinto(); close the response (or use
        it in a `with`) when done. Failures give a response with status
        INVALID_RESPONSE or CONNECTION_FAILED and .error set."""
    def send_request(self, request: Any, timeout: int | None = ..., sink: Any | None = ..., max_body: Any = ...) -> Any:
        """Send the request and return an HttpResponse; never raises for network or
        protocol failures (see status and .error). timeout: ms (or an sfnet Time) for
        the whole exchange, None or 0 = no limit. sink: a callable taking a memoryview, or an object with
        write(), that receives the body piece by piece (response.body stays b"").
        Without a sink the body is kept in one bytearray (response.body), up to
        max_body bytes (32 KB by default; larger raises ValueError, at once when the
        Content-Length or a chunk size announces it)."""
