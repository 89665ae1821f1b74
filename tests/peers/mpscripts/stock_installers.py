# mptest: timeout=120
# Stock micropython-lib clients, unmodified, over the library's socket: mip installing
# from a package index (package JSON, files by hash, dependencies, relative URLs, a
# single file, a missing package, a re-install that finds the files by their hashes),
# urllib.urequest and the asyncio client uaiohttpclient, against CPython's http.server
# serving a directory. Run by tests/host/test_stock_installers.py, which builds the
# index and checks the installed files byte for byte afterwards. Tests run in name
# order, each on its own.
# argv: http_port target_dir
import sys
import mptest

PORT, TARGET = int(sys.argv[1]), sys.argv[2]
INDEX = "http://127.0.0.1:%d" % PORT


def test_the_socket_is_the_library():
    import socket

    mptest.eq(hasattr(socket, "seconds_for"), True, "the library's socket")
    import requests

    mptest.eq(requests.socket.__name__, "_socket_s", "stock requests gets the seconds view")


def _install(package, **kw):
    import mip

    out = []
    real = print

    def capture(*a):
        out.append(" ".join(str(x) for x in a))

    import builtins

    builtins.print = capture
    try:
        mip.install(package, target=TARGET, **kw)
    finally:
        builtins.print = real
    return out


def test_mip_installs_a_package_and_its_dependency():
    out = _install("demo", index=INDEX, mpy=False)
    mptest.eq(out[-1], "Done", "mip's last line")
    mptest.eq([l for l in out if l.startswith("Copying")],
              ["Copying: %s/demo/__init__.py" % TARGET, "Copying: %s/dep.py" % TARGET], "files copied")


def test_mip_reinstall_finds_the_files_by_their_hashes():
    _install("demo", index=INDEX, mpy=False)  # (tests run in name order: installed here too)
    out = _install("demo", index=INDEX, mpy=False)
    mptest.eq(out[-1], "Done", "mip's last line")
    mptest.eq(len([l for l in out if l.startswith("Exists")]), 2, "both files already there: %r" % out)


def test_mip_package_json_url_with_relative_urls():
    out = _install(INDEX + "/raw/pkg")
    mptest.eq(out[-1], "Done", "mip's last line")


def test_mip_single_file_url():
    out = _install(INDEX + "/raw/single.py")
    mptest.eq(out[-1], "Done", "mip's last line")


def test_mip_missing_package_is_reported():
    out = _install("nosuch", index=INDEX, mpy=False)
    mptest.eq(out[-2], "Package not found: %s/package/py/nosuch/latest.json" % INDEX, "mip's report")


def test_urequest_reads_a_file():
    from urllib import urequest

    f = urequest.urlopen(INDEX + "/raw/single.py")
    try:
        mptest.eq(f.read(), b"S = 4\n", "body")
    finally:
        f.close()


def test_urequest_refused_is_econnrefused():
    import errno
    from urllib import urequest

    e = mptest.raises(OSError, urequest.urlopen, "http://127.0.0.1:1/")
    mptest.eq(e.errno, errno.ECONNREFUSED, "errno")


def test_uaiohttpclient_reads_a_file():
    import asyncio
    import uaiohttpclient

    async def get():
        resp = await uaiohttpclient.request("GET", INDEX + "/raw/big.bin")
        return resp.status, await resp.read()

    status, body = asyncio.run(get())
    mptest.eq(status, 200, "status")
    mptest.eq(len(body), 20000, "length")
    mptest.eq(body, bytes((i * 7 + 3) & 0xFF for i in range(20000)), "body")


mptest.main(globals())
