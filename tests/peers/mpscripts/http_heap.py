# mptest: heapsize=200K heapsize_py=256K timeout=60
# sfnet.Http against hostile HTTP servers in a 200 KB heap (run by
# tests/host/test_http_peers.py): the response head (status line and header lines,
# interim 1xx responses included) may take at most max_header_bytes (8 KB by default);
# past that, INVALID_RESPONSE, never a MemoryError.
# argv: host, then the ports of: 99 x 8,000-byte headers, 10 KB of headers (twice),
# 6 KB of headers, 1,000 interim responses
import gc
import socket  # first, as boot.py does on a board: compiling its .py source is the peak

gc.collect()
import sys
import mptest
from sfnet.http import Http, HttpRequest, HttpResponse

HOST = sys.argv[1]
HUGE, TEN_KB, TEN_KB2, SIX_KB, INTERIM = (int(p) for p in sys.argv[2:7])


def get(port, **kw):
    gc.collect()
    return Http(HOST, port, **kw).send_request(HttpRequest("/"), 5000)


def check_refused(r):
    mptest.eq(r.status, HttpResponse.INVALID_RESPONSE, "status")
    assert "max_header_bytes=8192" in r.error, r.error
    mptest.eq((r.body, r.body_size), (b"", 0), "no body")


def test_800_kb_of_headers_is_refused_not_memoryerror():
    # 99 fields of 8,000 bytes: each within the line and field-count limits
    check_refused(get(HUGE))


def test_headers_past_the_default_bound():
    check_refused(get(TEN_KB))


def test_max_header_bytes_is_configurable():
    r = get(TEN_KB2, max_header_bytes=16384)
    mptest.eq((r.status, r.body), (200, b"ok"))
    mptest.eq(len(r.fields), 11, "fields")
    mptest.eq(r.get_field("x-9"), "v" * 1000)


def test_headers_within_the_bound():
    r = get(SIX_KB)
    mptest.eq((r.status, r.body), (200, b"ok"))
    mptest.eq(len(r.fields), 7, "fields")


def test_endless_interim_responses_count_too():
    check_refused(get(INTERIM))


def test_bad_max_header_bytes():
    for bad in (0, 63, -1, "8192", 1.5, None):
        mptest.raises(ValueError, Http, HOST, 80, 2048, bad)


mptest.main(globals())
