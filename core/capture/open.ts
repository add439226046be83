// Opening a capture: recognise the format by content (gzip, pcap, pcapng), never by name, and
// turn every way a file can fail to be a capture into a CaptureError a user can act on.
import { closeSync, fstatSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { inflateCapture, isGzip } from './gzip';
import { pcapByteOrder, PcapReader } from './pcap';
import { BLOCK, PcapngReader } from './pcapng';
import { ByteWindow } from './source';
import { CaptureError, type CaptureDamage, type CaptureReader } from './types';

export function openCaptureFile(path: string): CaptureReader {
  let fd: number;
  try {
    const st = statSync(path);
    if (st.isDirectory()) throw new CaptureError('unreadable', `${path} is a folder, not a capture file`);
    if (!st.isFile()) throw new CaptureError('unreadable', `${path} is not a regular file`);
    fd = openSync(path, 'r');
  } catch (error) {
    if (error instanceof CaptureError) throw error;
    throw new CaptureError('unreadable', describeFsError(path, error as NodeJS.ErrnoException));
  }
  // Until a reader owns the descriptor, failures here must close it.
  let owned = true;
  try {
    const size = fstatSync(fd).size;
    if (size === 0) throw new CaptureError('unreadable', `${path} is empty (0 bytes)`);
    const head = new Uint8Array(Math.min(size, 64));
    readSync(fd, head, 0, head.length, 0);
    if (isGzip(head)) {
      const compressed = readFileSync(fd);
      owned = false;
      closeSync(fd);
      return openInflated(compressed, size, path);
    }
    owned = false;
    return openWindow(ByteWindow.fromFile(fd, size), size, false, undefined, path);
  } catch (error) {
    if (owned) closeSync(fd);
    if (error instanceof CaptureError) throw error;
    throw new CaptureError('unreadable', describeFsError(path, error as NodeJS.ErrnoException));
  }
}

export function openCaptureBytes(input: Uint8Array, name = 'the data'): CaptureReader {
  // A Buffer becomes a plain view, so records' `data` has one type whatever the source.
  const bytes = new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
  if (bytes.length === 0) throw new CaptureError('unreadable', `${name} is empty (0 bytes)`);
  if (isGzip(bytes)) return openInflated(bytes, bytes.length, name);
  return openWindow(ByteWindow.fromBytes(bytes), bytes.length, false, undefined, name);
}

function openInflated(compressed: Uint8Array, fileSize: number, name: string): CaptureReader {
  const { bytes, damage } = inflateCapture(compressed);
  if (bytes.length === 0) {
    throw new CaptureError(
      'unreadable',
      `${name} is gzip-compressed, but nothing could be decompressed from it${damage ? ` (${damage.reason})` : ''}`,
    );
  }
  if (isGzip(bytes)) throw new CaptureError('unsupported', `${name} is compressed twice with gzip`);
  return openWindow(ByteWindow.fromBytes(bytes), fileSize, true, damage, name);
}

function openWindow(
  window: ByteWindow,
  fileSize: number,
  compressed: boolean,
  damage: CaptureDamage | undefined,
  name: string,
): CaptureReader {
  try {
    const seen = window.ensure(0, 4) ? window.view.getUint32(0, true) : undefined;
    if (seen !== undefined && pcapByteOrder(seen))
      return new PcapReader(window, fileSize, compressed, damage);
    if (seen === BLOCK.SHB) return new PcapngReader(window, fileSize, compressed, damage);
    const head = window.buf.subarray(0, Math.min(window.end - window.start, 16));
    throw recognise(head, name);
  } catch (error) {
    window.close();
    if (error instanceof CaptureError && error.code === 'unreadable' && !error.message.startsWith(name)) {
      throw new CaptureError('unreadable', `${name}: ${error.message}`);
    }
    throw error;
  }
}

/** Why bytes are not something we open, naming what they look like. */
function recognise(head: Uint8Array, name: string): CaptureError {
  const ascii = String.fromCharCode(...head.subarray(0, 8));
  if (head.length < 4) {
    return new CaptureError('unreadable', `${name} is too short to be a capture (${head.length} bytes)`);
  }
  if (ascii.startsWith('snoop\0'))
    return new CaptureError(
      'unsupported',
      `${name} is a Solaris snoop capture, which is not supported (convert it to pcapng with editcap)`,
    );
  if (ascii.startsWith('BZh'))
    return new CaptureError('unsupported', `${name} is bzip2-compressed; only gzip compression is supported`);
  if (head[0] === 0xfd && ascii.startsWith('\xfd7zXZ'))
    return new CaptureError('unsupported', `${name} is xz-compressed; only gzip compression is supported`);
  if (head[0] === 0x28 && head[1] === 0xb5 && head[2] === 0x2f && head[3] === 0xfd) {
    return new CaptureError('unsupported', `${name} is zstd-compressed; only gzip compression is supported`);
  }
  const printable = [...head.subarray(0, 8)].every(
    (c) => c === 9 || c === 10 || c === 13 || (c >= 0x20 && c < 0x7f),
  );
  const seen = printable
    ? `'${ascii.replace(/[\r\n\t]/g, ' ').trimEnd()}'`
    : `the bytes ${[...head.subarray(0, 8)].map((c) => c.toString(16).padStart(2, '0')).join(' ')}`;
  return new CaptureError('not-a-capture', `${name} is not a pcap or pcapng file (it starts with ${seen})`);
}

function describeFsError(path: string, error: NodeJS.ErrnoException): string {
  switch (error.code) {
    case 'ENOENT':
      return `${path} does not exist`;
    case 'EACCES':
    case 'EPERM':
      return `${path} cannot be read: permission denied`;
    case 'EISDIR':
      return `${path} is a folder, not a capture file`;
    default:
      return `${path} cannot be read: ${error.message}`;
  }
}
