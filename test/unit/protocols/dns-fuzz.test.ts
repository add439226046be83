// Mutated packets (seeded, reproducible) of every DNS, DHCP, DHCPv6, TFTP, NTP and Syslog fixture:
// decoding on the tree path never throws past the packet and never hangs; whatever breaks is a
// malformed/truncated mark on the packet.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dissectPacket } from '../../../core/dissect/packet';
import { CaptureState } from '../../../core/dissect/state';
import { Dissection } from '../../../core/dissect/dissection';
import { readClassicPcap } from '../../helpers/decode';
import { APP_FIXTURES } from './dns-golden';

/** A small deterministic PRNG (mulberry32). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const APP_PROTOCOLS = /^(dns|mdns|llmnr|dhcp|dhcpv6|tftp|ntp|syslog)$/;

describe('fuzzing the application decoders', () => {
  for (const name of ['dns', 'dns-tcp', 'dhcp', 'tftp', 'crafted-udp']) {
    it(`${name}: 40 mutations of every packet decode without throwing`, () => {
      const records = readClassicPcap(join(APP_FIXTURES, `${name}.pcap`));
      const random = rng(0x5eed + name.length);
      const state = new CaptureState();
      const p = new Dissection();
      let reached = 0;
      for (const r of records) {
        for (let k = 0; k < 40; k++) {
          const data = r.data.slice();
          // Mutate past the Ethernet/IP/UDP headers (42 bytes) so the payload decoder runs.
          const flips = 1 + Math.floor(random() * 4);
          for (let f = 0; f < flips && data.length > 42; f++) {
            const at = 42 + Math.floor(random() * (data.length - 42));
            data[at] = Math.floor(random() * 256);
          }
          const cut =
            random() < 0.3
              ? data.subarray(0, 42 + Math.floor(random() * Math.max(1, data.length - 42)))
              : data;
          const meta = { ...r.meta, capLen: cut.length };
          expect(() => dissectPacket(meta, cut, state, { tree: true }, p)).not.toThrow();
          if (p.protocols.some((x) => APP_PROTOCOLS.test(x))) reached++;
        }
      }
      expect(reached).toBeGreaterThan(0);
    });
  }
});
