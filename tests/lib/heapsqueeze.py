# Leave only `free` bytes of heap, in one piece, as a board has after boot (ESP32
# without PSRAM: about 100 KB). The unix port is 64-bit and loads .mpy bytecode into
# the heap, so a plain `-X heapsize=64k` cannot even import the library; instead a
# script imports what it needs in a larger heap, then calls squeeze(64 * 1024): a
# reserve of that size is taken, ballast fills every other free block, and the reserve
# is given back. Keep the returned list alive for as long as the squeeze should last.
import gc


def squeeze(free):
    gc.collect()
    ballast = [None] * 1024  # made first: no allocation once the heap is full
    try:
        reserve = bytearray(free)
    except MemoryError:
        raise MemoryError("heapsqueeze: no free block of %d bytes to leave; start the script with a larger heap"
                          % free)
    i = 0
    size = 1 << 20
    while size >= 128 and i < len(ballast):  # crumbs below 128 bytes stay free
        try:
            ballast[i] = bytearray(size)
            i += 1
        except MemoryError:
            size //= 2
    reserve = None
    gc.collect()
    return ballast


def free():
    gc.collect()
    return gc.mem_free()
