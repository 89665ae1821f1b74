# microdot 1.x (PyPI, unmodified) served by MicroPython over the library's socket; run by
# tests/host/test_stock_microdot.py, whose CPython clients pause mid-request.
# argv: sync|asyncio port
import socket  # as boot.py does on a board: MicroPython hands `import usocket` (which
# microdot 1.x uses) to the built-in unless the rule is already installed
import sys

MODE, PORT = sys.argv[1], int(sys.argv[2])
if MODE == "sync":
    from microdot import Microdot
else:
    from microdot_asyncio import Microdot

app = Microdot()


@app.route("/hello/<name>")
def hello(req, name):
    return "hello " + name


@app.post("/echo")
def echo(req):
    return req.body


@app.route("/units")
def units(req):
    import socket  # this handler is user code: milliseconds

    s = socket.socket()
    s.settimeout(1500)
    t = s.gettimeout()
    s.close()
    return "user=%r" % (t,)


@app.route("/shutdown")
def shutdown(req):
    req.app.shutdown()
    return "bye"


print("READY", PORT)
app.run(host="127.0.0.1", port=PORT)
print("STOPPED")
