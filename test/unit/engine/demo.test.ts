import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createCaptureWriter } from '../../../core/capture';
import { LINKTYPE } from '../../../core/capture/linktypes';
import { buildDemoFrames } from '../../../core/engine/demo';
import { parseTcp } from '../../../core/protocols/tcp';
import { hasTshark, tsharkFields } from '../../helpers/decode';
import { compareWithTshark } from '../protocols/transport-golden';

const tmp = mkdtempSync(join(tmpdir(), 'wirelens-demo-'));

/** The demo frames as a classic pcap written by the capture writer. */
function writeDemo(): string {
  const demo = buildDemoFrames();
  const path = join(tmp, 'demo.pcap');
  const w = createCaptureWriter(path, 'pcap', { nanosecond: true });
  const iface = w.addInterface({ linkType: demo.linkType });
  for (const f of demo.frames)
    w.writePacket({ interfaceId: iface, tsSec: f.tsSec, tsNsec: f.tsNsec, data: f.data });
  w.close();
  return path;
}

describe('built-in demo capture (seed scenario 1)', () => {
  const demo = buildDemoFrames();

  it('has the 12 packets of the seed, in time order, on an Ethernet loopback', () => {
    expect(demo.linkType).toBe(LINKTYPE.ETHERNET);
    expect(demo.frames).toHaveLength(12);
    const times = demo.frames.map((f) => f.tsSec * 1e9 + f.tsNsec);
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    const payloads = demo.frames.map((f) => parseTcp(f.data.subarray(14 + 20))!.payload.length);
    expect(payloads).toEqual([0, 0, 0, 0, 78, 0, 121, 0, 0, 0, 0, 0]);
    const request = new TextDecoder().decode(parseTcp(demo.frames[4]!.data.subarray(34))!.payload);
    expect(request).toBe(
      'GET / HTTP/1.1\r\nHost: localhost:8080\r\nUser-Agent: curl/7.64.1\r\nAccept: */*\r\n\r\n',
    );
    const response = new TextDecoder().decode(parseTcp(demo.frames[6]!.data.subarray(34))!.payload);
    expect(response.startsWith('HTTP/1.1 200 OK\r\n')).toBe(true);
    expect(response).toContain('Content-Length: 5\r\n');
    expect(response).toContain('Content-Type: text/plain');
    expect(response.endsWith('\r\n\r\nHello')).toBe(true);
  });

  it.skipIf(!hasTshark)('decodes in tshark 4.0 as the seed describes, with valid checksums', () => {
    const path = writeDemo();
    const rows = tsharkFields(path, [
      'tcp.srcport',
      'tcp.dstport',
      'tcp.flags.str',
      'tcp.seq',
      'tcp.nxtseq',
      'tcp.ack',
      'tcp.len',
      'tcp.window_size',
      'tcp.options.mss_val',
      'tcp.options.wscale.shift',
    ]);
    expect(rows.map((r) => r.slice(0, 3))).toEqual([
      ['50399', '8080', '··········S·'],
      ['8080', '50399', '·······A··S·'],
      ['50399', '8080', '·······A····'],
      ['8080', '50399', '·······A····'],
      ['50399', '8080', '·······AP···'],
      ['8080', '50399', '·······A····'],
      ['8080', '50399', '·······AP···'],
      ['50399', '8080', '·······A····'],
      ['50399', '8080', '·······A···F'],
      ['8080', '50399', '·······A····'],
      ['8080', '50399', '·······A···F'],
      ['50399', '8080', '·······A····'],
    ]);
    // Relative seq, next seq, ack, length: the two data segments are 1:79 and 1:122.
    expect(rows.map((r) => r.slice(3, 7).join(' '))).toEqual([
      '0 1 0 0',
      '0 1 1 0',
      '1 1 1 0',
      '1 1 1 0',
      '1 79 1 78',
      '1 1 79 0',
      '1 122 79 121',
      '79 79 122 0',
      '79 80 122 0',
      '122 122 80 0',
      '122 123 80 0',
      '80 80 123 0',
    ]);
    // SYNs: MSS 16324 and window scale 6; afterwards windows are scaled by 64.
    expect(rows[0]!.slice(7, 10)).toEqual(['65535', '16324', '6']);
    expect(rows[2]![7]).toBe(String(6371 * 64));
    // Verified checksums (tshark does not verify by default; status 1 = Good).
    const status = tsharkFields(
      path,
      ['tcp.checksum.status', 'ip.checksum.status'],
      ['-o', 'tcp.check_checksum:TRUE', '-o', 'ip.check_checksum:TRUE'],
    );
    expect(status).toEqual(Array.from({ length: 12 }, () => ['1', '1']));
    const http = tsharkFields(path, [
      'http.request.method',
      'http.request.uri',
      'http.user_agent',
      'http.response.code',
      'http.content_length',
      'http.file_data',
    ]);
    expect(http[4]!.slice(0, 3)).toEqual(['GET', '/', 'curl/7.64.1']);
    expect(http[6]!.slice(3, 6)).toEqual(['200', '5', 'Hello']);
  });

  it.skipIf(!hasTshark)('prints relative seq 1:79 and 1:122 in tcpdump', () => {
    const out = execFileSync('tcpdump', ['-nn', '-r', writeDemo()], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const lines = out.trim().split('\n');
    expect(lines).toHaveLength(12);
    expect(lines[4]).toContain('127.0.0.1.50399 > 127.0.0.1.8080: Flags [P.], seq 1:79, ack 1');
    expect(lines[6]).toContain('127.0.0.1.8080 > 127.0.0.1.50399: Flags [P.], seq 1:122, ack 79');
    expect(lines[0]).toContain('options [mss 16324,nop,wscale 6,nop,nop,TS val 587364215 ecr 0,sackOK,eol]');
  });

  it.skipIf(!hasTshark)('decodes in Wirelens exactly as in tshark (fields and Info)', () => {
    expect(compareWithTshark(writeDemo())).toEqual([]);
  });
});
