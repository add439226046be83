// Tunnels: hand-encoded packets (scripts/fixtures/tunnel-crafted.sh) compared with tshark 4.0's
// output committed beside them; tcpdump's test captures (VXLAN, Geneve, GRE, ERSPAN, ESP, AH)
// compared with live tshark when it is installed; the nesting bound; encoder round trips.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import '../../../core/protocols';
import { dissectPacket } from '../../../core/dissect/packet';
import { CaptureState } from '../../../core/dissect/state';
import { Dissection } from '../../../core/dissect/dissection';
import { encodeAh, parseAh } from '../../../core/protocols/ah';
import { encodeEsp, parseEsp } from '../../../core/protocols/esp';
import { encodeGeneve, parseGeneve } from '../../../core/protocols/geneve';
import { MAX_TUNNEL_DEPTH } from '../../../core/protocols/tunnel';
import { encodeVxlan, parseVxlan } from '../../../core/protocols/vxlan';
import { decodeFields, hasTshark, readClassicPcap, tsharkFields } from '../../helpers/decode';
import { TCPDUMP_TESTS } from '../../helpers/paths';
import { compareApp, decodeLikeTshark, readExpected } from './app-golden';

const FIXTURES = join(__dirname, '../../fixtures/app');
const CRAFTED = join(FIXTURES, 'tunnel-crafted.pcap');
/** Frame 11 nests IP-in-IP 12 deep: tshark follows all of it, Wirelens stops at the bound. */
const DEEP_FRAME = 11;

describe('tunnels on hand-encoded packets, as tshark 4.0', () => {
  it('GRE (checksum, key, sequence; IPv4, IPv6, Ethernet inside), keepalive, VXLAN, Geneve with options, IP-in-IP, 6in4, ESP, AH, ESP in UDP', () => {
    // frame.protocols is compared below with every layer (the shared helper keeps only each
    // layer's first place). Frame 10: ICMP after AH shows the IP TTL in Info where tshark, which
    // hands ICMP no IP header through AH, does not (icmp.ts reads ip.ts's TTL).
    const { mismatches, unknown } = compareApp(CRAFTED, join(FIXTURES, 'tunnel-crafted.tshark.tsv'), [
      'frame.protocols',
    ]);
    expect(unknown).toEqual([]);
    expect(
      mismatches.filter((m) => m.frame !== DEEP_FRAME && !(m.frame === 10 && m.column === '_ws.col.Info')),
    ).toEqual([]);
    const expected = readExpected(join(FIXTURES, 'tunnel-crafted.tshark.tsv'));
    const col = expected.header.indexOf('frame.protocols');
    const state = new CaptureState();
    const p = new Dissection();
    readClassicPcap(CRAFTED).forEach((r, i) => {
      if (r.meta.number === DEEP_FRAME) return;
      dissectPacket(r.meta, r.data, state, { tree: false, columns: true }, p);
      expect(p.protocols.filter((x) => x !== 'frame').join(':'), `frame ${i + 1}`).toBe(
        expected.rows[i]![col],
      );
    });
  });

  it(`stops after ${MAX_TUNNEL_DEPTH} nested encapsulations and marks the packet`, () => {
    const r = readClassicPcap(CRAFTED)[DEEP_FRAME - 1]!;
    const p = dissectPacket(r.meta, r.data, new CaptureState(), { tree: true, columns: true });
    expect(p.protocols.filter((x) => x === 'ip')).toHaveLength(MAX_TUNNEL_DEPTH + 2);
    expect(p.protocols).not.toContain('icmp');
    expect(p.malformed).toBe(true);
    expect(p.issues.map((i) => i.message)).toContain(
      `Too many nested encapsulations (more than ${MAX_TUNNEL_DEPTH}); not decoded further`,
    );
  });

  it('verifies the GRE checksum and reports a wrong one', () => {
    const r = readClassicPcap(CRAFTED)[0]!;
    const good = dissectPacket(r.meta, r.data, new CaptureState(), { tree: true, columns: true });
    expect(good.issues.filter((i) => i.kind === 'checksum-bad')).toEqual([]);
    const bad = r.data.slice();
    bad[14 + 20 + 4] ^= 0xff; // the GRE checksum field
    const p = dissectPacket({ ...r.meta }, bad, new CaptureState(), { tree: true, columns: true });
    expect(p.issues.some((i) => i.protocol === 'gre' && i.kind === 'checksum-bad')).toBe(true);
  });
});

const TCPDUMP_FILES: [string, string[]][] = [
  ['gso-ipv4-vxlan-ipv4.pcap', ['vxlan.vni', 'vxlan.flags', 'ip.src']],
  ['gso-ipv6-vxlan-ipv4.pcap', ['vxlan.vni', 'ip.src']],
  ['gso-ipv4-vxlan-ipv6.pcap', ['vxlan.vni', 'ipv6.src']],
  ['gso-ipv6-geneve-ipv6.pcap', ['geneve.vni', 'geneve.proto_type', 'ipv6.src']],
  ['bigtcp-ipv4-vxlan-ipv4.pcap', ['vxlan.vni']],
  ['various_gre.pcap', ['gre.proto', 'gre.key', 'gre.flags_and_version', 'cmd.sgt', 'cmd.type']],
  ['erspan-type-i-1.pcap', ['gre.proto', 'vlan.id']],
  [
    'erspan-type-ii-1.pcap',
    ['gre.proto', 'gre.sequence_number', 'erspan.version', 'erspan.spanid', 'erspan.index'],
  ],
  ['erspan-type-ii-3.pcap', ['erspan.vlan', 'erspan.encap', 'erspan.spanid']],
  ['erspan-type-iii-ft-0.pcap', ['erspan.version', 'erspan.timestamp', 'erspan.ft', 'erspan.gra']],
  ['erspan-type-iii-ft-7.pcap', ['erspan.ft', 'erspan.hw', 'erspan.bso']],
  ['02-sunrise-sunset-esp.pcap', ['esp.spi', 'esp.sequence']],
  ['OSPFv3_with_AH.pcap', ['ah.spi', 'ah.sequence', 'ah.icv', 'ah.next_header']],
  ['gre-heapoverflow-2.pcap', ['gre.proto', 'gre.checksum', 'gre.offset']],
];

describe.skipIf(!hasTshark || !existsSync(TCPDUMP_TESTS))(
  'tunnels in tcpdump test captures, as live tshark 4.0',
  () => {
    for (const [file, fields] of TCPDUMP_FILES) {
      it(file, () => {
        const path = join(TCPDUMP_TESTS, file);
        const records = readClassicPcap(path);
        expect(decodeFields(records, fields)).toEqual(tsharkFields(path, fields));
      });
    }

    it('the encapsulations tshark decodes fully read with its Protocol and Info', () => {
      // Files whose inner protocols Wirelens knows (VXLAN/Geneve carrying TCP, ERSPAN carrying
      // ICMP, ESP): Protocol and Info equal tshark's for every packet.
      for (const file of [
        'gso-ipv4-vxlan-ipv4.pcap',
        'gso-ipv6-geneve-ipv6.pcap',
        'erspan-type-i-1.pcap',
        'erspan-type-iii-ft-0.pcap',
        'erspan-type-iii-ft-7.pcap',
        '02-sunrise-sunset-esp.pcap',
      ]) {
        const path = join(TCPDUMP_TESTS, file);
        const header = ['_ws.col.Protocol', '_ws.col.Info'];
        const ours = decodeLikeTshark(path, header).rows;
        expect(ours, file).toEqual(tsharkFields(path, header));
      }
    });
  },
);

describe('tunnel encoders round-trip', () => {
  const inner = Uint8Array.from({ length: 60 }, (_, i) => i);

  it('VXLAN', () => {
    const bytes = encodeVxlan({ vni: 0xabcdef, groupPolicyId: 7 }, inner);
    const parsed = parseVxlan(bytes)!;
    expect(parsed.repr).toEqual({ flags: 0x0800, groupPolicyId: 7, vni: 0xabcdef });
    expect(encodeVxlan(parsed.repr, parsed.inner)).toEqual(bytes);
  });

  it('Geneve with options', () => {
    const repr = {
      version: 0,
      flags: 0x40,
      protocolType: 0x6558,
      vni: 0x123456,
      options: [
        { optionClass: 0x0102, type: 0x80, data: Uint8Array.of(1, 2, 3, 4) },
        { optionClass: 0xffff, type: 5, data: new Uint8Array(0) },
      ],
    };
    const bytes = encodeGeneve(repr, inner);
    const parsed = parseGeneve(bytes)!;
    expect(parsed.repr).toEqual(repr);
    expect(encodeGeneve(parsed.repr, parsed.inner)).toEqual(bytes);
    expect(parseGeneve(bytes.subarray(0, 10))).toBeUndefined();
  });

  it('ESP and AH', () => {
    const esp = encodeEsp({ spi: 0xdeadbeef, sequence: 42 }, inner);
    const pe = parseEsp(esp)!;
    expect(pe.repr).toEqual({ spi: 0xdeadbeef, sequence: 42 });
    expect(encodeEsp(pe.repr, pe.encrypted)).toEqual(esp);
    const ah = encodeAh({ nextHeader: 1, spi: 0x100, sequence: 19, icv: new Uint8Array(12).fill(9) }, inner);
    const pa = parseAh(ah)!;
    expect(pa.repr.nextHeader).toBe(1);
    expect(encodeAh(pa.repr, pa.payload)).toEqual(ah);
    expect(ah[1]).toBe(4); // RFC 4302 §2.2: (12 + 12) / 4 - 2
  });

  it('decoding what the encoders built gives the same values', () => {
    // IPv4/UDP/VXLAN built by hand around an encoded VXLAN header.
    const vx = encodeVxlan({ vni: 77 }, inner.subarray(0, 14));
    const udp = new Uint8Array(8 + vx.length);
    udp.set([0x9c, 0x40, 0x12, 0xb5, (udp.length >> 8) & 0xff, udp.length & 0xff, 0, 0]);
    udp.set(vx, 8);
    const ip = new Uint8Array(20 + udp.length);
    ip.set([
      0x45,
      0,
      (ip.length >> 8) & 0xff,
      ip.length & 0xff,
      0,
      1,
      0,
      0,
      64,
      17,
      0,
      0,
      10,
      0,
      0,
      1,
      10,
      0,
      0,
      2,
    ]);
    ip.set(udp, 20);
    const meta = {
      number: 1,
      tsSec: 0,
      tsNsec: 0,
      relativeNs: 0,
      deltaNs: 0,
      capLen: ip.length,
      origLen: ip.length,
      linkType: 101,
      interfaceId: 0,
    };
    const rows = decodeFields([{ meta, data: ip }], ['vxlan.vni', 'vxlan.flag_i']);
    expect(rows).toEqual([['77', '1']]);
  });

  it('mutated tunnel headers never throw past the packet', () => {
    const records = readClassicPcap(CRAFTED);
    const p = new Dissection();
    let seed = 3;
    for (const r of records)
      for (let i = 0; i < 200; i++) {
        const m = r.data.slice();
        for (let k = 0; k < 3; k++) {
          seed = (seed * 1103515245 + 12345) >>> 0;
          m[34 + (seed % Math.max(1, Math.min(40, m.length - 34)))] = seed >>> 24;
        }
        expect(() =>
          dissectPacket(r.meta, m, new CaptureState(), { tree: true, columns: true }, p),
        ).not.toThrow();
      }
  });

  it('bad tunnel headers never throw past the packet', () => {
    const records = readClassicPcap(CRAFTED);
    const state = new CaptureState();
    const p = new Dissection();
    for (const r of records)
      for (let cut = 34; cut < r.data.length; cut += 3) {
        const m = r.data.slice(0, cut);
        expect(() =>
          dissectPacket({ ...r.meta, capLen: cut, origLen: r.data.length }, m, state, { tree: true }, p),
        ).not.toThrow();
      }
  });
});
