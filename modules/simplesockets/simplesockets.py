# `from simplesockets.simplesockets import TCPClient`, the import the package's own
# documentation uses.
from simplesockets import TCPServer, TCPClient, SetupError, Received, ServerClient  # noqa: F401
