import { describe, expect, it } from 'vitest';
import '../../../core/protocols';
import { dissectPacket } from '../../../core/dissect/packet';
import { CaptureState } from '../../../core/dissect/state';
import type { TreeNode } from '../../../core/dissect/dissection';
import { frameMeta as meta } from '../../helpers/decode';
import { fieldsByAbbrev, registerField } from '../../../core/dissect/fields';
import { encodeEthernet, parseEthernet } from '../../../core/protocols/eth';
import { tables } from '../../../core/dissect/tables';

function find(nodes: TreeNode[], field: string): TreeNode | undefined {
  for (const n of nodes) {
    if (n.field === field) return n;
    const c = n.children && find(n.children, field);
    if (c) return c;
  }
  return undefined;
}

describe('dissection framework', () => {
  it("derives a mask's shift for every bit, the top one of 32 included", () => {
    const shift = (mask: number, type: 'uint8' | 'uint16' | 'uint32') =>
      registerField({ abbrev: `test.mask_${mask.toString(16)}`, name: 'mask', type, mask }).shift;
    expect(shift(0x80000000, 'uint32')).toBe(31);
    expect(shift(0x0c, 'uint8')).toBe(2);
    expect(shift(0x7fff, 'uint16')).toBe(0);
  });

  const frameBytes = encodeEthernet(
    { dst: 'ff:ff:ff:ff:ff:ff', src: '00:05:5d:61:58:a8', type: 0x88b5 },
    new Uint8Array([1, 2, 3]),
  );

  it('builds a tree whose items carry byte ranges and labels', () => {
    const p = dissectPacket(meta(frameBytes), frameBytes, new CaptureState(), { tree: true });
    const type = find(p.roots, 'eth.type')!;
    expect([type.start, type.end]).toEqual([12, 14]);
    expect(type.label).toBe('Type: Unknown (0x88b5)');
    expect(find(p.roots, 'eth.dst')!.label).toBe('Destination: Broadcast (ff:ff:ff:ff:ff:ff)');
    expect(find(p.roots, 'eth.dst.ig')!.label).toMatch(
      /^\.\.\.\. \.\.\.1 \.\.\.\. .* = IG bit: Group address/,
    );
    expect(p.protocols).toEqual(['frame', 'eth', 'ethertype', 'data']);
  });

  it('collects only wanted values on the fast path and allocates no tree', () => {
    const wanted = new Uint8Array(4096);
    wanted[fieldsByAbbrev.get('eth.src')!.id] = 1;
    wanted[fieldsByAbbrev.get('eth.addr')!.id] = 1;
    const p = dissectPacket(meta(frameBytes), frameBytes, new CaptureState(), { tree: false, wanted });
    expect(p.roots).toHaveLength(0);
    expect(p.valueFields.map((f) => f.abbrev)).toEqual(['eth.addr', 'eth.src', 'eth.addr']);
    expect(p.cols.protocol).toBe('0x88b5');
    expect(p.cols.src).toBe('D-Link_61:58:a8'); // resolved like tshark (00:05:5d → D-Link)
    expect(p.cols.dlSrc).toBe(''); // plain link-layer text is built only on request
    p.fillLinkColumns();
    expect(p.cols.dlSrc).toBe('00:05:5d:61:58:a8');
    expect(p.cols.dst).toBe('Broadcast');
  });

  it('contains a truncated layer to that layer and marks the packet', () => {
    const cut = frameBytes.subarray(0, 10);
    const p = dissectPacket(meta(cut, { origLen: 60 }), cut, new CaptureState(), { tree: true });
    expect(p.malformed).toBe(true);
    expect(p.issues[0]!.kind).toBe('truncated');
    expect(p.cols.info).toContain('[Packet size limited during capture]');
  });

  it('round-trips an Ethernet header through encode and parse', () => {
    const back = parseEthernet(frameBytes)!;
    expect(back.repr).toEqual({ dst: 'ff:ff:ff:ff:ff:ff', src: '00:05:5d:61:58:a8', type: 0x88b5 });
    expect(encodeEthernet(back.repr, back.payload, false)).toEqual(frameBytes);
  });

  it('gives encoders the key a payload protocol is bound under (the decode binding)', () => {
    expect(tables.ethertype.keyFor('ip')).toBe(0x0800);
    expect(tables.ipProto.keyFor('tcp')).toBe(6);
    expect(tables.ethertype.keyFor('no-such-protocol')).toBeUndefined();
  });
});
