# mptest: heapsize=512K heapsize_py=768K timeout=180
# sfnet.Http against a peer that cuts bodies into 1-byte segments and 1-byte chunks,
# with 64 KB and 96 KB of free heap left (tests/lib/heapsqueeze.py: the 64-bit unix
# port cannot import the library in a heap that small, so the rest is held by ballast).
# Run by tests/host/test_http_peers.py. argv: host port
import gc
import sys
import mptest
import heapsqueeze
from sfnet.http import Http, HttpRequest, HttpResponse

HOST, PORT = sys.argv[1], int(sys.argv[2])


def pattern_ok(data, start=0):
    for k in range(len(data)):
        if data[k] != ((start + k) * 7 + 3) & 0xFF:
            raise AssertionError("byte %d differs" % (start + k))


def get(path, **kw):
    return Http(HOST, PORT, bufsize=1024).send_request(HttpRequest(path), 30000, **kw)


class Checker:
    """A sink that checks the peer's pattern as it streams, holding nothing."""

    def __init__(self):
        self.n = 0

    def __call__(self, mv):
        pattern_ok(mv, self.n)
        self.n += len(mv)


def test_status_codes_outside_100_599():
    for code in ("099", "000", "600", "999"):
        r = get("/code/" + code)
        mptest.eq(r.status, HttpResponse.INVALID_RESPONSE, "status " + code)
        assert "100-599" in r.error, r.error
    mptest.eq(get("/code/599").status, 599)


def test_transfer_codings_other_than_chunked():
    for path in ("/gzip-chunked", "/gzip-te"):
        r = get(path)
        mptest.eq((r.status, r.body), (HttpResponse.INVALID_RESPONSE, b""), path)
        assert "transfer-encoding" in r.error, r.error


def test_whole_response_in_one_byte_segments():
    r = get("/seg-all/3000")
    mptest.eq((r.status, len(r.body)), (200, 3000))
    pattern_ok(r.body)
    mptest.eq(len(r.fields), 21, "fields")
    mptest.eq(r.get_field("x-field-19"), ("value 19 " * 5).strip())


def kept(path, limit):
    # Its own function: when it returns, nothing in a frame still points at this
    # response (MicroPython's GC is conservative: a stale slot in the caller's frame
    # would keep the 32 KB body where the next one must go).
    gc.collect()
    r = get(path, max_body=limit)
    mptest.eq((r.status, len(r.body), r.body_size), (200, limit, limit), path)
    pattern_ok(r.body)


def in_heap(free, limit):
    # limit: the max_body kept; the default (32 KB) with 96 KB free, 16 KB with 64 KB
    # free, where one 32 KB block next to the connection's objects is at the mercy of
    # fragmentation
    # one copy of each check per squeeze; the ballast is dropped at the end
    keep = heapsqueeze.squeeze(free)
    try:
        # 200 KB streamed, whatever the segmenting
        for path in ("/len/200000", "/seg-len/200000"):
            c = Checker()
            r = get(path, sink=c)
            mptest.eq((r.status, r.body_size, c.n), (200, 200000, 200000), path)
        # kept: refused at once when the length announces more than max_body
        e = mptest.raises(ValueError, get, "/len/200000", max_body=limit)
        assert "max_body=%d" % limit in str(e), e
        # kept up to the limit, in one copy, for every framing
        for kind in ("len", "seg-len", "seg-close", "chunked", "seg-chunked"):
            kept("/%s/%d" % (kind, limit), limit)
        # one byte past the limit, however it comes: the documented ValueError
        for kind in ("seg-close", "seg-chunked"):
            path = "/%s/%d" % (kind, limit + 1)
            e = mptest.raises(ValueError, get, path, max_body=limit)
            assert "max_body=%d" % limit in str(e), (path, e)
    finally:
        del keep


def test_200_kb_and_the_limit_with_96_kb_free():
    in_heap(96 * 1024, 32768)


def test_200_kb_and_the_limit_with_64_kb_free():
    in_heap(64 * 1024, 16384)


def test_max_body_past_the_free_heap_is_an_explained_memoryerror():
    keep = heapsqueeze.squeeze(16 * 1024)  # less than the default max_body's first block
    try:
        e = mptest.raises(MemoryError, get, "/chunked/100")
        assert "no room in RAM for the response body (max_body=32768" in str(e), e
        e = None
        r = get("/chunked/100", max_body=4096)  # a max_body that fits this heap: fine
        mptest.eq((r.status, len(r.body)), (200, 100))
    finally:
        del keep


def test_60000_bytes_kept_with_96_kb_free():
    keep = heapsqueeze.squeeze(96 * 1024)
    try:
        for path in ("/seg-len/60000",):
            r = get(path, max_body=60000)
            mptest.eq((r.status, len(r.body)), (200, 60000), path)
            pattern_ok(r.body)
            r = None
    finally:
        del keep


mptest.main(globals())
