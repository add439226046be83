// Registers the display-filter language with Monaco: tokens, brackets, the colour theme of the
// filter bar, and completions answered by the engine (fields, protocols, functions, values).
import type * as Monaco from 'monaco-editor/editor/editor.api.js';
import type { FilterCompletion } from '../../../core/engine/api';
import { completionWordStart } from './completion-context';
import { FILTER_LANGUAGE_ID, filterLanguageConfiguration, filterTokens } from './tokens';

export const FILTER_THEME = 'wirelens-filter';

/** Answers completions for the text before the cursor; set by the filter bar (the engine). */
export type CompletionSource = (textBeforeCursor: string) => Promise<FilterCompletion[]>;
let completionSource: CompletionSource | null = null;

export function setCompletionSource(source: CompletionSource | null): void {
  completionSource = source;
}

function completionKind(
  monaco: typeof Monaco,
  kind: FilterCompletion['kind'],
): Monaco.languages.CompletionItemKind {
  const kinds = monaco.languages.CompletionItemKind;
  switch (kind) {
    case 'protocol':
      return kinds.Module;
    case 'field':
      return kinds.Field;
    case 'function':
      return kinds.Function;
    case 'value':
      return kinds.EnumMember;
  }
}

/** The first part of a completion's description (the field's display name), kept short. */
function shortDescription(item: FilterCompletion): string {
  const text = (item.description ?? '').split(' — ')[0]!.trim();
  if (!text || item.kind === 'value') return text ? `  ${text}` : '';
  return `  ${text.length > 48 ? text.slice(0, 47) + '…' : text}`;
}

export function registerFilterLanguage(monaco: typeof Monaco): void {
  monaco.languages.register({ id: FILTER_LANGUAGE_ID });
  monaco.languages.setMonarchTokensProvider(FILTER_LANGUAGE_ID, filterTokens);
  monaco.languages.setLanguageConfiguration(FILTER_LANGUAGE_ID, filterLanguageConfiguration);
  // The bar's background carries the validation colour, so the editor's own is transparent.
  monaco.editor.defineTheme(FILTER_THEME, {
    base: 'vs',
    inherit: true,
    rules: [
      { token: 'type.field', foreground: '1f4e9c' },
      { token: 'keyword', foreground: '8a2be2', fontStyle: 'bold' },
      { token: 'operator', foreground: '8a2be2' },
      { token: 'predefined.function', foreground: '795e26' },
      { token: 'invalid.function', foreground: 'b00020' },
      { token: 'string', foreground: 'a31515' },
      { token: 'string.quote', foreground: 'a31515' },
      { token: 'string.escape', foreground: 'ee0000' },
      { token: 'string.char', foreground: 'a31515' },
      { token: 'number', foreground: '09775a' },
      { token: 'variable', foreground: '0070c1', fontStyle: 'italic' },
      { token: 'annotation', foreground: '0070c1' },
    ],
    colors: {
      'editor.background': '#00000000',
      'editor.lineHighlightBackground': '#00000000',
      'editorGutter.background': '#00000000',
      focusBorder: '#00000000',
    },
  });
  monaco.languages.registerCompletionItemProvider(FILTER_LANGUAGE_ID, {
    triggerCharacters: ['.', ' ', '"'],
    async provideCompletionItems(model, position) {
      if (!completionSource) return { suggestions: [] };
      const line = model.getLineContent(position.lineNumber);
      const before = line.slice(0, position.column - 1);
      const start = completionWordStart(line, position.column - 1);
      const items = await completionSource(before);
      const range = new monaco.Range(position.lineNumber, start + 1, position.lineNumber, position.column);
      return {
        suggestions: items.map((item, index) => ({
          // Name, then the display name in grey (`tcp.flags.syn  Syn`), the type on the right.
          label: { label: item.label, detail: shortDescription(item), description: item.detail ?? '' },
          kind: completionKind(monaco, item.kind),
          insertText: item.label,
          detail: item.detail ?? '',
          documentation: item.description ?? '',
          range,
          // The engine's order (exact names first, then by name) is the order to show.
          sortText: String(index).padStart(6, '0'),
        })),
        // The list depends on the whole text (value strings after `field ==`): ask again as it changes.
        incomplete: true,
      };
    },
  });
}
