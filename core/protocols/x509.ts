// A small, bounded DER reader (ITU-T X.690 §8, §10) and the parts of an X.509 certificate
// (RFC 5280 §4.1) a packet view wants: subject, issuer, validity and the subjectAltName's DNS
// names and IP addresses (§4.2.1.6). Nothing here throws: a certificate that does not parse
// gives `undefined`.
import { ipv4ToString, ipv6ToString } from '../dissect/format';

export interface Tlv {
  tag: number;
  /** Start of the contents. */
  start: number;
  end: number;
}

/** Reads one TLV at `off` (definite lengths only, as DER requires), or undefined. */
export function readTlv(b: Uint8Array, off: number, limit: number = b.length): Tlv | undefined {
  if (off + 2 > limit) return undefined;
  const tag = b[off]!;
  if ((tag & 0x1f) === 0x1f) return undefined; // high tag numbers do not occur in certificates
  let len = b[off + 1]!;
  let at = off + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4 || at + n > limit) return undefined;
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + b[at + i]!;
    at += n;
  }
  if (at + len > limit) return undefined;
  return { tag, start: at, end: at + len };
}

/** The TLVs directly inside `[start, end)`; at most `max` (bounds the work on bad input). */
export function children(b: Uint8Array, start: number, end: number, max = 256): Tlv[] {
  const out: Tlv[] = [];
  let off = start;
  while (off < end && out.length < max) {
    const t = readTlv(b, off, end);
    if (!t) break;
    out.push(t);
    off = t.end;
  }
  return out;
}

/** OID text (X.690 §8.19), e.g. 2.5.4.3. */
export function oidText(b: Uint8Array, start: number, end: number): string {
  const parts: number[] = [];
  let v = 0;
  for (let i = start; i < end && parts.length < 64; i++) {
    v = v * 128 + (b[i]! & 0x7f);
    if (!(b[i]! & 0x80)) {
      if (!parts.length) parts.push(v < 80 ? Math.floor(v / 40) : 2, v < 80 ? v % 40 : v - 80);
      else parts.push(v);
      v = 0;
    }
  }
  return parts.join('.');
}

/** RFC 4514 short names of the attribute types tshark shows. */
const ATTRIBUTES: Readonly<Record<string, string>> = {
  '2.5.4.3': 'commonName',
  '2.5.4.6': 'countryName',
  '2.5.4.7': 'localityName',
  '2.5.4.8': 'stateOrProvinceName',
  '2.5.4.10': 'organizationName',
  '2.5.4.11': 'organizationalUnitName',
  '1.2.840.113549.1.9.1': 'pkcs-9-at-emailAddress',
};

function text(b: Uint8Array, t: Tlv): string {
  const bytes = b.subarray(t.start, t.end);
  // UTF8String (12); PrintableString, IA5String, T61String read as Latin-1; BMPString (30) as UCS-2.
  if (t.tag === 0x0c) return new TextDecoder().decode(bytes);
  if (t.tag === 0x1e) {
    let s = '';
    for (let i = 0; i + 1 < bytes.length; i += 2) s += String.fromCharCode((bytes[i]! << 8) | bytes[i + 1]!);
    return s;
  }
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i]!);
  return s;
}

/** A Name (RFC 5280 §4.1.2.4) as tshark's rdnSequence text: `id-at-commonName=x,id-at-organizationName=y`. */
function nameText(b: Uint8Array, name: Tlv): string {
  const parts: string[] = [];
  for (const rdn of children(b, name.start, name.end, 64)) {
    for (const atv of children(b, rdn.start, rdn.end, 16)) {
      const [type, value] = children(b, atv.start, atv.end, 2);
      if (!type || !value || type.tag !== 0x06) continue;
      const oid = oidText(b, type.start, type.end);
      const short = ATTRIBUTES[oid];
      parts.push(`${short ? `id-at-${short}` : oid}=${text(b, value)}`);
    }
  }
  // tshark lists the RDNs last first (as RFC 4514 §2.1 writes them).
  return parts.reverse().join(',');
}

function countAttributes(b: Uint8Array, name: Tlv): number {
  let n = 0;
  for (const rdn of children(b, name.start, name.end, 64)) n += children(b, rdn.start, rdn.end, 16).length;
  return n;
}

/** UTCTime (YYMMDDHHMMSSZ, RFC 5280 §4.1.2.5.1) or GeneralizedTime as `YYYY-MM-DD HH:MM:SS (UTC)`. */
function timeText(b: Uint8Array, t: Tlv): string {
  const s = text(b, t);
  const m =
    t.tag === 0x17
      ? /^(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)?Z$/.exec(s)
      : /^(\d{4})(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)?Z$/.exec(s);
  if (!m) return s;
  const year = t.tag === 0x17 ? (Number(m[1]) >= 50 ? 1900 : 2000) + Number(m[1]) : Number(m[1]);
  return `${year}-${m[2]}-${m[3]} ${m[4]}:${m[5]}:${m[6] ?? '00'} (UTC)`;
}

export interface CertificateInfo {
  subject: string;
  issuer: string;
  notBefore: string;
  notAfter: string;
  dnsNames: string[];
  ipAddresses: { bytes: Uint8Array; text: string }[];
  /** Attribute values in issuer and subject, and extensions of RFC 5280 §4.2.1 (id-ce, 2.5.29). */
  attributeCount: number;
  extensionCount: number;
}

const OID_SUBJECT_ALT_NAME = '2.5.29.17';

export function describeCertificate(der: Uint8Array): CertificateInfo | undefined {
  const cert = readTlv(der, 0);
  if (!cert || cert.tag !== 0x30) return undefined;
  const tbs = children(der, cert.start, cert.end, 3)[0];
  if (!tbs || tbs.tag !== 0x30) return undefined;
  const items = children(der, tbs.start, tbs.end, 16);
  // version [0] is optional (RFC 5280 §4.1.2.1).
  let i = items[0]?.tag === 0xa0 ? 1 : 0;
  i += 2; // serialNumber, signature
  const issuer = items[i++];
  const validity = items[i++];
  const subject = items[i++];
  if (!issuer || !validity || !subject) return undefined;
  const [nb, na] = children(der, validity.start, validity.end, 2);
  const info: CertificateInfo = {
    subject: nameText(der, subject),
    issuer: nameText(der, issuer),
    notBefore: nb ? timeText(der, nb) : '',
    notAfter: na ? timeText(der, na) : '',
    dnsNames: [],
    ipAddresses: [],
    attributeCount: countAttributes(der, issuer) + countAttributes(der, subject),
    extensionCount: 0,
  };
  const extsWrapper = items.find((t) => t.tag === 0xa3);
  const exts = extsWrapper && readTlv(der, extsWrapper.start, extsWrapper.end);
  if (exts) {
    for (const ext of children(der, exts.start, exts.end, 64)) {
      const parts = children(der, ext.start, ext.end, 3);
      if (parts[0]?.tag !== 0x06) continue;
      const oid = oidText(der, parts[0].start, parts[0].end);
      if (oid.startsWith('2.5.29.')) info.extensionCount++;
      if (oid !== OID_SUBJECT_ALT_NAME) continue;
      const octets = parts[parts.length - 1]!;
      const seq = readTlv(der, octets.start, octets.end);
      if (!seq) continue;
      for (const gn of children(der, seq.start, seq.end, 128)) {
        // GeneralName (RFC 5280 §4.2.1.6): [2] dNSName, [7] iPAddress.
        if (gn.tag === 0x82) info.dnsNames.push(text(der, gn));
        if (gn.tag === 0x87) {
          const bytes = der.subarray(gn.start, gn.end);
          const t =
            bytes.length === 4
              ? ipv4ToString(((bytes[0]! << 24) >>> 0) + (bytes[1]! << 16) + (bytes[2]! << 8) + bytes[3]!)
              : bytes.length === 16
                ? ipv6ToString(bytes)
                : '';
          info.ipAddresses.push({ bytes, text: t });
        }
      }
    }
  }
  return info;
}
