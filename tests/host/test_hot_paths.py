"""The hot paths look up no builtins by name (issue 15, "Per-call overhead").

MicroPython grows a dict only when it is full, so a module's globals table is nearly
full, and a name a function uses that is not a global (len, type, int: a builtin) is a
miss that probes a long run of that table before the builtins are searched. A global
is found at once through the map lookup cache. Measured with valgrind on the frozen
firmware (bench/NOTES.md): the aliases cut an echo's instructions by about a fifth.
So the hot methods use module aliases (_len = len, ...) instead. Exception classes are
allowed: they are looked up only on the way to a raise."""

import ast
import builtins
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

HOT = {
    "modules/_socket_ms.py": ("socket", [
        "send", "sendall", "_sendall_rest", "_wait_write", "sendto", "_send_to_wait",
        "recv", "_recv_wait", "recv_into", "_recv_into_wait", "_poll_read", "_recvfrom",
        "recvfrom_into", "_recvfrom_into_wait", "_sender"]),
    "modules/sfnet/tcp.py": ("TcpSocket", ["send", "receive", "receive_into"]),
}


def builtin_loads(fn):
    names = set()
    for node in ast.walk(fn):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load) and hasattr(builtins, node.id):
            value = getattr(builtins, node.id)
            if not (isinstance(value, type) and issubclass(value, BaseException)):
                names.add(node.id)
    return names - {"None", "True", "False"}


def methods(path, cls_name):
    tree = ast.parse((ROOT / path).read_text())
    cls = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == cls_name)
    return tree, {f.name: f for f in cls.body if isinstance(f, ast.FunctionDef)}


@pytest.mark.parametrize("path", sorted(HOT))
def test_hot_methods_look_up_no_builtins(path):
    cls_name, hot = HOT[path]
    _, found = methods(path, cls_name)
    missing = [name for name in hot if name not in found]
    assert not missing, "%s: hot methods not found (renamed? update HOT): %s" % (path, missing)
    bad = {name: sorted(builtin_loads(found[name])) for name in hot if builtin_loads(found[name])}
    assert not bad, "%s: hot methods look up builtins by name (use the module's _len/_type/... aliases): %s" % (
        path, bad)


@pytest.mark.parametrize("path", sorted(HOT))
def test_the_aliases_are_the_builtins(path):
    # _len = len at module level, for every alias a hot method uses
    tree, found = methods(path, HOT[path][0])
    aliases = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Name) and hasattr(builtins, node.value.id):
            for target in node.targets:
                aliases[target.id] = node.value.id
    used = {n.id for name in HOT[path][1] for n in ast.walk(found[name])
            if isinstance(n, ast.Name) and n.id.startswith("_") and hasattr(builtins, n.id[1:])}
    assert used, "no aliases used: the check would pass vacuously"
    for name in used:
        assert aliases.get(name) == name[1:], "%s: %s is not defined as %s" % (path, name, name[1:])


def test_the_check_catches_a_builtin():
    fn = ast.parse("def f(self, b):\n    if len(b) and type(b) is int:\n        raise ValueError\n").body[0]
    assert builtin_loads(fn) == {"len", "type", "int"}
