# Bad-input run for sfnet.Http, driven by tests/host/test_fuzz_replies.py (MicroPython).
#   micropython fuzz_http.py HOST PORT N
# Requests /fuzz/0 .. /fuzz/N-1 from the case server (one reused Http object, so one
# receive buffer for every response) and prints one line per response:
#   R <i> <ms> <status> <body length> <crc32 of body> <1 if .error is set else 0>
#   V <i> <ms> <message>        ValueError (documented for a body above max_body)
#   X <i> <ms> <exception>      anything else: always a failure
import sys
import time
import binascii
from sfnet.http import Http, HttpRequest

host, port, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
http = Http(host, port)
for i in range(n):
    t0 = time.ticks_ms()
    try:
        r = http.send_request(HttpRequest("/fuzz/%d" % i), 3000)
        ms = time.ticks_diff(time.ticks_ms(), t0)
        print("R %d %d %d %d %d %d" % (i, ms, r.status, len(r.body), binascii.crc32(r.body), 1 if r.error else 0))
    except ValueError as e:
        print("V %d %d %s" % (i, time.ticks_diff(time.ticks_ms(), t0), e))
    except Exception as e:
        print("X %d %d %r" % (i, time.ticks_diff(time.ticks_ms(), t0), e))
print("END")
