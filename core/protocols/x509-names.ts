// Distinguished names (RFC 5280 §4.1.2.4, X.501 Name) under tshark 4.0's fields: the
// InformationFramework module's RDNSequence (x509if.*) and the SelectedAttributeTypes module's
// attribute values (x509sat.*, X.520 §6). Each attribute value is a layer of its own in
// frame.protocols (x509sat), as tshark's BER sub-dissector call adds one.
import type { Dissection } from '../dissect/dissection';
import { registerFields, type Field } from '../dissect/fields';
import {
  children,
  clampLabel,
  items,
  labelText,
  notImplemented,
  oidText,
  stringValue,
  TAG_BMP,
  TAG_PRINTABLE,
  TAG_TELETEX,
  TAG_UNIVERSAL,
  TAG_UTF8,
  type Tlv,
} from './x509-der';
import { oidLabel, oidName } from './x509-oids';

const fields = registerFields({
  rdnSequence: { abbrev: 'x509if.rdnSequence', name: 'rdnSequence', type: 'uint32' },
  rdnItem: { abbrev: 'x509if.RDNSequence_item', name: 'RDNSequence item', type: 'uint32' },
  atv: {
    abbrev: 'x509if.RelativeDistinguishedName_item_element',
    name: 'RelativeDistinguishedName item',
    type: 'none',
  },
  oid: { abbrev: 'x509if.oid', name: 'Object Id', type: 'string' },
  directoryString: {
    abbrev: 'x509sat.DirectoryString',
    name: 'DirectoryString',
    type: 'uint32',
    vals: { 0: 'teletexString', 1: 'printableString', 2: 'universalString', 3: 'bmpString', 4: 'uTF8String' },
  },
  teletexString: { abbrev: 'x509sat.teletexString', name: 'teletexString', type: 'string' },
  printableString: { abbrev: 'x509sat.printableString', name: 'printableString', type: 'string' },
  universalString: { abbrev: 'x509sat.universalString', name: 'universalString', type: 'string' },
  bmpString: { abbrev: 'x509sat.bmpString', name: 'bmpString', type: 'string' },
  uTF8String: { abbrev: 'x509sat.uTF8String', name: 'uTF8String', type: 'string' },
  countryName: { abbrev: 'x509sat.CountryName', name: 'CountryName', type: 'string' },
  printable: { abbrev: 'x509sat.PrintableString', name: 'PrintableString', type: 'string' },
  ia5String: { abbrev: 'x509sat.IA5String', name: 'IA5String', type: 'string' },
});

/** DirectoryString's alternatives (X.520 §6.1): tag → [choice number, field]. */
const DIRECTORY_STRING: Readonly<Record<number, readonly [number, Field]>> = {
  [TAG_TELETEX]: [0, fields.teletexString],
  [TAG_PRINTABLE]: [1, fields.printableString],
  [TAG_UNIVERSAL]: [2, fields.universalString],
  [TAG_BMP]: [3, fields.bmpString],
  [TAG_UTF8]: [4, fields.uTF8String],
};

const enum Syntax {
  Unknown,
  Directory,
  Country,
  Printable,
  IA5,
}

/** The syntax of an attribute type (X.520 §6), from its OID's bytes: id-at (2.5.4 = 55 04)
 * PKCS #9's emailAddress and RFC 4519's domainComponent. Unknown types get no sub-dissector. */
function syntaxOf(d: Uint8Array, type: Tlv): Syntax {
  const n = type.end - type.start;
  if (n === 3 && d[type.start] === 0x55 && d[type.start + 1] === 0x04) {
    const arc = d[type.start + 2]!;
    if (arc === 6) return Syntax.Country;
    if (arc === 5 || arc === 46) return Syntax.Printable; // serialNumber, dnQualifier
    return Syntax.Directory;
  }
  // PKCS #9 emailAddress, RFC 4519 domainComponent: IA5Strings.
  if (n === 9 && oidText(d, type.start, type.end) === '1.2.840.113549.1.9.1') return Syntax.IA5;
  if (n === 10 && oidText(d, type.start, type.end) === '0.9.2342.19200300.100.1.25') return Syntax.IA5;
  return Syntax.Unknown;
}

/** `type=value` of one AttributeTypeAndValue, as tshark writes it in labels. */
function atvText(d: Uint8Array, atv: Tlv): string {
  const [type, value] = children(d, atv.start, atv.end, 2);
  if (type?.tag !== 0x06) return '';
  return `${oidName(oidText(d, type.start, type.end))}=${value ? labelText(d.subarray(value.start, value.end)) : ''}`;
}

/** A Name as tshark's rdnSequence text: the RDNs last first (as RFC 4514 §2.1 writes them),
 * multi-valued RDNs joined by `+`, e.g. `id-at-commonName=x,id-at-organizationName=y`. */
export function nameText(d: Uint8Array, name: Tlv): string {
  const parts: string[] = [];
  for (const rdn of children(d, name.start, name.end, 64))
    parts.push(
      children(d, rdn.start, rdn.end, 16)
        .map((a) => atvText(d, a))
        .join('+'),
    );
  return parts.reverse().join(',');
}

function attributeValue(p: Dissection, syntax: Syntax, value: Tlv): void {
  const d = p.data;
  const len = value.end - value.start;
  if (syntax === Syntax.Directory) {
    const alt = DIRECTORY_STRING[value.tag];
    if (!alt) return;
    const item = p.add(fields.directoryString, value.at, value.end - value.at, alt[0]);
    p.open(item);
    if (p.wants(alt[1])) p.add(alt[1], value.start, len, stringValue(d, value));
    p.close(item);
    return;
  }
  const f =
    syntax === Syntax.Country
      ? fields.countryName
      : syntax === Syntax.IA5
        ? fields.ia5String
        : fields.printable;
  if (p.wants(f)) p.add(f, value.start, len, stringValue(d, value));
}

/**
 * A Name (a CHOICE whose one alternative is rdnSequence) as `outer` (`x509af.issuer: rdnSequence
 * (0)` over the whole TLV) and `sequence` (the RDNs' count, over the contents), each RDN's
 * attributes below. Records an x509sat layer per attribute value of a known type.
 */
export function dissectName(p: Dissection, name: Tlv, outer: Field, sequence: Field, layers: boolean): void {
  const d = p.data;
  const tree = p.tree;
  const rdns = children(d, name.start, name.end, 64);
  const outerItem = p.add(outer, name.at, name.end - name.at, 0);
  p.open(outerItem);
  const seqItem = p.add(
    sequence,
    name.start,
    name.end - name.start,
    rdns.length,
    tree ? clampLabel(`${sequence.name}: ${items(rdns.length)} (${nameText(d, name)})`) : undefined,
  );
  p.open(seqItem);
  for (const rdn of rdns) {
    const atvs = children(d, rdn.start, rdn.end, 16);
    const texts = tree ? atvs.map((a) => atvText(d, a)) : [];
    const rdnItem = p.add(
      fields.rdnItem,
      rdn.start,
      rdn.end - rdn.start,
      atvs.length,
      tree ? clampLabel(`RDNSequence item: ${items(atvs.length)} (${texts.join('+')})`) : undefined,
    );
    p.open(rdnItem);
    atvs.forEach((atv, k) => {
      const item = p.add(
        fields.atv,
        atv.at,
        atv.end - atv.at,
        undefined,
        tree ? clampLabel(`RelativeDistinguishedName item (${texts[k]})`) : undefined,
      );
      p.open(item);
      const [type, value] = children(d, atv.start, atv.end, 2);
      if (type?.tag === 0x06) {
        if (p.wants(fields.oid)) {
          const oid = oidText(d, type.start, type.end);
          p.add(
            fields.oid,
            type.start,
            type.end - type.start,
            oid,
            tree ? `Object Id: ${oidLabel(oid)}` : undefined,
          );
        }
        const syntax = syntaxOf(d, type);
        if (syntax !== Syntax.Unknown && value) {
          if (layers) p.protocols.push('x509sat');
          attributeValue(p, syntax, value);
        } else if (value) notImplemented(p, value.at, value.end);
      }
      p.close(item);
    });
    p.close(rdnItem);
  }
  p.close(seqItem);
  p.close(outerItem);
}

export { fields as nameFields };
