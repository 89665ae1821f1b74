"""sfnet.ftp (modules/sfnet/ftp.py). Times in MILLISECONDS unless a name says otherwise."""

from typing import Any
from typing_extensions import Self

from sfnet.time import to_ms as to_ms

class FtpResponse:
    RESTART_MARKER_REPLY: int
    SERVICE_READY_SOON: int
    DATA_CONNECTION_ALREADY_OPENED: int
    OPENING_DATA_CONNECTION: int
    OK: int
    POINTLESS_COMMAND: int
    SYSTEM_STATUS: int
    DIRECTORY_STATUS: int
    FILE_STATUS: int
    HELP_MESSAGE: int
    SYSTEM_TYPE: int
    SERVICE_READY: int
    CLOSING_CONNECTION: int
    DATA_CONNECTION_OPENED: int
    CLOSING_DATA_CONNECTION: int
    ENTERING_PASSIVE_MODE: int
    LOGGED_IN: int
    FILE_ACTION_OK: int
    DIRECTORY_OK: int
    NEED_PASSWORD: int
    NEED_ACCOUNT_TO_LOG_IN: int
    NEED_INFORMATION: int
    SERVICE_UNAVAILABLE: int
    DATA_CONNECTION_UNAVAILABLE: int
    TRANSFER_ABORTED: int
    FILE_ACTION_ABORTED: int
    LOCAL_ERROR: int
    INSUFFICIENT_STORAGE_SPACE: int
    COMMAND_UNKNOWN: int
    PARAMETERS_UNKNOWN: int
    COMMAND_NOT_IMPLEMENTED: int
    BAD_COMMAND_SEQUENCE: int
    PARAMETER_NOT_IMPLEMENTED: int
    NOT_LOGGED_IN: int
    NEED_ACCOUNT_TO_STORE: int
    FILE_UNAVAILABLE: int
    PAGE_TYPE_UNKNOWN: int
    NOT_ENOUGH_MEMORY: int
    FILENAME_NOT_ALLOWED: int
    INVALID_RESPONSE: int
    CONNECTION_FAILED: int
    CONNECTION_CLOSED: int
    INVALID_FILE: int
    def __init__(self, status: int = ..., message: str = ...) -> None: ...
    @property
    def ok(self) -> Any: ...


class FtpDirectoryResponse(FtpResponse):
    def __init__(self, status: int = ..., message: str = ...) -> None: ...
    def get_directory(self) -> Any: ...


class FtpListingResponse(FtpResponse):
    def __init__(self, status: int = ..., message: str = ..., listing: bytes = ...) -> None: ...
    def get_filenames(self) -> Any: ...
    @property
    def filenames(self) -> Any: ...


class Ftp:
    BINARY: int
    ASCII: int
    EBCDIC: int
    def __init__(self, bufsize: int = ..., max_reply: Any = ...) -> None:
        """bufsize: the transfer buffer. max_reply: the most bytes one server reply may
        take (all its lines, line ends included); a longer one is INVALID_RESPONSE."""
    def __enter__(self) -> Self: ...
    def __exit__(self, *exc: Any) -> None: ...
    def connect(self, server: Any, port: int = ..., timeout: int = ...) -> Any:
        """Connect and read the greeting. timeout (ms or an sfnet Time) bounds the connect and then every
        later reply and every pause in a transfer; None or 0 = no limit."""
    def disconnect(self) -> Any: ...
    def send_command(self, command: Any, parameter: str = ...) -> Any:
        """Send one command ("CMD" or "CMD param") and return the server's reply."""
    def login(self, name: Any | None = ..., password: str = ...) -> Any:
        """Log in; anonymous when no name is given."""
    def keep_alive(self) -> Any: ...
    def get_working_directory(self) -> Any: ...
    def change_directory(self, directory: Any) -> Any: ...
    def parent_directory(self) -> Any: ...
    def create_directory(self, name: Any) -> Any: ...
    def delete_directory(self, name: Any) -> Any: ...
    def rename_file(self, filename: Any, new_name: Any) -> Any: ...
    def delete_file(self, name: Any) -> Any: ...
    def get_directory_listing(self, directory: str = ..., max_size: int = ...) -> Any:
        """NLST: the names in a directory (the current one by default). The listing is
        held in RAM: one larger than max_size bytes raises ValueError (after the
        transfer is closed cleanly) rather than being cut short."""
    def download(self, remote_file: Any, local_path: Any, mode: int = ..., max_size: int | None = ...) -> Any:
        """RETR remote_file into local_path/<basename>. The file appears under its
        name only when the whole transfer succeeded; until then it is <name>.part,
        which is removed on failure. max_size (bytes written, None = no cap): past it
        the transfer is aborted, the .part file removed and ValueError raised."""
    def upload(self, local_file: Any, remote_path: Any, mode: int = ..., append: bool = ...) -> Any:
        """STOR (or APPE) local_file as remote_path/<basename>."""
