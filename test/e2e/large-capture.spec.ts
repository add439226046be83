// A million packets: the capture named on the command line opens at start, the packet list keeps
// only the rows in view in the DOM, stays smooth while scrolling, and jumps to the end at once.
// Opening the same file from the file input shows progress and can be cancelled.
import type { Page } from '@playwright/test';
import { expect, test } from './app';
import { largeCapture, PACKETS } from './large-capture';

const LARGE_CAPTURE = largeCapture();

const grid = (page: Page) => page.getByRole('grid', { name: 'Packet list' });
const renderedRows = (page: Page) => grid(page).locator('[role="row"][data-index]');

test.describe('a capture named on the command line', () => {
  test.use({ capturePath: LARGE_CAPTURE });

  test('opens at start, renders only the rows in view, scrolls smoothly and jumps to the end', async ({
    app,
  }) => {
    // Opening a million packets is the engine's work and takes a while on a busy machine.
    test.setTimeout(240_000);
    await expect(app.getByTestId('packet-count')).toHaveText('Packets: 1,000,000', { timeout: 180_000 });
    await expect(app.getByRole('status')).toContainText(`udp-${PACKETS}.pcap`);
    const rendered = await renderedRows(app).count();
    expect(rendered).toBeGreaterThan(10);
    expect(rendered).toBeLessThan(120);

    // Scroll in big steps across the whole list, recording the time between frames.
    const frameGaps = await grid(app)
      .locator('.scroller')
      .evaluate(async (scroller: { scrollTop: number; scrollHeight: number }) => {
        // (Runs in the page; this file is type-checked without the DOM library.)
        const page = globalThis as unknown as { requestAnimationFrame(callback: () => void): void };
        const nextFrame = () => new Promise<void>((resolve) => page.requestAnimationFrame(resolve));
        const gaps: number[] = [];
        let last = performance.now();
        for (let step = 0; step <= 120; step++) {
          scroller.scrollTop = (scroller.scrollHeight * step) / 120;
          await nextFrame();
          const now = performance.now();
          gaps.push(now - last);
          last = now;
        }
        return gaps.sort((a, b) => a - b);
      });
    const median = frameGaps[Math.floor(frameGaps.length / 2)]!;
    // Timing is reported, not asserted: speed is the benchmark's job, and CI machines vary.
    console.log(`large capture: median frame gap while scrolling ${median.toFixed(1)} ms`);
    // Where the scrolling stopped (the bottom), the rows in view arrive from the engine.
    await expect(grid(app).locator('[role="row"].pending')).toHaveCount(0);
    await expect(grid(app).locator(`[role="row"][data-index="${PACKETS - 1}"]`)).toBeInViewport();
    expect(await renderedRows(app).count()).toBeLessThan(120);

    // Keyboard: Home, then End jumps a million rows and keeps the selection in view.
    await renderedRows(app).last().click();
    await grid(app).press('Home');
    const selected = grid(app).locator('[role="row"][aria-selected="true"]');
    await expect(selected).toHaveAttribute('data-index', '0');
    await expect(selected).toBeInViewport();
    await grid(app).press('End');
    await expect(selected).toHaveAttribute('data-index', String(PACKETS - 1));
    await expect(selected.getByRole('gridcell').first()).toHaveText(String(PACKETS));
    await expect(selected).toBeInViewport();
    // The last frame's UDP source port is 10000 + (999999 mod 50000).
    await expect(selected.getByRole('gridcell').nth(6)).toContainText('59999 → 9');
    await grid(app).press('PageUp');
    await expect(selected).toBeInViewport();
    expect(Number(await selected.getAttribute('data-index'))).toBeLessThan(PACKETS - 1);
  });
});

test('opening a large file shows progress and can be cancelled', async ({ app }) => {
  await expect(app.getByTestId('packet-count')).toHaveText('Packets: 12');
  await app.getByLabel('Open capture file').setInputFiles(LARGE_CAPTURE);
  const progress = app.getByRole('dialog', { name: 'Opening capture' });
  await expect(progress).toBeVisible({ timeout: 30_000 });
  await expect(progress.getByRole('progressbar')).toBeVisible();
  await progress.getByRole('button', { name: 'Cancel' }).click();
  await expect(progress).toBeHidden();
  // Cancelling is not an error, and whatever the engine holds afterwards is what the list shows.
  // (Monaco's screen-reader regions are empty alerts: only alerts with text are errors.)
  await expect(app.getByRole('alert').filter({ hasText: /\S/ })).toHaveCount(0);
  await expect(app.getByRole('status')).not.toContainText('1,000,000');
});
