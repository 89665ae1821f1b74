# mptest: timeout=120
# sfnet.Ftp against pyftpdlib (run by tests/host/test_ftp_pyftpdlib.py).
# argv: host port root dropping_port dropping_root
# The peer runs on this machine, so the tests check the server's files directly in root.
import os
import sys
import mptest
from localfiles import write, read, exists
from sfnet.ftp import Ftp, FtpResponse, FtpDirectoryResponse, FtpListingResponse

HOST = sys.argv[1]
PORT = int(sys.argv[2])
ROOT = sys.argv[3]
DROP_PORT = int(sys.argv[4])
DROP_ROOT = sys.argv[5]
USER, PASSWORD = "user", "12345"
BUF = 512  # the Ftp buffer in these tests; files are much larger


def pattern(n):
    return bytes(((i * 7 + 3) & 0xFF) for i in range(n))


def text(n):
    line = b"line of ASCII text, some words 0123456789\n"
    return (line * (n // len(line) + 1))[:n]


def same(got, want, what):
    # short failure messages: files here are tens of KB
    if got != want:
        i = 0
        n = min(len(got), len(want))
        while i < n and got[i] == want[i]:
            i += 1
        raise AssertionError("%s: %d bytes, want %d; first difference at %d: %r vs %r"
                             % (what, len(got), len(want), i, got[i:i + 12], want[i:i + 12]))


def session(port=PORT):
    ftp = Ftp(BUF)
    r = ftp.connect(HOST, port, 5000)
    mptest.eq(r.status, FtpResponse.SERVICE_READY, "greeting")
    r = ftp.login(USER, PASSWORD)
    mptest.eq(r.status, FtpResponse.LOGGED_IN, "login")
    return ftp


def test_response_constants_and_ok():
    want = {"RESTART_MARKER_REPLY": 110, "SERVICE_READY_SOON": 120, "DATA_CONNECTION_ALREADY_OPENED": 125,
            "OPENING_DATA_CONNECTION": 150, "OK": 200, "POINTLESS_COMMAND": 202, "SYSTEM_STATUS": 211,
            "DIRECTORY_STATUS": 212, "FILE_STATUS": 213, "HELP_MESSAGE": 214, "SYSTEM_TYPE": 215,
            "SERVICE_READY": 220, "CLOSING_CONNECTION": 221, "DATA_CONNECTION_OPENED": 225,
            "CLOSING_DATA_CONNECTION": 226, "ENTERING_PASSIVE_MODE": 227, "LOGGED_IN": 230,
            "FILE_ACTION_OK": 250, "DIRECTORY_OK": 257, "NEED_PASSWORD": 331, "NEED_ACCOUNT_TO_LOG_IN": 332,
            "NEED_INFORMATION": 350, "SERVICE_UNAVAILABLE": 421, "DATA_CONNECTION_UNAVAILABLE": 425,
            "TRANSFER_ABORTED": 426, "FILE_ACTION_ABORTED": 450, "LOCAL_ERROR": 451,
            "INSUFFICIENT_STORAGE_SPACE": 452, "COMMAND_UNKNOWN": 500, "PARAMETERS_UNKNOWN": 501,
            "COMMAND_NOT_IMPLEMENTED": 502, "BAD_COMMAND_SEQUENCE": 503, "PARAMETER_NOT_IMPLEMENTED": 504,
            "NOT_LOGGED_IN": 530, "NEED_ACCOUNT_TO_STORE": 532, "FILE_UNAVAILABLE": 550,
            "PAGE_TYPE_UNKNOWN": 551, "NOT_ENOUGH_MEMORY": 552, "FILENAME_NOT_ALLOWED": 553,
            "INVALID_RESPONSE": 1000, "CONNECTION_FAILED": 1001, "CONNECTION_CLOSED": 1002, "INVALID_FILE": 1003}
    for name, code in want.items():
        mptest.eq(getattr(FtpResponse, name), code, name)
    r = FtpResponse()
    mptest.eq((r.status, r.ok, r.message), (1000, False, ""), "default like SFML")
    for code in (110, 200, 331):
        assert FtpResponse(code).ok, code
    for code in (421, 500, 1000):
        assert not FtpResponse(code).ok, code
    mptest.eq((Ftp.BINARY, Ftp.ASCII, Ftp.EBCDIC), (0, 1, 2))


def test_directory_and_listing_response_parsing():
    mptest.eq(FtpDirectoryResponse(257, '"/usr/local/lib" is the current directory').get_directory(), "/usr/local/lib")
    mptest.eq(FtpDirectoryResponse(257, '"/a ""q"" b" created').get_directory(), '/a "q" b')
    mptest.eq(FtpDirectoryResponse(200, "Ok").get_directory(), "Ok")
    mptest.eq(FtpDirectoryResponse().get_directory(), "")
    mptest.eq(FtpListingResponse(200, "", b"foo\r\nbar\r\nbaz").get_filenames(), ["foo", "bar", "baz"])
    mptest.eq(FtpListingResponse(200, "", b"").get_filenames(), [])
    mptest.eq(FtpListingResponse(550, "", b"x\r\n").get_filenames(), [])
    r = FtpListingResponse(200, "", b"a\r\nb")
    mptest.eq(r.filenames, r.get_filenames(), "pySFML 2.2's attribute, the same list")


def test_connect_refused():
    r = Ftp().connect("127.0.0.1", 1, 2000)
    mptest.eq(r.status, FtpResponse.CONNECTION_FAILED)
    assert not r.ok


def test_greeting_and_anonymous_login():
    ftp = Ftp()
    r = ftp.connect(HOST, PORT, 5000)
    mptest.eq(r.status, 220)
    assert "sfnet test peer ready" in r.message, r.message
    r = ftp.login()
    mptest.eq(r.status, FtpResponse.LOGGED_IN, "anonymous")
    r = ftp.create_directory("anon-may-not")
    mptest.eq(r.status, FtpResponse.FILE_UNAVAILABLE, "anonymous is read-only")
    mptest.eq(ftp.disconnect().status, FtpResponse.CLOSING_CONNECTION)


def test_connect_with_sfnet_ip_address_and_time():
    from sfnet import IpAddress, seconds

    ftp = Ftp()
    mptest.eq(ftp.connect(IpAddress.from_string(HOST), PORT, seconds(5)).status, 220)
    ftp.disconnect()
    mptest.raises(TypeError, ftp.connect, 127001, PORT)
    e = mptest.raises(ValueError, ftp.connect, IpAddress.NONE, PORT)  # not a connect to 0.0.0.0
    assert "IpAddress.NONE" in str(e), e
    mptest.raises(ValueError, ftp.connect, HOST, 0)
    mptest.raises(TypeError, ftp.connect, HOST, PORT, "5s")


def test_bad_credentials():
    ftp = Ftp()
    ftp.connect(HOST, PORT, 5000)
    # a refused password is refused before USER goes out: the server sees no USER, so
    # a PASS on its own is out of sequence
    mptest.raises(ValueError, ftp.login, USER, PASSWORD + "\r\nDELE x")
    mptest.raises(TypeError, ftp.login, USER, 12345)
    mptest.eq(ftp.send_command("PASS", PASSWORD).status, FtpResponse.BAD_COMMAND_SEQUENCE, "no USER was sent")
    r = ftp.login(USER, "wrong")
    mptest.eq(r.status, FtpResponse.NOT_LOGGED_IN)
    assert not r.ok
    r = ftp.get_working_directory()
    mptest.eq(r.status, FtpResponse.NOT_LOGGED_IN, "commands refused after a failed login")
    ftp.disconnect()


def test_multiline_replies_and_send_command():
    ftp = session()
    r = ftp.send_command("HELP")
    mptest.eq(r.status, FtpResponse.HELP_MESSAGE)
    assert "\n" in r.message and "RETR" in r.message, r.message
    r = ftp.send_command("FEAT")
    mptest.eq(r.status, FtpResponse.SYSTEM_STATUS)
    assert "MDTM" in r.message, r.message
    r = ftp.send_command("SYST")
    mptest.eq(r.status, FtpResponse.SYSTEM_TYPE)
    r = ftp.send_command("XYZZY")
    mptest.eq(r.status, FtpResponse.COMMAND_UNKNOWN)
    mptest.eq(ftp.keep_alive().status, FtpResponse.OK)
    mptest.raises(ValueError, ftp.send_command, "NOOP\r\nDELE x")
    mptest.raises(ValueError, ftp.delete_file, "a\nb")
    mptest.raises(TypeError, ftp.send_command, 42)
    ftp.disconnect()


def test_directories():
    ftp = session()
    r = ftp.get_working_directory()
    mptest.eq((r.status, r.get_directory()), (257, "/"))
    mptest.eq(ftp.create_directory("dir-a").status, FtpResponse.DIRECTORY_OK)
    assert exists(ROOT + "/dir-a")
    mptest.eq(ftp.change_directory("dir-a").status, FtpResponse.FILE_ACTION_OK)
    mptest.eq(ftp.get_working_directory().get_directory(), "/dir-a")
    mptest.eq(ftp.change_directory("no-such-dir").status, FtpResponse.FILE_UNAVAILABLE)
    mptest.eq(ftp.parent_directory().status, FtpResponse.FILE_ACTION_OK)
    mptest.eq(ftp.get_working_directory().get_directory(), "/")
    mptest.eq(ftp.delete_directory("dir-a").status, FtpResponse.FILE_ACTION_OK)
    assert not exists(ROOT + "/dir-a")
    mptest.eq(ftp.delete_directory("dir-a").status, FtpResponse.FILE_UNAVAILABLE)
    ftp.disconnect()


def test_listing():
    os.mkdir(ROOT + "/list")
    for n in ("one.txt", "two.bin", "three"):
        write(ROOT + "/list/" + n, b"x")
    ftp = session()
    r = ftp.get_directory_listing("list")
    mptest.eq(r.status, FtpResponse.CLOSING_DATA_CONNECTION)
    mptest.eq(sorted(x.rsplit("/", 1)[-1] for x in r.get_filenames()), ["one.txt", "three", "two.bin"])
    ftp.change_directory("list")
    mptest.eq(sorted(ftp.get_directory_listing().get_filenames()), ["one.txt", "three", "two.bin"])
    r = ftp.get_directory_listing("/missing")
    assert not r.ok and r.get_filenames() == [], r
    e = mptest.raises(ValueError, ftp.get_directory_listing, "/list", 10)
    assert "max_size" in str(e)
    mptest.eq(ftp.keep_alive().status, 200, "session still in step after the refused listing")
    ftp.disconnect()


def test_rename_and_delete():
    write(ROOT + "/old-name.txt", b"content")
    ftp = session()
    mptest.eq(ftp.rename_file("old-name.txt", "new-name.txt").status, FtpResponse.FILE_ACTION_OK)
    assert not exists(ROOT + "/old-name.txt")
    mptest.eq(read(ROOT + "/new-name.txt"), b"content")
    mptest.eq(ftp.rename_file("missing.txt", "x.txt").status, FtpResponse.FILE_UNAVAILABLE)
    # a refused new name is refused before RNFR goes out: an RNTO then has no RNFR
    mptest.raises(TypeError, ftp.rename_file, "new-name.txt", 5)
    mptest.raises(ValueError, ftp.rename_file, "new-name.txt", "a\nb")
    mptest.eq(ftp.send_command("RNTO", "x.txt").status, FtpResponse.BAD_COMMAND_SEQUENCE, "no RNFR was sent")
    assert exists(ROOT + "/new-name.txt")
    mptest.eq(ftp.delete_file("new-name.txt").status, FtpResponse.FILE_ACTION_OK)
    assert not exists(ROOT + "/new-name.txt")
    mptest.eq(ftp.delete_file("new-name.txt").status, FtpResponse.FILE_UNAVAILABLE)
    ftp.disconnect()


def test_binary_download_larger_than_buffer():
    data = pattern(100000)
    write(ROOT + "/big.bin", data)
    ftp = session()
    r = ftp.download("big.bin", ".", Ftp.BINARY)
    mptest.eq(r.status, FtpResponse.CLOSING_DATA_CONNECTION)
    same(read("big.bin"), data, "file")
    assert not exists("big.bin.part")
    os.remove("big.bin")
    ftp.disconnect()


def test_binary_upload_larger_than_buffer():
    data = pattern(70001)
    write("up.bin", data)
    ftp = session()
    ftp.create_directory("uploads")
    r = ftp.upload("up.bin", "uploads")
    mptest.eq(r.status, FtpResponse.CLOSING_DATA_CONNECTION)
    same(read(ROOT + "/uploads/up.bin"), data, "file")
    # append
    r = ftp.upload("up.bin", "/uploads", Ftp.BINARY, True)
    mptest.eq(r.status, FtpResponse.CLOSING_DATA_CONNECTION)
    same(read(ROOT + "/uploads/up.bin"), data + data, "file")
    os.remove("up.bin")
    ftp.disconnect()


def test_ascii_transfers_convert_line_ends():
    # On the wire ASCII is CR LF; pyftpdlib converts to/from the server's LF, and so
    # does the client, so the text comes back byte-identical (and > the buffer).
    data = text(20000)
    write(ROOT + "/text.txt", data)
    ftp = session()
    r = ftp.download("/text.txt", "", Ftp.ASCII)
    mptest.eq(r.status, 226)
    same(read("text.txt"), data, "ASCII download")
    r = ftp.download("/text.txt", "", Ftp.BINARY)
    same(read("text.txt"), data, "binary download of the same file")
    os.rename("text.txt", "text-up.txt")
    r = ftp.upload("text-up.txt", "/", Ftp.ASCII)
    mptest.eq(r.status, 226)
    same(read(ROOT + "/text-up.txt"), data, "ASCII upload")
    os.remove("text-up.txt")
    ftp.disconnect()


def test_ebcdic_mode_refused_cleanly():
    write(ROOT + "/e.txt", b"abc")
    ftp = session()
    r = ftp.download("e.txt", "", Ftp.EBCDIC)
    assert not r.ok, r
    mptest.eq(r.status, FtpResponse.PARAMETER_NOT_IMPLEMENTED, "pyftpdlib has no TYPE E")
    assert not exists("e.txt") and not exists("e.txt.part")
    mptest.raises(ValueError, ftp.download, "e.txt", "", 7)
    ftp.disconnect()


def test_missing_files():
    ftp = session()
    r = ftp.download("does-not-exist.bin", "")
    mptest.eq(r.status, FtpResponse.FILE_UNAVAILABLE)
    assert not exists("does-not-exist.bin") and not exists("does-not-exist.bin.part")
    r = ftp.upload("no-local-file.bin", "/")
    mptest.eq(r.status, FtpResponse.INVALID_FILE)
    write(ROOT + "/fine.bin", b"1")
    r = ftp.download("fine.bin", "no/such/local/dir")
    mptest.eq(r.status, FtpResponse.INVALID_FILE)
    mptest.eq(ftp.keep_alive().status, 200, "the session survives")
    ftp.disconnect()


def test_commands_after_disconnect():
    ftp = session()
    mptest.eq(ftp.disconnect().status, FtpResponse.CLOSING_CONNECTION)
    mptest.eq(ftp.keep_alive().status, FtpResponse.CONNECTION_CLOSED)
    mptest.eq(ftp.download("x", "").status, FtpResponse.CONNECTION_CLOSED)
    mptest.eq(ftp.disconnect().status, FtpResponse.CONNECTION_CLOSED)


def test_data_connection_dropped_mid_transfer():
    write(DROP_ROOT + "/drop-data.bin", pattern(400000))
    ftp = session(DROP_PORT)
    r = ftp.download("drop-data.bin", "")
    mptest.eq(r.status, FtpResponse.CONNECTION_CLOSED)
    assert "426" in r.message, "the server's own reply is kept in the message: " + r.message
    assert not exists("drop-data.bin"), "no truncated file under the real name"
    assert not exists("drop-data.bin.part"), "partial file removed"
    ftp.disconnect()


def test_control_connection_dropped_mid_transfer():
    write(DROP_ROOT + "/drop-control.bin", pattern(400000))
    ftp = session(DROP_PORT)
    r = ftp.download("drop-control.bin", "")
    mptest.eq(r.status, FtpResponse.CONNECTION_CLOSED)
    assert not exists("drop-control.bin") and not exists("drop-control.bin.part")
    mptest.eq(ftp.keep_alive().status, FtpResponse.CONNECTION_CLOSED, "control connection is gone")


def test_silent_server_times_out():
    import socket
    import time

    lst = socket.socket()
    lst.bind(("127.0.0.1", 0))
    lst.listen(1)  # accepts into the backlog, never says a word
    ftp = Ftp()
    t0 = time.ticks_ms()
    r = ftp.connect("127.0.0.1", lst.getsockname()[1], 300)
    took = time.ticks_diff(time.ticks_ms(), t0)
    lst.close()
    mptest.eq(r.status, FtpResponse.CONNECTION_CLOSED)
    assert "timed out" in r.message, r.message
    assert took < 300 + 500, took


def test_no_descriptor_leak():
    before = len(os.listdir("/proc/self/fd"))
    ftp = session()
    ftp.download("missing", "")
    ftp.upload("missing-local", "/")
    ftp.get_directory_listing("/")
    ftp.disconnect()
    Ftp().connect("127.0.0.1", 1, 1000)
    mptest.eq(len(os.listdir("/proc/self/fd")), before, "open descriptors")


mptest.main(globals())
