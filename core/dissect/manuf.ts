// Vendor names for OUIs (the first three bytes of a MAC address), spelled the way Wireshark's
// columns show them (`IntelCor_12:34:56`, `Giga-Byt_…`, `Cisco_…`).
//
// The source is the IEEE registry as packaged by `oui-data` (organisation name on the first line
// of each entry). Wireshark does not ship the IEEE names as they are: its tools/make-manuf.py
// shortens each one (title-case shouting names, drop punctuation and company-form words such as
// "Inc", "Ltd", "Corporation", "Systems", remove spaces, keep 8 characters). `shortVendorName`
// reimplements that derivation, so the whole IEEE list gets Wireshark-style names without
// copying Wireshark's generated file.
//
// Startup stays cheap: the 5.6 MB JSON is parsed only on the first lookup that needs it (see
// `resolveEther`, which answers Broadcast without calling us), and each name is shortened on
// first use and memoised.
import { createRequire } from 'node:module';

/** Company-form and filler words make-manuf.py removes (matched after punctuation became spaces). */
const GENERAL_TERMS = [
  'a +s', // A/S and A.S., but not "As" as in "Connect As"
  'ab',
  'ag',
  'b ?v',
  'closed joint stock company',
  'co',
  'company',
  'corp',
  'corporation',
  'de c ?v',
  'gmbh',
  'holding',
  'inc',
  'incorporated',
  'jsc',
  'kg',
  'k k', // K.K. (kabushiki kaisha), not K+K
  'limited',
  'llc',
  'ltd',
  'n ?v',
  'oao',
  'of',
  'open joint stock company',
  'ooo',
  'oü',
  'oy',
  'oyj',
  'plc',
  'pty',
  'pvt',
  's ?a ?r ?l',
  's ?a',
  's ?p ?a',
  'sp ?k',
  's ?r ?l',
  'systems',
  'the',
  'zao',
  'z ?o ?o',
].join('|');
// Python's `\W(terms)(?= )` with re.IGNORECASE on str patterns (Unicode-aware \W).
const TERMS_RE = new RegExp(`[^\\p{L}\\p{N}_](?:${GENERAL_TERMS})(?= )`, 'giu');

/** Python's str.isupper(): at least one cased character and no lower-case one. */
function isUpper(s: string): boolean {
  return s !== s.toLowerCase() && s === s.toUpperCase();
}

/** Python's str.title(): upper-case a letter that follows a non-letter, lower-case the rest. */
function pythonTitle(s: string): string {
  return s.replace(/\p{L}+/gu, (w) => w[0]!.toUpperCase() + w.slice(1).toLowerCase());
}

/** Wireshark's short vendor name for an IEEE organisation name (tools/make-manuf.py `shorten`). */
export function shortVendorName(organisation: string): string {
  const orig = organisation.split(/\s+/).filter(Boolean).join(' ');
  let manuf = ` ${orig} `;
  if (isUpper(manuf)) manuf = pythonTitle(manuf);
  manuf = manuf.replace(/["',./:()]/g, ' ');
  manuf = manuf.split(' & ').join(' ');
  const plain = manuf.replace(TERMS_RE, '');
  // …but never remove everything.
  if (plain.trim() !== '') manuf = plain;
  manuf = manuf.replace(/\s+/g, '');
  // Truncated to 8 code points (Python slices by code point, not UTF-16 unit).
  return Array.from(manuf).slice(0, 8).join('');
}

/** IEEE assignments that Wireshark's own template overrides for every user: the all-zero OUI
 * is "Officially Xerox, but 0:0:0:0:0:0 is more common", so Wireshark prints it as digits. */
const OVERRIDES: ReadonlyMap<number, string> = new Map([[0x000000, '00:00:00']]);

let registry: Record<string, string> | undefined;
const cache = new Map<number, string | null>();

function loadRegistry(): Record<string, string> {
  if (!registry) {
    try {
      const require = createRequire(import.meta.url);
      registry = require('oui-data') as Record<string, string>;
    } catch {
      registry = {}; // no registry available: addresses are shown as plain hex
    }
  }
  return registry;
}

function organisation(oui: number): string | undefined {
  const entry = loadRegistry()[oui.toString(16).toUpperCase().padStart(6, '0')];
  return entry?.split('\n', 1)[0]!.trim() || undefined;
}

/** Multicast blocks Wireshark names from its well-known-address list instead (IPv4/IPv6
 * multicast, IEEE 802.1 and Cisco protocol addresses); we leave them unresolved. */
const WELL_KNOWN_GROUP_BLOCKS = new Set([0x01005e, 0x333300, 0x0180c2, 0x01000c]);

/** Like Wireshark's addr_resolv.c, a group address (I/G bit set) that has no entry of its own
 * is looked up again with the I/G bit cleared: 01:01:ed:… belongs to 00:01:ed's owner. */
function hasGroupFallback(oui: number): boolean {
  return (
    (oui & 0x010000) !== 0 &&
    !WELL_KNOWN_GROUP_BLOCKS.has(oui & 0xffff00) &&
    !WELL_KNOWN_GROUP_BLOCKS.has(oui)
  );
}

/** The short vendor name for a 24-bit OUI (MA-L assignment), or undefined when unassigned. */
export function vendorShortName(oui: number): string | undefined {
  const hit = cache.get(oui);
  if (hit !== undefined) return hit ?? undefined;
  const override = OVERRIDES.get(oui);
  let name: string | null = override ?? null;
  if (!override) {
    const org = organisation(oui);
    if (org) name = shortVendorName(org);
    else if (hasGroupFallback(oui)) name = vendorShortName(oui & 0xfeffff) ?? null;
  }
  cache.set(oui, name);
  return name ?? undefined;
}

/** The IEEE organisation name for a 24-bit OUI (e.g. SNAP's "Organization Code" label). */
export function vendorLongName(oui: number): string | undefined {
  return organisation(oui);
}

/** Whether the OUI table has been loaded yet (for startup-cost tests). */
export function vendorTableLoaded(): boolean {
  return registry !== undefined;
}
