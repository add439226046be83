#!/bin/sh
# Regenerates the engine/CLI golden captures under test/fixtures/captures/ (needs root,
# iproute2, tcpdump, python3, ping). Traffic stays inside a private network namespace pair:
set -eu
OUT=$(cd "$(dirname "$0")/../fixtures/captures" && pwd)
NS=wle
cleanup() {
  [ -n "${TCPDUMP_PID:-}" ] && kill "$TCPDUMP_PID" 2>/dev/null || true
  [ -n "${SRV_PID:-}" ] && kill "$SRV_PID" 2>/dev/null || true
  ip link del wle-h 2>/dev/null || true
  ip netns del $NS 2>/dev/null || true
}
trap cleanup EXIT
cleanup
ip netns add $NS
ip link add wle-h type veth peer name wle-n
ip link set wle-n netns $NS
ip addr add 10.99.0.1/24 dev wle-h
ip -6 addr add fd99::1/64 dev wle-h nodad
ip link set wle-h up
ip netns exec $NS ip addr add 10.99.0.2/24 dev wle-n
ip netns exec $NS ip -6 addr add fd99::2/64 dev wle-n nodad
ip netns exec $NS ip link set wle-n up
ip netns exec $NS ip link set lo up
sleep 1

# TCP and UDP echo servers in the namespace (v4 and v6). Plain payloads rather than HTTP:
# the golden one-line comparison covers the layers Wirelens decodes today.
ip netns exec $NS python3 - <<'PY' &
import socket, threading
def udp(fam, addr):
    s = socket.socket(fam, socket.SOCK_DGRAM); s.bind(addr)
    while True:
        d, a = s.recvfrom(2048); s.sendto(d.upper(), a)
def tcp(fam, addr):
    s = socket.socket(fam, socket.SOCK_STREAM); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(addr); s.listen(5)
    while True:
        c, _ = s.accept()
        while True:
            d = c.recv(65536)
            if not d: break
            c.sendall(d.upper())
        c.close()
threading.Thread(target=udp, args=(socket.AF_INET, ('0.0.0.0', 7777)), daemon=True).start()
threading.Thread(target=udp, args=(socket.AF_INET6, ('::', 7778)), daemon=True).start()
threading.Thread(target=tcp, args=(socket.AF_INET6, ('::', 7002)), daemon=True).start()
tcp(socket.AF_INET, ('0.0.0.0', 7001))
PY
SRV_PID=$!
sleep 1

tcpdump -i wle-h -w "$OUT/netns-mixed.pcap" -s 0 -U 2>/dev/null &
TCPDUMP_PID=$!
sleep 1
ip neigh flush dev wle-h || true
# Echo requests (no ping binary here): ICMP over a raw socket, ICMPv6 likewise; one with TTL 3.
python3 -c "
import socket, struct, time
def csum(b):
    if len(b) % 2: b += b'\\0'
    s = sum(struct.unpack('!%dH' % (len(b)//2), b)); s = (s >> 16) + (s & 0xffff); s += s >> 16
    return ~s & 0xffff
def echo(fam, proto, typ, dst, seq, ttl=None):
    s = socket.socket(fam, socket.SOCK_RAW, proto); s.settimeout(1)
    if ttl: s.setsockopt(socket.IPPROTO_IP, socket.IP_TTL, ttl)
    body = struct.pack('!HH', 0x77, seq) + b'wirelens-ping-payload-0123456789'
    hdr = struct.pack('!BBH', typ, 0, 0)
    pkt = hdr + body
    if fam == socket.AF_INET: pkt = struct.pack('!BBH', typ, 0, csum(pkt)) + body
    s.sendto(pkt, (dst, 0))
    try: s.recv(200)
    except OSError: pass
    time.sleep(0.1)
for i in (1, 2): echo(socket.AF_INET, socket.IPPROTO_ICMP, 8, '10.99.0.2', i)
for i in (1, 2): echo(socket.AF_INET6, socket.IPPROTO_ICMPV6, 128, 'fd99::2', i)
echo(socket.AF_INET, socket.IPPROTO_ICMP, 8, '10.99.0.2', 3, ttl=3)
"
python3 -c "
import socket, time
for fam, addr in ((socket.AF_INET, ('10.99.0.2', 7001)), (socket.AF_INET6, ('fd99::2', 7002))):
    c = socket.socket(fam, socket.SOCK_STREAM); c.connect(addr)
    for chunk in (b'hello wirelens\\n', b'x' * 3000):
        c.sendall(chunk); time.sleep(0.05); c.recv(65536)
    c.close(); time.sleep(0.1)
"
python3 -c "
import socket
s=socket.socket(socket.AF_INET,socket.SOCK_DGRAM); s.settimeout(1)
s.sendto(b'hello wirelens', ('10.99.0.2',7777)); s.recv(100)
s.sendto(b'x'*100, ('10.99.0.2',9)) # closed port: ICMP port unreachable
s6=socket.socket(socket.AF_INET6,socket.SOCK_DGRAM); s6.settimeout(1)
s6.sendto(b'hello six', ('fd99::2',7778)); s6.recv(100)
t=socket.socket(); t.settimeout(1)
try: t.connect(('10.99.0.2', 9))  # refused: RST
except OSError: pass
"
sleep 1
kill $TCPDUMP_PID; wait $TCPDUMP_PID 2>/dev/null || true
TCPDUMP_PID=
ls -la "$OUT/netns-mixed.pcap"
