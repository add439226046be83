// Colouring rules (Wireshark's View → Coloring Rules): the engine holds the rules and colours the
// rows; this store edits a draft of them in the dialog, saves them to the engine and to
// localStorage (so they survive a restart), and resets them to Wireshark's defaults.
import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { ColorRuleDTO } from '../../../core/engine/api';
import { engineClient } from '../engine/client';
import { useCaptureStore } from './capture';

export const COLORING_KEY = 'wirelens.coloringRules';

export interface DraftRule extends ColorRuleDTO {
  /** Stable key for the list while rules are reordered. */
  key: number;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

const isRuleList = (v: unknown): v is ColorRuleDTO[] =>
  Array.isArray(v) &&
  v.every(
    (r) =>
      typeof r === 'object' &&
      r !== null &&
      typeof (r as ColorRuleDTO).name === 'string' &&
      typeof (r as ColorRuleDTO).filter === 'string' &&
      typeof (r as ColorRuleDTO).fg === 'string' &&
      typeof (r as ColorRuleDTO).bg === 'string' &&
      typeof (r as ColorRuleDTO).enabled === 'boolean',
  );

export const useColoringStore = defineStore('coloring', () => {
  const engine = engineClient();
  const capture = useCaptureStore();

  const dialogOpen = ref(false);
  const draft = ref<DraftRule[]>([]);
  const selectedKey = ref<number | null>(null);
  const loading = ref(false);
  const error = ref<string | null>(null);
  let nextKey = 1;

  const toDraft = (rules: ColorRuleDTO[]): DraftRule[] => rules.map((r) => ({ ...r, key: nextKey++ }));
  const fromDraft = (rules: DraftRule[]): ColorRuleDTO[] =>
    rules.map(({ name, filter, fg, bg, enabled }) => ({ name, filter, fg, bg, enabled }));

  /** Opens the dialog on the engine's rules; `add` puts a new rule first (Colorize with Filter). */
  async function openDialog(add?: { filter: string; name?: string }): Promise<void> {
    dialogOpen.value = true;
    loading.value = true;
    error.value = null;
    try {
      draft.value = toDraft(await engine.colorRules());
      if (add) {
        const rule: DraftRule = {
          key: nextKey++,
          name: add.name ?? add.filter,
          filter: add.filter,
          fg: '#000000',
          bg: '#ffe0a0',
          enabled: true,
        };
        draft.value = [rule, ...draft.value];
        selectedKey.value = rule.key;
      } else selectedKey.value = draft.value[0]?.key ?? null;
    } catch (e) {
      error.value = errorMessage(e);
    } finally {
      loading.value = false;
    }
  }

  function closeDialog(): void {
    dialogOpen.value = false;
    error.value = null;
  }

  /** Sends the rules to the engine, remembers them, and reloads the rows with their new colours. */
  async function save(): Promise<boolean> {
    error.value = null;
    try {
      const rules = fromDraft(draft.value);
      await engine.setColorRules(rules);
      localStorage.setItem(COLORING_KEY, JSON.stringify(rules));
      await capture.showDisplayed(capture.displayedCount);
      dialogOpen.value = false;
      return true;
    } catch (e) {
      error.value = errorMessage(e);
      return false;
    }
  }

  /** Wireshark's default rules into the draft (saved with the dialog's Save). */
  async function resetToDefaults(): Promise<void> {
    error.value = null;
    try {
      draft.value = toDraft(await engine.defaultColorRules());
      selectedKey.value = draft.value[0]?.key ?? null;
    } catch (e) {
      error.value = errorMessage(e);
    }
  }

  function addRule(): void {
    const rule: DraftRule = {
      key: nextKey++,
      name: 'New coloring rule',
      filter: '',
      fg: '#000000',
      bg: '#ffffff',
      enabled: true,
    };
    draft.value = [rule, ...draft.value];
    selectedKey.value = rule.key;
  }

  function removeRule(key: number): void {
    const index = draft.value.findIndex((r) => r.key === key);
    if (index < 0) return;
    draft.value = draft.value.filter((r) => r.key !== key);
    selectedKey.value = draft.value[Math.min(index, draft.value.length - 1)]?.key ?? null;
  }

  /** Moves a rule up (-1) or down (+1): the first matching rule colours a packet. */
  function moveRule(key: number, by: -1 | 1): void {
    const index = draft.value.findIndex((r) => r.key === key);
    const to = index + by;
    if (index < 0 || to < 0 || to >= draft.value.length) return;
    const next = [...draft.value];
    [next[index], next[to]] = [next[to]!, next[index]!];
    draft.value = next;
  }

  /** At start: the rules saved by an earlier session go to the engine. */
  async function restoreSaved(): Promise<void> {
    try {
      const raw = localStorage.getItem(COLORING_KEY);
      const rules: unknown = raw ? JSON.parse(raw) : null;
      if (!isRuleList(rules)) return;
      await engine.setColorRules(rules);
      await capture.showDisplayed(capture.displayedCount);
    } catch {
      // Unreadable or refused rules leave the engine's defaults in place.
    }
  }

  return {
    dialogOpen,
    draft,
    selectedKey,
    loading,
    error,
    openDialog,
    closeDialog,
    save,
    resetToDefaults,
    addRule,
    removeRule,
    moveRule,
    restoreSaved,
  };
});
