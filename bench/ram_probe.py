# RAM of the frozen library, run by bench/ram_budget.py on the 32-bit frozen unix firmware
# (objects there have an ESP32's sizes). MicroPython; one measurement per run:
#   micropython ram_probe.py import MOD [MOD...]   heap kept by importing MODs (fresh interpreter)
#   micropython ram_probe.py objects               heap per object, each kind over 16 objects
#   micropython ram_probe.py echo                  one TCP echo through socket (prints "ECHO ok")
# Prints "RAM <key> bytes=<n>" lines. Heap = gc.mem_alloc() after gc.collect().
import gc
import sys


def heap():
    # not ram_objects.heap: an import figure must start from an interpreter that has
    # loaded nothing else (a .py module's names would fill the qstr pool it measures)
    gc.collect()
    gc.collect()
    return gc.mem_alloc()


def imports(mods):
    try:
        import network  # noqa: F401  (built in on a board)
    except ImportError:
        # ESP32 drivers import `network`/`machine`: on the unix port the test stand-ins
        # play them, loaded before the measurement (on a board they are built in)
        import simnet
        simnet.install()
    base = heap()
    for m in mods:
        __import__(m)
    print("RAM import bytes=%d" % (heap() - base))


def objects():
    import ram_objects  # tests/lib: what tests/device/test_ram_connections.py asserts
    for key, n in sorted(ram_objects.measure().items()):
        print("RAM %s bytes=%d" % (key, n))


def echo():
    import socket
    import testenv
    s = socket.socket()
    s.settimeout(5000)
    s.connect(testenv.SCENARIO)
    s.sendall(b"echo\nhello")
    got = b""
    while len(got) < 5:
        got += s.recv(16)
    s.close()
    print("ECHO ok" if got == b"hello" else "ECHO wrong %r" % got)


if sys.argv[1] == "import":
    imports(sys.argv[2:])
elif sys.argv[1] == "echo":
    echo()
else:
    objects()
