import { defineConfig } from '@playwright/test';

// The specs drive the real Electron app when its runtime is installed, else the same UI in
// browser mode (Chromium against the browser host); test/e2e/app.ts picks the mode.
export default defineConfig({
  testDir: 'test/e2e',
  testMatch: '*.spec.ts',
  timeout: 60_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  outputDir: 'test-results',
  use: {
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
});
