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

    yield result
    peer.stop()


@pytest.mark.parametrize("variant,name", mprun.params(SCRIPT))
def test_resolver(results, variant, name):
    mprun.check(results(variant), name)
