# Bad-input run for sfnet.Ftp's reply parsing, driven by tests/host/test_fuzz_replies.py.
#   micropython fuzz_ftp.py HOST PORT N
# For each of N scripted control connections: connect (greeting), then if that was
# positive PWD and NOOP, then disconnect. One line per connection:
#   F <i> <ms> <greeting status> <PWD status or -> <PWD directory as UTF-8 hex ('' if empty) or ->
#   X <i> <ms> <exception>      anything else: always a failure
import sys
import time
import binascii
from sfnet.ftp import Ftp

host, port, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
for i in range(n):
    t0 = time.ticks_ms()
    try:
        ftp = Ftp()
        g = ftp.connect(host, port, 3000)
        pwd_status, pwd_dir = "-", "-"
        if g.ok:
            p = ftp.get_working_directory()
            pwd_status, pwd_dir = p.status, binascii.hexlify(p.get_directory().encode()).decode() or "''"
            ftp.keep_alive()
            ftp.disconnect()
        print("F %d %d %d %s %s" % (i, time.ticks_diff(time.ticks_ms(), t0), g.status, pwd_status, pwd_dir))
    except Exception as e:
        print("X %d %d %r" % (i, time.ticks_diff(time.ticks_ms(), t0), e))
print("END")
