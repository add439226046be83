// QUIC with RFC 9001 Appendix A's test vectors: key derivation (A.1), the client and server
// Initial packets decrypted (A.2, A.3), the Retry integrity tag (A.4), a short-header packet
// (A.5) coalesced behind an Initial, Version Negotiation; every packet compared with tshark 4.0's
// output committed beside the fixture (scripts/fixtures/tls-quic.sh).
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import '../../../core/protocols';
import { dissectPacket } from '../../../core/dissect/packet';
import { CaptureState } from '../../../core/dissect/state';
import { Dissection } from '../../../core/dissect/dissection';
import { initialKeys, retryTagValid, unprotectLong } from '../../../core/protocols/quic';
import { bytesToHex } from '../../../core/dissect/format';
import { decodeFields, fromHex, readClassicPcap } from '../../helpers/decode';
import { compareApp } from './app-golden';

const FIXTURES = join(__dirname, '../../fixtures/app');
const PCAP = join(FIXTURES, 'quic-rfc9001.pcap');
const DCID = fromHex('8394c8f03e515708');
/** Offset of the QUIC payload in the fixture's frames (Ethernet 14 + IPv4 20 + UDP 8). */
const QUIC_AT = 42;

describe('QUIC on RFC 9001 Appendix A, as tshark 4.0', () => {
  it('every packet: Protocol, Info, header fields, versions, connection IDs, lengths', () => {
    const { mismatches, unknown } = compareApp(PCAP, join(FIXTURES, 'quic-rfc9001.tshark.tsv'));
    expect(unknown).toEqual([]);
    expect(mismatches).toEqual([]);
  });

  it('decrypts the Initials: packet numbers, frames, the Client Hello inside CRYPTO', () => {
    const rows = decodeFields(readClassicPcap(PCAP), [
      'quic.packet_number',
      'quic.frame_type',
      'quic.crypto.length',
      'quic.padding_length',
      'tls.handshake.type',
      'tls.handshake.extensions_server_name',
      'tls.handshake.ja4',
      'quic.ack.largest_acknowledged',
    ]);
    expect(rows[0]!.slice(0, 6)).toEqual(['2', '6,0', '241', '917', '1', 'example.com']);
    expect(rows[0]![6]).toMatch(/^q13d0211an_[0-9a-f]{12}_[0-9a-f]{12}$/);
    expect(rows[1]!.slice(0, 5)).toEqual(['1', '2,6', '90', '', '2']);
    expect(rows[1]![7]).toBe('0');
  });
});

describe('RFC 9001 packet protection', () => {
  it('A.1: Initial keys from the client DCID', () => {
    const c = initialKeys(DCID, false);
    expect([c.key, c.iv, c.hp].map((b) => b.toString('hex'))).toEqual([
      '1f369613dd76d5467730efcbe3b1a22d',
      'fa044b2f42a3fd3b46fb255c',
      '9f50449e04a0e810283a1e9933adedd2',
    ]);
    const s = initialKeys(DCID, true);
    expect([s.key, s.iv, s.hp].map((b) => b.toString('hex'))).toEqual([
      'cf3a5331653c364c88f0f379b6067e37',
      '0ac1493ca1905853b0bba03e',
      'c206b8d9b9f0f37644430b490eeaa314',
    ]);
  });

  it('A.2 and A.3: header protection removed, payload decrypted; a flipped byte fails the tag', () => {
    const records = readClassicPcap(PCAP);
    const client = records[0]!.data.subarray(QUIC_AT);
    const a2 = unprotectLong(client, 18, initialKeys(DCID, false))!;
    expect(a2.packetNumber).toBe(2);
    expect(a2.pnLength).toBe(4);
    expect(a2.firstByte).toBe(0xc3);
    expect(bytesToHex(a2.plaintext.subarray(0, 16))).toBe('060040f1010000ed0303ebf8fa56f129');
    expect(a2.plaintext.length).toBe(1162);
    expect(a2.plaintext.subarray(245).every((b) => b === 0)).toBe(true);
    const server = records[1]!.data.subarray(QUIC_AT, QUIC_AT + 135);
    const a3 = unprotectLong(server, 18, initialKeys(DCID, true))!;
    expect(a3.packetNumber).toBe(1);
    expect(bytesToHex(a3.plaintext)).toBe(
      '02000000000600405a020000560303eefce7f7b37ba1d1632e96677825ddf73988cfc79825df566dc5430b9a045a1200130100002e00330024001d00209d3c940d89690b84d08a60993c144eca684d1081287c834d5311bcf32bb9da1a002b00020304',
    );
    const tampered = client.slice();
    tampered[600] ^= 1;
    expect(unprotectLong(tampered, 18, initialKeys(DCID, false))).toBeUndefined();
  });

  it('A.4: the Retry integrity tag verifies against the original DCID only', () => {
    const retry = fromHex('ff000000010008f067a5502a4262b5746f6b656e04a265ba2eff4d829058fb3f0f2496ba');
    expect(retryTagValid(retry, DCID)).toBe(true);
    expect(retryTagValid(retry, fromHex('8394c8f03e515709'))).toBe(false);
  });

  it('a damaged Initial is shown undecrypted; truncated datagrams never throw', () => {
    const records = readClassicPcap(PCAP);
    const state = new CaptureState();
    const p = new Dissection();
    const bad = records[0]!.data.slice();
    bad[QUIC_AT + 700] ^= 0xff;
    dissectPacket(records[0]!.meta, bad, state, { tree: true, columns: true }, p);
    expect(p.cols.info).toBe('Initial, DCID=8394c8f03e515708');
    expect(p.protocols).not.toContain('tls');
    for (const r of records)
      for (let cut = QUIC_AT; cut < r.data.length; cut += 5) {
        const m = r.data.slice(0, cut);
        expect(() =>
          dissectPacket({ ...r.meta, capLen: cut }, m, new CaptureState(), { tree: true, columns: true }, p),
        ).not.toThrow();
      }
  });

  it('mutated datagrams (random bytes changed) decode without throwing', () => {
    const records = readClassicPcap(PCAP);
    const p = new Dissection();
    let seed = 11;
    for (const r of records)
      for (let i = 0; i < 150; i++) {
        const m = r.data.slice();
        for (let k = 0; k < 3; k++) {
          seed = (seed * 1103515245 + 12345) >>> 0;
          m[QUIC_AT + (seed % (m.length - QUIC_AT))] = seed >>> 24;
        }
        expect(() =>
          dissectPacket(r.meta, m, new CaptureState(), { tree: true, columns: true }, p),
        ).not.toThrow();
      }
  });
});
