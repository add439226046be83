// The built-in demo capture (seed scenario 1, frames from `buildDemoFrames()`) as pcapng
// bytes, written with the capture writer so that opening it exercises the same reader path
// as any file.
import { createCaptureWriter } from '../capture';
import { buildDemoFrames } from './demo';

export function demoCaptureBytes(): Uint8Array {
  const demo = buildDemoFrames();
  const chunks: Uint8Array[] = [];
  const w = createCaptureWriter((chunk) => chunks.push(chunk.slice()), 'pcapng', {
    comment: 'Wirelens demo capture: curl fetching a page from a web server on port 8080',
  });
  const iface = w.addInterface({ linkType: demo.linkType, snapLen: 262144, name: 'demo0' });
  for (const f of demo.frames)
    w.writePacket({ interfaceId: iface, tsSec: f.tsSec, tsNsec: f.tsNsec, data: f.data });
  w.close();
  return Buffer.concat(chunks);
}
