"""pySFML's Http (Debian python3-sfml, pySFML 2.2 API) on a list of requests; prints
the results as JSON for tests/host/test_http_peers.py. Run with /usr/bin/python3."""

import hashlib
import json
import sys

import sfml.network as sf

METHODS = {"GET": sf.HttpRequest.GET, "POST": sf.HttpRequest.POST, "HEAD": sf.HttpRequest.HEAD}


def main():
    host, port, requests = sys.argv[1], int(sys.argv[2]), json.loads(sys.argv[3])
    out = []
    for method, path, version, body in requests:
        req = sf.HttpRequest()
        req.uri = path.encode()
        req.method = METHODS[method]
        major, minor = version.split(".")
        req.http_version = (int(major), int(minor))
        req.body = body.encode()
        resp = sf.Http(host.encode(), port).send_request(req)
        out.append([resp.status, resp.major_http_version, resp.minor_http_version,
                    hashlib.sha1(resp.body).hexdigest(), len(resp.body),
                    resp.get_field(b"content-length").decode()])
    print(json.dumps(out))


if __name__ == "__main__":
    main()
