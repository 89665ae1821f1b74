# mptest: heapsize=512K heapsize_py=768K timeout=120
# sfnet.Ftp against FTP servers that misbehave on purpose (tests/peers/ftp_hostile.py,
# run by tests/host/test_ftp_pyftpdlib.py). argv: host, the servers' root directory,
# then the ports of: bounce, bare, listing, no1xx, endless, upload, then the greeting
# servers 099, 000, 120+220, 120 alone, then a server whose replies come 1 byte a segment.
import os
import sys
import time
import mptest
import heapsqueeze
from localfiles import read, exists, open_fds as fds
from sfnet.ftp import Ftp, FtpResponse

HOST, ROOT = sys.argv[1], sys.argv[2]
BOUNCE, BARE, LISTING, NO1XX, ENDLESS, UPLOAD, G099, G000, G120, G120_ONLY, DRIP = (int(p) for p in sys.argv[3:14])
# the peer's listing: 400 names of 28 bytes + CR LF (12,000 bytes), sent 1 byte a
# segment. Kept, each name costs about 78 bytes on this 64-bit port (a str and its
# list slot), half that on an ESP32.
LISTING_NAMES = 400


def session(port, bufsize=1024):
    ftp = Ftp(bufsize)
    mptest.eq(ftp.connect(HOST, port, 5000).status, 220, "greeting")
    mptest.eq(ftp.login().status, 230, "login")
    return ftp


def test_pasv_address_is_not_followed():
    # EPSV refused; PASV names 127.0.0.2, where a bait listens on the same port
    ftp = session(BOUNCE)
    r = ftp.download("file.txt", "")
    mptest.eq(r.status, 226, "download")
    mptest.eq(read("file.txt"), b"real data\r\n", "data came from the control connection's peer")
    mptest.eq(ftp.send_command("SITE", "BAIT").message, "0", "connections to the PASV address")
    os.remove("file.txt")
    ftp.disconnect()


def test_pasv_reply_without_parentheses():
    ftp = session(BARE)
    r = ftp.download("file.txt", "")
    mptest.eq(r.status, 226, "download")
    mptest.eq(read("file.txt"), b"real data\r\n")
    os.remove("file.txt")
    # EPSV was refused once: the session uses PASV from then on, and keeps working
    mptest.eq(ftp.download("file.txt", "").status, 226, "second download")
    os.remove("file.txt")
    ftp.disconnect()


def test_listing_in_one_byte_segments_in_a_64k_heap():
    ftp = session(LISTING, 256)
    before = fds()
    keep = heapsqueeze.squeeze(64 * 1024)
    r = ftp.get_directory_listing()
    names = r.get_filenames()
    del keep
    mptest.eq(r.status, 226, "listing")
    mptest.eq(len(names), LISTING_NAMES, "names")
    mptest.eq((names[0], names[-1]), ("file-name-%014d.txt" % 0, "file-name-%014d.txt" % (LISTING_NAMES - 1)))
    mptest.eq(fds(), before, "open descriptors")
    # more than max_size: ValueError naming it, the data connection closed
    e = mptest.raises(ValueError, ftp.get_directory_listing, "", 11999)
    assert "max_size=11999" in str(e), e
    mptest.eq(fds(), before, "open descriptors after the refused listing")
    ftp.disconnect()


def test_listing_that_does_not_fit_is_an_explained_memoryerror():
    ftp = session(LISTING, 256)
    before = fds()
    keep = heapsqueeze.squeeze(12 * 1024)  # room for about 100 of the 400 names
    try:
        ftp.get_directory_listing()
        raise AssertionError("no MemoryError")
    except MemoryError as e:
        del keep
        assert "directory listing: no room in RAM" in str(e) and "max_size" in str(e), e
    mptest.eq(fds(), before - 1, "data and control connections closed")
    mptest.eq(ftp.keep_alive().status, FtpResponse.CONNECTION_CLOSED)


def test_transfer_replies_without_1xx_are_errors():
    ftp = session(NO1XX)
    r = ftp.download("file.txt", "")
    mptest.eq(r.status, FtpResponse.INVALID_RESPONSE, "226 with no 1xx")
    assert "226" in r.message and "no 1xx" in r.message, r.message
    assert not exists("file.txt") and not exists("file.txt.part")
    with open("up.txt", "wb") as f:
        f.write(b"payload")
    r = ftp.upload("up.txt", "/")
    mptest.eq(r.status, FtpResponse.INVALID_RESPONSE, "250 with no 1xx")
    assert "250" in r.message, r.message
    r = ftp.get_directory_listing()
    mptest.eq((r.status, r.get_filenames()), (FtpResponse.INVALID_RESPONSE, []), "listing")
    os.remove("up.txt")
    ftp.disconnect()


def test_download_max_size_against_an_endless_server():
    ftp = session(ENDLESS)
    before = fds()
    e = mptest.raises(ValueError, ftp.download, "endless.bin", "", Ftp.BINARY, 100000)
    assert "max_size=100000" in str(e), e
    assert not exists("endless.bin") and not exists("endless.bin.part"), "no file left behind"
    mptest.eq(fds(), before, "open descriptors")
    mptest.eq(ftp.keep_alive().status, 200, "the session goes on")
    for bad in (-1, "10", 1.5):
        mptest.raises(ValueError, ftp.download, "x", "", Ftp.BINARY, bad)
    ftp.disconnect()


def text_with_crlf_across_reads(bufsize):
    # an ASCII upload reads bufsize // 2 bytes at a time: put a CR LF across every
    # read boundary, lone LFs and lone CRs elsewhere
    half = bufsize // 2
    out = bytearray()
    while len(out) < 5000:
        out += b"a" * (half - 1 - len(out) % half) + b"\r\nb\nc\rd"
    return bytes(out)


def crlf(data):
    out = bytearray()
    prev = 0
    for c in data:
        if c == 10 and prev != 13:
            out.append(13)
        out.append(c)
        prev = c
    return bytes(out)


def test_ascii_upload_odd_bufsize_and_split_crlf():
    before = fds()
    for bufsize in (65, 64, 1023):
        name = "ascii-%d.txt" % bufsize
        data = text_with_crlf_across_reads(bufsize)
        with open(name, "wb") as f:
            f.write(data)
        ftp = session(UPLOAD, bufsize)
        r = ftp.upload(name, "/", Ftp.ASCII)
        mptest.eq(r.status, 226, "upload with bufsize %d" % bufsize)
        got = read(ROOT + "/" + name)
        assert b"\r\r\n" not in got, "CR CR LF with bufsize %d" % bufsize
        mptest.eq(got, crlf(data), "bytes on the wire, bufsize %d" % bufsize)
        os.remove(name)
        ftp.disconnect()
    mptest.eq(fds(), before, "open descriptors")


def test_greetings_other_than_220():
    for port, code in ((G099, "099"), (G000, "000")):
        ftp = Ftp()
        r = ftp.connect(HOST, port, 3000)
        mptest.eq(r.status, FtpResponse.INVALID_RESPONSE, "greeting " + code)
        assert not r.ok
        mptest.eq(ftp.keep_alive().status, FtpResponse.CONNECTION_CLOSED, "closed after " + code)
    # 120 "ready in nnn minutes", then 220: ready (RFC 959)
    ftp = Ftp()
    r = ftp.connect(HOST, G120, 3000)
    mptest.eq(r.status, 220, "120 then 220")
    ftp.disconnect()
    # 120 and then nothing: not ready, and no wait past the one connect timeout
    t0 = time.ticks_ms()
    r = Ftp().connect(HOST, G120_ONLY, 3000)
    took = time.ticks_diff(time.ticks_ms(), t0)
    mptest.eq(r.status, FtpResponse.CONNECTION_CLOSED, "120 alone")
    assert took < 3000 + 2000, "waited %d ms for the 220" % took


def test_replies_in_one_byte_segments():
    # a 42-line banner and every later reply 1 byte a segment, with a 256-byte line
    # buffer: the session works and holds nothing per segment
    before = fds()
    ftp = Ftp(256)
    r = ftp.connect(HOST, DRIP, 10000)
    mptest.eq(r.status, 220, "greeting")
    lines = r.message.split("\n")
    mptest.eq((len(lines), lines[0], lines[1], lines[-1]), (42, "hostile peer", " line 0 of a long banner", "ready"))
    mptest.eq(ftp.login().status, 230)
    mptest.eq(ftp.get_working_directory().get_directory(), "/")
    r = ftp.download("file.txt", "")
    mptest.eq(r.status, 226, "download over a dripping control connection")
    mptest.eq(read("file.txt"), b"real data\r\n")
    os.remove("file.txt")
    mptest.eq(ftp.disconnect().status, 221)
    mptest.eq(fds(), before, "open descriptors")


mptest.main(globals())
