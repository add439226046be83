// The Content Security Policy shared by the Electron window and the browser-mode host, so both
// front ends run the renderer under the same rules: no remote content, no eval, no inline script.

export interface CspOptions {
  /** Extra `connect-src` sources, e.g. the browser host's WebSocket `ws://127.0.0.1:PORT`. */
  connect?: string[];
  /** The vite dev server injects `<style>` tags and talks HMR over a WebSocket. */
  dev?: boolean;
}

export function contentSecurityPolicy(options: CspOptions = {}): string {
  const connect = ["'self'", ...(options.connect ?? [])];
  if (options.dev) connect.push('ws://localhost:*', 'ws://127.0.0.1:*');
  const directives: Record<string, string[]> = {
    'default-src': ["'none'"],
    'script-src': ["'self'"],
    // Monaco (the filter bar) writes its theme and layout CSS into <style> elements it creates and
    // renders lines through HTML with style="" attributes, and offers no nonce hook, so inline
    // styles are allowed. Scripts stay 'self' only (no inline script, no eval), and injected CSS
    // cannot reach anything outside the app: images, fonts and connections are limited to 'self'.
    'style-src': ["'self'", "'unsafe-inline'"],
    'img-src': ["'self'", 'data:'],
    'font-src': ["'self'"],
    'connect-src': connect,
    // Monaco's language services run in workers created from blob: URLs.
    'worker-src': ["'self'", 'blob:'],
    'base-uri': ["'none'"],
    'form-action': ["'none'"],
    'object-src': ["'none'"],
  };
  return Object.entries(directives)
    .map(([name, sources]) => `${name} ${sources.join(' ')}`)
    .join('; ');
}
