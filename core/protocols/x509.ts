// X.509 certificates (RFC 5280 §4.1) under tshark 4.0's ASN.1-generated fields: the
// AuthenticationFramework module (x509af.*), PKCS #1 public keys (pkcs1.*), and, through
// x509-names.ts and x509-extensions.ts, names (x509if.*, x509sat.*) and extensions (x509ce.*,
// pkix1implicit.*). Also the small, bounded DER reader (ITU-T X.690 §8, §10) they share.
// The DER reader is x509-der.ts; nothing throws on bad DER: a TLV that does not parse ends the
// walk at that point.
//
// Item ranges follow Wireshark's BER engine: a SEQUENCE (an `_element` item) or a CHOICE with a
// universal-tagged alternative spans the whole TLV; a SEQUENCE OF / SET OF (an item count), a
// primitive value and an implicitly tagged CHOICE alternative span the contents only.
import type { Dissection } from '../dissect/dissection';
import { registerFields, type Field } from '../dissect/fields';
import {
  addBitString,
  addOid,
  children,
  generalizedTimeNs,
  hexLabel,
  inner,
  intValue,
  items,
  oidText,
  readTlv,
  stringValue,
  TAG_IA5,
  type Tlv,
} from './x509-der';
import { dissectExtension } from './x509-extensions';
import { dissectName, nameText, nameFields } from './x509-names';
import { oidName } from './x509-oids';

export { readTlv } from './x509-der';

const CHOICE_TIME: Readonly<Record<number, string>> = { 0: 'utcTime', 1: 'generalizedTime' };

const fields = registerFields({
  signedCertificate: { abbrev: 'x509af.signedCertificate_element', name: 'signedCertificate', type: 'none' },
  version: { abbrev: 'x509af.version', name: 'version', type: 'int32', vals: { 0: 'v1', 1: 'v2', 2: 'v3' } },
  serialNumber: { abbrev: 'x509af.serialNumber', name: 'serialNumber', type: 'bytes' },
  signature: { abbrev: 'x509af.signature_element', name: 'signature', type: 'none' },
  // FT_OID in tshark: Wirelens keeps OIDs as their dotted text.
  algorithmId: { abbrev: 'x509af.algorithm.id', name: 'Algorithm Id', type: 'string' },
  issuer: { abbrev: 'x509af.issuer', name: 'issuer', type: 'uint32', vals: { 0: 'rdnSequence' } },
  validity: { abbrev: 'x509af.validity_element', name: 'validity', type: 'none' },
  notBefore: { abbrev: 'x509af.notBefore', name: 'notBefore', type: 'uint32', vals: CHOICE_TIME },
  notAfter: { abbrev: 'x509af.notAfter', name: 'notAfter', type: 'uint32', vals: CHOICE_TIME },
  utcTime: { abbrev: 'x509af.utcTime', name: 'utcTime', type: 'string' },
  generalizedTime: { abbrev: 'x509af.generalizedTime', name: 'generalizedTime', type: 'abstime' },
  subject: { abbrev: 'x509af.subject', name: 'subject', type: 'uint32', vals: { 0: 'rdnSequence' } },
  subjectRdnSequence: { abbrev: 'x509af.rdnSequence', name: 'rdnSequence', type: 'uint32' },
  subjectPublicKeyInfo: {
    abbrev: 'x509af.subjectPublicKeyInfo_element',
    name: 'subjectPublicKeyInfo',
    type: 'none',
  },
  algorithm: { abbrev: 'x509af.algorithm_element', name: 'algorithm', type: 'none' },
  subjectPublicKey: { abbrev: 'x509af.subjectPublicKey', name: 'subjectPublicKey', type: 'bytes' },
  issuerUniqueIdentifier: {
    abbrev: 'x509af.issuerUniqueIdentifier',
    name: 'issuerUniqueIdentifier',
    type: 'bytes',
  },
  subjectUniqueIdentifier: {
    abbrev: 'x509af.subjectUniqueIdentifier',
    name: 'subjectUniqueIdentifier',
    type: 'bytes',
  },
  extensions: { abbrev: 'x509af.extensions', name: 'extensions', type: 'uint32' },
  extension: { abbrev: 'x509af.Extension_element', name: 'Extension', type: 'none' },
  extensionId: { abbrev: 'x509af.extension.id', name: 'Extension Id', type: 'string' },
  critical: { abbrev: 'x509af.critical', name: 'critical', type: 'bool', tfs: ['True', 'False'] },
  algorithmIdentifier: {
    abbrev: 'x509af.algorithmIdentifier_element',
    name: 'algorithmIdentifier',
    type: 'none',
  },
  encrypted: { abbrev: 'x509af.encrypted', name: 'encrypted', type: 'bytes' },
  // PKCS #1 (RFC 8017 Appendix A.1.1) and the EC parameters of RFC 5480 §2.1.1.
  modulus: { abbrev: 'pkcs1.modulus', name: 'modulus', type: 'bytes' },
  publicExponent: { abbrev: 'pkcs1.publicExponent', name: 'publicExponent', type: 'int32' },
  ecParameters: {
    abbrev: 'pkcs1.ECParameters',
    name: 'ECParameters',
    type: 'uint32',
    vals: { 0: 'specifiedCurve', 1: 'namedCurve', 2: 'implicitlyCA' },
  },
  namedCurve: { abbrev: 'pkcs1.namedCurve', name: 'namedCurve', type: 'string' },
  specifiedCurve: { abbrev: 'pkcs1.specifiedCurve_element', name: 'specifiedCurve', type: 'none' },
  pssParams: { abbrev: 'pkcs1.RSASSA_PSS_params_element', name: 'RSASSA-PSS-params', type: 'none' },
  hashAlgorithm: { abbrev: 'pkcs1.hashAlgorithm_element', name: 'hashAlgorithm', type: 'none' },
  maskGenAlgorithm: { abbrev: 'pkcs1.maskGenAlgorithm_element', name: 'maskGenAlgorithm', type: 'none' },
  mgfHashAlgorithm: { abbrev: 'pkcs1.HashAlgorithm_element', name: 'HashAlgorithm', type: 'none' },
  saltLength: { abbrev: 'pkcs1.saltLength', name: 'saltLength', type: 'int32' },
  trailerField: { abbrev: 'pkcs1.trailerField', name: 'trailerField', type: 'int32' },
});

const OID_RSA = '1.2.840.113549.1.1.1';
const OID_EC_PUBLIC_KEY = '1.2.840.10045.2.1';
const OID_RSASSA_PSS = '1.2.840.113549.1.1.10';
const OID_MGF1 = '1.2.840.113549.1.1.8';

/** An AlgorithmIdentifier (RFC 5280 §4.1.1.2) as `element`, with the key's EC parameters. */
function algorithmIdentifier(p: Dissection, element: Field, t: Tlv, layers: boolean, depth = 0): string {
  const d = p.data;
  const [id, params] = children(d, t.start, t.end, 2);
  const oid = id?.tag === 0x06 ? oidText(d, id.start, id.end) : '';
  const item = p.add(
    element,
    t.at,
    t.end - t.at,
    undefined,
    p.tree ? `${element.name} (${oidName(oid)})` : undefined,
  );
  p.open(item);
  if (id?.tag === 0x06) addOid(p, fields.algorithmId, id);
  // Parameters tshark decodes, each by the PKCS #1 module (a layer of its own); the depth bound
  // stops parameters nested in parameters (PSS → MGF1 → …) on crafted input.
  if (params && depth < 4) {
    if (oid === OID_EC_PUBLIC_KEY) {
      if (layers) p.protocols.push('pkcs-1');
      ecParameters(p, params);
    } else if (oid === OID_RSASSA_PSS && params.tag === 0x30) {
      if (layers) p.protocols.push('pkcs-1');
      pssParameters(p, params, layers, depth);
    } else if (oid === OID_MGF1 && params.tag === 0x30) {
      if (layers) p.protocols.push('pkcs-1');
      algorithmIdentifier(p, fields.mgfHashAlgorithm, params, layers, depth + 1);
    }
  }
  p.close(item);
  return oid;
}

/** ECParameters (RFC 5480 §2.1.1): a named curve, mostly. */
function ecParameters(p: Dissection, params: Tlv): void {
  const choice = params.tag === 0x06 ? 1 : params.tag === 0x30 ? 0 : params.tag === 0x05 ? 2 : -1;
  if (choice < 0) return;
  const c = p.add(fields.ecParameters, params.at, params.end - params.at, choice);
  p.open(c);
  if (choice === 1) addOid(p, fields.namedCurve, params);
  if (choice === 0) p.add(fields.specifiedCurve, params.at, params.end - params.at);
  p.close(c);
}

/** RSASSA-PSS-params (RFC 8017 Appendix A.2.3): [0] hash, [1] mask generation, [2] salt
 * length, [3] trailer field, each EXPLICIT and each optional (defaults are not shown). */
function pssParameters(p: Dissection, params: Tlv, layers: boolean, depth: number): void {
  const d = p.data;
  const item = p.add(fields.pssParams, params.at, params.end - params.at);
  p.open(item);
  for (const c of children(d, params.start, params.end, 4)) {
    const v = inner(d, c);
    if (!v) continue;
    if (c.tag === 0xa0 && v.tag === 0x30) algorithmIdentifier(p, fields.hashAlgorithm, v, layers, depth + 1);
    else if (c.tag === 0xa1 && v.tag === 0x30)
      algorithmIdentifier(p, fields.maskGenAlgorithm, v, layers, depth + 1);
    else if ((c.tag === 0xa2 || c.tag === 0xa3) && v.tag === 0x02) {
      const n = intValue(d, v);
      if (Number.isFinite(n))
        p.add(c.tag === 0xa2 ? fields.saltLength : fields.trailerField, v.start, v.end - v.start, n);
    }
  }
  p.close(item);
}

/** UTCTime (YYMMDDHHMMSSZ, RFC 5280 §4.1.2.5.1) as tshark shows it: `2026-11-22 17:55:26 (UTC)`. */
function utcTimeText(d: Uint8Array, t: Tlv): string {
  const s = stringValue(d, t, TAG_IA5);
  const m = /^(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)?Z$/.exec(s);
  if (!m) return s;
  const year = (Number(m[1]) >= 50 ? 1900 : 2000) + Number(m[1]);
  return `${year}-${m[2]}-${m[3]} ${m[4]}:${m[5]}:${m[6] ?? '00'} (UTC)`;
}

function time(p: Dissection, f: (typeof fields)['notBefore'], t: Tlv | undefined): void {
  if (!t || (t.tag !== 0x17 && t.tag !== 0x18)) return;
  const utc = t.tag === 0x17;
  const item = p.add(f, t.at, t.end - t.at, utc ? 0 : 1);
  p.open(item);
  if (utc) {
    if (p.wants(fields.utcTime)) p.add(fields.utcTime, t.start, t.end - t.start, utcTimeText(p.data, t));
  } else if (p.wants(fields.generalizedTime)) {
    const ns = generalizedTimeNs(p.data, t);
    if (ns !== undefined) p.add(fields.generalizedTime, t.start, t.end - t.start, ns);
  }
  p.close(item);
}

/** SubjectPublicKeyInfo (RFC 5280 §4.1.2.7); an RSA key is shown as PKCS #1's RSAPublicKey. */
function subjectPublicKeyInfo(p: Dissection, t: Tlv, layers: boolean): void {
  const d = p.data;
  const item = p.add(fields.subjectPublicKeyInfo, t.at, t.end - t.at);
  p.open(item);
  const [alg, key] = children(d, t.start, t.end, 2);
  const oid = alg?.tag === 0x30 ? algorithmIdentifier(p, fields.algorithm, alg, layers) : '';
  if (key?.tag === 0x03) {
    const rsa = oid === OID_RSA;
    const keyItem = addBitString(p, fields.subjectPublicKey, key, !rsa);
    const seq = rsa && key.end > key.start ? readTlv(d, key.start + 1, key.end) : undefined;
    if (seq?.tag === 0x30) {
      p.open(keyItem);
      const [n, e] = children(d, seq.start, seq.end, 2);
      if (n?.tag === 0x02 && p.wants(fields.modulus)) {
        const b = d.subarray(n.start, n.end);
        p.add(fields.modulus, n.start, b.length, b, p.tree ? `modulus: 0x${hexLabel(b)}` : undefined);
      }
      if (e?.tag === 0x02) {
        const v = intValue(d, e);
        if (Number.isFinite(v)) p.add(fields.publicExponent, e.start, e.end - e.start, v);
      }
      p.close(keyItem);
    }
  }
  p.close(item);
}

/** Whether the certificate's items are wanted: the tree, or a field of these modules. */
export function certificateDetail(p: Dissection): boolean {
  return (
    p.tree ||
    p.detailFor('x509af') ||
    p.detailFor('x509if') ||
    p.detailFor('x509sat') ||
    p.detailFor('x509ce') ||
    p.detailFor('pkcs1') ||
    p.detailFor('pkix1implicit') ||
    p.detailFor('pkix1explicit') ||
    p.detailFor('ns_cert_exts') ||
    p.detailFor('ber')
  );
}

/** The subject as tshark appends it to a certificate's label, or '' (tree path only). */
export function certificateSubject(d: Uint8Array, start: number, end: number): string {
  const cert = readTlv(d, start, end);
  const tbs = cert?.tag === 0x30 ? readTlv(d, cert.start, cert.end) : undefined;
  if (!tbs || tbs.tag !== 0x30) return '';
  const parts = children(d, tbs.start, tbs.end, 8);
  const subject = parts[parts[0]?.tag === 0xa0 ? 5 : 4];
  return subject?.tag === 0x30 ? nameText(d, subject) : '';
}

/**
 * Decodes the Certificate DER over `[start, end)` of `p.data` (RFC 5280 §4.1) into tshark's
 * fields, adding the x509sat/x509ce/pkcs-1/pkix1implicit layers its sub-dissectors add to
 * `frame.protocols` (in order). `detail` false (fast path): only those layers are recorded.
 */
export function dissectCertificate(p: Dissection, start: number, end: number, detail: boolean): void {
  const d = p.data;
  const layers = !p.inError;
  const cert = readTlv(d, start, end);
  if (!cert || cert.tag !== 0x30) return;
  const [tbs, sigAlg, sig] = children(d, cert.start, cert.end, 3);
  if (!tbs || tbs.tag !== 0x30) return;
  if (!detail) {
    certificateLayers(p, tbs, sigAlg);
    return;
  }
  const tbsItem = p.add(fields.signedCertificate, tbs.at, tbs.end - tbs.at);
  p.open(tbsItem);
  const parts = children(d, tbs.start, tbs.end, 16);
  let i = 0;
  if (parts[0]?.tag === 0xa0) {
    // version [0] EXPLICIT, default v1 (RFC 5280 §4.1.2.1).
    const v = inner(d, parts[0]);
    if (v?.tag === 0x02) p.add(fields.version, v.start, v.end - v.start, intValue(d, v));
    i++;
  }
  const serial = parts[i++];
  if (serial?.tag === 0x02 && p.wants(fields.serialNumber)) {
    const b = d.subarray(serial.start, serial.end);
    p.add(
      fields.serialNumber,
      serial.start,
      b.length,
      b,
      p.tree ? `serialNumber: 0x${hexLabel(b)}` : undefined,
    );
  }
  const signature = parts[i++];
  if (signature?.tag === 0x30) algorithmIdentifier(p, fields.signature, signature, layers);
  const issuer = parts[i++];
  if (issuer?.tag === 0x30) dissectName(p, issuer, fields.issuer, nameFields.rdnSequence, layers);
  const validity = parts[i++];
  if (validity?.tag === 0x30) {
    const item = p.add(fields.validity, validity.at, validity.end - validity.at);
    p.open(item);
    const [nb, na] = children(d, validity.start, validity.end, 2);
    time(p, fields.notBefore, nb);
    time(p, fields.notAfter, na);
    p.close(item);
  }
  const subject = parts[i++];
  if (subject?.tag === 0x30) dissectName(p, subject, fields.subject, fields.subjectRdnSequence, layers);
  const spki = parts[i++];
  if (spki?.tag === 0x30) subjectPublicKeyInfo(p, spki, layers);
  for (; i < parts.length; i++) {
    const t = parts[i]!;
    // issuerUniqueID [1], subjectUniqueID [2]: IMPLICIT BIT STRINGs (RFC 5280 §4.1.2.8).
    if (t.tag === 0x81 || t.tag === 0xa1) addBitString(p, fields.issuerUniqueIdentifier, t);
    else if (t.tag === 0x82 || t.tag === 0xa2) addBitString(p, fields.subjectUniqueIdentifier, t);
    else if (t.tag === 0xa3) extensions(p, t, layers);
  }
  p.close(tbsItem);
  if (sigAlg?.tag === 0x30) algorithmIdentifier(p, fields.algorithmIdentifier, sigAlg, layers);
  if (sig?.tag === 0x03) addBitString(p, fields.encrypted, sig);
}

/** extensions [3] EXPLICIT SEQUENCE OF Extension (RFC 5280 §4.1.2.9). */
function extensions(p: Dissection, wrapper: Tlv, layers: boolean): void {
  const d = p.data;
  const seq = inner(d, wrapper);
  if (!seq || seq.tag !== 0x30) return;
  const list = children(d, seq.start, seq.end, 64);
  const item = p.add(
    fields.extensions,
    seq.start,
    seq.end - seq.start,
    list.length,
    p.tree ? `extensions: ${items(list.length)}` : undefined,
  );
  p.open(item);
  for (const ext of list) {
    const [id, second, third] = children(d, ext.start, ext.end, 3);
    if (id?.tag !== 0x06) continue;
    const oid = oidText(d, id.start, id.end);
    const extItem = p.add(
      fields.extension,
      ext.at,
      ext.end - ext.at,
      undefined,
      p.tree ? `Extension (${oidName(oid)})` : undefined,
    );
    p.open(extItem);
    addOid(p, fields.extensionId, id);
    if (second?.tag === 0x01) p.add(fields.critical, second.start, second.end - second.start);
    const value = second?.tag === 0x04 ? second : third;
    if (value?.tag === 0x04) dissectExtension(p, oid, value, layers);
    p.close(extItem);
  }
  p.close(item);
}

/** The fast path: only the layers tshark's BER sub-dissectors add, in their order (the same
 * walkers as the detail path, minus the values no layer depends on). */
function certificateLayers(p: Dissection, tbs: Tlv, sigAlg: Tlv | undefined): void {
  if (p.inError) return;
  const d = p.data;
  const parts = children(d, tbs.start, tbs.end, 16);
  const first = parts[0]?.tag === 0xa0 ? 1 : 0;
  const [signature, issuer, , subject, spki] = parts.slice(first + 1);
  if (signature?.tag === 0x30) algorithmIdentifier(p, fields.signature, signature, true);
  for (const name of [issuer, subject])
    if (name?.tag === 0x30) dissectName(p, name, fields.issuer, nameFields.rdnSequence, true);
  const alg = spki?.tag === 0x30 ? readTlv(d, spki.start, spki.end) : undefined;
  if (alg?.tag === 0x30) algorithmIdentifier(p, fields.algorithm, alg, true);
  const wrapper = parts.find((t, i) => i > first + 5 && t.tag === 0xa3);
  const seq = inner(d, wrapper);
  if (seq?.tag === 0x30)
    for (const ext of children(d, seq.start, seq.end, 64)) {
      const [id, second, third] = children(d, ext.start, ext.end, 3);
      if (id?.tag !== 0x06) continue;
      const value = second?.tag === 0x04 ? second : third;
      if (value?.tag === 0x04) dissectExtension(p, oidText(d, id.start, id.end), value, true);
    }
  if (sigAlg?.tag === 0x30) algorithmIdentifier(p, fields.algorithmIdentifier, sigAlg, true);
}

export { fields as x509afFields };
