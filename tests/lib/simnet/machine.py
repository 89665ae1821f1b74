# Simulated `machine` for the simulated network (tests only): just enough Pin and
# SPI for network.LAN, which only reads the pin numbers and the SPI bus.


class Pin:
    IN = 1
    OUT = 3

    def __init__(self, id, mode=-1, pull=-1, value=None):
        if type(id) is not int or not 0 <= id <= 48:
            raise ValueError("invalid pin")
        self.id = id
        self.mode = mode

    def __repr__(self):
        return "Pin(%d)" % self.id


class SPI:
    def __init__(self, id, baudrate=1000000, *, sck=None, mosi=None, miso=None):
        if id not in (1, 2):
            raise ValueError("SPI(%s) doesn't exist" % id)
        self.id = id
        self.pins = (sck.id if sck else None, mosi.id if mosi else None, miso.id if miso else None)
