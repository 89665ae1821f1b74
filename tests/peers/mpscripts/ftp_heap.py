# mptest: heapsize=200K heapsize_py=256K timeout=60
# sfnet.Ftp against hostile FTP servers in a 200 KB heap (run by
# tests/host/test_ftp_pyftpdlib.py; the .py variant gets 256 KB, as compiling the
# library source fragments the heap): a reply may take at most max_reply bytes
# (8 KB by default) and 200 lines; past that, INVALID_RESPONSE and a closed control
# connection, never a MemoryError.
# argv: host, then the ports of: huge reply, long reply, reply within the bound,
# long reply (again, for a raised max_reply)
import gc
import socket  # first, as boot.py does on a board: compiling its .py source is the peak

gc.collect()
import sys
import mptest
from sfnet.ftp import Ftp, FtpResponse

HOST = sys.argv[1]
HUGE, LONG, FITS, LONG2 = (int(p) for p in sys.argv[2:6])


def check_refused(ftp, r):
    mptest.eq(r.status, FtpResponse.INVALID_RESPONSE, "status")
    assert "max_reply=8192" in r.message, r.message
    # the control connection is closed: later calls say so without touching the network
    mptest.eq(ftp.keep_alive().status, FtpResponse.CONNECTION_CLOSED, "after the refused reply")


def test_reply_of_800_kb_is_refused_not_memoryerror():
    # 220- then 199 lines of 4,000 bytes: within the line and line-count limits
    gc.collect()
    ftp = Ftp()
    check_refused(ftp, ftp.connect(HOST, HUGE, 5000))


def test_many_short_lines_past_the_byte_bound():
    # 150 lines of 100 bytes (15 KB): fewer than 200 lines, more than 8 KB
    ftp = Ftp()
    check_refused(ftp, ftp.connect(HOST, LONG, 5000))


def test_reply_within_the_bound_is_read_whole():
    # 70 lines of 100 bytes (7 KB): a long banner is fine, and the session goes on
    ftp = Ftp()
    r = ftp.connect(HOST, FITS, 5000)
    mptest.eq(r.status, FtpResponse.SERVICE_READY, "status")
    lines = r.message.split("\n")
    mptest.eq(len(lines), 72, "lines")
    mptest.eq((lines[0], lines[1], lines[-1]), ("start", "y" * 100, "end"))
    d = ftp.get_working_directory()
    mptest.eq((d.status, d.get_directory()), (257, "/here"))
    ftp.disconnect()


def test_max_reply_is_configurable():
    gc.collect()
    ftp = Ftp(max_reply=32768)
    r = ftp.connect(HOST, LONG2, 5000)
    mptest.eq(r.status, FtpResponse.SERVICE_READY, "status")
    mptest.eq(len(r.message.split("\n")), 152, "lines")
    ftp.disconnect()


def test_bad_max_reply():
    for bad in (0, 63, -1, "8192", 1.5, None):
        mptest.raises(ValueError, Ftp, 1024, bad)


mptest.main(globals())
