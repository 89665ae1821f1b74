"""Check the editor stubs (typings/*.pyi) against the library's source, by reading both
with ast (nothing is imported: the sources are MicroPython).

    python tools/stubcheck.py        # lists every difference; exit 1 if any

A module's public API: module-level functions, classes and constants whose names do not
start with "_" (including those defined inside top-level if/try blocks), the public
methods and class attributes of its public classes, and, in a package's __init__.py,
what it re-exports from its own package. `del` at module level removes a name;
`__all__`, when present, is the API. For every public name, the stub must define it;
for functions and methods, the parameters must have the same names, order and kinds,
and a default in the same places. A name in a stub that the source lacks is an error too.
"""

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TYPINGS = ROOT / "typings"

# stub path -> source path
PAIRS = {
    "socket.pyi": "modules/_socket_ms.py",  # what `import socket` gives code written for the library
    "wireless/__init__.pyi": "modules/wireless/__init__.py",
    "wireless/wifi.pyi": "modules/wireless/wifi.py",
    "ethernet/__init__.pyi": "modules/ethernet/__init__.py",
    "ethernet/eth.pyi": "modules/ethernet/eth.py",
    "netlink.pyi": "modules/netlink.py",
    "sfnet/__init__.pyi": "modules/sfnet/__init__.py",
    "simplesockets/__init__.pyi": "modules/simplesockets/__init__.py",
}
# sfnet's names live in its submodules (loaded on first use): one stub each.
for _m in ("base", "errors", "ftp", "http", "ipaddress", "listener", "packet", "selector",
           "tcp", "time", "udp"):
    PAIRS["sfnet/%s.pyi" % _m] = "modules/sfnet/%s.py" % _m


def _top_statements(body):
    """Module-level statements, looking into if/try blocks (port-specific definitions)."""
    for node in body:
        if isinstance(node, ast.If):
            yield from _top_statements(node.body)
            yield from _top_statements(node.orelse)
        elif isinstance(node, ast.Try):
            yield from _top_statements(node.body)
            for h in node.handlers:
                yield from _top_statements(h.body)
            yield from _top_statements(node.orelse)
            yield from _top_statements(node.finalbody)
        else:
            yield node


def _targets(node):
    if isinstance(node, ast.Assign):
        for t in node.targets:
            for n in (t.elts if isinstance(t, ast.Tuple) else [t]):
                if isinstance(n, ast.Name):
                    yield n.id
    elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
        yield node.target.id


def signature(fn):
    """(kind, name, has_default) per parameter: comparable across source and stub."""
    a = fn.args
    params = []
    positional = a.posonlyargs + a.args
    first_default = len(positional) - len(a.defaults)
    for i, p in enumerate(positional):
        kind = "posonly" if i < len(a.posonlyargs) else "pos"
        if p.arg.startswith("_") and i >= first_default:
            continue  # a private keyword (socket(_sock=...)) is not API
        params.append((kind, p.arg, i >= first_default))
    if a.vararg:
        params.append(("*", a.vararg.arg, False))
    for p, d in zip(a.kwonlyargs, a.kw_defaults):
        params.append(("kwonly", p.arg, d is not None))
    if a.kwarg:
        params.append(("**", a.kwarg.arg, False))
    return params


def _class_api(cls, classes=None):
    """A class's public members, with those it inherits from classes of the same module."""
    api = {}
    for base in cls.bases:
        if isinstance(base, ast.Name) and classes and base.id in classes:
            api.update(_class_api(classes[base.id], classes))
    for node in cls.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            if not node.name.startswith("_") or node.name in ("__init__", "__enter__", "__exit__",
                                                               "__iter__", "__next__", "__eq__",
                                                               "__lt__", "__hash__", "__str__"):
                if node.name in api and api[node.name] != "property":
                    continue  # overload in a stub: the first one is compared
                deco = {d.id for d in node.decorator_list if isinstance(d, ast.Name)}
                if "property" in deco:
                    api[node.name] = "property"
                elif not any(isinstance(d, ast.Attribute) and d.attr == "setter"
                             for d in node.decorator_list):
                    api[node.name] = signature(node)
        else:
            for name in _targets(node):
                if not name.startswith("_"):
                    api[name] = "attr"
    return api


def api(path, package=None):
    """{name: ("def", signature) | ("class", {member: ...}) | ("const", None)}."""
    tree = ast.parse(Path(path).read_text(), filename=str(path))
    out = {}
    explicit = None
    classes = {n.name: n for n in _top_statements(tree.body) if isinstance(n, ast.ClassDef)}
    for node in _top_statements(tree.body):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            if node.name not in out:  # an overload or a port-specific twin: first wins
                out[node.name] = ("def", signature(node))
        elif isinstance(node, ast.ClassDef):
            out[node.name] = ("class", _class_api(node, classes))
        elif isinstance(node, ast.ImportFrom) and package is not None:
            own = node.level > 0 or (node.module or "").split(".")[0] == package
            if own:
                for a in node.names:
                    name = a.asname or a.name
                    if name != "*":
                        out.setdefault(name, ("import", None))
        elif isinstance(node, ast.ImportFrom) and not node.level and (node.module or "").startswith("_"):
            # names re-exported from one of our private modules (socket's from _netcore):
            # checked against their definition there
            core = Path(path).parent / (node.module + ".py")
            if core.exists():
                defs = api(core)
                for a in node.names:
                    if a.name in defs:
                        out.setdefault(a.asname or a.name, defs[a.name])
        elif isinstance(node, ast.Delete):
            for t in node.targets:
                if isinstance(t, ast.Name):
                    out.pop(t.id, None)
        else:
            for name in _targets(node):
                if name == "__all__":
                    explicit = _all_names(node.value, tree)
                out.setdefault(name, ("const", None))
    # Class attributes assigned after the class body (IpAddress.ANY = IpAddress(...)).
    for node in tree.body:
        if isinstance(node, ast.Assign):
            for t in node.targets:
                if (isinstance(t, ast.Attribute) and isinstance(t.value, ast.Name)
                        and t.value.id in out and out[t.value.id][0] == "class"
                        and not t.attr.startswith("_")):
                    out[t.value.id][1][t.attr] = "attr"
    if explicit is not None:  # names a lazy module (__getattr__) provides count as imports
        return {n: out.get(n, ("import", None)) for n in explicit}
    return {n: out[n] for n in out if not n.startswith("_")}


def _all_names(value, tree):
    """__all__ as a literal list, or list(D) / list(D.keys()) of a dict literal D."""
    if isinstance(value, (ast.List, ast.Tuple)):
        return [ast.literal_eval(e) for e in value.elts]
    if isinstance(value, ast.Call) and value.args:
        arg = value.args[0]
        if isinstance(arg, ast.Call) and isinstance(arg.func, ast.Attribute):
            arg = arg.func.value  # D.keys()
        if isinstance(arg, ast.Name):
            for node in tree.body:
                if (isinstance(node, ast.Assign) and isinstance(node.value, ast.Dict)
                        and any(isinstance(t, ast.Name) and t.id == arg.id for t in node.targets)):
                    return [ast.literal_eval(k) for k in node.value.keys]
    raise ValueError("cannot read __all__ at line %d" % value.lineno)


def _kinds_match(src, stub):
    if src == stub:
        return True
    # a stub may spell an imported name as a class, a def or a constant: any definition counts
    return src[0] == "import" or stub[0] == "import"


def compare(stub_path, source_path):
    """Every difference between a stub and its source, as readable strings."""
    package = None
    if Path(source_path).name == "__init__.py":
        package = Path(source_path).parent.name
    src = api(source_path, package)
    stub = api(stub_path, package)
    problems = []
    for name, (kind, detail) in src.items():
        if name not in stub:
            problems.append("%s: missing %s %s" % (stub_path.name, kind, name))
            continue
        skind, sdetail = stub[name]
        if kind == "def" and skind == "def" and detail != sdetail:
            problems.append("%s: %s%s differs from the source %s" % (
                stub_path.name, name, _fmt(sdetail), _fmt(detail)))
        elif kind == "class" and skind == "class":
            for member, sig in detail.items():
                if member not in sdetail:
                    problems.append("%s: missing %s.%s" % (stub_path.name, name, member))
                elif isinstance(sig, list) and isinstance(sdetail[member], list) and sig != sdetail[member]:
                    problems.append("%s: %s.%s%s differs from the source %s" % (
                        stub_path.name, name, member, _fmt(sdetail[member]), _fmt(sig)))
            for member in sdetail:
                if member not in detail and member not in ("__init__",):
                    problems.append("%s: %s.%s is not in the source" % (stub_path.name, name, member))
        elif kind in ("def", "class") and skind in ("def", "class") and kind != skind:
            problems.append("%s: %s is a %s in the source, a %s in the stub"
                            % (stub_path.name, name, kind, skind))
    for name in stub:
        if name not in src:
            problems.append("%s: %s is not in the source" % (stub_path.name, name))
    return problems


def _fmt(sig):
    return "(%s)" % ", ".join(
        {"*": "*", "**": "**"}.get(k, "") + n + ("=..." if d else "") for k, n, d in sig)


def check_all(typings=TYPINGS, root=ROOT):
    problems = []
    for stub, source in PAIRS.items():
        sp, src = typings / stub, root / source
        if not src.exists():
            continue
        if not sp.exists():
            problems.append("no stub %s for %s" % (stub, source))
            continue
        problems.extend(compare(sp, src))
    return problems


def main():
    problems = check_all()
    for p in problems:
        print(p)
    print("%d difference(s)" % len(problems))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
