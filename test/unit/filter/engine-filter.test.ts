// The engine's display-filter methods: filter() narrows rows() to the matches (and '' clears),
// checkFilter() classifies as the filter bar needs, completions() offers names and values,
// colouring rules can be read and replaced.
import { describe, expect, it } from 'vitest';
import { Engine } from '../../../core/engine/engine';
import { readFileSync } from 'node:fs';
import { ROOT } from '../../integration/cli-helpers';

const MIXED = `${ROOT}test/fixtures/captures/netns-mixed.pcap`;

describe('engine display filters', () => {
  it('filter() pages only the matching packets and reports counts', async () => {
    const e = new Engine();
    await e.openFile(MIXED);
    const r = await e.filter('icmp && ip.ttl == 64');
    expect(r.total).toBe(50);
    const rows = await e.rows(0, 100);
    expect(rows.map((x) => x.number)).toEqual([3, 4, 5, 6, 14, 46]);
    expect(r.displayed).toBe(6);
    const cleared = await e.filter('');
    expect(cleared.displayed).toBe(50);
    expect((await e.rows(0, 100)).length).toBe(50);
  });

  it('field references read the selected packet', async () => {
    const e = new Engine();
    await e.openFile(MIXED);
    await e.filter('ip.src == ${ip.src}', 3);
    const rows = await e.rows(0, 100);
    expect(rows.map((x) => x.number)).toEqual([3, 5, 13, 15, 17, 18, 21, 22, 25, 26, 28, 43, 45, 46, 49]);
    // Without a selected packet a reference has no value: nothing matches (as in tshark).
    expect((await e.filter('ip.src == ${ip.src}')).displayed).toBe(0);
  });

  it('a bad filter rejects with a bad-filter error and keeps the previous result', async () => {
    const e = new Engine();
    await e.openFile(MIXED);
    await e.filter('arp');
    await expect(e.filter('tcp.prot')).rejects.toMatchObject({
      code: 'bad-filter',
      message: 'tcp.prot is neither a field nor a protocol name.',
    });
    expect((await e.rows(0, 10)).map((x) => x.number)).toEqual([1, 2]);
  });

  it('checkFilter(): valid, invalid with a position, suspicious with warnings', async () => {
    const e = new Engine();
    expect(await e.checkFilter('')).toEqual({ status: 'valid', warnings: [] });
    expect(await e.checkFilter('tcp.port == 80')).toEqual({ status: 'valid', warnings: [] });
    const bad = await e.checkFilter('tcp.port == 80 && ip.src == foo');
    expect(bad.status).toBe('invalid');
    expect(bad.error).toMatchObject({
      message: '"foo" is not a valid hostname or IPv4 address.',
      start: 28,
      end: 31,
    });
    const sus = await e.checkFilter('ip.addr != 10.0.0.1');
    expect(sus.status).toBe('suspicious');
    expect(sus.warnings[0]).toMatchObject({ start: 8, end: 10 });
    expect((await e.checkFilter('ip.addr ~= 10.0.0.1')).status).toBe('suspicious');
  });

  it('completions(): fields with types and descriptions, functions, value names', async () => {
    const e = new Engine();
    const c = await e.completions('tcp.fl');
    expect(c.find((x) => x.label === 'tcp.flags.syn')).toMatchObject({ kind: 'field', detail: 'bool' });
    const top = await e.completions('ic');
    expect(top[0]).toMatchObject({ label: 'icmp', kind: 'protocol' });
    expect((await e.completions('le')).some((x) => x.label === 'len(' && x.kind === 'function')).toBe(true);
    const vals = await e.completions('ip.proto == ');
    expect(vals).toContainEqual(expect.objectContaining({ label: 'TCP', kind: 'value', detail: '6' }));
    const partial = await e.completions('ip.proto == ud');
    expect(partial.map((x) => x.label)).toEqual(['UDP', 'UDPLite']);
  });

  it('colouring rules: the defaults, replaced and applied to rows', async () => {
    const e = new Engine();
    await e.openFile(MIXED);
    const rules = await e.colorRules();
    expect(rules[0]).toMatchObject({ name: 'Bad TCP', enabled: true });
    expect((await e.rows(0, 1))[0]!.color?.name).toBe('ARP');
    await e.setColorRules([
      { name: 'Mine', filter: 'frame.number == 1', fg: '#000000', bg: '#ff0000', enabled: true },
    ]);
    const rows = await e.rows(0, 2);
    expect(rows[0]!.color).toEqual({ name: 'Mine', fg: '#000000', bg: '#ff0000' });
    expect(rows[1]!.color).toBeUndefined();
    await expect(
      e.setColorRules([
        { name: 'Broken', filter: 'tcp.prot ==', fg: '#000000', bg: '#ff0000', enabled: true },
      ]),
    ).rejects.toMatchObject({ code: 'bad-filter' });
  });

  it('every golden-table expression selects in the engine what tshark selected (facts or decoding)', async () => {
    const golden = JSON.parse(readFileSync(`${ROOT}test/fixtures/filter/golden.json`, 'utf8')) as {
      rows: { file: string; expr: string; frames?: number[] }[];
    };
    // Decoder differences listed in test/integration/filter-golden.test.ts.
    const known = new Set([
      'test/fixtures/captures/netns-mixed.pcap data',
      'test/fixtures/netlayer-crafted.pcap data',
      'test/fixtures/captures/netns-mixed.pcap frame.protocols matches "ip:(tcp|udp)$"',
      'test/fixtures/app/tunnel-crafted.pcap icmp and not vxlan',
      'test/fixtures/tcp/lossy-http.pcap http.response.code == 200',
    ]);
    const e = new Engine();
    let file = '';
    const wrong: unknown[] = [];
    for (const row of golden.rows) {
      if (!row.frames || known.has(`${row.file} ${row.expr}`) || row.expr.includes('${')) continue;
      if (row.file !== file) {
        await e.openFile(`${ROOT}${row.file}`);
        file = row.file;
      }
      const r = await e.filter(row.expr);
      const got = (await e.rows(0, 10_000)).map((x) => x.number);
      if (JSON.stringify(got) !== JSON.stringify(row.frames) || r.displayed !== got.length)
        wrong.push({ file: row.file, expr: row.expr, tshark: row.frames, engine: got });
    }
    expect(wrong).toEqual([]);
  });
});
