// Certificate extensions (RFC 5280 §4.2) under tshark 4.0's fields: the CertificateExtensions
// module (x509ce.*) and PKIX1Implicit's authorityInfoAccess (pkix1implicit.*, RFC 5280
// §4.2.2.1). Each extension tshark has a dissector for is a layer in frame.protocols (x509ce,
// pkix1implicit), as its BER OID call adds one; others show only their id and criticality.
import type { Dissection } from '../dissect/dissection';
import { registerFields, type Field } from '../dissect/fields';
import { ipv4ToString, ipv6ToString } from '../dissect/format';
import {
  addBitString,
  addOid,
  hexLabel,
  children,
  generalizedTimeNs,
  inner,
  notImplemented,
  intValue,
  items,
  stringValue,
  TAG_IA5,
  TAG_UTF8,
  type Tlv,
} from './x509-der';
import { EXTENSION_TYPES } from './tls-names';
import { dissectName, nameFields } from './x509-names';

const GENERAL_NAME: Readonly<Record<number, string>> = {
  0: 'otherName',
  1: 'rfc822Name',
  2: 'dNSName',
  3: 'x400Address',
  4: 'directoryName',
  5: 'ediPartyName',
  6: 'uniformResourceIdentifier',
  7: 'iPAddress',
  8: 'registeredID',
};

const KU = { type: 'bool', bits: 8, tfs: ['True', 'False'] } as const;

const fields = registerFields({
  subjectKeyIdentifier: {
    abbrev: 'x509ce.SubjectKeyIdentifier',
    name: 'SubjectKeyIdentifier',
    type: 'bytes',
  },
  keyUsage: { abbrev: 'x509ce.KeyUsage', name: 'KeyUsage', type: 'bytes' },
  // KeyUsage ::= BIT STRING (RFC 5280 §4.2.1.3): bit 0 is the first octet's top bit.
  kuDigitalSignature: {
    ...KU,
    abbrev: 'x509ce.KeyUsage.digitalSignature',
    name: 'digitalSignature',
    mask: 0x80,
  },
  kuContentCommitment: {
    ...KU,
    abbrev: 'x509ce.KeyUsage.contentCommitment',
    name: 'contentCommitment',
    mask: 0x40,
  },
  kuKeyEncipherment: {
    ...KU,
    abbrev: 'x509ce.KeyUsage.keyEncipherment',
    name: 'keyEncipherment',
    mask: 0x20,
  },
  kuDataEncipherment: {
    ...KU,
    abbrev: 'x509ce.KeyUsage.dataEncipherment',
    name: 'dataEncipherment',
    mask: 0x10,
  },
  kuKeyAgreement: { ...KU, abbrev: 'x509ce.KeyUsage.keyAgreement', name: 'keyAgreement', mask: 0x08 },
  kuKeyCertSign: { ...KU, abbrev: 'x509ce.KeyUsage.keyCertSign', name: 'keyCertSign', mask: 0x04 },
  kuCRLSign: { ...KU, abbrev: 'x509ce.KeyUsage.cRLSign', name: 'cRLSign', mask: 0x02 },
  kuEncipherOnly: { ...KU, abbrev: 'x509ce.KeyUsage.encipherOnly', name: 'encipherOnly', mask: 0x01 },
  kuDecipherOnly: { ...KU, abbrev: 'x509ce.KeyUsage.decipherOnly', name: 'decipherOnly', mask: 0x80 },
  keyPurposeIds: { abbrev: 'x509ce.KeyPurposeIDs', name: 'KeyPurposeIDs', type: 'uint32' },
  keyPurposeId: { abbrev: 'x509ce.KeyPurposeId', name: 'KeyPurposeId', type: 'string' },
  authorityKeyIdentifier: {
    abbrev: 'x509ce.AuthorityKeyIdentifier_element',
    name: 'AuthorityKeyIdentifier',
    type: 'none',
  },
  keyIdentifier: { abbrev: 'x509ce.keyIdentifier', name: 'keyIdentifier', type: 'bytes' },
  authorityCertIssuer: { abbrev: 'x509ce.authorityCertIssuer', name: 'authorityCertIssuer', type: 'uint32' },
  authorityCertSerialNumber: {
    abbrev: 'x509ce.authorityCertSerialNumber',
    name: 'authorityCertSerialNumber',
    type: 'bytes',
  },
  basicConstraints: {
    abbrev: 'x509ce.BasicConstraintsSyntax_element',
    name: 'BasicConstraintsSyntax',
    type: 'none',
  },
  cA: { abbrev: 'x509ce.cA', name: 'cA', type: 'bool', tfs: ['True', 'False'] },
  pathLenConstraint: { abbrev: 'x509ce.pathLenConstraint', name: 'pathLenConstraint', type: 'uint64' },
  generalNames: { abbrev: 'x509ce.GeneralNames', name: 'GeneralNames', type: 'uint32' },
  generalName: { abbrev: 'x509ce.GeneralName', name: 'GeneralName', type: 'uint32', vals: GENERAL_NAME },
  otherName: { abbrev: 'x509ce.otherName_element', name: 'otherName', type: 'none' },
  rfc822Name: { abbrev: 'x509ce.rfc822Name', name: 'rfc822Name', type: 'string' },
  dNSName: { abbrev: 'x509ce.dNSName', name: 'dNSName', type: 'string' },
  x400Address: { abbrev: 'x509ce.x400Address_element', name: 'x400Address', type: 'none' },
  directoryName: {
    abbrev: 'x509ce.directoryName',
    name: 'directoryName',
    type: 'uint32',
    vals: { 0: 'rdnSequence' },
  },
  ediPartyName: { abbrev: 'x509ce.ediPartyName_element', name: 'ediPartyName', type: 'none' },
  uniformResourceIdentifier: {
    abbrev: 'x509ce.uniformResourceIdentifier',
    name: 'uniformResourceIdentifier',
    type: 'string',
  },
  ipv4: { abbrev: 'x509ce.IPAddress.ipv4', name: 'iPAddress', type: 'ipv4' },
  ipv6: { abbrev: 'x509ce.IPAddress.ipv6', name: 'iPAddress', type: 'ipv6' },
  registeredID: { abbrev: 'x509ce.registeredID', name: 'registeredID', type: 'string' },
  crlDistPoints: { abbrev: 'x509ce.CRLDistPointsSyntax', name: 'CRLDistPointsSyntax', type: 'uint32' },
  distributionPointElement: {
    abbrev: 'x509ce.DistributionPoint_element',
    name: 'DistributionPoint',
    type: 'none',
  },
  distributionPoint: {
    abbrev: 'x509ce.distributionPoint',
    name: 'distributionPoint',
    type: 'uint32',
    vals: { 0: 'fullName', 1: 'nameRelativeToCRLIssuer' },
  },
  fullName: { abbrev: 'x509ce.fullName', name: 'fullName', type: 'uint32' },
  reasons: { abbrev: 'x509ce.reasons', name: 'reasons', type: 'bytes' },
  cRLIssuer: { abbrev: 'x509ce.cRLIssuer', name: 'cRLIssuer', type: 'uint32' },
  certificatePolicies: {
    abbrev: 'x509ce.CertificatePoliciesSyntax',
    name: 'CertificatePoliciesSyntax',
    type: 'uint32',
  },
  policyInformation: { abbrev: 'x509ce.PolicyInformation_element', name: 'PolicyInformation', type: 'none' },
  policyIdentifier: { abbrev: 'x509ce.policyIdentifier', name: 'policyIdentifier', type: 'string' },
  policyQualifiers: { abbrev: 'x509ce.policyQualifiers', name: 'policyQualifiers', type: 'uint32' },
  policyQualifierInfo: {
    abbrev: 'x509ce.PolicyQualifierInfo_element',
    name: 'PolicyQualifierInfo',
    type: 'none',
  },
  qualifierId: { abbrev: 'x509ce.id', name: 'Id', type: 'string' },
  typeId: { abbrev: 'x509ce.type_id', name: 'type-id', type: 'string' },
  upn: { abbrev: 'x509sat.UTF8String', name: 'UTF8String', type: 'string' },
  cpsUri: { abbrev: 'pkix1explicit.DirectoryString', name: 'DirectoryString', type: 'string' },
  nameConstraints: {
    abbrev: 'x509ce.NameConstraintsSyntax_element',
    name: 'NameConstraintsSyntax',
    type: 'none',
  },
  permittedSubtrees: { abbrev: 'x509ce.permittedSubtrees', name: 'permittedSubtrees', type: 'uint32' },
  excludedSubtrees: { abbrev: 'x509ce.excludedSubtrees', name: 'excludedSubtrees', type: 'uint32' },
  generalSubtree: { abbrev: 'x509ce.GeneralSubtree_element', name: 'GeneralSubtree', type: 'none' },
  base: { abbrev: 'x509ce.base', name: 'base', type: 'uint32', vals: GENERAL_NAME },
  minimum: { abbrev: 'x509ce.minimum', name: 'minimum', type: 'uint64' },
  maximum: { abbrev: 'x509ce.maximum', name: 'maximum', type: 'uint64' },
  policyConstraints: {
    abbrev: 'x509ce.PolicyConstraintsSyntax_element',
    name: 'PolicyConstraintsSyntax',
    type: 'none',
  },
  requireExplicitPolicy: {
    abbrev: 'x509ce.requireExplicitPolicy',
    name: 'requireExplicitPolicy',
    type: 'uint64',
  },
  inhibitPolicyMapping: {
    abbrev: 'x509ce.inhibitPolicyMapping',
    name: 'inhibitPolicyMapping',
    type: 'uint64',
  },
  skipCerts: { abbrev: 'x509ce.SkipCerts', name: 'SkipCerts', type: 'uint64' },
  privateKeyUsagePeriod: {
    abbrev: 'x509ce.PrivateKeyUsagePeriod_element',
    name: 'PrivateKeyUsagePeriod',
    type: 'none',
  },
  pkupNotBefore: { abbrev: 'x509ce.notBefore', name: 'notBefore', type: 'abstime' },
  pkupNotAfter: { abbrev: 'x509ce.notAfter', name: 'notAfter', type: 'abstime' },
  nsComment: { abbrev: 'ns_cert_exts.Comment', name: 'Comment', type: 'string' },
  // RFC 7633 TLS feature: the TLS extension types a server must offer.
  features: { abbrev: 'pkix1explicit.Features', name: 'Features', type: 'uint32' },
  featuresItem: {
    abbrev: 'pkix1explicit.Features_item',
    name: 'Features item',
    type: 'uint16',
    vals: EXTENSION_TYPES,
  },
  authorityInfoAccess: {
    abbrev: 'pkix1implicit.AuthorityInfoAccessSyntax',
    name: 'AuthorityInfoAccessSyntax',
    type: 'uint32',
  },
  accessDescription: {
    abbrev: 'pkix1implicit.AccessDescription_element',
    name: 'AccessDescription',
    type: 'none',
  },
  accessMethod: { abbrev: 'pkix1implicit.accessMethod', name: 'accessMethod', type: 'string' },
  // (PKIX1Implicit's GeneralName choice has no value names: tshark shows `accessLocation: 6`.)
  accessLocation: { abbrev: 'pkix1implicit.accessLocation', name: 'accessLocation', type: 'uint32' },
});

const KEY_USAGE_BITS = [
  fields.kuDigitalSignature,
  fields.kuContentCommitment,
  fields.kuKeyEncipherment,
  fields.kuDataEncipherment,
  fields.kuKeyAgreement,
  fields.kuKeyCertSign,
  fields.kuCRLSign,
  fields.kuEncipherOnly,
];

const OID_QT_CPS = '1.3.6.1.5.5.7.2.1';
const OID_MS_UPN = '1.3.6.1.4.1.311.20.2.3';

/** otherName (RFC 5280 §4.2.1.6): type-id and, for a Microsoft UPN, its UTF8String value (which
 * tshark's x509sat module dissects: a layer). */
function otherName(p: Dissection, t: Tlv, layers: boolean): void {
  const d = p.data;
  const item = p.add(fields.otherName, t.start, t.end - t.start);
  p.open(item);
  const [typeId, value] = children(d, t.start, t.end, 2);
  const oid = typeId?.tag === 0x06 ? addOid(p, fields.typeId, typeId) : '';
  const utf8 = inner(d, value);
  if (oid === OID_MS_UPN && value?.tag === 0xa0 && utf8?.tag === TAG_UTF8) {
    if (layers) p.protocols.push('x509sat');
    if (p.wants(fields.upn)) p.add(fields.upn, utf8.start, utf8.end - utf8.start, stringValue(d, utf8));
  }
  p.close(item);
}

/** A SEQUENCE OF / SET OF count item over the contents: `Name: N items`. */
function countItem(p: Dissection, f: Field, t: Tlv, n: number): ReturnType<Dissection['add']> {
  return p.add(f, t.start, t.end - t.start, n, p.tree ? `${f.name}: ${items(n)}` : undefined);
}

function addString(p: Dissection, f: Field, t: Tlv): void {
  if (p.wants(f)) p.add(f, t.start, t.end - t.start, stringValue(p.data, t, TAG_IA5));
}

/** One GeneralName (RFC 5280 §4.2.1.6) as `choice` (x509ce.GeneralName or accessLocation):
 * its alternatives are context-tagged, so both items span the contents. */
function generalName(p: Dissection, t: Tlv, choice: Field, layers: boolean): void {
  const d = p.data;
  const n = t.tag & 0x1f;
  if ((t.tag & 0xc0) !== 0x80 || n > 8) return;
  const len = t.end - t.start;
  const item = p.add(choice, t.start, len, n);
  p.open(item);
  switch (n) {
    case 1:
      addString(p, fields.rfc822Name, t);
      break;
    case 2:
      addString(p, fields.dNSName, t);
      break;
    case 6:
      addString(p, fields.uniformResourceIdentifier, t);
      break;
    case 7: {
      // iPAddress (§4.2.1.6): four octets for IPv4, sixteen for IPv6.
      const b = d.subarray(t.start, t.end);
      if (len === 4 && p.wants(fields.ipv4)) {
        const v = ((b[0]! << 24) >>> 0) + (b[1]! << 16) + (b[2]! << 8) + b[3]!;
        p.add(fields.ipv4, t.start, 4, v, p.tree ? `iPAddress: ${ipv4ToString(v)}` : undefined);
      } else if (len === 16 && p.wants(fields.ipv6)) {
        p.add(fields.ipv6, t.start, 16, b, p.tree ? `iPAddress: ${ipv6ToString(b)}` : undefined);
      }
      // (Other lengths, e.g. a name constraint's address and mask: tshark adds no item.)
      break;
    }
    case 8:
      addOid(p, fields.registeredID, t);
      break;
    case 4: {
      const name = inner(d, t);
      if (name?.tag === 0x30) dissectName(p, name, fields.directoryName, nameFields.rdnSequence, layers);
      break;
    }
    case 0:
      otherName(p, t, layers);
      break;
    case 3:
      p.add(fields.x400Address, t.start, len);
      break;
    case 5:
      p.add(fields.ediPartyName, t.start, len);
      break;
  }
  p.close(item);
}

/** GeneralNames (SEQUENCE OF GeneralName) over `[t.start, t.end)` as `count`. */
function generalNames(p: Dissection, t: Tlv, count: Field, layers: boolean): void {
  const names = children(p.data, t.start, t.end, 128);
  const item = countItem(p, count, t, names.length);
  p.open(item);
  for (const gn of names) generalName(p, gn, fields.generalName, layers);
  p.close(item);
}

/** KeyUsage (§4.2.1.3): the padding octet, the bits as bytes, then each usage's flag. */
function keyUsage(p: Dissection, t: Tlv): void {
  if (t.tag !== 0x03 || t.end - t.start < 2) return;
  const item = addBitString(p, fields.keyUsage, t);
  p.open(item);
  const first = t.start + 1;
  for (const f of KEY_USAGE_BITS) p.add(f, first, 1);
  // decipherOnly is bit 8, in a second octet that DER leaves out when it is clear.
  if (t.end - first > 1) p.add(fields.kuDecipherOnly, first + 1, 1);
  else p.add(fields.kuDecipherOnly, first, 1, false, p.tree ? '0... .... = decipherOnly: False' : undefined);
  p.close(item);
}

function basicConstraints(p: Dissection, t: Tlv): void {
  if (t.tag !== 0x30) return;
  const empty = t.end === t.start;
  const item = p.add(
    fields.basicConstraints,
    t.at,
    t.end - t.at,
    undefined,
    p.tree ? `BasicConstraintsSyntax${empty ? ' [0 length]' : ''}` : undefined,
  );
  p.open(item);
  for (const c of children(p.data, t.start, t.end, 2)) {
    if (c.tag === 0x01) p.add(fields.cA, c.start, c.end - c.start);
    if (c.tag === 0x02) {
      const v = intValue(p.data, c);
      if (Number.isFinite(v)) p.add(fields.pathLenConstraint, c.start, c.end - c.start, v);
    }
  }
  p.close(item);
}

function authorityKeyIdentifier(p: Dissection, t: Tlv, layers: boolean): void {
  if (t.tag !== 0x30) return;
  const item = p.add(fields.authorityKeyIdentifier, t.at, t.end - t.at);
  p.open(item);
  for (const c of children(p.data, t.start, t.end, 3)) {
    if (c.tag === 0x80) p.add(fields.keyIdentifier, c.start, c.end - c.start);
    else if (c.tag === 0xa1) generalNames(p, c, fields.authorityCertIssuer, layers);
    else if (c.tag === 0x82) {
      const b = p.data.subarray(c.start, c.end);
      const label = p.tree ? `authorityCertSerialNumber: 0x${hexLabel(b)}` : undefined;
      p.add(fields.authorityCertSerialNumber, c.start, b.length, b, label);
    }
  }
  p.close(item);
}

function extKeyUsage(p: Dissection, t: Tlv): void {
  if (t.tag !== 0x30) return;
  const ids = children(p.data, t.start, t.end, 64);
  const item = countItem(p, fields.keyPurposeIds, t, ids.length);
  p.open(item);
  for (const id of ids) if (id.tag === 0x06) addOid(p, fields.keyPurposeId, id);
  p.close(item);
}

/** CRLDistributionPoints (§4.2.1.13). */
function crlDistributionPoints(p: Dissection, t: Tlv, layers: boolean): void {
  if (t.tag !== 0x30) return;
  const d = p.data;
  const points = children(d, t.start, t.end, 32);
  const item = countItem(p, fields.crlDistPoints, t, points.length);
  p.open(item);
  for (const dp of points) {
    const el = p.add(fields.distributionPointElement, dp.at, dp.end - dp.at);
    p.open(el);
    for (const c of children(d, dp.start, dp.end, 3)) {
      if (c.tag === 0xa0) {
        // distributionPoint [0] EXPLICIT DistributionPointName: fullName [0] IMPLICIT
        // GeneralNames, or nameRelativeToCRLIssuer [1] IMPLICIT RDN.
        const dpn = inner(d, c);
        if (!dpn) continue;
        const choice = dpn.tag === 0xa0 ? 0 : dpn.tag === 0xa1 ? 1 : -1;
        if (choice < 0) continue;
        const ci = p.add(fields.distributionPoint, dpn.start, dpn.end - dpn.start, choice);
        p.open(ci);
        if (choice === 0) generalNames(p, dpn, fields.fullName, layers);
        p.close(ci);
      } else if (c.tag === 0x81) {
        addBitString(p, fields.reasons, c);
      } else if (c.tag === 0xa2) {
        generalNames(p, c, fields.cRLIssuer, layers);
      }
    }
    p.close(el);
  }
  p.close(item);
}

/** CertificatePolicies (§4.2.1.4): policy identifiers and their qualifiers' ids. */
function certificatePolicies(p: Dissection, t: Tlv, layers: boolean): void {
  if (t.tag !== 0x30) return;
  const d = p.data;
  const policies = children(d, t.start, t.end, 32);
  const item = countItem(p, fields.certificatePolicies, t, policies.length);
  p.open(item);
  for (const pi of policies) {
    const el = p.add(fields.policyInformation, pi.at, pi.end - pi.at);
    p.open(el);
    const [id, qualifiers] = children(d, pi.start, pi.end, 2);
    if (id?.tag === 0x06) addOid(p, fields.policyIdentifier, id);
    if (qualifiers?.tag === 0x30) {
      const list = children(d, qualifiers.start, qualifiers.end, 16);
      const qi = countItem(p, fields.policyQualifiers, qualifiers, list.length);
      p.open(qi);
      for (const q of list) {
        const qel = p.add(fields.policyQualifierInfo, q.at, q.end - q.at);
        p.open(qel);
        const [qid, qualifier] = children(d, q.start, q.end, 2);
        // (tshark labels the qualifier's id `Id`, field x509ce.id.)
        const oid = qid?.tag === 0x06 ? addOid(p, fields.qualifierId, qid) : '';
        if (oid === OID_QT_CPS && qualifier) {
          // CPSuri (RFC 5280 §4.2.1.4), dissected by PKIX1Explicit: a layer of its own.
          if (layers) p.protocols.push('pkix1explicit');
          addString(p, fields.cpsUri, qualifier);
        }
        p.close(qel);
      }
      p.close(qi);
    }
    p.close(el);
  }
  p.close(item);
}

/** AuthorityInfoAccess (§4.2.2.1), PKIX1Implicit's module. */
function authorityInfoAccess(p: Dissection, t: Tlv, layers: boolean): void {
  if (t.tag !== 0x30) return;
  const d = p.data;
  const list = children(d, t.start, t.end, 32);
  const item = countItem(p, fields.authorityInfoAccess, t, list.length);
  p.open(item);
  for (const ad of list) {
    const el = p.add(fields.accessDescription, ad.at, ad.end - ad.at);
    p.open(el);
    const [method, location] = children(d, ad.start, ad.end, 2);
    if (method?.tag === 0x06) addOid(p, fields.accessMethod, method);
    if (location) generalName(p, location, fields.accessLocation, layers);
    p.close(el);
  }
  p.close(item);
}

/** A non-negative INTEGER (or an implicitly tagged one) as `f`, when it fits. */
function addInt(p: Dissection, f: Field, t: Tlv): void {
  const v = intValue(p.data, t);
  if (Number.isFinite(v)) p.add(f, t.start, t.end - t.start, v);
}

/** NameConstraints (§4.2.1.10): permitted [0] and excluded [1] GeneralSubtrees. */
function nameConstraints(p: Dissection, t: Tlv, layers: boolean): void {
  if (t.tag !== 0x30) return;
  const d = p.data;
  const item = p.add(fields.nameConstraints, t.at, t.end - t.at);
  p.open(item);
  for (const list of children(d, t.start, t.end, 2)) {
    const f =
      list.tag === 0xa0 ? fields.permittedSubtrees : list.tag === 0xa1 ? fields.excludedSubtrees : undefined;
    if (!f) continue;
    const subtrees = children(d, list.start, list.end, 64);
    const li = countItem(p, f, list, subtrees.length);
    p.open(li);
    for (const st of subtrees) {
      const el = p.add(fields.generalSubtree, st.at, st.end - st.at);
      p.open(el);
      const [base, ...bounds] = children(d, st.start, st.end, 3);
      if (base) generalName(p, base, fields.base, layers);
      for (const b of bounds) addInt(p, b.tag === 0x80 ? fields.minimum : fields.maximum, b);
      p.close(el);
    }
    p.close(li);
  }
  p.close(item);
}

/** PolicyConstraints (§4.2.1.11). */
function policyConstraints(p: Dissection, t: Tlv): void {
  if (t.tag !== 0x30) return;
  const item = p.add(fields.policyConstraints, t.at, t.end - t.at);
  p.open(item);
  for (const c of children(p.data, t.start, t.end, 2))
    addInt(p, c.tag === 0x80 ? fields.requireExplicitPolicy : fields.inhibitPolicyMapping, c);
  p.close(item);
}

/** PrivateKeyUsagePeriod (RFC 3280 §4.2.1.4): [0]/[1] IMPLICIT GeneralizedTime. */
function privateKeyUsagePeriod(p: Dissection, t: Tlv): void {
  if (t.tag !== 0x30) return;
  const item = p.add(fields.privateKeyUsagePeriod, t.at, t.end - t.at);
  p.open(item);
  for (const c of children(p.data, t.start, t.end, 2)) {
    const f = c.tag === 0x80 ? fields.pkupNotBefore : fields.pkupNotAfter;
    const ns = p.wants(f) ? generalizedTimeNs(p.data, c) : undefined;
    if (ns !== undefined) p.add(f, c.start, c.end - c.start, ns);
  }
  p.close(item);
}

/** TLS feature (RFC 7633 §4.1): a SEQUENCE OF the TLS extension types to be offered. */
function tlsFeature(p: Dissection, t: Tlv): void {
  if (t.tag !== 0x30) return;
  const list = children(p.data, t.start, t.end, 64);
  const item = countItem(p, fields.features, t, list.length);
  p.open(item);
  for (const c of list) if (c.tag === 0x02) addInt(p, fields.featuresItem, c);
  p.close(item);
}

type ExtensionDissector = (p: Dissection, value: Tlv, layers: boolean) => void;

/** Extensions with a dissector, by OID, and the layer tshark records for it. */
const EXTENSIONS: Record<string, readonly [string, ExtensionDissector]> = {
  '2.5.29.14': [
    'x509ce',
    (p, t) => {
      if (t.tag === 0x04) p.add(fields.subjectKeyIdentifier, t.start, t.end - t.start);
    },
  ],
  '2.5.29.15': ['x509ce', keyUsage],
  '2.5.29.17': [
    'x509ce',
    (p, t, layers) => t.tag === 0x30 && generalNames(p, t, fields.generalNames, layers),
  ],
  '2.5.29.18': [
    'x509ce',
    (p, t, layers) => t.tag === 0x30 && generalNames(p, t, fields.generalNames, layers),
  ],
  '2.5.29.19': ['x509ce', basicConstraints],
  '2.5.29.31': ['x509ce', crlDistributionPoints],
  '2.5.29.32': ['x509ce', certificatePolicies],
  '2.5.29.35': ['x509ce', authorityKeyIdentifier],
  '2.5.29.37': ['x509ce', extKeyUsage],
  '2.5.29.16': ['x509ce', privateKeyUsagePeriod],
  '2.5.29.30': ['x509ce', nameConstraints],
  '2.5.29.36': ['x509ce', policyConstraints],
  '2.5.29.54': ['x509ce', (p, t) => t.tag === 0x02 && addInt(p, fields.skipCerts, t)],
  '1.3.6.1.5.5.7.1.1': ['pkix1implicit', authorityInfoAccess],
  '1.3.6.1.5.5.7.1.24': ['pkix1explicit', tlsFeature],
  // Netscape's comment (an IA5String), from the NetScape Certificate Extensions module.
  '2.16.840.1.113730.1.13': ['ns_cert_exts', (p, t) => t.tag === 0x16 && addString(p, fields.nsComment, t)],
};

/** Adds a decoder for an extension another module owns (as Wireshark's
 * register_ber_oid_dissector), e.g. TLS's SignedCertificateTimestampList. `value` is the
 * extnValue OCTET STRING itself. */
export function registerExtension(
  oid: string,
  layer: string,
  dissect: (p: Dissection, value: Tlv) => void,
): void {
  RAW_EXTENSIONS[oid] = [layer, dissect];
}

const RAW_EXTENSIONS: Record<string, readonly [string, (p: Dissection, value: Tlv) => void]> = {};

/** The value (an OCTET STRING holding DER) of the extension `oid`: its layer and items. */
export function dissectExtension(p: Dissection, oid: string, octets: Tlv, layers: boolean): void {
  const raw = RAW_EXTENSIONS[oid];
  if (raw) {
    if (layers) p.protocols.push(raw[0]);
    raw[1](p, octets);
    return;
  }
  const ext = EXTENSIONS[oid];
  if (!ext) {
    // tshark's BER engine: a text item over the value and an Undecoded warning.
    notImplemented(p, octets.start, octets.end);
    return;
  }
  if (layers) p.protocols.push(ext[0]);
  const value = inner(p.data, octets);
  if (value) ext[1](p, value, layers);
}

export { fields as extensionFields };
