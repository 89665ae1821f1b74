"""modules/_dnsclient.py (name resolution inside the timeout) against a CPython DNS
responder on loopback: answers, CNAME chains, the TTL cache, NXDOMAIN and bad replies
as gaierror, a silent server as socket.timeout inside the deadline."""

import pytest

from peers import mprun
from peers.dns_responder import DnsResponder

SCRIPT = mprun.SCRIPTS / "dnsclient_cases.py"


@pytest.fixture(scope="module")
def results():
    peer = DnsResponder().start()
    runs = {}

    def result(variant):
        if variant not in runs:
            runs[variant] = mprun.run(SCRIPT, list(map(str, peer.address)), variant=variant)
        return runs[variant]

    result.peer = peer
    yield result
    peer.stop()


@pytest.mark.parametrize("variant,name", mprun.params(SCRIPT))
def test_resolver(results, variant, name):
    mprun.check(results(variant), name)


def test_what_the_server_was_asked(results):
    for variant in mprun.VARIANTS:
        results(variant)
    asked = results.peer.asked
    runs = len(mprun.VARIANTS)
    assert "localhost" not in asked and "api.localhost" not in asked, asked
    assert asked["counter.test"] == runs, "TTL 60: once per run, then the cache"
    assert asked["counter0.test"] == 2 * runs, "TTL 0: every time"
    assert asked["silent.test"] >= 2 * runs, "getaddrinfo and connect each asked"
    never = [n for n in asked if n.endswith(".invalid") or n[-1:].isdigit() or n.endswith("4x")
             or n == "0x"]
    assert not never, "asked names that never resolve: %r" % never
