"""Every ```python example in docs/sfnet.md runs in MicroPython (library as frozen
.py and .mpy), and each `print(...)  # text` line prints exactly that text."""

import re
from pathlib import Path

import pytest

from peers import sfnet_interop

DOC = Path(__file__).resolve().parents[2] / "docs" / "sfnet.md"
BLOCKS = re.findall(r"```python\n(.*?)```", DOC.read_text(), re.S)


def _expected(code):
    out = []
    for line in code.splitlines():
        m = re.match(r"\s*print\(.*\)\s+# (.+)$", line)
        if m:
            out.append(m.group(1).strip())
    return out


def test_doc_has_an_example_per_class():
    text = "\n".join(BLOCKS)
    for name in ("IpAddress", "Time", "Socket.", "TcpSocket", "TcpListener", "UdpSocket",
                 "SocketSelector", "Packet", "SocketException"):
        assert name in text, name


@pytest.mark.parametrize("variant", ["py", "mpy"])
@pytest.mark.parametrize("index", range(len(BLOCKS)))
def test_example_runs(index, variant, tmp_path):
    code = BLOCKS[index]
    script = tmp_path / ("example_%d.py" % index)
    script.write_text(code)
    res = sfnet_interop.run_mp(script, (), variant, timeout=60)
    assert res.code == 0, "example %d failed:\n%s\n--- output ---\n%s" % (index, code, res.output)
    lines = [l.strip() for l in res.output.splitlines()]
    for want in _expected(code):
        assert want in lines, "example %d: expected output %r, got:\n%s" % (index, want, res.output)
