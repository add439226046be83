// The analysis windows (issue 4): which one is open (Follow Stream, HTTP, Conversations, …) and
// the actions they share: jump to a packet in the list, follow the selected packet's stream,
// apply a filter through the filter bar's store, save a file.
import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';
import { engineClient } from '../engine/client';
import { fieldValues } from '../filter-language/actions';
import { useCaptureStore } from './capture';
import { useFiltersStore } from './filters';

export type AnalysisView =
  | { kind: 'follow'; protocol: 'tcp' | 'udp'; stream: number }
  | { kind: 'http'; stream?: number }
  | { kind: 'conversations' }
  | { kind: 'endpoints' }
  | { kind: 'hierarchy' }
  | { kind: 'properties' }
  | { kind: 'io' }
  | { kind: 'flow'; stream?: number }
  | { kind: 'expert' }
  | { kind: 'exportObjects' }
  | { kind: 'importHex' };

export const VIEW_TITLES: Record<AnalysisView['kind'], string> = {
  follow: 'Follow Stream',
  http: 'HTTP Exchanges',
  conversations: 'Conversations',
  endpoints: 'Endpoints',
  hierarchy: 'Protocol Hierarchy Statistics',
  properties: 'Capture File Properties',
  io: 'I/O Graph',
  flow: 'Flow Graph',
  expert: 'Expert Information',
  exportObjects: 'Export Objects — HTTP',
  importHex: 'Import from Hex Dump',
};

/** Offers `data` as a download named `name` (Save as in browser mode and Electron alike). */
export function saveFile(name: string, data: BlobPart, type = 'application/octet-stream'): void {
  const url = URL.createObjectURL(new Blob([data], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export const useAnalysisStore = defineStore('analysis', () => {
  const engine = engineClient();
  const capture = useCaptureStore();
  const filters = useFiltersStore();

  const view = shallowRef<AnalysisView | null>(null);
  const error = ref<string | null>(null);

  function open(next: AnalysisView): void {
    error.value = null;
    view.value = next;
  }

  function close(): void {
    view.value = null;
  }

  /** The selected packet's stream index for `protocol` (`tcp.stream` / `udp.stream`), if any. */
  function selectedStream(protocol: 'tcp' | 'udp'): number | null {
    const tree = capture.detail?.tree;
    if (!tree) return null;
    const value = fieldValues(tree).get(`${protocol}.stream`)?.[0];
    return value === undefined ? null : Number(value);
  }

  /** Analyze → Follow → TCP/UDP/HTTP Stream for the selected packet. */
  function followSelected(protocol: 'tcp' | 'udp' | 'http'): void {
    const stream = selectedStream(protocol === 'udp' ? 'udp' : 'tcp');
    if (stream === null) {
      error.value = `The selected packet is not part of a ${protocol.toUpperCase()} stream.`;
      return;
    }
    if (protocol === 'http') open({ kind: 'http', stream });
    else open({ kind: 'follow', protocol, stream });
  }

  /**
   * Selects packet `number` in the list (click on an item of an analysis view). When the display
   * filter hides it, the filter is cleared first, as the packet must be shown to be selected.
   */
  async function goToPacket(number: number): Promise<boolean> {
    let index = await displayedIndexOf(number);
    if (index === null && filters.applied !== '') {
      await filters.clear();
      index = await displayedIndexOf(number);
    }
    if (index === null) return false;
    await capture.selectPacket(index);
    return true;
  }

  /** The list position of packet `number` among the displayed rows (a binary search over rows). */
  async function displayedIndexOf(number: number): Promise<number | null> {
    let low = 0;
    let high = capture.packetCount - 1;
    while (low <= high) {
      const mid = (low + high) >> 1;
      const [row] = await engine.rows(mid, 1);
      if (!row) return null;
      if (row.number === number) return mid;
      if (row.number < number) low = mid + 1;
      else high = mid - 1;
    }
    return null;
  }

  /** Apply as Filter from an analysis view (Conversations, Follow's "Filter out this stream"). */
  async function applyFilter(expr: string): Promise<void> {
    await filters.act(expr, 'selected', true);
  }

  /** File → Import from Hex Dump: opens the dump's packets, or throws the engine's message. */
  async function importHex(text: string, link: 'ether' | 'ip'): Promise<void> {
    await capture.importHex(text, link);
    const failure = capture.error;
    if (failure) {
      capture.error = null;
      throw new Error(failure);
    }
  }

  return {
    view,
    error,
    open,
    close,
    selectedStream,
    followSelected,
    goToPacket,
    applyFilter,
    importHex,
  };
});
