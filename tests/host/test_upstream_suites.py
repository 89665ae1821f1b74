"""MicroPython's own network tests (net_hosted, multi_net, the socket/select/ssl/tls
scripts of extmod) against the stock built-in and over our override, from .py, from
.mpy and frozen into the unix firmware (with `_netfast`). The target: every script that passes stock also passes over the override.
See tests/harness/upstream.py for how they run, docs/testing.md for the list."""

import tempfile

import pytest

from harness import upstream
import unix_firmware  # (tools/unix_firmware.py, on the path through harness.upstream)

# Fail on the stock built-in of the pinned build, for a reason outside the socket layer.
KNOWN_STOCK_FAILURES = {
    "ssl_poll.py": "the frozen ssl module's SSLSocket has no ioctl(), which the script polls through",
}

# Where the override deliberately does better than the stock built-in, the script's
# expected output (taken from the built-in) cannot match; what the override prints
# instead is checked. name -> (why, what our run must print)
DELIBERATE = {
    "asyncio_tcp_client_rst.py": (
        "the 8 bytes that arrived before the peer's reset are returned by the next read "
        "(nothing received is lost: docs/socket.md, Resets); the built-in's stream loop drops "
        "them and raises ECONNRESET",
        "b'/1.0\\r\\n\\r\\n'"),
}

# Some scripts check their own timings (select_poll_eintr: a 400 ms poll must return
# in 380-600 ms; udp_recv_dontwait: under 50 ms), which two shared cores can miss. A
# script that fails is run once more, alone; a real failure fails both times.
_multi = {}


def multi_outcomes(variant):
    if variant not in _multi:
        with tempfile.TemporaryDirectory() as d:
            outcomes, output = upstream.run_multi(upstream.multi_scripts(), variant, d)
            again = [p for p in upstream.multi_scripts() if outcomes.get(p.name) == "fail"]
            if again:
                retried, output2 = upstream.run_multi(again, variant, d)
                outcomes.update(retried)
                output += "\n--- rerun of the failures ---\n" + output2
            _multi[variant] = outcomes, output
    return _multi[variant]


_single = {}


def single_outcome(script, variant):
    key = (script, variant)
    if key not in _single:
        res = upstream.run_single(script, variant)
        if res[0] in ("fail", "timeout"):
            res = upstream.run_single(script, variant)
        _single[key] = res
    return _single[key]


def need(variant):
    if variant == "frozen":
        try:
            upstream.binary(variant)
        except unix_firmware.FirmwareUnavailable as exc:
            pytest.skip("no frozen firmware on this machine: %s" % exc)


def judge(name, variant, stock, got, output):
    if variant == "stock":
        if stock == "skip":
            pytest.skip("the script printed SKIP: this build lacks what it tests")
        if stock != "pass" and name in KNOWN_STOCK_FAILURES:
            pytest.xfail(KNOWN_STOCK_FAILURES[name])
        assert stock == "pass", "fails on the stock built-in:\n" + output
        return
    if stock == "skip":
        assert got == "skip", "skips stock but not over the override:\n" + output
        pytest.skip("the script printed SKIP: this build lacks what it tests")
    if stock != "pass":
        pytest.xfail("fails on the stock built-in too, so there is nothing to match")
    if got != "pass" and name in DELIBERATE:
        why, ours = DELIBERATE[name]
        assert ours in output.split("### TRUTH ###")[0], "%s: expected %s over the override:\n%s" % (why, ours, output)
        return
    assert got == "pass", "passes stock, %s over the override (%s):\n%s" % (got, variant, output)


@pytest.mark.parametrize("variant", upstream.VARIANTS)
@pytest.mark.parametrize("script,skip", [
    pytest.param(p, why, id="%s/%s" % (p.parent.name, p.name)) for p, why in upstream.single_scripts()])
def test_single_instance_script(script, skip, variant):
    if skip:
        pytest.skip(skip)
    need(variant)
    stock = single_outcome(script, "stock")[0]
    got, out = single_outcome(script, variant)
    judge(script.name, variant, stock, got, out.decode(errors="replace")[-3000:])


@pytest.mark.parametrize("variant", upstream.VARIANTS)
@pytest.mark.parametrize("script", upstream.multi_scripts(), ids=lambda v: v.name)
def test_two_instance_script(script, variant):
    need(variant)
    stock = multi_outcomes("stock")[0].get(script.name, "missing")
    got, out = multi_outcomes(variant)
    got = got.get(script.name, "missing")
    # run-multitests prints each failing script's diff; show the part about this one.
    i = out.find(script.name)
    judge(script.name, variant, stock, got, out[i:i + 3000] if i >= 0 else out[-3000:])
