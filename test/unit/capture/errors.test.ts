// Files that are not captures, or cannot be read: a CaptureError with a message a user can act on.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CaptureError, openCaptureBytes, openCaptureFile } from '../../../core/capture';

const tmp = mkdtempSync(join(tmpdir(), 'wirelens-errors-'));

function failure(fn: () => unknown): CaptureError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(CaptureError);
    return error as CaptureError;
  }
  throw new Error('expected a CaptureError');
}

describe('capture open errors', () => {
  it('an HTML page is not a capture, and the message says what it starts with', () => {
    const path = join(tmp, 'page.pcap');
    writeFileSync(path, '<html><body>Not Found</body></html>\n');
    const e = failure(() => openCaptureFile(path));
    expect(e.code).toBe('not-a-capture');
    expect(e.message).toBe(`${path} is not a pcap or pcapng file (it starts with '<html><b')`);
  });

  it('binary garbage is named by its first bytes', () => {
    const e = failure(() => openCaptureBytes(Uint8Array.of(0xde, 0xad, 0xbe, 0xef, 0, 1, 2, 3, 4), 'blob'));
    expect(e.code).toBe('not-a-capture');
    expect(e.message).toBe(
      'blob is not a pcap or pcapng file (it starts with the bytes de ad be ef 00 01 02 03)',
    );
  });

  it('other capture formats and compressions are named as unsupported', () => {
    expect(
      failure(() => openCaptureBytes(new TextEncoder().encode('snoop\0\0\0\0\0\0\x02'), 'x.snoop')).code,
    ).toBe('unsupported');
    const bz = failure(() => openCaptureBytes(new TextEncoder().encode('BZh91AY&SY'), 'x.pcap.bz2'));
    expect(bz.message).toBe('x.pcap.bz2 is bzip2-compressed; only gzip compression is supported');
  });

  it('an empty file, a missing file and a folder are unreadable', () => {
    const empty = join(tmp, 'empty.pcap');
    writeFileSync(empty, '');
    expect(failure(() => openCaptureFile(empty))).toMatchObject({
      code: 'unreadable',
      message: `${empty} is empty (0 bytes)`,
    });
    const missing = join(tmp, 'missing.pcap');
    expect(failure(() => openCaptureFile(missing))).toMatchObject({
      code: 'unreadable',
      message: `${missing} does not exist`,
    });
    expect(failure(() => openCaptureFile(tmp))).toMatchObject({
      code: 'unreadable',
      message: `${tmp} is a folder, not a capture file`,
    });
  });

  it('a file that ends inside its header is unreadable, and says how much was there', () => {
    const pcap = readFileSync('test/fixtures/capture/lo-usec.pcap').subarray(0, 10);
    expect(failure(() => openCaptureBytes(pcap, 'short.pcap'))).toMatchObject({
      code: 'unreadable',
      message: 'short.pcap: the file ends inside the pcap file header (10 of 24 bytes present)',
    });
    const ng = readFileSync('test/fixtures/capture/lo-editcap.pcapng').subarray(0, 20);
    expect(failure(() => openCaptureBytes(ng, 'short.pcapng'))).toMatchObject({
      code: 'unreadable',
      message:
        'short.pcapng: the file ends inside the pcapng section header (20 of at least 28 bytes present)',
    });
    expect(failure(() => openCaptureBytes(Uint8Array.of(0xd4, 0xc3), 'tiny'))).toMatchObject({
      code: 'unreadable',
    });
  });

  it('an unsupported pcap version is named', () => {
    const bytes = new Uint8Array(readFileSync('test/fixtures/capture/lo-usec.pcap'));
    bytes[4] = 3;
    expect(failure(() => openCaptureBytes(bytes, 'v3.pcap'))).toMatchObject({
      code: 'unsupported',
      message: 'pcap version 3.4 is not supported (only 2.x)',
    });
  });
});
