"""Holds N keep-alive HTTP connections to HOST:PORT: requests once on each and prints the bodies (one line
per connection), then again for every line read on stdin; exits on EOF. Every socket operation has a timeout."""
import socket
import sys


def request(sock):
    sock.sendall(b"GET / HTTP/1.1\r\nHost: lab\r\n\r\n")
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(4096)
        if not chunk:
            return "closed"
        data += chunk
    head, body = data.split(b"\r\n\r\n", 1)
    length = 0
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":")[1])
    while len(body) < length:
        chunk = sock.recv(4096)
        if not chunk:
            break
        body += chunk
    return body.decode().strip()


def main():
    host, port, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    socks = [socket.create_connection((host, port), timeout=5) for _ in range(n)]
    while True:
        for s in socks:
            try:
                print(request(s), flush=True)
            except OSError as e:
                print("error " + str(e), flush=True)
        if not sys.stdin.readline():
            return


main()
