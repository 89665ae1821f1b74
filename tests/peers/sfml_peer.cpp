// The C++ SFML peer for the sfnet Packet wire-format tests (tests/host/test_sfnet_sfml_cpp.py).
// Built by the test: g++ sfml_peer.cpp -lsfml-network -lsfml-system.
//
// Listens on 127.0.0.1 (TCP, one client at a time) and binds a UDP socket on 127.0.0.1,
// prints "READY <tcp_port> <udp_port>", then answers every packet. A packet starts
// with a command string:
//   "types"  followed by the TYPES fields below: checked with SFML's operator>>; the
//            reply is "ok" + the same fields encoded by SFML, or "bad <field>".
//   "echo"   the reply is the packet, unchanged.
//   "sum"    uint32 n, then n int32: the reply is "sum" + the int64 total.
//   "quit"   exit.
#include <SFML/Network.hpp>
#include <cstdio>
#include <cstring>
#include <string>

static const std::string kUtf8 = "h\xc3\xa9llo w\xc3\xb6rld";         // "héllo wörld"
static const std::wstring kWide = L"wide \u2713 \U0001F600";            // UTF-32 on Linux

static void writeTypes(sf::Packet& p) {
    p << true << false << sf::Int8(-128) << sf::Uint8(255) << sf::Int16(-12345)
      << sf::Uint16(54321) << sf::Int32(-2000000000) << sf::Uint32(4000000000u)
      << sf::Int64(-9000000000000000000LL) << sf::Uint64(18000000000000000000ULL)
      << 123.456f << 789.123 << kUtf8 << std::string() << kWide;
}

static int checkTypes(sf::Packet& p) {
    bool b1 = false, b2 = true;
    sf::Int8 i8; sf::Uint8 u8; sf::Int16 i16; sf::Uint16 u16; sf::Int32 i32; sf::Uint32 u32;
    sf::Int64 i64; sf::Uint64 u64; float f; double d;
    std::string s, empty = "x"; std::wstring w;
    int field = 0;
    if (!(p >> b1) || !b1) return 1;
    if (!(p >> b2) || b2) return 2;
    if (!(p >> i8) || i8 != -128) return 3;
    if (!(p >> u8) || u8 != 255) return 4;
    if (!(p >> i16) || i16 != -12345) return 5;
    if (!(p >> u16) || u16 != 54321) return 6;
    if (!(p >> i32) || i32 != -2000000000) return 7;
    if (!(p >> u32) || u32 != 4000000000u) return 8;
    if (!(p >> i64) || i64 != -9000000000000000000LL) return 9;
    if (!(p >> u64) || u64 != 18000000000000000000ULL) return 10;
    if (!(p >> f) || f != 123.456f) return 11;
    if (!(p >> d) || d != 789.123) return 12;
    if (!(p >> s) || s != kUtf8) return 13;
    if (!(p >> empty) || !empty.empty()) return 14;
    if (!(p >> w) || w != kWide) return 15;
    if (!p.endOfPacket()) return 16;
    (void)field;
    return 0;
}

// The reply to one packet; false means "quit".
static bool answer(sf::Packet& in, sf::Packet& out) {
    std::string cmd;
    in >> cmd;
    if (cmd == "quit") return false;
    if (cmd == "types") {
        int bad = checkTypes(in);
        if (bad) {
            out << std::string("bad") << sf::Int32(bad);
        } else {
            out << std::string("ok");
            writeTypes(out);
        }
    } else if (cmd == "echo") {
        out.append(in.getData(), in.getDataSize());
    } else if (cmd == "sum") {
        sf::Uint32 n = 0;
        sf::Int64 total = 0;
        in >> n;
        for (sf::Uint32 i = 0; i < n; ++i) {
            sf::Int32 v;
            in >> v;
            total += v;
        }
        if (in && in.endOfPacket())
            out << std::string("sum") << total;
        else
            out << std::string("bad") << sf::Int32(0);
    } else {
        out << std::string("unknown") << cmd;
    }
    return true;
}

int main() {
    sf::IpAddress local = sf::IpAddress::LocalHost;
    sf::TcpListener listener;
    sf::UdpSocket udp;
    if (listener.listen(sf::Socket::AnyPort, local) != sf::Socket::Done) return 2;
    if (udp.bind(sf::Socket::AnyPort, local) != sf::Socket::Done) return 2;
    std::printf("READY %u %u\n", listener.getLocalPort(), udp.getLocalPort());
    std::fflush(stdout);

    sf::SocketSelector selector;
    selector.add(listener);
    selector.add(udp);
    sf::TcpSocket client;
    bool connected = false;
    for (;;) {
        if (!selector.wait(sf::seconds(30))) return 3;  // nobody talked to us: give up
        if (selector.isReady(listener)) {
            if (connected) {
                selector.remove(client);
                client.disconnect();
            }
            if (listener.accept(client) == sf::Socket::Done) {
                selector.add(client);
                connected = true;
            }
        } else if (selector.isReady(udp)) {
            sf::Packet in, out;
            sf::IpAddress sender;
            unsigned short port;
            if (udp.receive(in, sender, port) == sf::Socket::Done) {
                if (!answer(in, out)) return 0;
                udp.send(out, sender, port);
            }
        } else if (connected && selector.isReady(client)) {
            sf::Packet in, out;
            sf::Socket::Status st = client.receive(in);
            if (st == sf::Socket::Done) {
                if (!answer(in, out)) return 0;
                client.send(out);
            } else if (st == sf::Socket::Disconnected || st == sf::Socket::Error) {
                selector.remove(client);
                client.disconnect();
                connected = false;
            }
        }
    }
}
