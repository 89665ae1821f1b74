# `from simplesockets.simple_sockets import TCPServer`, the module name of the PyPI 0.4.0 code.
from simplesockets import TCPServer, TCPClient, SetupError, Received, ServerClient  # noqa: F401
