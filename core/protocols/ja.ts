// Client and server fingerprints of TLS hellos.
// JA3 / JA3S (Salesforce, as tshark 4.0 computes them): decimal values joined by '-', fields by
// ',', GREASE values (RFC 8701) left out; the fingerprint is the MD5 of that string.
// JA4 (FoxIO JA4+ specification, JA4 TLS client fingerprint): `t13d1516h2_<12 hex>_<12 hex>`;
// tshark 4.0 predates it.
import { createHash } from 'node:crypto';

/** RFC 8701 §2: 0x0a0a, 0x1a1a, …, 0xfafa. */
export function isGrease(v: number): boolean {
  return (v & 0x0f0f) === 0x0a0a && v >>> 8 === (v & 0xff);
}

export interface ClientHelloSummary {
  /** `legacy_version` of the Client Hello. */
  version: number;
  ciphers: number[];
  /** Extension types in wire order. */
  extensions: number[];
  groups: number[];
  pointFormats: number[];
  /** supported_versions, in order (empty when absent). */
  supportedVersions: number[];
  /** signature_algorithms, in order (empty when absent). */
  signatureAlgorithms: number[];
  alpn: string[];
  hasSni: boolean;
}

function md5(s: string): string {
  return createHash('md5').update(s).digest('hex');
}

function decimalList(vs: readonly number[]): string {
  return vs.filter((v) => !isGrease(v)).join('-');
}

export function ja3Full(h: ClientHelloSummary): string {
  return [
    h.version,
    decimalList(h.ciphers),
    decimalList(h.extensions),
    decimalList(h.groups),
    h.pointFormats.join('-'),
  ].join(',');
}

export function ja3(h: ClientHelloSummary): string {
  return md5(ja3Full(h));
}

export function ja3sFull(version: number, cipher: number, extensions: readonly number[]): string {
  return `${version},${cipher},${decimalList(extensions)}`;
}

export function ja3s(version: number, cipher: number, extensions: readonly number[]): string {
  return md5(ja3sFull(version, cipher, extensions));
}

// ---- JA4 ----

const JA4_VERSIONS: Readonly<Record<number, string>> = {
  0x0304: '13',
  0x0303: '12',
  0x0302: '11',
  0x0301: '10',
  0x0300: 's3',
  0x0002: 's2',
  0xfeff: 'd1',
  0xfefd: 'd2',
  0xfefc: 'd3',
};

function hex4(v: number): string {
  return v.toString(16).padStart(4, '0');
}

function twoDigits(n: number): string {
  return String(Math.min(n, 99)).padStart(2, '0');
}

function isAlnum(c: string): boolean {
  return /^[0-9A-Za-z]$/.test(c);
}

/** JA4's ALPN part: first and last characters of the first ALPN value ("00" when none); when
 * either is not alphanumeric, the first and last hex digits of the value's bytes. */
function alpnPart(alpn: readonly string[]): string {
  const first = alpn[0];
  if (!first) return '00';
  const a = first[0]!;
  const b = first[first.length - 1]!;
  if (isAlnum(a) && isAlnum(b)) return a + b;
  let hexText = '';
  for (let i = 0; i < first.length; i++) hexText += first.charCodeAt(i).toString(16).padStart(2, '0');
  return hexText[0]! + hexText[hexText.length - 1]!;
}

function sha12(s: string): string {
  return createHash('sha256').update(s).digest('hex').slice(0, 12);
}

export interface Ja4Parts {
  /** `t13d1516h2` */
  a: string;
  /** Sorted cipher suites, 4 hex digits each, comma-joined. */
  ciphers: string;
  /** Sorted extensions without SNI and ALPN, then `_` and the signature algorithms in order. */
  extensions: string;
}

export function ja4Parts(h: ClientHelloSummary, transport: 't' | 'q' = 't'): Ja4Parts {
  const versions = h.supportedVersions.filter((v) => !isGrease(v));
  const version = versions.length ? Math.max(...versions) : h.version;
  const ciphers = h.ciphers.filter((v) => !isGrease(v));
  const extensions = h.extensions.filter((v) => !isGrease(v));
  const a =
    transport +
    (JA4_VERSIONS[version] ?? '00') +
    (h.hasSni ? 'd' : 'i') +
    twoDigits(ciphers.length) +
    twoDigits(extensions.length) +
    alpnPart(h.alpn);
  const sortedCiphers = ciphers.map(hex4).sort().join(',');
  // The SNI (0) and ALPN (16) extensions are counted in `a` but left out of the hash.
  const sortedExts = extensions
    .filter((v) => v !== 0x0000 && v !== 0x0010)
    .map(hex4)
    .sort()
    .join(',');
  const sigs = h.signatureAlgorithms
    .filter((v) => !isGrease(v))
    .map(hex4)
    .join(',');
  return { a, ciphers: sortedCiphers, extensions: sigs ? `${sortedExts}_${sigs}` : sortedExts };
}

/** `ja4`: the hashed form. */
export function ja4(h: ClientHelloSummary, transport: 't' | 'q' = 't'): string {
  const p = ja4Parts(h, transport);
  const c = p.ciphers ? sha12(p.ciphers) : '000000000000';
  const e = p.extensions ? sha12(p.extensions) : '000000000000';
  return `${p.a}_${c}_${e}`;
}

/** `ja4_r`: the raw (unhashed) form. */
export function ja4Raw(h: ClientHelloSummary, transport: 't' | 'q' = 't'): string {
  const p = ja4Parts(h, transport);
  return `${p.a}_${p.ciphers}_${p.extensions}`;
}
