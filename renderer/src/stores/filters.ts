// The display filter: the text in the filter bar, its validation as the user types, the filter
// applied to the packet list, the history of applied filters and the saved filter buttons (both
// kept in localStorage), and the filter actions of the tree's and the list's context menus.
import { defineStore } from 'pinia';
import { ref, shallowRef, watch } from 'vue';
import type { FilterCheck, FilterCompletion, FilterResult } from '../../../core/engine/api';
import { engineClient } from '../engine/client';
import { combineFilter, type FilterCombination } from '../filter-language/actions';
import { useCaptureStore } from './capture';

export const HISTORY_KEY = 'wirelens.filterHistory';
export const SAVED_KEY = 'wirelens.savedFilters';
/** Applied filters remembered, most recent first (Wireshark keeps a similar recent list). */
export const MAX_HISTORY = 30;

export interface SavedFilter {
  label: string;
  expr: string;
}

function load<T>(key: string, valid: (value: unknown) => value is T, fallback: T): T {
  try {
    const raw = localStorage.getItem(key);
    const value: unknown = raw === null ? fallback : JSON.parse(raw);
    return valid(value) ? value : fallback;
  } catch {
    return fallback;
  }
}

function store(key: string, value: unknown): void {
  try {
    localStorage.setItem(key, JSON.stringify(value));
  } catch {
    // Storage full or disabled: the lists still work for this session.
  }
}

const isStringList = (v: unknown): v is string[] => Array.isArray(v) && v.every((s) => typeof s === 'string');
const isSavedList = (v: unknown): v is SavedFilter[] =>
  Array.isArray(v) &&
  v.every(
    (s) =>
      typeof s === 'object' &&
      s !== null &&
      typeof (s as SavedFilter).label === 'string' &&
      typeof (s as SavedFilter).expr === 'string',
  );

/** `history` with `expr` moved to the front, bounded. */
export function pushHistory(history: readonly string[], expr: string, max = MAX_HISTORY): string[] {
  return [expr, ...history.filter((h) => h !== expr)].slice(0, max);
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export const useFiltersStore = defineStore('filters', () => {
  const engine = engineClient();
  const capture = useCaptureStore();

  /** The text in the bar (may differ from the applied filter until Enter). */
  const text = ref('');
  const applied = ref('');
  const check = shallowRef<FilterCheck | null>(null);
  /** The expression `check` is about (a reply for older text is dropped). */
  const checkedText = ref('');
  const applying = ref(false);
  const applyError = ref<string | null>(null);
  const lastResult = shallowRef<FilterResult | null>(null);
  /** A filter pass under way over a large capture (the engine's filterProgress events). */
  const progress = shallowRef<{ done: number; total: number; matched: number } | null>(null);
  engine.onEvent((event) => {
    if (event.type === 'filterProgress' && applying.value)
      progress.value = event.progress.done < event.progress.total ? event.progress : null;
  });
  const history = ref<string[]>(load(HISTORY_KEY, isStringList, []));
  const saved = ref<SavedFilter[]>(load(SAVED_KEY, isSavedList, []));
  /** Bumped to ask the bar to take the keyboard focus (Prepare as Filter). */
  const focusRequest = ref(0);
  let checkSeq = 0;
  let applySeq = 0;

  watch(history, (h) => store(HISTORY_KEY, h), { deep: true });
  watch(saved, (s) => store(SAVED_KEY, s), { deep: true });

  /** Validates `expr` (the bar calls this debounced as the user types). */
  async function validate(expr: string): Promise<void> {
    const seq = ++checkSeq;
    if (expr.trim() === '') {
      check.value = null;
      checkedText.value = expr;
      return;
    }
    try {
      const result = await engine.checkFilter(expr);
      if (seq !== checkSeq) return;
      check.value = result;
      checkedText.value = expr;
    } catch (e) {
      if (seq !== checkSeq) return;
      check.value = {
        status: 'invalid',
        error: { message: errorMessage(e), start: 0, end: expr.length },
        warnings: [],
      };
      checkedText.value = expr;
    }
  }

  /** Applies `expr` (the bar's text by default): the list then shows the packets it matched. */
  async function apply(expr = text.value): Promise<boolean> {
    expr = expr.trim();
    text.value = expr;
    const seq = ++applySeq;
    applying.value = true;
    applyError.value = null;
    try {
      const result = await engine.filter(expr, currentPacketNumber());
      if (seq !== applySeq) return false;
      lastResult.value = result;
      applied.value = expr;
      if (expr) history.value = pushHistory(history.value, expr);
      await capture.showDisplayed(expr ? result.displayed : null);
      return true;
    } catch (e) {
      if (seq !== applySeq) return false;
      // A cancelled pass (the bar's Cancel) leaves the list as it was, with nothing to report.
      if ((e as { code?: string }).code === 'cancelled') return false;
      // A filter the engine rejects keeps the list as it was and says why, in the bar.
      applyError.value = errorMessage(e);
      await validate(expr);
      return false;
    } finally {
      if (seq === applySeq) {
        applying.value = false;
        progress.value = null;
      }
    }
  }

  /** Stops a filter pass under way (Wireshark's Stop while filtering a large capture). */
  async function cancel(): Promise<void> {
    if (applying.value) await engine.cancel();
  }

  function currentPacketNumber(): number | undefined {
    const index = capture.selectedIndex;
    return index === null ? undefined : (capture.rowAt(index)?.number ?? undefined);
  }

  /** Escape / the clear button: empties the bar and shows every packet again. */
  async function clear(): Promise<void> {
    text.value = '';
    check.value = null;
    applyError.value = null;
    if (applied.value !== '') await apply('');
  }

  /** Apply as Filter / Prepare as Filter with the selected item's filter text. */
  async function act(selected: string, how: FilterCombination, applyNow: boolean): Promise<void> {
    text.value = combineFilter(text.value, selected, how);
    applyError.value = null;
    if (applyNow) await apply(text.value);
    else {
      void validate(text.value);
      focusRequest.value++;
    }
  }

  function addSaved(label: string, expr: string): void {
    label = label.trim() || expr;
    saved.value = [...saved.value.filter((s) => s.label !== label), { label, expr }];
  }

  function removeSaved(label: string): void {
    saved.value = saved.value.filter((s) => s.label !== label);
  }

  function clearHistory(): void {
    history.value = [];
  }

  function completions(textBeforeCursor: string): Promise<FilterCompletion[]> {
    return engine.completions(textBeforeCursor);
  }

  // A newly opened capture is shown through the filter that is applied, as in Wireshark.
  watch(
    () => capture.summary,
    (next, previous) => {
      if (next && next !== previous && applied.value !== '') void apply(applied.value);
      else if (!next) lastResult.value = null;
    },
  );

  return {
    text,
    applied,
    check,
    checkedText,
    applying,
    applyError,
    lastResult,
    progress,
    history,
    saved,
    focusRequest,
    validate,
    apply,
    clear,
    cancel,
    act,
    addSaved,
    removeSaved,
    clearHistory,
    completions,
  };
});
