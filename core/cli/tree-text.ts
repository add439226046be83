// Text renderings of one decoded packet as tshark prints them: the details tree (`-V`, four
// spaces per level), the hex dump (`-x`) and the `-T json` layers object.
import type { DataSource, TreeNode } from '../dissect/dissection';
import { fieldsByAbbrev } from '../dissect/fields';
import { formatFieldValue } from '../dissect/format';

export function treeText(roots: readonly TreeNode[]): string {
  let out = '';
  const walk = (n: TreeNode, depth: number) => {
    out += ' '.repeat(depth * 4) + n.label + '\n';
    if (n.children) for (const c of n.children) walk(c, depth + 1);
  };
  for (const r of roots) walk(r, 0);
  return out;
}

const HEX = '0123456789abcdef';

/** tshark -x: offset, 16 bytes in hex, then their printable ASCII (others as '.'). */
export function hexDump(bytes: Uint8Array): string {
  let out = '';
  const wide = bytes.length > 0xffff;
  for (let off = 0; off < bytes.length; off += 16) {
    let line = off.toString(16).padStart(wide ? 8 : 4, '0') + '  ';
    let ascii = '';
    for (let i = 0; i < 16; i++) {
      const k = off + i;
      if (k < bytes.length) {
        const b = bytes[k]!;
        line += HEX[b >> 4]! + HEX[b & 15]! + ' ';
        ascii += b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.';
      } else {
        line += '   ';
      }
    }
    out += line + '  ' + ascii + '\n';
  }
  return out;
}

/** All data sources; with more than one, each is introduced by its name like tshark does. */
export function hexDumpSources(sources: readonly DataSource[]): string {
  if (sources.length <= 1) return sources[0] ? hexDump(sources[0].bytes) : '';
  // tshark: "Frame (897 bytes):" then its dump, "Reassembled TCP (1208 bytes):" then its dump.
  return sources
    .map((s) => {
      const name = / \(\d+ bytes\)$/.test(s.name) ? s.name : `${s.name} (${s.bytes.length} bytes)`;
      return `${name}:\n${hexDump(s.bytes)}`;
    })
    .join('');
}

/** tshark -T json's `layers` object text for one packet, indented like tshark (2 spaces). */
export function jsonLayers(roots: readonly TreeNode[], indent: string): string {
  return objectText(roots, indent);
}

function valueText(n: TreeNode): string {
  if (n.value === undefined || n.field === undefined) return '';
  const f = fieldsByAbbrev.get(n.field);
  return f ? formatFieldValue(f, n.value) : String(n.value);
}

function objectText(items: readonly TreeNode[], indent: string): string {
  if (!items.length) return '{}';
  const inner = indent + '  ';
  const parts: string[] = [];
  for (const n of items) {
    const key = n.field ?? n.label;
    const isLayer = n.field !== undefined && fieldsByAbbrev.get(n.field)?.type === 'protocol';
    if (isLayer || (n.field === undefined && n.children?.length)) {
      parts.push(`${inner}${JSON.stringify(key)}: ${objectText(n.children ?? [], inner)}`);
      continue;
    }
    parts.push(`${inner}${JSON.stringify(key)}: ${JSON.stringify(valueText(n))}`);
    if (n.children?.length)
      parts.push(`${inner}${JSON.stringify(key + '_tree')}: ${objectText(n.children, inner)}`);
  }
  return `{\n${parts.join(',\n')}\n${indent}}`;
}
