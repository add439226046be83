// The simulator against Linux: scripts/fixtures/sim-netns.sh built two hosts on a bridge, a
// forwarding router and a second segment from network namespaces, ran ping, ping -t 1 and a
// UDP datagram to a closed port, and captured both segments and the bystander h2 (what the
// bridge floods to it) (test/fixtures/sim/netns-*.pcap).
// The preset "netns-mirror" is the same network with the same commands; on each segment the
// frames must follow the same sequence: ARP first, MACs rewritten per hop, TTL down by one per
// router, ICMP time exceeded for TTL 1, port unreachable for the closed port, the same header
// flags (DF, TOS) and lengths, and valid checksums. IP IDs, ICMP identifiers, payload
// timestamps and times differ by nature and are left out.
import { describe, expect, it } from 'vitest';
import { internetChecksum } from '../../core/protocols/checksum';
import { loadPreset, simulate } from '../../core/sim';
import { etherToString, ip4Text, read16, read32 } from '../../core/sim/addr';
import { readClassicPcap } from '../helpers/decode';
import { ROOT } from './cli-helpers';

/** What must match between Linux and the simulator, one line per frame. */
function signature(f: Uint8Array): string {
  const type = read16(f, 12);
  const head = `${etherToString(f, 6)} > ${etherToString(f, 0)}`;
  if (type === 0x0806) {
    return `${head} ARP op ${read16(f, 20)} ${etherToString(f, 22)} ${ip4Text(read32(f, 28))} → ${etherToString(f, 32)} ${ip4Text(read32(f, 38))}`;
  }
  if (type !== 0x0800) return `${head} type ${type.toString(16)}`;
  const ip = f.subarray(14);
  const ihl = (ip[0]! & 15) * 4;
  const ok = internetChecksum(ip, 0, ihl) === 0 ? 'ok' : 'BAD';
  let s = `${head} IP ${ip4Text(read32(ip, 12))} > ${ip4Text(read32(ip, 16))} ttl ${ip[8]} tos 0x${ip[1]!.toString(16)} df ${(ip[6]! >> 6) & 1} len ${read16(ip, 2)} cksum ${ok}`;
  const t = ip.subarray(ihl, read16(ip, 2));
  if (ip[9] === 1) {
    s += ` ICMP ${t[0]}/${t[1]} cksum ${internetChecksum(t) === 0 ? 'ok' : 'BAD'}`;
    if (t[0] === 0 || t[0] === 8) s += ` seq ${read16(t, 6)}`;
    else {
      const q = t.subarray(8);
      s += ` quoting ${ip4Text(read32(q, 12))} > ${ip4Text(read32(q, 16))} ttl ${q[8]} proto ${q[9]} len ${read16(q, 2)} (${q.length} bytes)`;
    }
  } else if (ip[9] === 17) s += ` UDP ${read16(t, 0)} > ${read16(t, 2)} len ${read16(t, 4)}`;
  return s;
}

describe('simulator vs Linux namespaces (netns-mirror)', () => {
  const net = simulate(loadPreset('netns-mirror')!);
  for (const seg of ['h1', 'h2', 'h3']) {
    it(`frames on ${seg}.eth0 follow Linux's sequence`, () => {
      const linux = readClassicPcap(`${ROOT}test/fixtures/sim/netns-${seg}-eth0.pcap`).map((r) =>
        signature(r.data),
      );
      const sim = net.port(`${seg}.eth0`)!.tap!.records.map((r) => signature(r.data));
      expect(linux.length).toBeGreaterThanOrEqual(5);
      expect(sim).toEqual(linux);
    });
  }

  it('ping and its statistics read like the real ping', () => {
    expect(net.runs[0]!.output[0]).toBe('PING 10.2.0.30 (10.2.0.30) 56(84) bytes of data.');
    expect(net.runs[0]!.output[5]).toMatch(
      /^2 packets transmitted, 2 received, 0% packet loss, time 20\dms$/,
    );
    expect(net.runs[1]!.output).toContain('From 10.1.0.1 icmp_seq=1 Time to live exceeded');
    expect(net.runs[1]!.output).toContain(
      '1 packets transmitted, 0 received, +1 errors, 100% packet loss, time 0ms',
    );
  });
});
