# sfnet.Http against the session's CPython http.server (testenv.HTTP), plus the parts
# that need no peer: request validation, defaults, response constants.
import mptest
import testenv
from sfnet.http import Http, HttpRequest, HttpResponse

HOST, PORT = testenv.HTTP


def pattern(n):
    return bytes(((i * 7 + 3) & 0xFF) for i in range(n))


def test_status_constants():
    want = {"OK": 200, "CREATED": 201, "ACCEPTED": 202, "NO_CONTENT": 204, "RESET_CONTENT": 205,
            "PARTIAL_CONTENT": 206, "MULTIPLE_CHOICES": 300, "MOVED_PERMANENTLY": 301,
            "MOVED_TEMPORARILY": 302, "NOT_MODIFIED": 304, "BAD_REQUEST": 400, "UNAUTHORIZED": 401,
            "FORBIDDEN": 403, "NOT_FOUND": 404, "RANGE_NOT_SATISFIABLE": 416,
            "INTERNAL_SERVER_ERROR": 500, "NOT_IMPLEMENTED": 501, "BAD_GATEWAY": 502,
            "SERVICE_NOT_AVAILABLE": 503, "GATEWAY_TIMEOUT": 504, "VERSION_NOT_SUPPORTED": 505,
            "INVALID_RESPONSE": 1000, "CONNECTION_FAILED": 1001}
    for name, code in want.items():
        mptest.eq(getattr(HttpResponse, name), code, name)
    mptest.eq((HttpRequest.GET, HttpRequest.POST, HttpRequest.HEAD), (0, 1, 2), "pySFML method values")
    mptest.eq((HttpRequest.PUT, HttpRequest.DELETE), (3, 4))


def test_default_response_like_sfml():
    r = HttpResponse()
    mptest.eq(r.status, HttpResponse.CONNECTION_FAILED)
    mptest.eq((r.major_http_version, r.minor_http_version), (0, 0))
    mptest.eq(r.body, b"")
    mptest.eq(r.get_field(""), "")


def test_request_attributes_and_validation():
    r = HttpRequest()
    mptest.eq((r.uri, r.method, r.http_version, r.body), ("/", HttpRequest.GET, (1, 0), b""))
    r.uri = "index.html"
    mptest.eq(r.uri, "/index.html", "leading slash forced")
    r.method = "post"
    mptest.eq(r.method, HttpRequest.POST)
    r.http_version = "1.1"
    mptest.eq(r.http_version, (1, 1))
    r.body = "é"
    mptest.eq(r.body, b"\xc3\xa9")
    r.field = ("X-Thing", "1")
    mptest.eq(r.get_field("x-thing"), "1")
    mptest.raises(ValueError, setattr, r, "method", "PATCH")
    mptest.raises(ValueError, setattr, r, "method", 9)
    mptest.raises(ValueError, setattr, r, "uri", "/a b")
    mptest.raises(ValueError, setattr, r, "http_version", (1,))
    mptest.raises(TypeError, setattr, r, "body", 12)
    mptest.raises(TypeError, setattr, r, "field", "X: y")
    mptest.raises(ValueError, r.set_field, "X", "a\r\nInjected: 1")
    mptest.raises(ValueError, r.set_field, "Bad Name", "v")


def test_request_head_defaults():
    r = HttpRequest("/p", HttpRequest.POST, b"abc")
    r.http_version = (1, 1)
    head = r._head("example.test", 80).decode()
    assert head.startswith("POST /p HTTP/1.1\r\n"), head
    for line in ("Host: example.test\r\n", "Content-Length: 3\r\n",
                 "Content-Type: application/x-www-form-urlencoded\r\n", "Connection: close\r\n"):
        assert line in head, (line, head)
    assert head.endswith("\r\n\r\n")
    r.field = ("content-length", "3")
    r.field = ("CONNECTION", "keep-alive")
    head = r._head("example.test", 8080).decode()
    mptest.eq(head.count("ontent-"), 2, "content-length not doubled (+ content-type)")
    assert "Connection: close" not in head and "CONNECTION: keep-alive" in head, head
    assert "Host: example.test:8080\r\n" in head


def test_host_forms():
    mptest.eq((Http("http://example.test/").host, Http("http://example.test/").port), ("example.test", 80))
    mptest.eq(Http("example.test:8080").port, 8080)
    mptest.eq(Http("example.test", 81).port, 81)

    class Ip:
        string = "127.0.0.1"

    mptest.eq(Http(Ip(), 5).host, "127.0.0.1")
    mptest.raises(ValueError, Http, "https://example.test")
    mptest.raises(ValueError, Http, "")
    mptest.raises(ValueError, Http, "a.test", 70000)
    mptest.raises(TypeError, Http, 1234)


def test_get():
    r = Http(HOST, PORT).send_request(HttpRequest("/hello"), 5000)
    mptest.eq(r.status, HttpResponse.OK)
    mptest.eq(r.body, b"hello from CPython http.server, path=/hello")
    mptest.eq(r.get_field("content-type"), "application/octet-stream")
    mptest.eq(r.get_field("Content-Type"), "application/octet-stream", "case-insensitive")
    assert r.get_field("server").startswith("BaseHTTP"), r.get_field("server")
    mptest.eq((r.major_http_version, r.minor_http_version), (1, 0))


def test_get_binary_body():
    r = Http(HOST, PORT).send_request(HttpRequest("/bytes/40000"), 5000, None, 40000)
    mptest.eq(r.status, 200)
    mptest.eq(r.body, pattern(40000))
    mptest.eq(r.body_size, 40000)
    # the default max_body is 32 KB: refused as soon as the Content-Length says so
    e = mptest.raises(ValueError, Http(HOST, PORT).send_request, HttpRequest("/bytes/40000"), 5000)
    assert "max_body=32768" in str(e), e
    r = Http(HOST, PORT).send_request(HttpRequest("/bytes/32768"), 5000)
    mptest.eq((r.status, len(r.body)), (200, 32768), "a body of exactly max_body")


def test_post():
    r = Http(HOST, PORT).send_request(HttpRequest("/form", HttpRequest.POST, b"name=value"), 5000)
    mptest.eq(r.status, HttpResponse.CREATED)
    mptest.eq(r.body, b"got 10 bytes: name=value")
    # a view of wider items: Content-Length counts its bytes (16), as the send does
    from array import array

    wide = array("I", [0x41414141, 0x42424242, 0x43434343, 0x44444444])
    r = Http(HOST, PORT).send_request(HttpRequest("/form", HttpRequest.POST, memoryview(wide)), 5000)
    mptest.eq(r.body, b"got 16 bytes: " + bytes(wide), "a wide memoryview body")


def test_head_not_implemented_by_peer():
    r = Http(HOST, PORT).send_request(HttpRequest("/", HttpRequest.HEAD), 5000)
    mptest.eq(r.status, HttpResponse.NOT_IMPLEMENTED)
    mptest.eq(r.body, b"")


def test_connection_failed():
    r = Http("127.0.0.1", 1).send_request(HttpRequest(), 2000)
    mptest.eq(r.status, HttpResponse.CONNECTION_FAILED)
    assert r.error, "no reason given"


def test_unresolvable_host():
    # a 64-byte label is not a DNS name: the resolver refuses it without a query, so
    # this stays on the machine (no-such-host.invalid would ask the DNS server)
    r = Http("a" * 64 + ".invalid").send_request(HttpRequest(), 3000)
    mptest.eq(r.status, HttpResponse.CONNECTION_FAILED)
    assert "resolve" in r.error, r.error


def test_bad_arguments():
    h = Http(HOST, PORT)
    mptest.raises(TypeError, h.send_request, "/path")
    mptest.raises(ValueError, h.send_request, HttpRequest(), -1)
    mptest.raises(TypeError, h.send_request, HttpRequest(), 1000, 42)
    mptest.raises(TypeError, h.send_request, HttpRequest(), "5000")


def test_sfnet_ip_address_as_host():
    from sfnet import IpAddress

    # NONE reads "0.0.0.0": no host to connect to, so it is refused, not dialled
    e = mptest.raises(ValueError, Http, IpAddress.NONE, PORT)
    assert "IpAddress.NONE" in str(e), e
    e = mptest.raises(ValueError, Http, IpAddress.from_string("not an address"), PORT)

    r = Http(IpAddress.from_string(HOST), PORT).send_request(HttpRequest("/ip"), 5000)
    mptest.eq(r.status, 200)
    mptest.eq(r.body, b"hello from CPython http.server, path=/ip")


def test_timeout_as_sfnet_time():
    import sfnet

    r = Http(HOST, PORT).send_request(HttpRequest("/t"), sfnet.seconds(5))
    mptest.eq(r.status, 200)


def test_lazy_names_from_sfnet():
    import sfnet
    import sfnet.ftp

    assert sfnet.Http is Http and sfnet.HttpRequest is HttpRequest and sfnet.HttpResponse is HttpResponse
    for name in ("Ftp", "FtpResponse", "FtpDirectoryResponse", "FtpListingResponse"):
        assert getattr(sfnet, name) is getattr(sfnet.ftp, name), name


mptest.main(globals())
