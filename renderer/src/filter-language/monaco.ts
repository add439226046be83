// Monaco, lean: the editor core (ESM build) plus only the contributions the filter bar uses —
// suggestions, hovers (the error marker's message), the placeholder — and only the generic editor
// worker, bundled by vite as a same-origin script (CSP `worker-src 'self'`).
import * as monaco from 'monaco-editor/editor/editor.api.js';
import 'monaco-editor/editor/contrib/suggest/browser/suggestController.js';
import 'monaco-editor/editor/contrib/hover/browser/hoverContribution.js';
import 'monaco-editor/editor/contrib/placeholderText/browser/placeholderText.contribution.js';
import EditorWorker from 'monaco-editor/editor/editor.worker.js?worker';
import { registerFilterLanguage } from './language';

declare global {
  interface Window {
    MonacoEnvironment?: { getWorker(workerId: string, label: string): Worker };
  }
}

let ready = false;

/** Monaco with the display-filter language registered (once). */
export function filterMonaco(): typeof monaco {
  if (!ready) {
    window.MonacoEnvironment = { getWorker: () => new EditorWorker() };
    registerFilterLanguage(monaco);
    ready = true;
  }
  return monaco;
}

export type Monaco = typeof monaco;
