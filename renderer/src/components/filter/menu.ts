// Context-menu items, and the filter entries the details tree and the packet list share.
import { COMBINATIONS, type ConversationFilter } from '../../filter-language/actions';
import type { useFiltersStore } from '../../stores/filters';
import type { useColoringStore } from '../../stores/coloring';

export interface MenuItem {
  label: string;
  action?: () => void;
  children?: MenuItem[];
  disabled?: boolean;
  /** Tooltip, e.g. the filter an entry would apply. */
  title?: string;
}

type Filters = ReturnType<typeof useFiltersStore>;
type Coloring = ReturnType<typeof useColoringStore>;

/** "Apply as Filter ▸", "Prepare as Filter ▸" and "Colorize with Filter" for `filter`. */
export function filterMenuItems(filter: string | null, filters: Filters, coloring: Coloring): MenuItem[] {
  const disabled = filter === null;
  const combos = (apply: boolean): MenuItem[] =>
    COMBINATIONS.map((c) => ({
      label: c.label,
      disabled,
      action: () => void filters.act(filter!, c.id, apply),
    }));
  return [
    { label: 'Apply as Filter', disabled, children: disabled ? undefined : combos(true) },
    { label: 'Prepare as Filter', disabled, children: disabled ? undefined : combos(false) },
    { label: 'Colorize with Filter…', disabled, action: () => coloring.openDialog({ filter: filter! }) },
  ];
}

/** "Conversation Filter ▸" and "Colorize Conversation ▸" for a packet (Wireshark's packet list menu). */
export function conversationMenuItems(
  conversations: ConversationFilter[],
  filters: Filters,
  coloring: Coloring,
): MenuItem[] {
  const disabled = conversations.length === 0;
  return [
    {
      label: 'Conversation Filter',
      disabled,
      children: disabled
        ? undefined
        : conversations.map((c) => ({
            label: c.label,
            title: c.filter,
            action: () => void filters.act(c.filter, 'selected', true),
          })),
    },
    {
      label: 'Colorize Conversation',
      disabled,
      children: disabled
        ? undefined
        : conversations.map((c) => ({
            label: c.label,
            title: c.filter,
            action: () => coloring.openDialog({ filter: c.filter, name: `${c.label} conversation` }),
          })),
    },
  ];
}
