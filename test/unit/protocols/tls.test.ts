// TLS over TCP on real captures (openssl s_server/s_client and curl on loopback, and between two
// network namespaces with a 600-byte MTU), compared packet by packet with tshark 4.0's output
// committed beside them; JA4 against the FoxIO specification's published example; the DER
// reader on bad input; revisits; malformed records.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import '../../../core/protocols';
import { dissectPacket } from '../../../core/dissect/packet';
import { CaptureState } from '../../../core/dissect/state';
import { Dissection } from '../../../core/dissect/dissection';
import { fieldList, fieldsByAbbrev } from '../../../core/dissect/fields';
import { formatFieldValue } from '../../../core/dissect/format';
import { ja3, ja4, ja4Raw, isGrease, type ClientHelloSummary } from '../../../core/protocols/ja';
import { readTlv } from '../../../core/protocols/x509';
import { decodeFields, findLabel, hasTshark, readClassicPcap, tsharkFields } from '../../helpers/decode';
import { compareApp, reassemblyAvailable } from './app-golden';

const FIXTURES = join(__dirname, '../../fixtures/app');
const LOOPBACK = join(FIXTURES, 'tls-loopback.pcap');
const NETNS = join(FIXTURES, 'tls-netns.pcap');

function decodeAll(path: string, fields: string[] = [], tree = false) {
  const wanted = new Uint8Array(fieldList.length);
  for (const name of fields) wanted[fieldsByAbbrev.get(name)!.id] = 1;
  const state = new CaptureState();
  const p = new Dissection();
  const records = readClassicPcap(path);
  const rows = records.map((r) => {
    dissectPacket(r.meta, r.data, state, { tree, wanted, columns: true }, p);
    const values: Record<string, string[]> = {};
    p.valueFields.forEach((f, i) => (values[f.abbrev] ??= []).push(formatFieldValue(f, p.values[i]!)));
    return {
      protocol: p.cols.protocol,
      info: p.cols.info,
      values,
      roots: tree ? [...p.roots] : [],
      malformed: p.malformed,
    };
  });
  return { rows, state, records };
}

describe('TLS on real captures, every packet as tshark 4.0', () => {
  it('loopback TLS 1.3 and 1.2 (openssl, curl): Protocol, Info, versions, types, SNI, suites, JA3, ALPN', () => {
    const { mismatches, unknown } = compareApp(LOOPBACK, join(FIXTURES, 'tls-loopback.tshark.tsv'));
    expect(unknown).toEqual([]);
    expect(mismatches).toEqual([]);
  });

  it.skipIf(!reassemblyAvailable)(
    'netns: HelloRetryRequest, plaintext alert, certificate across segments, heuristic on port 8443',
    () => {
      const { mismatches, unknown } = compareApp(NETNS, join(FIXTURES, 'tls-netns.tshark.tsv'));
      expect(unknown).toEqual([]);
      expect(mismatches).toEqual([]);
    },
  );

  it('handshake messages fragmented across records (openssl -max_send_frag 512), also on a revisit', () => {
    const path = join(FIXTURES, 'tls-fragmented.pcap');
    const { mismatches, unknown } = compareApp(path, join(FIXTURES, 'tls-fragmented.tshark.tsv'));
    expect(unknown).toEqual([]);
    expect(mismatches).toEqual([]);
    const { rows, state, records } = decodeAll(path);
    const p = new Dissection();
    const r = records[5]!;
    dissectPacket(r.meta, r.data, state, { tree: true, columns: true }, p, true);
    expect(p.cols.info).toBe(rows[5]!.info);
    expect(
      findLabel(p.roots, /^\[2 Reassembled Handshake Fragments \(840 bytes\): #6\(512\), #6\(328\)/),
    ).toBeDefined();
    expect(findLabel(p.roots, /^dNSName: frag\.wirelens\.test$/)).toBeDefined();
  });

  it('a capture that starts in the middle of a record shows "Continuation Data" as tshark', () => {
    // Frames 42-55 of the netns capture: the first server segments continue a Certificate.
    const records = readClassicPcap(NETNS).slice(41, 55);
    const state = new CaptureState();
    const p = new Dissection();
    const ours = records.map((r, i) => {
      dissectPacket({ ...r.meta, number: i + 1 }, r.data, state, { tree: false, columns: true }, p);
      return [p.cols.protocol, p.cols.info];
    });
    expect(ours[0]).toEqual(['SSL', 'Continuation Data']);
    expect(ours[2]).toEqual(['SSL', 'Continuation Data']);
    expect(ours.filter((r) => r[0] === 'TLSv1.2').length).toBeGreaterThan(3);
  });

  it('decodes the certificate under tshark X.509 fields: names, validity, SANs', () => {
    const { rows } = decodeAll(NETNS, [
      'x509sat.uTF8String',
      'x509sat.CountryName',
      'x509af.utcTime',
      'x509ce.dNSName',
      'x509ce.IPAddress.ipv4',
      'x509ce.IPAddress.ipv6',
    ]);
    const cert = rows.find((r) => r.values['x509ce.dNSName']);
    // Issuer then subject (self-signed: the same attributes twice).
    expect(cert?.values['x509sat.uTF8String']).toEqual([
      'Wirelens Test',
      'big.wirelens.test',
      'Wirelens Test',
      'big.wirelens.test',
    ]);
    expect(cert?.values['x509sat.CountryName']).toEqual(['DE', 'DE']);
    expect(cert?.values['x509af.utcTime']?.[0]).toMatch(/^20\d\d-\d\d-\d\d \d\d:\d\d:\d\d \(UTC\)$/);
    expect(cert?.values['x509ce.dNSName']).toEqual(['big.wirelens.test', '*.wirelens.test']);
    expect(cert?.values['x509ce.IPAddress.ipv4']).toEqual(['10.77.0.2']);
    expect(cert?.values['x509ce.IPAddress.ipv6']).toEqual(['2001:db8::2']);
  });

  it('builds the tree: one TLS item per packet, records labelled as tshark, HRR recognised', () => {
    const { rows } = decodeAll(LOOPBACK, [], true);
    const sh13 = rows[5]!; // frame 6: Server Hello, CCS, 4 × Application Data (TLS 1.3)
    expect(sh13.roots.filter((n) => n.field === 'tls')).toHaveLength(1);
    const tlsItem = sh13.roots.find((n) => n.field === 'tls')!;
    expect(tlsItem.children!.map((c) => c.label)).toEqual([
      'TLSv1.2 Record Layer: Handshake Protocol: Server Hello',
      'TLSv1.3 Record Layer: Change Cipher Spec Protocol: Change Cipher Spec',
      ...Array(4).fill('TLSv1.3 Record Layer: Application Data Protocol: Hypertext Transfer Protocol'),
    ]);
    expect(findLabel(sh13.roots, /^Supported Version: TLS 1\.3 \(0x0304\)$/)).toBeDefined();
    const ch = rows[3]!;
    expect(findLabel(ch.roots, /^Server Name: wirelens\.test$/)).toBeDefined();
    expect(findLabel(ch.roots, /^Cipher Suite: TLS_AES_256_GCM_SHA384 \(0x1302\)$/)).toBeDefined();
    expect(findLabel(ch.roots, /^GMT Unix Time: /)).toBeDefined();
    const netns = decodeAll(NETNS, [], true).rows;
    expect(findLabel(netns[5]!.roots, /^Handshake Protocol: Hello Retry Request$/)).toBeDefined();
  });

  it('a revisit (random access) decodes a frame as the first pass did', () => {
    const { rows, state, records } = decodeAll(LOOPBACK);
    const p = new Dissection();
    for (const n of [4, 6, 8, 23, 26, 28]) {
      const r = records[n - 1]!;
      dissectPacket(r.meta, r.data, state, { tree: true, columns: true }, p, true);
      expect([p.cols.protocol, p.cols.info]).toEqual([rows[n - 1]!.protocol, rows[n - 1]!.info]);
    }
  });
});

/** Fields beyond the committed expectations, compared with live tshark when it is installed. */
const MORE_FIELDS = [
  'tls.record.length',
  'tls.record.opaque_type',
  'tls.handshake.length',
  'tls.handshake.version',
  'tls.handshake.random',
  'tls.handshake.random_time',
  'tls.handshake.session_id',
  'tls.handshake.cipher_suites_length',
  'tls.handshake.comp_method',
  'tls.handshake.extensions_length',
  'tls.handshake.extension.type',
  'tls.handshake.extension.len',
  'tls.handshake.extensions_supported_group',
  'tls.handshake.extensions_ec_point_format',
  'tls.handshake.sig_hash_alg',
  'tls.handshake.sig_hash_hash',
  'tls.handshake.sig_hash_sig',
  'tls.handshake.extensions.supported_version',
  'tls.handshake.extensions_key_share_group',
  'tls.handshake.extensions_key_share_selected_group',
  'tls.handshake.extensions_key_share_key_exchange',
  'tls.extension.psk_ke_mode',
  'tls.handshake.extensions_status_request_type',
  'tls.record_size_limit',
  'tls.handshake.ja3_full',
  'tls.handshake.ja3s_full',
  'tls.handshake.ja3s',
  'tls.handshake.certificates_length',
  'tls.handshake.certificate_length',
  'tls.handshake.server_named_curve',
  'tls.handshake.server_point',
  'tls.handshake.sig_len',
  'tls.handshake.client_point',
  'tls.handshake.epms_len',
  'tls.handshake.session_ticket_lifetime_hint',
  'tls.handshake.session_ticket_length',
  'tls.alert_message.level',
  'tls.alert_message.desc',
  'tls.app_data',
  'tls.app_data_proto',
  'x509ce.dNSName',
  'x509ce.IPAddress.ipv4',
];

describe.skipIf(!hasTshark)('TLS fields beyond the fixtures, as live tshark 4.0', () => {
  for (const file of ['tls-loopback.pcap', 'tls-netns.pcap']) {
    it.skipIf(file === 'tls-netns.pcap' && !reassemblyAvailable)(file, () => {
      const path = join(FIXTURES, file);
      const ours = decodeFields(readClassicPcap(path), MORE_FIELDS);
      const theirs = tsharkFields(path, MORE_FIELDS, ['-o', 'tcp.reassemble_out_of_order:TRUE']);
      const diffs: string[] = [];
      theirs.forEach((row, i) =>
        row.forEach((v, j) => {
          if ((ours[i]?.[j] ?? '') !== v) diffs.push(`${i + 1} ${MORE_FIELDS[j]}: ${ours[i]?.[j]} vs ${v}`);
        }),
      );
      expect(diffs).toEqual([]);
    });
  }
});

describe.skipIf(!hasTshark)('frame.protocols as tshark: one TLS layer per segment, x509 layers', () => {
  it('tls-loopback.pcap', () => {
    const state = new CaptureState();
    const p = new Dissection();
    const ours = readClassicPcap(LOOPBACK).map((r) => {
      dissectPacket(r.meta, r.data, state, { tree: false, columns: true }, p);
      return [p.protocols.filter((x) => x !== 'frame').join(':')];
    });
    expect(ours).toEqual(tsharkFields(LOOPBACK, ['frame.protocols']));
  });
});

describe('JA3 and JA4', () => {
  // The FoxIO JA4 specification's example (technical_details/JA4.md): the Client Hello's values
  // in their original order (its JA4_ro), with GREASE values added to check they are ignored.
  const spec: ClientHelloSummary = {
    version: 0x0303,
    ciphers: [
      0x0a0a, 0x1301, 0x1302, 0x1303, 0xc02b, 0xc02f, 0xc02c, 0xc030, 0xcca9, 0xcca8, 0xc013, 0xc014, 0x009c,
      0x009d, 0x002f, 0x0035,
    ],
    extensions: [
      0x2a2a, 0x001b, 0x0000, 0x0033, 0x0010, 0x4469, 0x0017, 0x002d, 0x000d, 0x0005, 0x0023, 0x0012, 0x002b,
      0xff01, 0x000b, 0x000a, 0x0015,
    ],
    groups: [0x3a3a, 0x001d, 0x0017, 0x0018],
    pointFormats: [0],
    supportedVersions: [0x4a4a, 0x0304, 0x0303],
    signatureAlgorithms: [0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0806, 0x0601],
    alpn: ['h2', 'http/1.1'],
    hasSni: true,
  };

  it('reproduces the specification example (JA4 and JA4_r)', () => {
    expect(ja4(spec)).toBe('t13d1516h2_8daaf6152771_e5627efa2ab1');
    expect(ja4Raw(spec)).toBe(
      't13d1516h2_002f,0035,009c,009d,1301,1302,1303,c013,c014,c02b,c02c,c02f,c030,cca8,cca9_0005,000a,000b,000d,0012,0015,0017,001b,0023,002b,002d,0033,4469,ff01_0403,0804,0401,0503,0805,0501,0806,0601',
    );
  });

  it('follows the specification for no signature algorithms, no ciphers, no SNI, QUIC and ALPN bytes', () => {
    // "If there are no signature algorithms … the string ends without an underscore": 6d807ffa2a79.
    expect(ja4({ ...spec, signatureAlgorithms: [] }).split('_')[2]).toBe('6d807ffa2a79');
    expect(ja4({ ...spec, ciphers: [] }).split('_')[1]).toBe('000000000000');
    expect(ja4({ ...spec, hasSni: false, alpn: [] }, 'q').split('_')[0]).toBe('q13i1516' + '00');
    const alpnOf = (s: string) => ja4({ ...spec, alpn: [s] }).slice(8, 10);
    expect(alpnOf('http/1.1')).toBe('h1');
    expect(alpnOf('h')).toBe('hh');
    expect(alpnOf('\xab')).toBe('ab');
    expect(alpnOf('\xab\xcd')).toBe('ad');
    expect(alpnOf('0\xab')).toBe('3b');
    expect(alpnOf('0\xab\xcd1')).toBe('01');
    expect(ja4({ ...spec, supportedVersions: [] }).slice(1, 3)).toBe('12');
  });

  it('GREASE is the RFC 8701 pattern', () => {
    expect([0x0a0a, 0x1a1a, 0xfafa].every(isGrease)).toBe(true);
    expect([0x0a1a, 0x1301, 0x0000].some(isGrease)).toBe(false);
  });

  it('JA3 of every real Client Hello equals tshark 4.0 (fixture tsv), JA4 is computed for each', () => {
    const { rows } = decodeAll(LOOPBACK, ['tls.handshake.ja3', 'tls.handshake.ja4', 'tls.handshake.type']);
    const hellos = rows.filter((r) => r.values['tls.handshake.type']?.includes('1'));
    expect(hellos.length).toBe(4);
    for (const h of hellos)
      expect(h.values['tls.handshake.ja4']?.[0]).toMatch(
        /^t1[23][di]\d{4}[0-9a-z]{2}_[0-9a-f]{12}_[0-9a-f]{12}$/,
      );
    expect(ja3({ ...spec, version: 771 })).toMatch(/^[0-9a-f]{32}$/);
  });
});

describe('TLS and the DER reader on bad input', () => {
  it('the DER reader refuses a length past the buffer', () => {
    // (Mutated certificates inside TLS packets: test/unit/protocols/x509.test.ts.)
    expect(readTlv(new Uint8Array([0x30, 0x84, 0xff, 0xff, 0xff, 0xff]), 0)).toBeUndefined();
  });

  it('truncated and mutated TLS packets stay inside their layer (no throw, no hang)', () => {
    const records = readClassicPcap(LOOPBACK);
    const state = new CaptureState();
    const p = new Dissection();
    let seed = 7;
    for (const r of records) {
      for (let i = 0; i < 20; i++) {
        const m = r.data.slice(0, Math.max(54, r.data.length - i * 13));
        seed = (seed * 1103515245 + 12345) >>> 0;
        if (m.length > 60) m[54 + (seed % (m.length - 54))] = seed >>> 24;
        const meta = { ...r.meta, capLen: m.length, origLen: m.length };
        expect(() => dissectPacket(meta, m, state, { tree: true, columns: true }, p)).not.toThrow();
      }
    }
  });
});
