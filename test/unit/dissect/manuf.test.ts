import { TCPDUMP_TESTS } from '../../helpers/paths';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { describe, expect, it, vi } from 'vitest';
import { shortVendorName, vendorShortName } from '../../../core/dissect/manuf';
import { parseEther } from '../../../core/dissect/address';
import { resolveEther } from '../../../core/dissect/resolve';
import { hasTshark } from '../../helpers/decode';

const WIRESHARK_MANUF = '/usr/share/wireshark/manuf';

/** Classic pcap with LINKTYPE_ETHERNET (either byte order). */
function isEthernetPcap(path: string): boolean {
  const b = readFileSync(path).subarray(0, 24);
  if (b.length < 24) return false;
  const le = b.readUInt32LE(0);
  if (le === 0xa1b2c3d4 || le === 0xa1b23c4d) return (b.readUInt32LE(20) & 0xffff) === 1;
  const be = b.readUInt32BE(0);
  if (be === 0xa1b2c3d4 || be === 0xa1b23c4d) return (b.readUInt32BE(20) & 0xffff) === 1;
  return false;
}

describe("Wireshark's short vendor names derived from IEEE organisation names", () => {
  it('shortens the way make-manuf.py does', () => {
    expect(shortVendorName('GIGA-BYTE TECHNOLOGY CO.,LTD.')).toBe('Giga-Byt'); // title case, punctuation, 8 chars
    expect(shortVendorName('Intel Corporate')).toBe('IntelCor'); // "Corporate" is not a company form
    expect(shortVendorName('Intel Corporation')).toBe('Intel');
    expect(shortVendorName('Cisco Systems, Inc')).toBe('Cisco');
    expect(shortVendorName('Apple, Inc.')).toBe('Apple');
    expect(shortVendorName('Dell Inc.')).toBe('Dell');
    expect(shortVendorName('Rad Data Communications, Ltd.')).toBe('RadDataC');
    expect(shortVendorName('HUAWEI TECHNOLOGIES CO.,LTD')).toBe('HuaweiTe');
    expect(shortVendorName('Hewlett Packard')).toBe('HewlettP');
    expect(shortVendorName('Texas Instruments')).toBe('TexasIns');
    expect(shortVendorName('Nokia Solutions and Networks GmbH & Co. KG')).toBe('NokiaSol');
    expect(shortVendorName('The Limited')).toBe('TheLimit'); // never shortened to nothing
    expect(shortVendorName('  Realtek   Semiconductor Corp. ')).toBe('RealtekS');
  });

  it('looks OUIs up in the IEEE registry (oui-data)', () => {
    expect(vendorShortName(0x001b21)).toBe('IntelCor');
    expect(vendorShortName(0x00000c)).toBe('Cisco');
    expect(vendorShortName(0x3c22fb)).toBe('Apple');
    expect(vendorShortName(0x000000)).toBe('00:00:00'); // Wireshark's own override of Xerox's block
    expect(resolveEther(parseEther('00:1b:21:0a:0b:0c')!)).toBe('IntelCor_0a:0b:0c');
    expect(resolveEther(parseEther('ff:ff:ff:ff:ff:ff')!)).toBe('Broadcast');
    // Locally administered addresses are not in the registry.
    expect(resolveEther(parseEther('02:00:00:00:00:0a')!)).toBe('02:00:00:00:00:0a');
  });

  it.skipIf(!existsSync(WIRESHARK_MANUF))(
    "agrees with Wireshark 4.0's manuf file for nearly every MA-L entry",
    () => {
      // Wireshark's file is the reference only here (it is not shipped with Wireshark): the entries
      // that differ are Wireshark's own template names (e.g. "Powerpip" for 00:00:09) and IEEE
      // renames since the file was generated.
      let compared = 0;
      let same = 0;
      for (const line of readFileSync(WIRESHARK_MANUF, 'utf8').split('\n')) {
        const m = /^([0-9A-F]{2}):([0-9A-F]{2}):([0-9A-F]{2})\t([^\t]+)/.exec(line);
        if (!m) continue;
        const ours = vendorShortName(parseInt(m[1]! + m[2]! + m[3]!, 16));
        if (ours === undefined) continue;
        compared++;
        if (ours === m[4]) same++;
      }
      console.log(
        `manuf: ${same}/${compared} MA-L short names identical (${((100 * same) / compared).toFixed(2)}%)`,
      );
      expect(compared).toBeGreaterThan(30000);
      expect(same / compared).toBeGreaterThan(0.97);
    },
  );
});

describe('startup cost', () => {
  it('loads the table only on the first lookup that is not broadcast, and reports how long it took', async () => {
    // A fresh module graph and a cold require cache, so the first lookup really loads the JSON.
    vi.resetModules();
    const require = createRequire(import.meta.url);
    delete require.cache[require.resolve('oui-data')];
    const manuf = await import('../../../core/dissect/manuf');
    const resolve = await import('../../../core/dissect/resolve');
    expect(manuf.vendorTableLoaded()).toBe(false);
    expect(resolve.resolveEther(new Uint8Array(6).fill(0xff))).toBe('Broadcast');
    expect(manuf.vendorTableLoaded()).toBe(false);
    const t0 = performance.now();
    expect(resolve.resolveEther(parseEther('3c:22:fb:01:02:03')!)).toBe('Apple_01:02:03');
    const loadMs = performance.now() - t0;
    expect(manuf.vendorTableLoaded()).toBe(true);
    const t1 = performance.now();
    for (let i = 0; i < 10000; i++) resolve.resolveEther(parseEther('00:1b:21:0a:0b:0c')!);
    const perLookupUs = ((performance.now() - t1) / 10000) * 1000;
    console.log(
      `manuf: first lookup (load + parse) ${loadMs.toFixed(1)} ms; later lookups ${perLookupUs.toFixed(2)} µs`,
    );
  });
});

describe.skipIf(!hasTshark)('Source column vs tshark on tcpdump-tests captures', () => {
  it('resolves every eth.src OUI as tshark does (match rate reported)', async () => {
    // Every classic-pcap Ethernet capture, concatenated by mergecap so tshark starts only once.
    const files = readdirSync(TCPDUMP_TESTS).filter(
      (f) => f.endsWith('.pcap') && isEthernetPcap(`${TCPDUMP_TESTS}/${f}`),
    );
    const merged = join(mkdtempSync(join(tmpdir(), 'wirelens-manuf-')), 'ether.pcap');
    execFileSync('mergecap', [
      '-a',
      '-F',
      'pcap',
      '-w',
      merged,
      ...files.map((f) => `${TCPDUMP_TESTS}/${f}`),
    ]);
    const stdout = execFileSync(
      'tshark',
      ['-r', merged, '-T', 'fields', '-e', 'eth.src', '-e', 'eth.src_resolved'],
      {
        encoding: 'utf8',
        maxBuffer: 1 << 28,
        stdio: ['ignore', 'pipe', 'ignore'],
      },
    );
    const seen = new Map<string, string>(); // MAC → tshark's resolved text (its Source column)
    for (const line of stdout.split('\n')) {
      const [macs = '', names = ''] = line.split('\t');
      const n = names.split(',');
      macs.split(',').forEach((mac, i) => mac && n[i] && seen.set(mac, n[i]!));
    }
    const byOui = new Map<string, boolean>();
    const misses: string[] = [];
    for (const [mac, theirs] of seen) {
      const ours = resolveEther(parseEther(mac)!);
      const oui = mac.slice(0, 8);
      const ok = ours === theirs;
      byOui.set(oui, (byOui.get(oui) ?? true) && ok);
      if (!ok) misses.push(`${mac}: ours=${ours} tshark=${theirs}`);
    }
    const matched = [...byOui.values()].filter(Boolean).length;
    console.log(
      `manuf: ${matched}/${byOui.size} source OUIs (${seen.size} MACs) resolved as tshark ` +
        `(${((100 * matched) / byOui.size).toFixed(1)}%)\n  ${misses.slice(0, 30).join('\n  ')}`,
    );
    expect(byOui.size).toBeGreaterThan(50);
    expect(matched / byOui.size).toBeGreaterThan(0.95);
  }, 60_000);
});
