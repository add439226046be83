// End-to-end: the analysis views (issue 4) on a real HTTP capture, test/fixtures/app/http-node.pcap
// (73 packets; curl against a node server at 10.80.0.1:8080 over 5 TCP streams; stream 0 holds
// frames 1-25 with GET /chunked first, GET /json is answered in frame 13 with a JSON body).
// UPDATE_SCREENSHOT=1 writes docs/analysis-*.png.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { expect, fixture, screenshot, test } from './app';

test.use({ capturePath: fixture('app/http-node.pcap') });

const packetRows = (page: Page) =>
  page.getByRole('grid', { name: 'Packet list' }).locator('[role="row"][data-index]');
const selectedRow = (page: Page) =>
  page.getByRole('grid', { name: 'Packet list' }).locator('[role="row"][aria-selected="true"]');
async function ready(page: Page): Promise<void> {
  await expect(page.getByRole('grid', { name: 'Packet list' })).toHaveAttribute('aria-rowcount', '74');
  await expect(packetRows(page).first()).toContainText('48352');
}

/** Opens a menu bar menu and picks `item` (and `sub` in its submenu). */
async function menu(page: Page, title: string, item: string, sub?: string): Promise<void> {
  await page.getByRole('menubar').getByRole('menuitem', { name: title }).click();
  const list = page.getByRole('menu', { name: title });
  await list.getByRole('menuitem', { name: item, exact: true }).click();
  if (sub) await page.getByRole('menu', { name: item }).getByRole('menuitem', { name: sub }).click();
}

const dialog = (page: Page) => page.getByRole('dialog');

test('Follow TCP Stream: both directions in two colours, views, find, filter out', async ({ app }) => {
  await ready(app);
  // Packet 4 is GET /chunked on stream 0.
  await packetRows(app).nth(3).click();
  await menu(app, 'Analyze', 'Follow', 'TCP Stream');
  await expect(dialog(app)).toHaveAttribute('aria-label', 'Follow TCP Stream (tcp.stream eq 0)');
  const content = app.getByTestId('follow-content');
  await expect(content.locator('.peer0').first()).toContainText('GET /chunked HTTP/1.1');
  await expect(content.locator('.peer1').first()).toContainText('HTTP/1.1 200 OK');
  // Client red, server blue (Wireshark's default Follow colours).
  await expect(content.locator('.peer0').first()).toHaveCSS('color', 'rgb(127, 0, 0)');
  await expect(content.locator('.peer1').first()).toHaveCSS('color', 'rgb(0, 0, 127)');
  // Find: every GET request of the stream, highlighted.
  await app.getByRole('searchbox', { name: 'Find in stream' }).fill('GET /');
  await expect(content.locator('mark')).toHaveCount(
    await content.locator('.peer0').filter({ hasText: 'GET /' }).count(),
  );
  await expect(content.locator('mark.current')).toHaveCount(1);
  await app.screenshot({ path: screenshot('analysis-follow-stream.png') });
  await app.getByRole('searchbox', { name: 'Find in stream' }).fill('');
  // One direction: the server's only.
  const direction = app.getByRole('combobox', { name: 'Direction' });
  await direction.selectOption('1');
  await expect(content.locator('.peer0')).toHaveCount(0);
  await expect(content.locator('.peer1').first()).toContainText('HTTP/1.1 200 OK');
  // Hex dump: offsets and bytes; C arrays; YAML from the engine.
  await direction.selectOption('both');
  const as = app.getByRole('combobox', { name: 'Show data as' });
  await as.selectOption('hex');
  await expect(content.locator('.peer0').first()).toContainText(
    '00000000  47 45 54 20 2f 63 68 75  6e 6b 65 64 20 48 54 54  GET /chu nked HTT',
  );
  await as.selectOption('carray');
  await expect(content.locator('.peer0').first()).toContainText('char peer0_0[] = { /* Packet 4 */');
  await as.selectOption('yaml');
  await expect(content).toContainText('peers:');
  // Save as downloads the view.
  const download = app.waitForEvent('download');
  await app.getByRole('button', { name: 'Save as…' }).click();
  expect((await download).suggestedFilename()).toBe('tcp-stream-0.yaml');
  // Filter Out This Stream: `!(tcp.stream eq 0)` in the bar, stream 0's 25 packets gone.
  await app.getByRole('button', { name: 'Filter Out This Stream' }).click();
  await expect(dialog(app)).toHaveCount(0);
  await expect(app.locator('.monaco-editor .view-lines')).toHaveText('!(tcp.stream eq 0)');
  await expect(app.getByRole('grid', { name: 'Packet list' })).toHaveAttribute(
    'aria-rowcount',
    String(73 - 25 + 1),
  );
});

test('Follow from the packet list context menu, by keyboard', async ({ app }) => {
  await ready(app);
  await packetRows(app).nth(26).click();
  await app.keyboard.press('Shift+F10');
  const ctx = app.getByRole('menu', { name: 'Packet list actions' });
  await ctx.getByRole('menuitem', { name: 'Follow' }).click();
  await app.getByRole('menu', { name: 'Follow' }).getByRole('menuitem', { name: 'TCP Stream' }).click();
  await expect(dialog(app)).toHaveAttribute('aria-label', /tcp\.stream eq 1\)$/);
  await app.keyboard.press('Escape');
  await expect(dialog(app)).toHaveCount(0);
});

test('HTTP exchanges: headers, a pretty JSON body, and links to the packets', async ({ app }) => {
  await ready(app);
  await menu(app, 'Statistics', 'HTTP Exchanges');
  const table = app.getByRole('table', { name: 'HTTP exchanges' });
  await expect(table.locator('tbody tr')).toHaveCount(14);
  const json = table.locator('tbody tr').filter({ hasText: '/json' });
  await json.click();
  await expect(app.getByLabel('Response headers')).toContainText('Content-Type: application/json');
  const preview = app.getByTestId('body-preview');
  await expect(preview).toHaveAttribute('data-kind', 'json');
  // Pretty-printed: one key per line, indented.
  await expect(preview.locator('pre')).toContainText(/\{\n {2}"/);
  await app.screenshot({ path: screenshot('analysis-http.png') });
  // The response's packet link selects packet 13 in the list.
  await app.getByRole('button', { name: 'packet 13' }).click();
  await expect(dialog(app)).toHaveCount(0);
  await expect(selectedRow(app).getByRole('gridcell').first()).toHaveText('13');
});

test('Export Objects → HTTP and Export as HAR', async ({ app }) => {
  await ready(app);
  await menu(app, 'File', 'Export Objects', 'HTTP…');
  const table = app.getByRole('table', { name: 'HTTP objects' });
  await expect(table.locator('tbody tr').filter({ hasText: 'json' }).first()).toBeVisible();
  // The download has the name the Filename column shows (Wireshark's naming, from the engine).
  const row = table.locator('tbody tr').filter({ hasText: 'application/json' });
  const name = (await row.locator('td').nth(4).textContent())?.trim();
  expect(name).toMatch(/^json/);
  const download = app.waitForEvent('download');
  await row.getByRole('button', { name: 'Save' }).click();
  expect((await download).suggestedFilename()).toBe(name);
  await app.keyboard.press('Escape');
  const har = app.waitForEvent('download');
  await menu(app, 'File', 'Export as HAR…');
  const file = await har;
  expect(file.suggestedFilename()).toBe('http-node.har');
  const doc = JSON.parse(readFileSync(await file.path(), 'utf8')) as { log: { entries: unknown[] } };
  // One entry per request: the 14 exchanges less the two responses paired with no request (as
  // tshark -2 pairs them): the 100 Continue of frame 41, and frame 59 answering the second of the
  // two pipelined requests of frame 55.
  expect(doc.log.entries).toHaveLength(12);
});

test('Conversations: tabs per layer, sorting, Follow Stream and Apply as Filter', async ({ app }) => {
  await ready(app);
  await menu(app, 'Statistics', 'Conversations');
  await expect(app.getByRole('tab', { name: 'IPv4 · 1' })).toBeVisible();
  await app.getByRole('tab', { name: /^TCP/ }).click();
  const table = app.getByRole('table', { name: 'Conversations: tcp' });
  await expect(table.locator('tbody tr')).toHaveCount(5);
  // Sort by bytes, largest first (stream 0: 1,949 + 18,826 bytes).
  await table.getByRole('button', { name: 'Bytes', exact: true }).click();
  await expect(table.locator('th[aria-sort="descending"]')).toHaveText(/Bytes/);
  await expect(table.locator('tbody tr').first()).toContainText('20,775');
  await app.screenshot({ path: screenshot('analysis-conversations.png') });
  await table.locator('tbody tr').first().click();
  await app.getByRole('button', { name: 'Follow Stream…' }).click();
  await expect(dialog(app)).toHaveAttribute('aria-label', 'Follow TCP Stream (tcp.stream eq 0)');
  await app.keyboard.press('Escape');
  await menu(app, 'Statistics', 'Endpoints');
  await app.getByRole('tab', { name: /^IPv4/ }).click();
  const endpoints = app.getByRole('table', { name: 'Endpoints: ip' });
  await expect(endpoints.locator('tbody tr')).toHaveCount(2);
  await endpoints.locator('tbody tr').filter({ hasText: '10.80.0.1' }).click();
  await app.getByRole('button', { name: 'Apply as Filter' }).click();
  await expect(app.locator('.monaco-editor .view-lines')).toHaveText('ip.addr==10.80.0.1');
  await expect(app.getByRole('grid', { name: 'Packet list' })).toHaveAttribute('aria-rowcount', '74');
});

test('I/O graph: a line per display filter, CSV and PNG', async ({ app }) => {
  await ready(app);
  await menu(app, 'Statistics', 'I/O Graph');
  const plot = app.getByTestId('io-plot');
  await expect(plot.locator('canvas')).toBeVisible();
  await app.getByRole('button', { name: '+ Add line' }).click();
  const filter = app.getByRole('textbox', { name: 'Filter of line 2' });
  await filter.fill('http');
  await filter.press('Enter');
  await expect(plot.locator('.u-legend')).toContainText('http');
  await app.screenshot({ path: screenshot('analysis-io-graph.png') });
  const csv = app.waitForEvent('download');
  await app.getByRole('button', { name: 'Save as CSV…' }).click();
  const text = readFileSync(await (await csv).path(), 'utf8');
  const lines = text.trim().split('\n');
  expect(lines[0]).toBe('Interval start,"All packets","http"');
  // Every packet is counted once in the all-packets column; HTTP packets are fewer.
  const sum = (col: number) => lines.slice(1).reduce((s, l) => s + Number(l.split(',')[col]), 0);
  expect(sum(1)).toBe(73);
  expect(sum(2)).toBeGreaterThan(0);
  expect(sum(2)).toBeLessThan(73);
  const png = app.waitForEvent('download');
  await app.getByRole('button', { name: 'Save as PNG…' }).click();
  expect((await png).suggestedFilename()).toBe('io-graph.png');
});

test('Flow graph: lanes per host, the handshake arrows, click selects the packet', async ({ app }) => {
  await ready(app);
  await packetRows(app).nth(0).click();
  await menu(app, 'Statistics', 'Flow Graph');
  const svg = app.getByTestId('flow-svg');
  await expect(app.getByRole('combobox', { name: 'Flow graph stream' })).toHaveValue('0');
  await expect(svg.locator('g.arrow')).toHaveCount(25);
  await expect(svg.locator('g.arrow').nth(0)).toContainText('SYN');
  await expect(svg.locator('g.arrow').nth(1)).toContainText('SYN, ACK');
  await expect(svg.locator('g.arrow').nth(0)).toContainText('Seq = 0');
  await expect(svg).toContainText('10.80.0.2');
  await expect(svg).toContainText('10.80.0.1');
  await app.screenshot({ path: screenshot('analysis-flow-graph.png') });
  await svg.locator('g.arrow[data-frame="3"]').click();
  await expect(dialog(app)).toHaveCount(0);
  await expect(selectedRow(app).getByRole('gridcell').first()).toHaveText('3');
});

test('Expert information jumps to a packet; protocol hierarchy and capture properties', async ({ app }) => {
  await ready(app);
  await menu(app, 'Analyze', 'Expert Information');
  await expect(app.locator('section[data-severity="chat"]')).toBeVisible();
  const syn = app.getByRole('treeitem', { name: /Connection establish request \(SYN\): server port 8080/ });
  await syn.click();
  await app.getByRole('button', { name: '26', exact: true }).click();
  await expect(selectedRow(app).getByRole('gridcell').first()).toHaveText('26');
  await menu(app, 'Statistics', 'Protocol Hierarchy');
  const phs = app.getByRole('treegrid', { name: 'Protocol hierarchy' });
  const protocolRow = (name: string) =>
    phs
      .locator('tbody tr')
      .filter({ has: app.locator('td:first-child', { hasText: new RegExp(`^\\s*${name}\\s*$`) }) });
  await expect(protocolRow('tcp')).toContainText('100.0%');
  await expect(protocolRow('json')).toContainText('1');
  await app.keyboard.press('Escape');
  await menu(app, 'Statistics', 'Capture File Properties');
  await expect(dialog(app)).toContainText('http-node.pcap');
  await expect(dialog(app)).toContainText('Ethernet');
});

test('Import from Hex Dump: the bad line is named, a good dump opens', async ({ app }) => {
  await ready(app);
  await menu(app, 'File', 'Import from Hex Dump…');
  const text = app.getByRole('textbox', { name: 'Hex dump text' });
  // Line 2 leaves a gap after the 4 bytes of line 1.
  await text.fill('000000 45 00 00 1c\n000010 00 00\n');
  await app.getByRole('button', { name: 'Import', exact: true }).click();
  await expect(app.getByTestId('import-error')).toContainText('line 2');
  await text.fill(readFileSync(fixture('hexdump/od-Ax-tx1.txt'), 'utf8'));
  await app.getByRole('button', { name: 'Import', exact: true }).click();
  await expect(dialog(app)).toHaveCount(0);
  await expect(app.getByRole('grid', { name: 'Packet list' })).toHaveAttribute('aria-rowcount', '2');
  await expect(packetRows(app).first()).toContainText('ICMP');
});

test.describe('an image body', () => {
  // scripts/fixtures/http-image.sh: curl fetching a 24×24 PNG from python's http.server.
  test.use({ capturePath: fixture('app/http-image.pcap') });

  test('the HTTP view shows the image, and Save body writes the served bytes', async ({ app }) => {
    await expect(app.getByRole('grid', { name: 'Packet list' })).toHaveAttribute('aria-rowcount', '13');
    await menu(app, 'Statistics', 'HTTP Exchanges');
    await app.getByRole('table', { name: 'HTTP exchanges' }).locator('tbody tr').first().click();
    const preview = app.getByTestId('body-preview');
    await expect(preview).toHaveAttribute('data-kind', 'image');
    const image = preview.getByRole('img', { name: 'Body image' });
    await expect
      .poll(() => image.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth))
      .toBe(24);
    await app.screenshot({ path: screenshot('analysis-http-image.png') });
    const download = app.waitForEvent('download');
    await app.getByRole('button', { name: 'Save body…' }).click();
    const file = await download;
    expect(file.suggestedFilename()).toBe('logo.png');
    const sha = createHash('sha256')
      .update(readFileSync(await file.path()))
      .digest('hex');
    expect(sha).toBe(readFileSync(fixture('app/http-image.logo.sha256'), 'utf8').trim());
  });
});

test.describe('the expert marker in the packet list', () => {
  // A download over a path that drops packets (scripts/fixtures/tcp-lossy.sh).
  test.use({ capturePath: fixture('tcp/lossy-http.pcap') });

  test("rows carry their packet's highest expert severity, as tshark's _ws.expert.severity", async ({
    app,
  }) => {
    const list = app.getByRole('grid', { name: 'Packet list' });
    await expect(list).toHaveAttribute('aria-rowcount', '516');
    // Frame 8 is a warning in tshark 4.0; frame 1 (a SYN) is only chat and has no marker.
    await expect(packetRows(app).nth(7).locator('.expert-mark')).toHaveClass(/expert-warn/);
    await expect(packetRows(app).nth(7).locator('.expert-mark')).toHaveAttribute('title', 'Expert: Warning');
    await expect(packetRows(app).nth(0).locator('.expert-mark')).toHaveCount(0);
  });
});
