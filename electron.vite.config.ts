import { resolve as resolvePath } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'electron-vite';
import vue from '@vitejs/plugin-vue';
import type { Plugin } from 'vite';
import { contentSecurityPolicy } from './electron/csp';

const root = fileURLToPath(new URL('.', import.meta.url));
const resolve = (path: string) => resolvePath(root, path);

// The renderer is loaded from file:// in Electron, where no response header can carry the CSP, so
// it goes into index.html as a meta tag (the browser host sends the same policy as a header too).
function cspMetaTag(dev: boolean): Plugin {
  return {
    name: 'wirelens:csp-meta',
    transformIndexHtml(html) {
      // The browser host's WebSocket port is chosen at run time; the header it sends names it exactly.
      const policy = contentSecurityPolicy({ dev, connect: ['ws://127.0.0.1:*'] });
      return html.replace(
        '<!-- csp -->',
        `<meta http-equiv="Content-Security-Policy" content="${policy}" />`,
      );
    },
  };
}

export default defineConfig(({ command }) => ({
  main: {
    build: {
      outDir: 'out/main',
      rolldownOptions: {
        // The engine worker is a second entry so the main process can spawn it by path.
        input: { index: resolve('electron/main.ts'), 'engine-worker': resolve('core/engine/worker.ts') },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      rolldownOptions: {
        input: { index: resolve('electron/preload.ts') },
        // Sandboxed preload scripts cannot be ES modules.
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve('renderer'),
    base: './',
    plugins: [vue(), cspMetaTag(command === 'serve')],
    build: {
      outDir: resolve('out/renderer'),
      // Served over HTTP in browser mode too: ship it small.
      minify: true,
      emptyOutDir: true,
      rolldownOptions: { input: { index: resolve('renderer/index.html') } },
    },
  },
}));
