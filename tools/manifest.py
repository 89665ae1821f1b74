"""Evaluate MicroPython manifest files on the host, without a MicroPython checkout.

    python tools/manifest.py firmware/manifest.py
    python tools/manifest.py boards/WT32_ETH01/manifest.py --var PORT_DIR=~/micropython/ports/esp32

Implements the manifest API documented in MicroPython's docs/reference/manifest.rst,
with its rules: metadata() once per package; relative paths resolve against the manifest
being run; include() of a directory runs its manifest.py; $(VAR) path variables;
module(), package(), freeze*(), require(), add_library(), c_module(), options.
Paths that use a variable not given here (e.g. $(PORT_DIR) without a checkout) and
require()s of micropython-lib packages are recorded in `external`, not followed: they
belong to the user's MicroPython tree, which `make firmware` checks separately.
"""

import argparse
import os
import re
import sys
from collections import namedtuple

Frozen = namedtuple("Frozen", "full_path target_path opt")
_VAR = re.compile(r"\$\((\w+)\)")


class ManifestError(Exception):
    pass


class _Options:
    """The `options` global: include(..., name=value) keywords with defaults()."""

    def __init__(self, **kwargs):
        self._kwargs = kwargs
        self._defaults = {}

    def defaults(self, **kwargs):
        self._defaults = kwargs

    def __getattr__(self, name):
        return self._kwargs.get(name, self._defaults.get(name))


class Manifest:
    def __init__(self, path_vars=None):
        self.path_vars = {k: v for k, v in (path_vars or {}).items() if v}
        self.files = []          # Frozen entries, in manifest order
        self.external = []       # (kind, what) not followed: unknown $(VAR) paths, require()s
        self.included = []       # manifest files run, in order
        self.c_modules = []      # C module directories (c_module()), resolved
        self.libraries = {}
        self._meta = [{}]        # one dict per package level (require() pushes one)
        self._dir = [os.getcwd()]

    # -- helpers ---------------------------------------------------------------------

    def _resolve(self, path):
        """Absolute path, or None when it uses a variable we do not know."""
        missing = [v for v in _VAR.findall(path) if v not in self.path_vars]
        if missing:
            return None
        path = _VAR.sub(lambda m: self.path_vars[m.group(1)], path)
        return os.path.normpath(os.path.join(self._dir[-1], os.path.expanduser(path)))

    def _add(self, full_path, target_path, opt):
        if not os.path.isfile(full_path):
            raise ManifestError("%s: no such file %s" % (self.included[-1], full_path))
        self.files.append(Frozen(full_path, target_path.replace(os.sep, "/"), opt))

    def _walk(self, base, sub, exts, opt):
        top = os.path.join(base, sub) if sub else base
        if not os.path.isdir(top):
            raise ManifestError("%s: no such directory %s" % (self.included[-1], top))
        for dirpath, dirnames, filenames in os.walk(top):
            dirnames[:] = sorted(d for d in dirnames if d != "__pycache__")
            for name in sorted(filenames):
                if os.path.splitext(name)[1] in exts:
                    full = os.path.join(dirpath, name)
                    self._add(full, os.path.relpath(full, base), opt)

    # -- the manifest API ------------------------------------------------------------

    def metadata(self, description=None, version=None, license=None, author=None, **extra):
        meta = self._meta[-1]
        if meta:
            raise ManifestError("%s: duplicate call to metadata()" % self.included[-1])
        meta.update(extra, description=description, version=version, license=license,
                    author=author)

    def include(self, manifest_path, is_require=False, **kwargs):
        if not isinstance(manifest_path, str):
            for path in manifest_path:
                self.include(path, **kwargs)
            return
        path = self._resolve(manifest_path)
        if path is None:
            self.external.append(("include", manifest_path))
            return
        if os.path.isdir(path):
            path = os.path.join(path, "manifest.py")
        if path in self.included:
            return
        if not os.path.isfile(path):
            raise ManifestError("%s: include of missing manifest %s"
                                % (self.included[-1] if self.included else "?", path))
        self.included.append(path)
        if is_require:
            self._meta.append({})
        self._dir.append(os.path.dirname(path))
        try:
            with open(path) as f:
                code = compile(f.read(), path, "exec")
            exec(code, self._globals(kwargs))
        except ManifestError:
            raise
        except Exception as exc:
            raise ManifestError("error in manifest %s: %s: %s" % (path, type(exc).__name__, exc))
        finally:
            self._dir.pop()
            if is_require:
                self._meta.pop()

    def require(self, name, version=None, pypi=None, library=None, **kwargs):
        self.external.append(("require", name if library is None else "%s:%s" % (library, name)))

    def add_library(self, library, library_path, prepend=False):
        self.libraries[library] = library_path

    def module(self, module_path, base_path=".", opt=None):
        base = self._resolve(base_path)
        if base is None:
            self.external.append(("module", module_path))
            return
        if not module_path.endswith(".py"):
            raise ManifestError("%s: module() needs a .py file, got %r" % (self.included[-1], module_path))
        self._add(os.path.join(base, module_path), module_path, opt)

    def package(self, package_path, files=None, base_path=".", opt=None):
        base = self._resolve(base_path)
        if base is None:
            self.external.append(("package", package_path))
            return
        if files is not None:
            for name in files:
                self._add(os.path.join(base, package_path, name),
                          os.path.join(package_path, name), opt)
        else:
            self._walk(base, package_path, (".py",), opt)

    def c_module(self, library_dir):
        path = self._resolve(library_dir)
        if path is None:
            self.external.append(("c_module", library_dir))
        elif not os.path.isdir(path):
            raise ManifestError("%s: no C module directory %s" % (self.included[-1], path))
        else:
            self.c_modules.append(path)

    def freeze(self, path, script=None, opt=None):
        base = self._resolve(path)
        if base is None:
            self.external.append(("freeze", path))
            return
        if script is None:
            self._walk(base, "", (".py", ".mpy"), opt)
        else:
            for name in [script] if isinstance(script, str) else script:
                self._add(os.path.join(base, name), name, opt)

    freeze_as_mpy = freeze_mpy = freeze_as_str = freeze

    def _globals(self, kwargs):
        names = ("metadata", "include", "require", "add_library", "module", "package",
                 "c_module", "freeze", "freeze_as_mpy", "freeze_mpy", "freeze_as_str")
        g = {name: getattr(self, name) for name in names}
        g["options"] = _Options(**kwargs)
        return g

    # -- results ---------------------------------------------------------------------

    @property
    def version(self):
        return self._meta[0].get("version")

    @property
    def meta(self):
        return dict(self._meta[0])


def load(path, path_vars=None):
    """Run the manifest at `path`; return the Manifest."""
    path = os.path.abspath(path)
    vars_ = {"MPY_DIR": None, "PORT_DIR": None, "MPY_LIB_DIR": None,
             "BOARD_DIR": os.path.dirname(path)}
    vars_.update(path_vars or {})
    m = Manifest(vars_)
    m.include(path)
    return m


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("manifest")
    parser.add_argument("--var", action="append", default=[], help="NAME=path, e.g. PORT_DIR=...")
    args = parser.parse_args(argv)
    try:
        m = load(args.manifest, dict(v.split("=", 1) for v in args.var))
    except ManifestError as exc:
        print("error: %s" % exc, file=sys.stderr)
        return 1
    print("version %s, %d file(s)" % (m.version, len(m.files)))
    for f in m.files:
        print("  %-40s %s" % (f.target_path, os.path.relpath(f.full_path)))
    for kind, what in m.external:
        print("  (external %s: %s)" % (kind, what))
    return 0


if __name__ == "__main__":
    sys.exit(main())
