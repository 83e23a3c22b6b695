# badsum.py DST_MAC DST_IP COUNT: sends COUNT Ethernet/IPv4/UDP frames to DST_IP:5000 out of eth0 whose IPv4
# header is valid and whose UDP checksum is wrong (never 0, which would mean "no checksum").
import socket
import struct
import sys

dst_mac = bytes.fromhex(sys.argv[1].replace(":", ""))
dst_ip = socket.inet_aton(sys.argv[2])
count = int(sys.argv[3])
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind(("eth0", 0))
src_mac = s.getsockname()[4]
src_ip = socket.inet_aton(sys.argv[4]) if len(sys.argv) > 4 else socket.inet_aton("10.77.1.2")


def csum(b):
    if len(b) % 2:
        b += b"\0"
    t = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while t >> 16:
        t = (t >> 16) + (t & 0xFFFF)
    return ~t & 0xFFFF


payload = b"badsum!!"
length = 8 + len(payload)
pseudo = src_ip + dst_ip + struct.pack("!BBH", 0, 17, length)
good = csum(pseudo + struct.pack("!HHHH", 40000, 5000, length, 0) + payload)
bad = (good ^ 0x5555) or 1
udp = struct.pack("!HHHH", 40000, 5000, length, bad) + payload
ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + length, 1, 0, 64, 17, 0, src_ip, dst_ip)
ip = ip[:10] + struct.pack("!H", csum(ip)) + ip[12:]
for _ in range(count):
    s.send(dst_mac + src_mac + b"\x08\x00" + ip + udp)
