// Reader behaviour the engine relies on: re-reading from the start, the reused record, progress,
// and link-type names.
import { describe, expect, it } from 'vitest';
import { linkTypeName, openCaptureFile, LINKTYPE } from '../../../core/capture';
import { readAll } from './tshark';

const FIX = 'test/fixtures/capture';

describe('capture reader', () => {
  it('records() starts again from the beginning without duplicating what it learnt', () => {
    const reader = openCaptureFile(`${FIX}/two-sections.pcapng`);
    const first = readAll(reader);
    const interfaces = structuredClone(reader.info.interfaces);
    const sections = structuredClone(reader.info.sections);
    // Re-read while fetching packets by offset part-way through.
    const iterator = reader.records();
    const head = iterator.next();
    expect(head.done).toBe(false);
    expect(reader.readPacketAt(first[20]!.offset)).toEqual(first[20]!.data);
    const second = [head.value!.offset];
    for (const r of iterator) second.push(r.offset);
    expect(second).toEqual(first.map((r) => r.offset));
    expect(reader.info.interfaces).toEqual(interfaces);
    expect(reader.info.sections).toEqual(sections);
    reader.close();
  });

  it('reuses one record object and reports progress', () => {
    const reader = openCaptureFile(`${FIX}/lo-usec.pcap`);
    const seen = new Set<object>();
    const positions: number[] = [];
    for (const r of reader.records()) {
      seen.add(r);
      positions.push(reader.position);
      expect(reader.position).toBe(r.offset + 16 + r.capLen);
    }
    expect(seen.size).toBe(1);
    expect(positions.at(-1)).toBe(reader.size);
    reader.close();
  });

  it('names every link type, decoded or not', () => {
    for (const lt of [
      LINKTYPE.NULL,
      LINKTYPE.ETHERNET,
      LINKTYPE.RAW,
      LINKTYPE.LOOP,
      LINKTYPE.LINUX_SLL,
      LINKTYPE.IPV4,
      LINKTYPE.IPV6,
      LINKTYPE.LINUX_SLL2,
    ]) {
      expect(linkTypeName(lt)).not.toMatch(/Unknown/);
    }
    expect(linkTypeName(276)).toBe('Linux cooked-mode capture v2');
    expect(linkTypeName(284)).toBe('Marvell DSA tag');
    expect(linkTypeName(65000)).toBe('Unknown link type 65000');
  });
});
