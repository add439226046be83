// The capture on screen: its summary, a page cache of packet-list rows, the selected packet with
// its details, the selected tree item and the byte range it highlights, and the open in progress.
import { defineStore } from 'pinia';
import { computed, markRaw, ref, shallowRef } from 'vue';
import type { CaptureSummary, OpenProgress, PacketDetail, PacketRow } from '../../../core/engine/api';
import { engineClient } from '../engine/client';
import { ancestorsOf, deepestItemAt, indexTree, type TreeItem } from '../util/tree';
import { decodeBase64 } from '../util/format';

/** Rows are fetched in pages of this many; a page is one `rows()` call. */
export const ROW_PAGE_SIZE = 200;
/** Pages kept in memory; older ones are dropped and refetched when scrolled back to. */
const MAX_CACHED_PAGES = 100;

export interface ByteRange {
  ds: number;
  start: number;
  end: number;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export const useCaptureStore = defineStore('capture', () => {
  const engine = engineClient();

  const summary = shallowRef<CaptureSummary | null>(null);
  const opening = ref(false);
  const progress = shallowRef<OpenProgress | null>(null);
  const error = ref<string | null>(null);
  let cancelRequested = false;

  // Rows live outside Vue's reactivity (up to millions); `rowsVersion` tells views a page arrived.
  const rowPages = markRaw(new Map<number, PacketRow[]>());
  const inFlight = markRaw(new Set<number>());
  const rowsVersion = ref(0);
  let captureGeneration = 0;

  const selectedIndex = ref<number | null>(null);
  const detail = shallowRef<PacketDetail | null>(null);
  const treeItems = shallowRef<TreeItem[]>([]);
  const selectedItemId = ref<string | null>(null);
  /** Expanded subtrees by stable key, kept across packets like Wireshark does. */
  const expandedKeys = ref(new Set<string>());
  const activeSource = ref(0);
  let selectionSeq = 0;

  /** Packets the display filter matched; null when no filter is applied (every packet shows). */
  const displayedCount = ref<number | null>(null);
  /** Rows in the packet list: the displayed packets. */
  const packetCount = computed(() => displayedCount.value ?? summary.value?.packets ?? 0);
  const selectedItem = computed(() => treeItems.value.find((i) => i.id === selectedItemId.value) ?? null);
  const highlight = computed<ByteRange | null>(() => {
    const node = selectedItem.value?.node;
    if (!node || node.end <= node.start) return null;
    return { ds: node.ds ?? 0, start: node.start, end: node.end };
  });
  const sources = computed(() =>
    (detail.value?.sources ?? []).map((source) => ({
      name: source.name,
      bytes: decodeBase64(source.base64),
    })),
  );

  function resetForCapture(next: CaptureSummary | null): void {
    captureGeneration++;
    summary.value = next;
    displayedCount.value = null;
    rowPages.clear();
    inFlight.clear();
    rowsVersion.value++;
    selectedIndex.value = null;
    detail.value = null;
    treeItems.value = [];
    selectedItemId.value = null;
    activeSource.value = 0;
  }

  /** The row at list position `index` if its page is cached, else null (and the page is requested). */
  function rowAt(index: number): PacketRow | null {
    const page = rowPages.get(Math.floor(index / ROW_PAGE_SIZE));
    return page?.[index % ROW_PAGE_SIZE] ?? null;
  }

  /** Makes sure the pages covering `[first, last]` are cached or on their way. */
  function ensureRows(first: number, last: number): void {
    const count = packetCount.value;
    if (count === 0) return;
    const firstPage = Math.floor(Math.max(0, first) / ROW_PAGE_SIZE);
    const lastPage = Math.floor(Math.min(count - 1, last) / ROW_PAGE_SIZE);
    for (let page = firstPage; page <= lastPage; page++) void loadPage(page);
  }

  async function loadPage(page: number): Promise<PacketRow[] | null> {
    const cached = rowPages.get(page);
    if (cached) return cached;
    if (inFlight.has(page)) return null;
    inFlight.add(page);
    const generation = captureGeneration;
    try {
      const start = page * ROW_PAGE_SIZE;
      const rows = await engine.rows(start, Math.min(ROW_PAGE_SIZE, packetCount.value - start));
      if (generation !== captureGeneration) return null;
      if (rowPages.size >= MAX_CACHED_PAGES) rowPages.delete(rowPages.keys().next().value!);
      rowPages.set(page, rows);
      rowsVersion.value++;
      return rows;
    } catch (e) {
      if (generation === captureGeneration) error.value = errorMessage(e);
      return null;
    } finally {
      if (generation === captureGeneration) inFlight.delete(page);
    }
  }

  async function fetchRow(index: number): Promise<PacketRow | null> {
    const page = Math.floor(index / ROW_PAGE_SIZE);
    const rows = rowPages.get(page) ?? (await loadPage(page)) ?? (await refetch(page));
    return rows?.[index % ROW_PAGE_SIZE] ?? null;
  }

  /** A page already in flight: ask for it directly rather than wait on the other caller. */
  async function refetch(page: number): Promise<PacketRow[] | null> {
    const start = page * ROW_PAGE_SIZE;
    try {
      return await engine.rows(start, Math.min(ROW_PAGE_SIZE, packetCount.value - start));
    } catch {
      return null;
    }
  }

  /** Selects the packet at list position `index` and loads its details. */
  async function selectPacket(index: number): Promise<void> {
    const count = packetCount.value;
    if (count === 0) return;
    index = Math.max(0, Math.min(count - 1, index));
    selectedIndex.value = index;
    const seq = ++selectionSeq;
    const row = await fetchRow(index);
    if (seq !== selectionSeq || !row) return;
    try {
      const next = await engine.packet(row.number);
      if (seq !== selectionSeq) return;
      const previousKey = selectedItem.value?.key;
      detail.value = next;
      treeItems.value = indexTree(next.tree);
      // Keep the same field selected when moving between packets, as Wireshark does.
      const same = previousKey ? treeItems.value.find((i) => i.key === previousKey) : undefined;
      selectedItemId.value = same?.id ?? null;
      if (activeSource.value >= next.sources.length) activeSource.value = 0;
      if (same) activeSource.value = same.node.ds ?? 0;
    } catch (e) {
      if (seq === selectionSeq) error.value = errorMessage(e);
    }
  }

  /**
   * The engine now pages the packets a display filter matched (`displayed`, or every packet when
   * null): reload the rows, and keep the selected packet selected when it is still displayed, as
   * Wireshark does (its position is found by a binary search over the numbered rows).
   */
  async function showDisplayed(displayed: number | null): Promise<void> {
    const previous = selectedIndex.value !== null ? rowAt(selectedIndex.value)?.number : undefined;
    captureGeneration++;
    rowPages.clear();
    inFlight.clear();
    displayedCount.value = displayed;
    rowsVersion.value++;
    selectionSeq++;
    selectedIndex.value = null;
    const index = previous !== undefined ? await displayedIndexOf(previous) : null;
    if (index !== null) return selectPacket(index);
    detail.value = null;
    treeItems.value = [];
    selectedItemId.value = null;
  }

  /** The list position of packet `number` among the displayed rows, or null. */
  async function displayedIndexOf(number: number): Promise<number | null> {
    const generation = captureGeneration;
    let low = 0;
    let high = packetCount.value - 1;
    try {
      while (low <= high) {
        const mid = (low + high) >> 1;
        const [row] = await engine.rows(mid, 1);
        if (generation !== captureGeneration || !row) return null;
        if (row.number === number) return mid;
        if (row.number < number) low = mid + 1;
        else high = mid - 1;
      }
    } catch {
      // The list still shows; only the selection is lost.
    }
    return null;
  }

  function selectItem(id: string | null): void {
    selectedItemId.value = id;
    const item = selectedItem.value;
    if (item) activeSource.value = item.node.ds ?? 0;
  }

  function isExpanded(item: TreeItem): boolean {
    return expandedKeys.value.has(item.key);
  }

  function setExpanded(item: TreeItem, open: boolean): void {
    const next = new Set(expandedKeys.value);
    if (open) next.add(item.key);
    else next.delete(item.key);
    expandedKeys.value = next;
  }

  function expandAll(open: boolean): void {
    expandedKeys.value = open
      ? new Set(treeItems.value.filter((i) => i.hasChildren).map((i) => i.key))
      : new Set();
  }

  /** Wireshark's byte click: select the deepest field covering the byte, revealing it. */
  function selectByte(ds: number, offset: number): void {
    const item = deepestItemAt(treeItems.value, ds, offset);
    if (!item) return;
    const next = new Set(expandedKeys.value);
    for (const ancestor of ancestorsOf(treeItems.value, item)) next.add(ancestor.key);
    expandedKeys.value = next;
    selectItem(item.id);
  }

  async function runOpen(open: () => Promise<CaptureSummary | null>): Promise<void> {
    opening.value = true;
    progress.value = null;
    error.value = null;
    cancelRequested = false;
    try {
      const opened = await open();
      if (opened) showCapture(opened);
    } catch (e) {
      // A cancelled open is what the user asked for, not an error to report.
      if (!cancelRequested) error.value = errorMessage(e);
      await resync();
    } finally {
      opening.value = false;
      progress.value = null;
    }
  }

  function showCapture(opened: CaptureSummary): void {
    resetForCapture(opened);
    if (opened.packets > 0) void selectPacket(0);
  }

  /** After a failed open, show whatever the engine holds now. */
  async function resync(): Promise<void> {
    try {
      const current = await engine.info();
      if (current?.name !== summary.value?.name || current?.packets !== summary.value?.packets) {
        resetForCapture(current);
      }
    } catch {
      // The error already shown says what went wrong.
    }
  }

  const openDemo = () => runOpen(() => engine.openDemo());
  const openDialog = () => runOpen(() => engine.openDialog());
  const openPath = (path: string) => runOpen(() => engine.openFile(path));
  /** File → Import from Hex Dump; a bad dump leaves its message (naming the line) in `error`. */
  const importHex = (text: string, link: 'ether' | 'ip') => runOpen(() => engine.importHex(text, link));
  async function openFileObject(file: File): Promise<void> {
    const path = engine.pathForFile(file);
    if (path) return openPath(path);
    return runOpen(async () => engine.openBytes(file.name, new Uint8Array(await file.arrayBuffer())));
  }

  async function cancelOpen(): Promise<void> {
    cancelRequested = true;
    await engine.cancel();
  }

  /** Connects to the engine: event subscriptions, then the capture it opened at start. */
  async function start(): Promise<void> {
    engine.onEvent((event) => {
      if (event.type !== 'progress') return;
      progress.value = event.progress;
      // An open started elsewhere (Electron's menu, a second instance) shows progress too.
      if (!opening.value) {
        opening.value = true;
        cancelRequested = false;
      }
    });
    engine.onOpened((outcome) => {
      opening.value = false;
      progress.value = null;
      if ('summary' in outcome) showCapture(outcome.summary);
      else if (!cancelRequested && outcome.error.code !== 'cancelled') error.value = outcome.error.message;
      else void resync();
    });
    await runOpen(() => engine.info());
  }

  return {
    summary,
    opening,
    progress,
    error,
    rowsVersion,
    packetCount,
    displayedCount,
    selectedIndex,
    detail,
    treeItems,
    selectedItemId,
    selectedItem,
    expandedKeys,
    activeSource,
    highlight,
    sources,
    rowAt,
    ensureRows,
    selectPacket,
    showDisplayed,
    selectItem,
    isExpanded,
    setExpanded,
    expandAll,
    selectByte,
    openDemo,
    openDialog,
    openPath,
    importHex,
    openFileObject,
    cancelOpen,
    start,
    /** Opens what `open` returns (the Simulation view's taps and generated traces). */
    runOpen,
  };
});
