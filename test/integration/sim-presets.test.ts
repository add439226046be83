// Every preset's trace decodes in tshark 4.0 with no Malformed/Error expert item and every
// checksum verified, decodes in Wirelens with no malformed or bad-checksum issue and the same
// field values as tshark, and the same inputs give the same bytes.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import '../../core/protocols';
import { dissectPacket } from '../../core/dissect/packet';
import { CaptureState } from '../../core/dissect/state';
import { Dissection } from '../../core/dissect/dissection';
import { PRESETS, loadPreset, simulate } from '../../core/sim';
import { createCaptureWriter } from '../../core/capture/writer';
import { decodeFields, hasTshark, readClassicPcap, tsharkFields } from '../helpers/decode';

const dir = mkdtempSync(join(tmpdir(), 'wl-sim-'));
const TSHARK_CHECKS = [
  '-o',
  'ip.check_checksum:TRUE',
  '-o',
  'udp.check_checksum:TRUE',
  '-o',
  'tcp.check_checksum:TRUE',
];
const FIELDS = [
  'eth.src',
  'eth.dst',
  'eth.type',
  'vlan.id',
  'arp.opcode',
  'arp.src.proto_ipv4',
  'arp.dst.proto_ipv4',
  'ip.src',
  'ip.dst',
  'ip.ttl',
  'ip.len',
  'ip.flags.df',
  'ip.frag_offset',
  'ip.checksum',
  'icmp.type',
  'icmp.code',
  'icmp.seq',
  'udp.srcport',
  'udp.dstport',
  'ipv6.src',
  'ipv6.dst',
  'icmpv6.type',
];

function bytesOf(name: string): Uint8Array {
  const net = simulate(loadPreset(name)!);
  const chunks: Uint8Array[] = [];
  net.writeCombined((c) => chunks.push(c.slice()));
  return Buffer.concat(chunks);
}

/** A classic pcap of the preset's frames (for the test helpers' reader). */
function pcapOf(name: string): string {
  const net = simulate(loadPreset(name)!);
  const path = join(dir, `${name}.pcap`);
  const w = createCaptureWriter(path, 'pcap', { nanosecond: true });
  w.addInterface({ linkType: 1 });
  for (const { rec } of net.captured)
    w.writePacket({
      interfaceId: 0,
      tsSec: net.kernel.epoch + Math.floor(rec.time / 1e9),
      tsNsec: rec.time % 1e9,
      data: rec.data,
    });
  w.close();
  return path;
}

describe.each(PRESETS.map((p) => [p.name]))('preset %s', (name) => {
  it('is deterministic: the same bytes twice', () => {
    expect(Buffer.compare(bytesOf(name), bytesOf(name))).toBe(0);
  });

  it('decodes in Wirelens without malformed packets or bad checksums', () => {
    const recs = readClassicPcap(pcapOf(name));
    const state = new CaptureState();
    const p = new Dissection();
    for (const r of recs) {
      dissectPacket(r.meta, r.data, state, { tree: true, columns: true }, p);
      const bad = p.issues.filter(
        (i) =>
          i.kind === 'malformed' ||
          i.kind === 'checksum-bad' ||
          i.kind === 'truncated' ||
          i.severity === 'error',
      );
      expect(bad, `frame ${r.meta.number}`).toEqual([]);
      expect(p.malformed).toBe(false);
    }
  });

  it.runIf(hasTshark)(
    'decodes in tshark 4.0: no Malformed/Error expert item, checksums good, same fields as Wirelens',
    () => {
      const path = pcapOf(name);
      const expert = execFileSync('tshark', ['-r', path, ...TSHARK_CHECKS, '-q', '-z', 'expert'], {
        encoding: 'utf8',
      });
      expect(expert).not.toMatch(/^Errors \(/m);
      expect(expert).not.toMatch(/Malformed/);
      const status = tsharkFields(
        path,
        ['ip.checksum.status', 'udp.checksum.status', 'icmp.checksum.status', 'icmpv6.checksum.status'],
        TSHARK_CHECKS,
      );
      // The outermost checksum of each layer is verified Good (1); quoted headers inside ICMP
      // errors may be left Unverified (2) by tshark, but none is Bad (0).
      for (const row of status) {
        for (const v of row) {
          if (!v) continue;
          const all = v.split(',');
          expect(all[0]).toBe('1');
          expect(all).not.toContain('0');
        }
      }
      const recs = readClassicPcap(path);
      expect(decodeFields(recs, FIELDS)).toEqual(tsharkFields(path, FIELDS));
    },
  );
});

writeFileSync(join(dir, 'README'), 'scratch captures of test/integration/sim-presets.test.ts\n');
