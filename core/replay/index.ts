// Replay: a capture's IP datagrams driven through a simulated topology (ARCHITECTURE.md,
// "Layout": core/replay/). See run.ts for the whole flow.
import '../sim';
export { findIpDatagram } from './link';
export { readReplayInput, describeDatagram, type CapturedDatagram, type ReplayInput } from './capture';
export { ReplayError, parseAddressMap, applyAddressMaps, ownedAddresses, type AddressMap } from './mapping';
export {
  ReplayDriver,
  type ReplaySummary,
  type CountRow,
  type ConversationRow,
  type DeliveryRow,
} from './driver';
export {
  prepareReplay,
  finishReplay,
  replayCapture,
  formatReplaySummary,
  MAX_REPLAY_EVENTS,
  type ReplaySetup,
  type PreparedReplay,
} from './run';
