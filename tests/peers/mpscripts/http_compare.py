# sfnet.Http on the requests tests/host/test_http_peers.py also sends with pySFML.
# argv: host port file-with-json-list-of-(method, path, version, body); prints one JSON line.
# (A file, because this MicroPython build aborts on command-line arguments over ~256 chars.)
import sys
import json
import hashlib
import binascii
from sfnet.http import Http, HttpRequest

host, port = sys.argv[1], int(sys.argv[2])
out = []
with open(sys.argv[3]) as f:
    requests = json.load(f)
for method, path, version, body in requests:
    req = HttpRequest(path, method, body)
    req.http_version = version
    r = Http(host, port).send_request(req, 10000)
    out.append([r.status, r.major_http_version, r.minor_http_version,
                binascii.hexlify(hashlib.sha1(r.body).digest()).decode(), len(r.body),
                r.get_field("content-length")])
print(json.dumps({"results": out}))
