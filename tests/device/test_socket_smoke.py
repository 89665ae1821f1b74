# Smoke test of the harness itself: the override is what `import socket` gives.
import mptest
import socket


def test_override_is_loaded():
    assert hasattr(socket, "ip_to_tuple"), "the frozen socket override was not imported"
    assert hasattr(socket, "_n"), "no handle on the built-in socket"


def test_builtin_reachable():
    assert socket._n is not socket
    assert hasattr(socket._n, "socket")


mptest.main(globals())
