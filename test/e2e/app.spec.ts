// End-to-end: the app as a user drives it — open captures, select packets and fields, read the
// bytes, navigate with the keyboard — against the real engine.
import { readFileSync } from 'node:fs';
import type { Locator, Page } from '@playwright/test';
import { expect, fixture, hasTshark, screenshot, test, tsharkFieldPosition } from './app';

const DNS_CAPTURE = fixture('e2e/dnssec.pcap');

const packetRows = (page: Page) =>
  page.getByRole('grid', { name: 'Packet list' }).locator('[role="row"][data-index]');
const tree = (page: Page) => page.getByRole('tree', { name: 'Packet details' });
const bytesPane = (page: Page) => page.getByLabel('Packet bytes');
const highlightedHexOffsets = async (page: Page): Promise<number[]> =>
  bytesPane(page)
    .locator('.hex .hl')
    .evaluateAll((els) => els.map((el) => Number(el.getAttribute('data-offset'))));

async function openThroughFileInput(page: Page, path: string): Promise<void> {
  await page.getByLabel('Open capture file').setInputFiles(path);
}

async function treeItemByField(page: Page, field: string): Promise<Locator> {
  await page.getByRole('button', { name: 'Expand all' }).click();
  return tree(page).locator(`[role="treeitem"][data-field="${field}"]`).first();
}

test('the demo capture opens at start with its 12 packets', async ({ app }) => {
  await expect(packetRows(app)).toHaveCount(12);
  await expect(app.getByTestId('packet-count')).toHaveText('Packets: 12');
  // Every row carries the engine's columns: number, time, addresses, protocol, length, info.
  const first = packetRows(app).first().getByRole('gridcell');
  await expect(first).toHaveCount(7);
  await expect(first.nth(0)).toHaveText('1');
  await expect(first.nth(1)).toHaveText('0.000000');
});

test('a real capture opened through the file input lists its packets', async ({ app }) => {
  await expect(packetRows(app)).toHaveCount(12);
  await openThroughFileInput(app, DNS_CAPTURE);
  await expect(packetRows(app)).toHaveCount(6);
  await expect(app.getByTestId('packet-count')).toHaveText('Packets: 6');
  const cells = packetRows(app).nth(1).getByRole('gridcell');
  await expect(cells.nth(2)).toHaveText('127.0.0.1');
  await expect(cells.nth(3)).toHaveText('127.0.0.1');
  await expect(cells.nth(5)).toHaveText('3054');
  await expect(app.getByRole('status')).toContainText('dnssec.pcap');
});

test('a capture dropped onto the window opens', async ({ app }) => {
  await expect(packetRows(app)).toHaveCount(12);
  const bytes = [...readFileSync(DNS_CAPTURE)];
  // (Runs in the page; this file is type-checked without the DOM library.)
  const dataTransfer = await app.evaluateHandle((content) => {
    const page = globalThis as unknown as {
      DataTransfer: new () => { items: { add(file: unknown): void } };
      File: new (parts: unknown[], name: string) => unknown;
    };
    const transfer = new page.DataTransfer();
    transfer.items.add(new page.File([new Uint8Array(content)], 'dropped.pcap'));
    return transfer;
  }, bytes);
  await app.locator('main').dispatchEvent('dragover', { dataTransfer });
  await expect(app.getByText('Drop a capture to open it')).toBeVisible();
  await app.locator('main').dispatchEvent('drop', { dataTransfer });
  await expect(packetRows(app)).toHaveCount(6);
  await expect(app.getByRole('status')).toContainText('dropped.pcap');
  await expect(app.getByText('Drop a capture to open it')).toBeHidden();
});

test('selecting a packet shows its tree and its bytes', async ({ app }) => {
  await openThroughFileInput(app, DNS_CAPTURE);
  await expect(packetRows(app)).toHaveCount(6);
  await packetRows(app).nth(2).click();
  await expect(packetRows(app).nth(2)).toHaveAttribute('aria-selected', 'true');
  const topLevel = tree(app).locator('[role="treeitem"][aria-level="1"]');
  await expect(topLevel.first()).toContainText('Frame 3');
  await expect(tree(app).locator('[role="treeitem"][data-field="ip"]')).toContainText(
    'Internet Protocol Version 4',
  );
  // 88 bytes: 6 lines of 16 hex bytes, the last one 8; the first byte is the destination MAC's.
  const bytes = readFileSync(DNS_CAPTURE);
  await expect(bytesPane(app).locator('.line')).toHaveCount(6);
  await expect(bytesPane(app).locator('.hex .byte')).toHaveCount(88);
  const frame3 = frameBytes(bytes, 3);
  await expect(bytesPane(app).locator('.hex .byte').nth(0)).toHaveText(hex(frame3[0]!));
  await expect(bytesPane(app).locator('.hex .byte').nth(87)).toHaveText(hex(frame3[87]!));

  // Frame 2 has 3054 bytes (191 lines): only the lines in view are rendered, and scrolling to the
  // end shows the last line, at offset 0x0be0, with the frame's last 14 bytes.
  await packetRows(app).nth(1).click();
  await expect(bytesPane(app).locator('.offset').first()).toHaveText('0000');
  expect(await bytesPane(app).locator('.line').count()).toBeLessThan(100);
  await bytesPane(app)
    .locator('.dump')
    .evaluate((dump: { scrollTop: number; scrollHeight: number }) => {
      dump.scrollTop = dump.scrollHeight;
    });
  const lastLine = bytesPane(app).locator('.line').last();
  await expect(lastLine.locator('.offset')).toHaveText('0be0');
  const frame2 = frameBytes(bytes, 2);
  await expect(lastLine.locator('.byte')).toHaveText([...frame2.subarray(0xbe0)].map(hex));
});

test('selecting a field highlights its bytes; clicking a byte selects its field', async ({ app }) => {
  test.skip(!hasTshark(), 'tshark gives the reference byte positions');
  await openThroughFileInput(app, DNS_CAPTURE);
  await packetRows(app).first().click();
  const ttl = tshark(DNS_CAPTURE, 1, 'ip.ttl');

  const ttlItem = await treeItemByField(app, 'ip.ttl');
  await ttlItem.click();
  await expect(ttlItem).toHaveAttribute('aria-selected', 'true');
  await expect(ttlItem).toContainText('Time to Live: 64');
  await expect.poll(() => highlightedHexOffsets(app)).toEqual(range(ttl.pos, ttl.size));
  await expect(bytesPane(app).locator('.ascii .hl')).toHaveCount(ttl.size);

  // A click on the protocol byte selects ip.proto, then one in the type selects eth.type.
  const proto = tshark(DNS_CAPTURE, 1, 'ip.proto');
  await bytesPane(app).locator(`.hex [data-offset="${proto.pos}"]`).click();
  await expect(tree(app).locator('[role="treeitem"][aria-selected="true"]')).toHaveAttribute(
    'data-field',
    'ip.proto',
  );
  await expect.poll(() => highlightedHexOffsets(app)).toEqual(range(proto.pos, proto.size));
  const ethType = tshark(DNS_CAPTURE, 1, 'eth.type');
  await bytesPane(app)
    .locator(`.ascii [data-offset="${ethType.pos + 1}"]`)
    .click();
  await expect(tree(app).locator('[role="treeitem"][aria-selected="true"]')).toHaveAttribute(
    'data-field',
    'eth.type',
  );
  await expect.poll(() => highlightedHexOffsets(app)).toEqual(range(ethType.pos, ethType.size));

  // The same field stays selected when moving to the next packet, as in Wireshark.
  await ttlItem.click();
  await app.getByRole('grid', { name: 'Packet list' }).press('ArrowDown');
  await expect(packetRows(app).nth(1)).toHaveAttribute('aria-selected', 'true');
  await expect(tree(app).locator('[role="treeitem"][aria-selected="true"]')).toHaveAttribute(
    'data-field',
    'ip.ttl',
  );
  await expect.poll(() => highlightedHexOffsets(app)).toEqual(range(tshark(DNS_CAPTURE, 2, 'ip.ttl').pos, 1));
});

test('screenshot: the demo capture with the IPv4 TTL selected', async ({ app }) => {
  await expect(packetRows(app)).toHaveCount(12);
  await packetRows(app).nth(3).click();
  const ip = tree(app).locator('[role="treeitem"][data-field="ip"]');
  await ip.locator('.twisty').click();
  await expect(ip).toHaveAttribute('aria-expanded', 'true');
  const ttl = tree(app).locator('[role="treeitem"][data-field="ip.ttl"]');
  await ttl.click();
  await expect.poll(() => highlightedHexOffsets(app)).toHaveLength(1);
  // The README's screenshot is refreshed on request only, so a test run leaves the tree clean.
  await app.screenshot({ path: screenshot('screenshot.png') });
});

test('the details tree expands and collapses with the keyboard', async ({ app }) => {
  await packetRows(app).first().click();
  const items = tree(app).locator('[role="treeitem"]');
  await expect(items.first()).toHaveAttribute('aria-expanded', 'false');
  const topLevelCount = await tree(app).locator('[aria-level="1"]').count();
  await items.first().click();
  await tree(app).press('ArrowRight');
  await expect(items.first()).toHaveAttribute('aria-expanded', 'true');
  await expect(tree(app).locator('[aria-level="2"]').first()).toBeVisible();
  await tree(app).press('ArrowLeft');
  await expect(items.first()).toHaveAttribute('aria-expanded', 'false');
  await expect(tree(app).locator('[role="treeitem"]')).toHaveCount(topLevelCount);
});

test('the packet list follows the keyboard', async ({ app }) => {
  await expect(packetRows(app)).toHaveCount(12);
  const grid = app.getByRole('grid', { name: 'Packet list' });
  await packetRows(app).first().click();
  const selected = grid.locator('[role="row"][aria-selected="true"]');
  await expect(selected).toHaveAttribute('data-index', '0');
  await grid.press('ArrowDown');
  await expect(selected).toHaveAttribute('data-index', '1');
  await grid.press('End');
  await expect(selected).toHaveAttribute('data-index', '11');
  await expect(selected).toBeInViewport();
  await grid.press('ArrowUp');
  await expect(selected).toHaveAttribute('data-index', '10');
  await grid.press('Home');
  await expect(selected).toHaveAttribute('data-index', '0');
  await grid.press('PageDown');
  await expect(selected).not.toHaveAttribute('data-index', '0');
  await expect(selected).toBeInViewport();
  // The details follow the selection.
  await grid.press('Home');
  await expect(tree(app).locator('[aria-level="1"]').first()).toContainText('Frame 1');
});

test('malformed packets are marked in the list and their issues shown in the tree', async ({ app }) => {
  // tcpdump's fuzzing regression capture: tshark calls packets 1 and 2 malformed, packet 3 not.
  await openThroughFileInput(app, fixture('e2e/icmp-icmp_print-oobr-1.pcap'));
  await expect(packetRows(app)).toHaveCount(3);
  // The rows exist before their text arrives from the engine: wait for it.
  await expect(app.locator('[role="row"].pending')).toHaveCount(0);
  const malformed = await packetRows(app).evaluateAll((rows) =>
    rows.map((row) => row.classList.contains('malformed')),
  );
  const marked = await packetRows(app).evaluateAll((rows) =>
    rows.map((row) => row.querySelector('.malformed-mark') !== null),
  );
  expect(marked).toEqual(malformed);
  expect(malformed[2]).toBe(false);
  expect(malformed.filter(Boolean).length).toBeGreaterThan(0);
  const first = malformed.indexOf(true);
  await packetRows(app).nth(first).click();
  await expect(tree(app).locator('[role="treeitem"][class*="severity-error"]').first()).toBeVisible();
});

test('a truncated capture opens up to the damage and says where', async ({ app }) => {
  const whole = readFileSync(DNS_CAPTURE);
  // Cut the file in the middle of the 4th record's data: three whole packets remain.
  const fourth = recordOffset(whole, 4);
  await app.getByLabel('Open capture file').setInputFiles({
    name: 'cut.pcap',
    mimeType: 'application/octet-stream',
    buffer: whole.subarray(0, fourth + 16 + 100),
  });
  await expect(packetRows(app)).toHaveCount(3);
  await expect(app.getByTestId('packet-count')).toHaveText('Packets: 3');
  await expect(app.getByRole('status').getByRole('alert')).toContainText(
    `Damaged file, read up to byte ${fourth}: `,
  );
});

test('the pane splitters resize the panes by drag and by keyboard', async ({ app }) => {
  const list = app.getByRole('grid', { name: 'Packet list' });
  const splitter = app.getByRole('separator', { name: 'Resize packet list' });
  const before = (await list.boundingBox())!.height;
  await splitter.focus();
  await splitter.press('ArrowDown');
  await splitter.press('ArrowDown');
  await expect.poll(async () => (await list.boundingBox())!.height).toBeGreaterThan(before + 40);
  const box = (await splitter.boundingBox())!;
  await app.mouse.move(box.x + box.width / 2, box.y);
  await app.mouse.down();
  await app.mouse.move(box.x + box.width / 2, box.y - 200, { steps: 5 });
  await app.mouse.up();
  await expect.poll(async () => (await list.boundingBox())!.height).toBeLessThan(before);
  // Resizing changes only the view: every row is still listed.
  await expect(packetRows(app)).toHaveCount(12);
});

test('a file that is not a capture shows a clear error and keeps the open capture', async ({ app }) => {
  await expect(packetRows(app)).toHaveCount(12);
  await app.getByLabel('Open capture file').setInputFiles({
    name: 'notes.txt',
    mimeType: 'text/plain',
    buffer: Buffer.from('These are meeting notes, not packets.\n'),
  });
  // The app's error banner (the filter bar's Monaco keeps empty screen-reader alert regions too).
  const alert = app.getByRole('alert').filter({ hasText: 'Dismiss' });
  await expect(alert).toContainText('notes.txt is not a pcap or pcapng file');
  await expect(packetRows(app)).toHaveCount(12);
  await alert.getByRole('button', { name: 'Dismiss error' }).click();
  await expect(alert).toHaveCount(0);
});

function tshark(file: string, frame: number, field: string): { pos: number; size: number } {
  const position = tsharkFieldPosition(file, frame, field);
  if (!position) throw new Error(`tshark did not place ${field} in frame ${frame}`);
  return position;
}

function range(start: number, length: number): number[] {
  return Array.from({ length }, (_, i) => start + i);
}

function hex(byte: number): string {
  return byte.toString(16).padStart(2, '0');
}

/** Where record `n` starts in a classic little-endian pcap (the test's own reading). */
function recordOffset(file: Buffer, n: number): number {
  let offset = 24;
  for (let i = 1; i < n; i++) offset += 16 + file.readUInt32LE(offset + 8);
  return offset;
}

/** Frame `n`'s captured bytes from a classic little-endian pcap. */
function frameBytes(file: Buffer, n: number): Buffer {
  const offset = recordOffset(file, n);
  return file.subarray(offset + 16, offset + 16 + file.readUInt32LE(offset + 8));
}
