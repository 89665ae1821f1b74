"""A CPython DNS responder on loopback for the resolver tests (modules/_dnsclient.py).

Answers A queries from a fixed zone, and misbehaves on purpose for some names:

    host.test        A 10.1.2.3 (TTL 60)       two.test      A 10.0.0.1, 10.0.0.2
    alias.test       CNAME mid.test, CNAME host.test, A 10.1.2.3 (the chain in one reply)
    aliasonly.test   CNAME host.test only (the client must ask again)
    counter.test     A 10.9.0.N, N = how many times it was asked (TTL 60: cached)
    counter0.test    the same with TTL 0 (never cached)
    nx.test          NXDOMAIN          servfail.test  SERVFAIL
    silent.test      no reply at all   trunc.test     TC bit set
    garbage.test     a reply whose answer runs past the end of the packet
    spoof.test       first a reply with the wrong id, then the right one
"""

import socket
import struct
import threading

ZONE = {
    "host.test": [("A", "10.1.2.3", 60)],
    "two.test": [("A", "10.0.0.1", 60), ("A", "10.0.0.2", 30)],
    "alias.test": [("CNAME", "mid.test", 60), ("CNAME", "host.test", 60, "mid.test"),
                   ("A", "10.1.2.3", 60, "host.test")],
    "aliasonly.test": [("CNAME", "host.test", 60)],
    "spoof.test": [("A", "10.7.7.7", 60)],
}


def _name(name):
    return b"".join(bytes([len(p)]) + p.encode() for p in name.split(".")) + b"\x00"


def _qname(msg):
    i, labels = 12, []
    while msg[i]:
        labels.append(msg[i + 1:i + 1 + msg[i]].decode())
        i += 1 + msg[i]
    return ".".join(labels).lower(), i + 5


class DnsResponder:
    def __init__(self):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", 0))
        self.address = self.sock.getsockname()
        self.asked = {}
        self._stop = False
        self.thread = threading.Thread(target=self._serve, daemon=True)

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self._stop = True
        self.sock.close()

    def _reply(self, query, qend, rcode=0, records=(), tc=False):
        flags = 0x8180 | rcode | (0x0200 if tc else 0)
        head = query[:2] + struct.pack(">HHHHH", flags, 1, len(records), 0, 0)
        body = query[12:qend]
        for rec in records:
            kind, value, ttl = rec[:3]
            owner = _name(rec[3]) if len(rec) > 3 else b"\xc0\x0c"  # pointer to the question
            if kind == "A":
                rdata = socket.inet_aton(value)
                body += owner + struct.pack(">HHIH", 1, 1, ttl, 4) + rdata
            else:
                rdata = _name(value)
                body += owner + struct.pack(">HHIH", 5, 1, ttl, len(rdata)) + rdata
        return head + body

    def _serve(self):
        while not self._stop:
            try:
                query, peer = self.sock.recvfrom(1500)
            except OSError:
                return
            try:
                name, qend = _qname(query)
            except (IndexError, UnicodeError):
                continue
            n = self.asked[name] = self.asked.get(name, 0) + 1
            if name == "silent.test":
                continue
            if name == "nx.test":
                out = self._reply(query, qend, rcode=3)
            elif name == "servfail.test":
                out = self._reply(query, qend, rcode=2)
            elif name == "trunc.test":
                out = self._reply(query, qend, tc=True)
            elif name == "garbage.test":
                out = self._reply(query, qend, records=[("A", "10.0.0.1", 60)])[:-6]
                out = out[:6] + b"\x00\x01" + out[8:]
            elif name in ("counter.test", "counter0.test"):
                ttl = 60 if name == "counter.test" else 0
                out = self._reply(query, qend, records=[("A", "10.9.0.%d" % n, ttl)])
            elif name in ZONE:
                if name == "spoof.test":
                    bad = bytes([query[0] ^ 0xFF, query[1]]) + query[2:]
                    self.sock.sendto(self._reply(bad, qend, records=[("A", "6.6.6.6", 60)]), peer)
                out = self._reply(query, qend, records=ZONE[name])
            else:
                out = self._reply(query, qend, rcode=3)
            try:
                self.sock.sendto(out, peer)
            except OSError:
                return
