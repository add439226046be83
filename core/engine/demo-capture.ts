// The built-in demo capture (seed scenario 1, frames from `buildDemoFrames()`) as pcapng
// bytes, written with the capture writer so that opening it exercises the same reader path
// as any file.
import { captureBytes } from '../capture';
import { buildDemoFrames } from './demo';

export function demoCaptureBytes(): Uint8Array {
  const demo = buildDemoFrames();
  return captureBytes('pcapng', { linkType: demo.linkType, name: 'demo0' }, demo.frames, {
    comment: 'Wirelens demo capture: curl fetching a page from a web server on port 8080',
  });
}
