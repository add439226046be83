// The million-packet capture the large-capture and filter specs share, written once per machine
// into the temporary directory.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const PACKETS = 1_000_000;
const FRAME_LENGTH = 60;

/** A classic pcap of Ethernet/IPv4/UDP frames whose UDP source port counts up with the frame. */
function writeLargeCapture(path: string): void {
  const record = 16 + FRAME_LENGTH;
  const file = Buffer.alloc(24 + PACKETS * record);
  file.writeUInt32LE(0xa1b2c3d4, 0);
  file.writeUInt16LE(2, 4);
  file.writeUInt16LE(4, 6);
  file.writeUInt32LE(65535, 16);
  file.writeUInt32LE(1, 20); // LINKTYPE_ETHERNET
  for (let i = 0; i < PACKETS; i++) {
    const at = 24 + i * record;
    file.writeUInt32LE(1_700_000_000 + Math.floor(i / 1000), at);
    file.writeUInt32LE((i % 1000) * 1000, at + 4);
    file.writeUInt32LE(FRAME_LENGTH, at + 8);
    file.writeUInt32LE(FRAME_LENGTH, at + 12);
    const eth = at + 16;
    file.set([2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 0x08, 0x00], eth);
    const ip = eth + 14;
    file.set([0x45, 0, 0, 46, (i >> 8) & 255, i & 255, 0x40, 0, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2], ip);
    const udp = ip + 20;
    file.writeUInt16BE(10_000 + (i % 50_000), udp);
    file.writeUInt16BE(9, udp + 2);
    file.writeUInt16BE(26, udp + 4);
  }
  writeFileSync(path, file);
}

const dir = join(tmpdir(), 'wirelens-e2e');
export const LARGE_CAPTURE = join(dir, `udp-${PACKETS}.pcap`);

/** The capture's path, written first if it is not there yet. */
export function largeCapture(): string {
  if (!existsSync(LARGE_CAPTURE)) {
    mkdirSync(dir, { recursive: true });
    writeLargeCapture(LARGE_CAPTURE);
  }
  return LARGE_CAPTURE;
}
