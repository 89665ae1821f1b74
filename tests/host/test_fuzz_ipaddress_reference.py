"""The reference that tests/device/test_fuzz_ipaddress.py checks IpAddress.from_string
against: CPython's socket.inet_aton (glibc's parser, independent of ours) on the same
seeded inputs (tests/lib/ipfuzz.py generates them identically on both Pythons).
This test recomputes it and fails if the literals in the device test no longer match.
Run as a script to print fresh literals."""

import ast
import socket
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "lib"))

import ipfuzz  # noqa: E402

DEVICE_TEST = ROOT / "tests" / "device" / "test_fuzz_ipaddress.py"


def _constant(name):
    tree = ast.parse(DEVICE_TEST.read_text())
    for node in tree.body:
        if isinstance(node, ast.Assign) and [t.id for t in node.targets if isinstance(t, ast.Name)] == [name]:
            return ast.literal_eval(node.value)
    raise AssertionError("%s not found in %s" % (name, DEVICE_TEST))


def cpython_reference(seed, rounds):
    digests = ipfuzz.Digests()
    valid = 0
    for s in ipfuzz.inputs(seed, rounds):
        try:
            packed = socket.inet_aton(s)
            valid += 1
        except (OSError, UnicodeError, ValueError):  # é cannot even be encoded: invalid
            packed = None
        digests.add(ipfuzz.encode(packed))
    return {"inputs": digests.count, "valid": valid, "digests": digests.finish()}


def test_device_literals_are_cpythons_inet_aton():
    want = cpython_reference(_constant("SEED"), _constant("ROUNDS"))
    assert _constant("CPYTHON_INET_ATON") == want
    assert 500 < want["valid"] < want["inputs"] - 500, want  # both outcomes well represented


def test_the_generator_is_not_trivial():
    items = list(ipfuzz.inputs(4242, 400))
    assert len(set(items)) > 300, "inputs repeat"
    assert any(" " in s or "\t" in s for s in items) and any("0x" in s.lower() for s in items)


if __name__ == "__main__":
    print(cpython_reference(_constant("SEED"), _constant("ROUNDS")))
