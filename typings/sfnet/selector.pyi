"""sfnet.selector (modules/sfnet/selector.py). Times in MILLISECONDS unless a name says otherwise."""

from typing import Any
from typing_extensions import Self

from sfnet.base import Socket as Socket
from sfnet.time import to_ms as to_ms

class SocketSelector:
    """Wait on several sockets at once: add(), wait(), then is_ready()."""
    def __init__(self) -> None: ...
    def add(self, socket: Any) -> None: ...
    def remove(self, socket: Any) -> None: ...
    def clear(self) -> None: ...
    def wait(self, timeout: int | None = ...) -> Any:
        """Wait until at least one socket is ready; True if one is, False when the
        timeout (a Time or ms; None = no limit, 0 = just look) ran out or the
        selector is empty."""
    def is_ready(self, socket: Any) -> Any:
        """True if socket was ready at the last wait()."""
