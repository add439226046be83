// Capture files: readers and writers for pcap and pcapng (optionally gzip'd), and link types.
export { CaptureError, MAX_CAPLEN } from './types';
export type {
  CaptureDamage,
  CaptureFileInfo,
  CaptureInterface,
  CaptureReader,
  CaptureRecord,
  CaptureSection,
  CaptureWriter,
  InterfaceStatistics,
} from './types';
export { openCaptureBytes, openCaptureFile } from './open';
export { captureBytes, createCaptureWriter, formatForPath } from './writer';
export { LINKTYPE, LINKTYPE_NAMES, linkTypeName } from './linktypes';
