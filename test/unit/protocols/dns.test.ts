// DNS over UDP and TCP (dnsmasq and dig in two network namespaces, scripts/fixtures/
// dns-dhcp-tftp.sh): every packet's columns and fields equal tshark 4.0's; name compression
// loops, truncation and revisits behave; encodeDns/parseDns round-trip.
import { describe, expect, it } from 'vitest';
import { dissectPacket } from '../../../core/dissect/packet';
import { CaptureState } from '../../../core/dissect/state';
import { Dissection } from '../../../core/dissect/dissection';
import { encodeDns, parseDns, dnsTcp, type DnsRepr } from '../../../core/protocols/dns';
import { decodeFrame, labels, readClassicPcap, udpFrame as udpFrameAt } from '../../helpers/decode';
import { APP_FIXTURES, compareFiles, compareWithTshark } from './dns-golden';
import { join } from 'node:path';

/** Ethernet + IPv4 (checksum left 0: not verified on the fast path) + UDP around a payload. */
const AT = { src: '192.0.2.1', dst: '192.0.2.2', ethSrc: '02:00:00:00:00:01', ethDst: '02:00:00:00:00:02' };
const udpFrame = (payload: Uint8Array, srcPort: number, dstPort: number): Uint8Array =>
  udpFrameAt(payload, srcPort, dstPort, AT);

describe('DNS against tshark 4.0 (dnsmasq + dig, UDP and TCP)', () => {
  it('has the same Protocol, Info and dns.* fields for every packet', () => {
    expect(compareWithTshark('dns')).toEqual([]);
  });

  it('a TCP response spanning three segments (reassembled) and a UDP one spanning IP fragments', () => {
    expect(compareWithTshark('dns-tcp')).toEqual([]);
  });

  it('second pass (tshark -2): response_in, response_to, time, retransmissions, unsolicited', () => {
    for (const name of ['dns', 'dns-tcp', 'crafted-udp'])
      expect(
        compareFiles(
          join(APP_FIXTURES, `${name}.pcap`),
          join(APP_FIXTURES, `${name}.tshark-2.tsv`),
          undefined,
          true,
        ),
      ).toEqual([]);
  });

  it('pairs every query with its response and answers the same on a revisit', () => {
    const records = readClassicPcap(join(APP_FIXTURES, 'dns.pcap'));
    const state = new CaptureState();
    const p = new Dissection();
    for (const r of records) dissectPacket(r.meta, r.data, state, { tree: false, columns: true }, p);
    // Second look at a query (random access): its response is known now.
    const query = records.find((r) => {
      dissectPacket(r.meta, r.data, state, { tree: true }, p, true);
      return p.cols.info.startsWith('Standard query 0x');
    })!;
    const q = dissectPacket(query.meta, query.data, state, { tree: true }, new Dissection(), true);
    const responseIn = labels(q.roots).find((l) => l.startsWith('[Response In: '));
    expect(responseIn).toMatch(/^\[Response In: \d+\]$/);
    const n = Number(/\d+/.exec(responseIn!)![0]);
    const resp = records[n - 1]!;
    const r = dissectPacket(resp.meta, resp.data, state, { tree: true }, new Dissection(), true);
    expect(labels(r.roots)).toContain(`[Request In: ${query.meta.number}]`);
  });
});

describe('DNS robustness', () => {
  const header = (qd: number) => [0x12, 0x34, 0x01, 0x00, 0, qd, 0, 0, 0, 0, 0, 0];

  it('names a pointer loop as tshark does and goes on (no hang, lower layers kept)', () => {
    const msg = Uint8Array.from([...header(1), 0xc0, 12, 0, 1, 0, 1]);
    const { p, value } = decodeFrame(udpFrame(msg, 40000, 53), [
      'dns.qry.name',
      'dns.count.labels',
      'udp.srcport',
    ]);
    expect(p.malformed).toBe(false);
    expect(p.cols.info).toBe('Standard query 0x1234 A <Name contains a pointer that loops>');
    expect(value('dns.qry.name')).toBe('<Name contains a pointer that loops>');
    expect(value('dns.count.labels')).toBe('1');
    expect(value('udp.srcport')).toBe('40000');
  });

  it('loops, retransmissions, a cut name, mDNS (QU/QM, cache flush) and LLMNR: as tshark (crafted-udp 14-25)', () => {
    const mismatches = compareWithTshark(
      'crafted-udp',
      (c) => c.startsWith('_ws.col.') || c.startsWith('dns.'),
    );
    expect(mismatches.filter((m) => m.frame >= 14)).toEqual([]);
  });

  it('shows a name longer than 255 characters as <Name too long> and still finds its type', () => {
    const labels = Array.from({ length: 5 }, () => [63, ...new Array<number>(63).fill(0x61)]).flat();
    const msg = Uint8Array.from([...header(1), ...labels, 0, 0, 28, 0, 1]);
    const { value } = decodeFrame(udpFrame(msg, 40000, 53), ['dns.qry.name', 'dns.qry.type']);
    expect(value('dns.qry.name')).toBe('<Name too long>');
    expect(value('dns.qry.type')).toBe('28');
  });

  it('marks a message cut short as malformed, not thrown', () => {
    const msg = Uint8Array.from([...header(1), 3, 0x77, 0x77]);
    const { p } = decodeFrame(udpFrame(msg, 40000, 53));
    expect(p.malformed).toBe(true);
  });

  it('bounds a header claiming 65535 records over a tiny body', () => {
    const msg = Uint8Array.from([0, 1, 0x81, 0x80, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0]);
    const { p } = decodeFrame(udpFrame(msg, 53, 40000));
    expect(p.malformed).toBe(true);
  });

  it('decodes a label with bytes outside printable ASCII and a 63-byte label', () => {
    const long = 'a'.repeat(63);
    const repr: DnsRepr = { id: 7, questions: [{ name: `${long}.example`, type: 1 }] };
    const { value } = decodeFrame(udpFrame(encodeDns(repr), 40000, 53), ['dns.qry.name', 'dns.qry.name.len']);
    expect(value('dns.qry.name')).toBe(`${long}.example`);
    expect(value('dns.qry.name.len')).toBe('71');
  });
});

describe('DNS over TCP framing', () => {
  it('says how long a message is from its two-byte prefix (RFC 1035 §4.2.2)', () => {
    const p = new Dissection();
    expect(dnsTcp.pduLength(p, Uint8Array.from([0]), 0, 1)).toBe(-1);
    expect(dnsTcp.pduLength(p, Uint8Array.from([0, 40, 1, 2]), 0, 4)).toBe(42);
  });
});

describe('encodeDns / parseDns', () => {
  const repr: DnsRepr = {
    id: 0xbeef,
    response: true,
    opcode: 0,
    authoritative: true,
    truncated: false,
    recursionDesired: true,
    recursionAvailable: true,
    authenticated: false,
    checkingDisabled: false,
    rcode: 0,
    questions: [{ name: 'www.example.test', type: 1, class: 1 }],
    answers: [
      { name: 'www.example.test', type: 5, class: 1, ttl: 60, target: 'web.example.test' },
      { name: 'web.example.test', type: 1, class: 1, ttl: 60, address: '203.0.113.20' },
      { name: 'web.example.test', type: 28, class: 1, ttl: 60, address: '2001:db8::20' },
      { name: 'example.test', type: 15, class: 1, ttl: 300, preference: 10, target: 'mail.example.test' },
      { name: 'example.test', type: 16, class: 1, ttl: 300, txt: ['v=spf1 -all', 'x'] },
      {
        name: '_http._tcp.example.test',
        type: 33,
        class: 1,
        ttl: 300,
        priority: 1,
        weight: 2,
        port: 8080,
        target: 'web.example.test',
      },
    ],
    authority: [{ name: 'example.test', type: 2, class: 1, ttl: 3600, target: 'ns.example.test' }],
    additional: [{ name: '', type: 41, class: 1232, ttl: 0, rdata: new Uint8Array(0) }],
  };

  it('round-trips decode → encode → decode', () => {
    const bytes = encodeDns(repr);
    const parsed = parseDns(bytes)!;
    expect(parsed).toEqual(repr);
    expect(encodeDns(parsed)).toEqual(bytes);
  });

  it('encodes what the dissector reads as tshark would show it', () => {
    const { p, value } = decodeFrame(udpFrame(encodeDns(repr), 53, 40000), [
      'dns.a',
      'dns.aaaa',
      'dns.cname',
      'dns.count.answers',
      'dns.srv.port',
    ]);
    expect(p.cols.info).toBe(
      'Standard query response 0xbeef A www.example.test CNAME web.example.test A 203.0.113.20 AAAA 2001:db8::20 MX 10 mail.example.test TXT SRV 1 2 8080 web.example.test NS ns.example.test OPT',
    );
    expect(value('dns.a')).toBe('203.0.113.20');
    expect(value('dns.aaaa')).toBe('2001:db8::20');
    expect(value('dns.cname')).toBe('web.example.test');
    expect(value('dns.count.answers')).toBe('6');
    expect(value('dns.srv.port')).toBe('8080');
  });

  it('adds the TCP length prefix on request and rejects truncated input', () => {
    const tcp = encodeDns({ id: 1, questions: [{ name: 'a.b', type: 1 }] }, { tcp: true });
    expect((tcp[0]! << 8) | tcp[1]!).toBe(tcp.length - 2);
    expect(parseDns(tcp.subarray(2, 10))).toBeUndefined();
  });
});
