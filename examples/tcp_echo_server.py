# A TCP echo server: the first program to run on a freshly set-up board
# (docs/getting-started.md). Link Wi-Fi or Ethernet first; on the unix port it uses
# the host's network. Timeouts are in milliseconds, as everywhere in this library.
#   mpremote connect PORT run examples/tcp_echo_server.py
import socket


def serve(port=8080, host="0.0.0.0", max_clients=None):
    server = socket.create_server((host, port))
    print("echo server listening on", server.getsockname())
    buf = bytearray(512)  # one buffer for every client: nothing allocated per read
    served = 0
    try:
        while max_clients is None or served < max_clients:
            conn, addr = server.accept()
            print("client", addr)
            conn.settimeout(10000)  # drop a client that stays silent for 10 s
            try:
                while True:
                    n = conn.recv_into(buf)
                    if not n:
                        break
                    conn.sendall(memoryview(buf)[:n])
            except socket.timeout:
                print("client", addr, "idle for 10 s, closing")
            except OSError as e:  # e.g. ECONNRESET: a client that vanished
                print("client", addr, "dropped:", e)
            finally:
                conn.close()
            served += 1
    finally:
        server.close()


if __name__ == "__main__":
    serve()
