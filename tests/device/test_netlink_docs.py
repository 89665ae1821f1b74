# Every example in docs/networking.md runs: the board examples against the
# simulated ESP32 (tests/lib/simnet), the host example on the unix port itself.
# mptest: timeout=120
# mptest: not-on-board *: reads docs/networking.md from the host's disk (a board has no copy)
import mptest
import simnet

network = simnet.install()


def docs_path():
    here = __file__.rsplit("/", 1)[0]          # tests/device
    return here + "/../../docs/networking.md"


def examples():
    """[(name, source)] for each ```python block after an <!-- example: NAME --> line."""
    out = []
    name = None
    block = None
    with open(docs_path()) as f:
        for line in f:
            line = line.rstrip("\n")
            if block is not None:
                if line.startswith("```"):
                    out.append((name, "\n".join(block) + "\n"))
                    block = name = None
                else:
                    block.append(line)
            elif line.startswith("<!-- example:"):
                name = line.split(":", 1)[1].split("-->")[0].strip()
            elif line.startswith("```python") and name is not None:
                block = []
    return out


def hw(board):
    simnet.boot()
    from drivers import boards
    e = boards.get(board)["eth"]
    if e["kind"] == "spi":
        return network.EthHW(phy=e["phy"], phy_addr=e["phy_addr"], mdc=None, mdio=None,
                             spi=(e["spi"], e["sck"], e["mosi"], e["miso"]), cs=e["cs"],
                             int=e["int"])
    return network.EthHW(phy=e["phy"], phy_addr=e["phy_addr"], mdc=e["mdc"], mdio=e["mdio"],
                         power=e["power"], ref_clk=e["ref_clk"], ref_clk_mode=e["ref_clk_mode"])


def prepare(name):
    if name.startswith("wifi"):
        simnet.boot(aps=[network.AP("My SSID", "password", channel=6)])
        from drivers.wifi import esp32wifi
        esp32wifi.init()
    elif name == "eth-wt32":
        simnet.boot(eth=hw("WT32_ETH01"))
    elif name == "eth-rmii":
        simnet.boot(eth=hw("OLIMEX_ESP32_POE"))
    elif name == "eth-w5500":
        simnet.boot(eth=hw("ESP32_W5500"))
    elif name == "host":
        simnet.boot()  # fresh library; no driver: the UNIX preset picks drivers.host
    else:
        raise AssertionError("no setup for docs example %r" % name)


def test_docs_examples_run():
    found = examples()
    names = [n for n, _ in found]
    for want in ("wifi", "eth-wt32", "eth-rmii", "eth-w5500", "host", "wifi-static"):
        assert want in names, (want, names)
    for name, src in found:
        prepare(name)
        try:
            exec(src, {"__name__": "__main__"})
        except Exception as e:
            raise AssertionError("docs example %r failed: %r" % (name, e))


mptest.main(globals())
