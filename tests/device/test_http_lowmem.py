# mptest: heapsize=256K timeout=120
# A 1 MiB download streamed to a file in a 256 KB heap (the .py variant compiles the
# library from source in the same heap; frozen on an ESP32 this runs in ~100 KB):
# the body never has to fit in RAM.
import gc
import os
import mptest
import testenv
from sfnet.http import Http, HttpRequest

HOST, PORT = testenv.HTTP
SIZE = 1024 * 1024
NAME = "http_lowmem_download.bin"


def test_download_1mib_to_file_in_small_heap():
    gc.collect()
    h = Http(HOST, PORT, bufsize=1460)
    with open(NAME, "wb") as f:
        r = h.send_request(HttpRequest("/bytes/%d" % SIZE), 30000, sink=f)
    try:
        mptest.eq(r.status, 200, "status")
        mptest.eq(r.body_size, SIZE, "bytes received")
        mptest.eq(os.stat(NAME)[6], SIZE, "file size")
        # check every byte against the peer's pattern, through one small buffer
        buf = bytearray(1024)
        i = 0
        with open(NAME, "rb") as f:
            while True:
                n = f.readinto(buf)
                if not n:
                    break
                for k in range(n):
                    if buf[k] != ((i + k) * 7 + 3) & 0xFF:
                        raise AssertionError("byte %d differs" % (i + k))
                i += n
        mptest.eq(i, SIZE)
    finally:
        os.remove(NAME)


def test_plain_form_refuses_to_buffer_1mib():
    e = mptest.raises(ValueError, Http(HOST, PORT).send_request, HttpRequest("/bytes/%d" % SIZE), 30000,
                      None, 32768)
    assert "max_body" in str(e)


mptest.main(globals())
