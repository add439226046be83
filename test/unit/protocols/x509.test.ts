// X.509 certificates in TLS Certificate messages, under tshark 4.0's ASN.1 fields (x509af,
// x509if, x509sat, x509ce, pkcs1, pkix1implicit, ber): every field tshark gives on every packet
// of the TLS fixtures (golden TSVs written by scripts/fixtures/tls-x509.sh), the tree labels of
// the certificate subtree against tshark's -V text, frame.protocols, and bad DER.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import '../../../core/protocols';
import { dissectPacket } from '../../../core/dissect/packet';
import { CaptureState } from '../../../core/dissect/state';
import { Dissection, type TreeNode } from '../../../core/dissect/dissection';
import { fieldList, fieldsByAbbrev } from '../../../core/dissect/fields';
import {
  children,
  clampLabel,
  labelText,
  oidText,
  readTlv,
  t61String,
} from '../../../core/protocols/x509-der';
import { oidName } from '../../../core/protocols/x509-oids';
import { decodeUpTo, findLabel, hasTshark, readClassicPcap, tsharkFields } from '../../helpers/decode';
import { treeText } from '../../../core/cli/tree-text';
import { compareApp, readExpected, reassemblyAvailable } from './app-golden';

const FIXTURES = join(__dirname, '../../fixtures/app');
const CAPTURES = ['tls-x509', 'tls-loopback', 'tls-fragmented', 'tls-netns'];

describe('X.509 fields on every packet, as tshark 4.0 (golden TSV per fixture)', () => {
  for (const name of CAPTURES) {
    it.skipIf(name === 'tls-netns' && !reassemblyAvailable)(name, () => {
      const tsv = join(FIXTURES, `${name}.x509.tshark.tsv`);
      const { mismatches, unknown } = compareApp(join(FIXTURES, `${name}.pcap`), tsv);
      expect(unknown).toEqual([]);
      expect(mismatches).toEqual([]);
      // The comparison is not vacuous: the fixture has certificates with values in many columns.
      const exp = readExpected(tsv);
      const filled = exp.header.filter((_, j) => exp.rows.some((r) => (r[j] ?? '') !== ''));
      expect(filled.length).toBeGreaterThan(name === 'tls-x509' ? 60 : 30);
    });
  }

  it('the chain fixture covers names, validity both ways, EC and RSA keys, nine extensions', () => {
    const exp = readExpected(join(FIXTURES, 'tls-x509.x509.tshark.tsv'));
    const row = exp.rows.find((r) => r[exp.header.indexOf('x509af.serialNumber')]);
    const col = (f: string) => row?.[exp.header.indexOf(f)];
    expect(col('x509af.generalizedTime')).toMatch(/2059/);
    expect(col('pkcs1.namedCurve')).toBe('1.2.840.10045.3.1.7,1.3.132.0.34');
    expect(col('x509ce.rfc822Name')).toBe('pki@wirelens.test');
    expect(col('x509ce.pathLenConstraint')).toBe('0');
  });
});

/** The subtree as tshark -V prints it (four spaces per level), a line each. */
function render(node: TreeNode): string[] {
  return treeText([node]).trimEnd().split('\n');
}

function treeOf(path: string, frame: number): TreeNode[] {
  return decodeUpTo(readClassicPcap(path), frame).roots;
}

describe('the certificate subtree, labelled as tshark -V', () => {
  it('tls-x509: three handshakes (a 3-certificate chain, an Ed25519 leaf, constraints), line for line', () => {
    const expected = readFileSync(join(FIXTURES, 'tls-x509.certificates.txt'), 'utf8').split('\n');
    if (expected[expected.length - 1] === '') expected.pop();
    const ours = ourCertificateBlocks(join(FIXTURES, 'tls-x509.pcap'));
    expect(ours).toHaveLength(3);
    expect(ours.flat()).toEqual(expected);
  });

  it('byte ranges: each item lies inside its parent; the subject name spans its DER', () => {
    const list = findLabel(treeOf(join(FIXTURES, 'tls-x509.pcap'), 6), /^Certificates \(/)!;
    const check = (n: TreeNode) => {
      for (const c of n.children ?? []) {
        expect(c.start).toBeGreaterThanOrEqual(n.start);
        expect(c.end).toBeLessThanOrEqual(n.end);
        check(c);
      }
    };
    check(list);
    const subject = findLabel([list], /^subject: rdnSequence/)!;
    const seq = findLabel([subject], /^rdnSequence: 7 items/)!;
    expect(seq.start - subject.start).toBe(3); // 30 81 ad: the SEQUENCE OF spans the contents
    expect(seq.end).toBe(subject.end);
  });
});

describe.skipIf(!hasTshark)(
  'frame.protocols as tshark: x509sat, x509ce, pkcs-1, pkix1implicit in order',
  () => {
    // (tls-netns differs in two frames on TLS record layers, not certificates: tls.ts's business.)
    for (const name of ['tls-x509', 'tls-loopback', 'tls-fragmented']) {
      // The fast path walks only what the layers need; the tree path everything: same layers.
      it(`${name}, fast path and tree path`, () => {
        const path = join(FIXTURES, `${name}.pcap`);
        const theirs = tsharkFields(path, ['frame.protocols']);
        for (const tree of [false, true]) {
          const state = new CaptureState();
          const p = new Dissection();
          const ours = readClassicPcap(path).map((r) => {
            dissectPacket(r.meta, r.data, state, { tree, columns: true }, p);
            return [p.protocols.filter((x) => x !== 'frame').join(':')];
          });
          expect(ours).toEqual(theirs);
        }
      });
    }
  },
);

/** Every "Certificates (…)" subtree of tshark -V's output, re-indented from its own level. */
function tsharkCertificateBlocks(path: string): string[][] {
  const text = execFileSync('tshark', ['-o', 'tcp.reassemble_out_of_order:TRUE', '-r', path, '-V'], {
    encoding: 'utf8',
    maxBuffer: 1 << 28,
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const blocks: string[][] = [];
  let base = -1;
  for (const line of text.split('\n')) {
    const indent = line.length - line.trimStart().length;
    if (base >= 0 && indent > base) {
      blocks[blocks.length - 1]!.push(line.slice(base));
      continue;
    }
    base = -1;
    if (/^ *Certificates \(/.test(line)) {
      base = indent;
      blocks.push([line.slice(base)]);
    }
  }
  return blocks;
}

function ourCertificateBlocks(path: string): string[][] {
  const state = new CaptureState();
  const p = new Dissection();
  const blocks: string[][] = [];
  const collect = (nodes: TreeNode[]) => {
    for (const n of nodes) {
      if (/^Certificates \(/.test(n.label)) blocks.push(render(n));
      else if (n.children) collect(n.children);
    }
  };
  for (const r of readClassicPcap(path)) {
    dissectPacket(r.meta, r.data, state, { tree: true, columns: true }, p);
    collect(p.roots);
  }
  return blocks;
}

describe.skipIf(!hasTshark)('every certificate subtree of every TLS fixture, as live tshark -V', () => {
  for (const name of CAPTURES) {
    it.skipIf(name === 'tls-netns' && !reassemblyAvailable)(name, () => {
      const path = join(FIXTURES, `${name}.pcap`);
      const theirs = tsharkCertificateBlocks(path);
      expect(theirs.length).toBeGreaterThan(0);
      expect(ourCertificateBlocks(path)).toEqual(theirs);
    });
  }
});

describe('the fast path', () => {
  it('without a wanted x509 field, no x509 value is collected but the layers are', () => {
    const wanted = new Uint8Array(fieldList.length);
    wanted[fieldsByAbbrev.get('tls.handshake.type')!.id] = 1;
    const state = new CaptureState();
    const p = new Dissection();
    let layers = 0;
    for (const r of readClassicPcap(join(FIXTURES, 'tls-x509.pcap'))) {
      dissectPacket(r.meta, r.data, state, { tree: false, wanted, columns: true }, p);
      expect(p.valueFields.every((f) => f.abbrev.startsWith('tls.'))).toBe(true);
      layers += p.protocols.filter((x) => x === 'x509sat').length;
    }
    // Issuer and subject attributes of the chain's leaf, intermediate and root; then the second
    // leaf's, its directoryNames (authority key id, SAN) and its otherName's UTF8String; the third's.
    expect(layers).toBe(12 + 7 + 6 + (4 + 4 + 3 + 2 + 1) + (3 + 3));
  });
});

describe('DER helpers and bad input', () => {
  it('OID names as tshark: known names, else the top arc spelled out', () => {
    expect(oidName('1.2.840.113549.1.1.11')).toBe('sha256WithRSAEncryption');
    expect(oidName('2.23.140.1.2.2')).toBe('joint-iso-itu-t.23.140.1.2.2');
    expect(oidText(new Uint8Array([0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b]), 0, 9)).toBe(
      '1.2.840.113549.1.1.11',
    );
  });

  it('T.61 strings as Wireshark decodes them: composed accents, spacing accents, swapped pairs', () => {
    const t61 = (...b: number[]) => t61String(new Uint8Array(b));
    expect(t61(0x5a, 0xc8, 0x75, 0x72)).toBe('Zür'); // diaeresis + u composes
    expect(t61(0xc2, 0xe1)).toBe('Ǽ'); // acute + Æ (row 7)
    expect(t61(0xc2, 0xf9)).toBe('ù́'); // acute + ø: no composite in Wireshark's table, swapped
    expect(t61(0xc8, 0x20, 0x41)).toBe('¨A'); // accent before a space: its spacing form
    expect(t61(0x41, 0xc3)).toBe('A\u0302'); // an accent at the end stays combining
    expect(t61(0x23, 0xe0)).toBe('\ufffd\u2126'); // # is not T.61; 0xE0 is Ω (ohm)
    expect(t61(0xc3, 0xbc)).toBe('¼\u0302'); // UTF-8 "ü" read as T.61, as tshark shows it
  });

  it('label text of raw bytes: UTF-8, control characters escaped as format_text does', () => {
    expect(labelText(new Uint8Array([0x00, 0x41, 0x0a, 0xce, 0xa9]))).toBe('\\000A\\nΩ');
  });

  it('labels are cut at 239 bytes of UTF-8 as Wireshark cuts them, never inside a character', () => {
    expect(clampLabel('a'.repeat(300))).toHaveLength(239);
    const cut = clampLabel('a'.repeat(238) + 'ü');
    expect(cut).toBe('a'.repeat(238));
  });

  it('the reader refuses lengths past the buffer and bounds its loops', () => {
    expect(readTlv(new Uint8Array([0x30, 0x84, 0xff, 0xff, 0xff, 0xff]), 0)).toBeUndefined();
    expect(readTlv(new Uint8Array([0x30, 0x80]), 0)).toBeUndefined(); // indefinite: not DER
    expect(
      children(
        new Uint8Array(600).fill(0x05).map((v, i) => (i % 2 ? 0 : v)),
        0,
        600,
        10,
      ),
    ).toHaveLength(10);
  });

  it('truncated and mutated certificates never throw, on the tree path and the field path', () => {
    const records = readClassicPcap(join(FIXTURES, 'tls-x509.pcap'));
    const wanted = new Uint8Array(fieldList.length);
    for (const f of fieldList)
      if (/^(x509|pkcs1|pkix1|ns_cert_exts|ber\.|tls\.sct)/.test(f.abbrev)) wanted[f.id] = 1;
    // The three Server Hello … Certificate frames, each after its connection's earlier frames.
    const certFrames = [6, 21, 36].map((n) => records.findIndex((r) => r.meta.number === n));
    expect(certFrames.every((i) => i > 0)).toBe(true);
    let seed = 11;
    for (const index of certFrames) {
      const frame = records[index]!;
      for (let i = 0; i < 200; i++) {
        const m = frame.data.slice(0, i % 3 === 2 ? frame.data.length - ((seed >>> 8) % 900) : undefined);
        for (let k = 0; k < 6; k++) {
          seed = (seed * 1103515245 + 12345) >>> 0;
          const at = 200 + (seed % Math.max(1, m.length - 200));
          if (at < m.length) m[at] = seed >>> 24;
        }
        const meta = { ...frame.meta, capLen: m.length, origLen: frame.data.length };
        const state = new CaptureState();
        const p = new Dissection();
        for (const r of records.slice(index - 5, index))
          dissectPacket(r.meta, r.data, state, { tree: false }, p);
        expect(() =>
          dissectPacket(meta, m, state, { tree: i % 2 === 0, wanted, columns: true }, p),
        ).not.toThrow();
      }
    }
  });
});
