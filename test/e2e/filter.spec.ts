// End-to-end: the display-filter bar and the filter actions, against the real engine on the demo
// capture (12 packets of one HTTP exchange over TCP, 127.0.0.1:50399 → 127.0.0.1:8080: frames 1, 3,
// 5, 8, 9 and 12 come from port 50399; frames 5 and 7 are HTTP). UPDATE_SCREENSHOT=1 writes docs/filter-*.png.
import type { Locator, Page } from '@playwright/test';
import { expect, root, screenshot, test } from './app';
import { largeCapture } from './large-capture';

const packetRows = (page: Page) =>
  page.getByRole('grid', { name: 'Packet list' }).locator('[role="row"][data-index]');
const tree = (page: Page) => page.getByRole('tree', { name: 'Packet details' });
const filterInput = (page: Page) => page.getByRole('textbox', { name: 'Display filter' });
const filterBar = (page: Page) => page.getByTestId('filter-bar');
const message = (page: Page) => page.getByTestId('filter-message');
/** docs/ screenshots are refreshed on request only (UPDATE_SCREENSHOT=1), as app.spec's, so a
 * test run leaves the tree clean. */
/** Wireshark's bar colours. */
const GREEN = 'rgb(175, 255, 175)';
const RED = 'rgb(255, 175, 175)';
const YELLOW = 'rgb(255, 255, 175)';

async function ready(page: Page): Promise<void> {
  await expect(packetRows(page)).toHaveCount(12);
  await expect(page.locator('.monaco-editor')).toBeVisible();
}

/** Replaces the bar's text by typing, as a user does. */
async function typeFilter(page: Page, text: string): Promise<void> {
  await filterInput(page).focus();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Backspace');
  await page.keyboard.type(text);
}

async function treeItem(page: Page, field: string): Promise<Locator> {
  await page.getByRole('button', { name: 'Expand all' }).click();
  return tree(page).locator(`[role="treeitem"][data-field="${field}"]`).first();
}

test('typing a filter colours the bar and offers completions with descriptions', async ({ app }) => {
  await ready(app);
  await typeFilter(app, 'tcp.flags.');
  const suggestions = app.locator('.suggest-widget');
  await expect(suggestions).toBeVisible();
  await expect(suggestions.getByRole('option').filter({ hasText: 'tcp.flags.ack' }).first()).toBeVisible();
  // Ctrl+Space opens the focused completion's description beside the list.
  await app.keyboard.press('Control+Space');
  await expect(app.locator('.suggest-details')).toBeVisible();
  await app.screenshot({ path: screenshot('filter-completions.png') });
  await app.keyboard.type('sy');
  const syn = suggestions.getByRole('option').filter({ hasText: 'tcp.flags.syn' }).first();
  await expect(syn).toBeVisible();
  await expect(suggestions.getByRole('option').first()).toContainText('tcp.flags.syn');
  // Enter takes the completion (it does not apply the filter).
  await app.keyboard.press('Enter');
  await expect(app.locator('.monaco-editor .view-lines')).toHaveText('tcp.flags.syn');
  await expect(packetRows(app)).toHaveCount(12);
  await app.keyboard.type(' == 1');
  await expect(app.locator('.monaco-editor .view-lines')).toHaveText('tcp.flags.syn == 1');
  await expect(filterBar(app)).toHaveAttribute('data-status', 'valid');
  await expect(filterBar(app)).toHaveCSS('background-color', GREEN);
  // The tokens are coloured: the field name and the literal get different classes.
  const tokenClasses = await app
    .locator('.monaco-editor .view-line span span')
    .evaluateAll((spans) => spans.map((s) => s.className));
  expect(new Set(tokenClasses).size).toBeGreaterThanOrEqual(3);
  // Value completions from a value string: after `ip.proto == ` the names of IP protocols.
  await typeFilter(app, 'ip.proto == ');
  await app.keyboard.press('Control+Space');
  await expect(suggestions.getByRole('option').filter({ hasText: 'TCP' }).first()).toBeVisible();
  await app.keyboard.press('Escape');
  // Valid but suspicious (yellow), as Wireshark's `!=` on a field that occurs twice in a packet.
  await typeFilter(app, 'ip.addr != 127.0.0.1');
  await expect(filterBar(app)).toHaveAttribute('data-status', 'suspicious');
  await expect(filterBar(app)).toHaveCSS('background-color', YELLOW);
  await expect(message(app)).toBeVisible();
});

test('Enter applies the filter: the list shows the matching packets and the status bar counts them', async ({
  app,
}) => {
  await ready(app);
  await typeFilter(app, 'http');
  await expect(filterBar(app)).toHaveAttribute('data-status', 'valid');
  await app.keyboard.press('Enter');
  await expect(packetRows(app)).toHaveCount(2);
  await expect(packetRows(app).nth(0).getByRole('gridcell').nth(0)).toHaveText('5');
  await expect(packetRows(app).nth(1).getByRole('gridcell').nth(0)).toHaveText('7');
  await expect(app.getByTestId('packet-count')).toHaveText('Packets: 12');
  await expect(app.getByTestId('displayed-count')).toHaveText('Displayed: 2 (16.7%)');
  await packetRows(app).nth(1).click();
  await expect(tree(app).locator('[role="treeitem"][aria-level="1"]').first()).toContainText('Frame 7');
  await app.screenshot({ path: screenshot('filter-bar.png') });

  // A second filter keeps the selected packet selected when it still shows.
  await typeFilter(app, 'tcp.srcport == 8080');
  await app.keyboard.press('Enter');
  await expect(app.getByTestId('displayed-count')).toHaveText('Displayed: 6 (50.0%)');
  await expect(packetRows(app)).toHaveCount(6);
  await expect(app.locator('[role="row"][aria-selected="true"]').getByRole('gridcell').first()).toHaveText(
    '7',
  );

  // Escape clears the bar and shows every packet again.
  await filterInput(app).focus();
  await app.keyboard.press('Escape');
  await expect(packetRows(app)).toHaveCount(12);
  await expect(app.getByTestId('displayed-count')).toHaveText('Displayed: 12 (100.0%)');
  await expect(filterBar(app)).toHaveAttribute('data-status', 'empty');

  // The history remembers applied filters, most recent first, across a reload.
  await app.reload();
  await ready(app);
  await app.getByRole('button', { name: 'Recent display filters' }).click();
  const history = app.getByRole('listbox', { name: 'Recent display filters' });
  await expect(history.getByRole('option')).toHaveText(['tcp.srcport == 8080', 'http']);
  await app.keyboard.press('ArrowDown');
  await app.keyboard.press('Enter');
  await expect(packetRows(app)).toHaveCount(2);
});

test('a bad filter turns the bar red and says what is wrong and where', async ({ app }) => {
  await ready(app);
  // tshark 4.0's messages: `tcp.prot is neither a field nor a protocol name.`, and for a
  // comparison `Left side of "==" expression must be a field or function, not tcp.prot.`
  await typeFilter(app, 'tcp.prot');
  await expect(filterBar(app)).toHaveAttribute('data-status', 'invalid');
  await expect(message(app)).toContainText('tcp.prot is neither a field nor a protocol name');
  await typeFilter(app, 'tcp.prot == 80');
  await expect(filterBar(app)).toHaveAttribute('data-status', 'invalid');
  await expect(filterBar(app)).toHaveCSS('background-color', RED);
  await expect(message(app)).toContainText(
    'Left side of "==" expression must be a field or function, not tcp.prot',
  );
  await expect(message(app)).toContainText('column 1');
  // Not by colour alone: the text field is invalid and described by the message.
  await expect(filterInput(app)).toHaveAttribute('aria-invalid', 'true');
  await expect(filterInput(app)).toHaveAccessibleDescription(/Left side of "==" expression/);
  // The error is also a squiggle under the bad word, with the message on hover.
  await expect(app.locator('.monaco-editor .squiggly-error')).toHaveCount(1);
  await app.screenshot({ path: screenshot('filter-error.png') });
  // Enter does not apply it: the list stays whole.
  await app.keyboard.press('Enter');
  await expect(packetRows(app)).toHaveCount(12);
  await expect(message(app)).toBeVisible();
  await typeFilter(app, 'tcp.port == 80 && (ip.src == 127.0.0.1');
  await expect(filterBar(app)).toHaveAttribute('data-status', 'invalid');
  await expect(message(app)).toContainText(/Unexpected end of filter expression|parenthes/i);
});

test('Apply as Filter and Prepare as Filter from a details-tree field', async ({ app }) => {
  await ready(app);
  await packetRows(app).nth(0).click();
  const srcPort = await treeItem(app, 'tcp.srcport');
  await expect(srcPort).toHaveAttribute('data-filter', 'tcp.srcport == 50399');
  await srcPort.click({ button: 'right' });
  const menu = app.getByRole('menu', { name: 'Packet details actions' });
  await menu.getByRole('menuitem', { name: 'Apply as Filter' }).hover();
  await expect(app.getByRole('menu', { name: 'Apply as Filter' })).toBeVisible();
  await app.screenshot({ path: screenshot('filter-context-menu.png') });
  await app
    .getByRole('menu', { name: 'Apply as Filter' })
    .getByRole('menuitem', { name: 'Selected', exact: true })
    .click();
  await expect(packetRows(app)).toHaveCount(6);
  await expect(app.getByTestId('displayed-count')).toHaveText('Displayed: 6 (50.0%)');
  await expect(app.locator('.monaco-editor .view-lines')).toHaveText('tcp.srcport == 50399');

  // Keyboard only: Shift+F10 on the selected tree item, then "…and not Selected" on tcp.flags.syn.
  const syn = await treeItem(app, 'tcp.flags.syn');
  await syn.click();
  await tree(app).press('Shift+F10');
  await app.keyboard.press('ArrowRight'); // into "Apply as Filter"
  for (let i = 0; i < 4; i++) await app.keyboard.press('ArrowDown');
  await app.keyboard.press('Enter');
  await expect(app.locator('.monaco-editor .view-lines')).toHaveText(
    '(tcp.srcport == 50399) && !(tcp.flags.syn == 1)',
  );
  await expect(packetRows(app)).toHaveCount(5);

  // Prepare as Filter changes the text and focuses the bar without applying.
  const http = await (async () => {
    await packetRows(app).nth(1).click(); // frame 5, the GET
    return treeItem(app, 'http.request.method');
  })();
  await expect(http).toHaveAttribute('data-filter', 'http.request.method == "GET"');
  await http.click({ button: 'right' });
  await app.getByRole('menuitem', { name: 'Prepare as Filter' }).click();
  await app
    .getByRole('menu', { name: 'Prepare as Filter' })
    .getByRole('menuitem', { name: 'Selected', exact: true })
    .click();
  await expect(app.locator('.monaco-editor .view-lines')).toHaveText('http.request.method == "GET"');
  await expect(filterInput(app)).toBeFocused();
  await expect(packetRows(app)).toHaveCount(5);
  await expect(filterBar(app)).toHaveAttribute('data-status', 'valid');
  await app.keyboard.press('Enter');
  await expect(packetRows(app)).toHaveCount(1);
});

test('the packet list menu: protocol and conversation filters', async ({ app }) => {
  await ready(app);
  await packetRows(app).nth(4).click({ button: 'right' }); // frame 5, HTTP
  const menu = app.getByRole('menu', { name: 'Packet list actions' });
  await menu.getByRole('menuitem', { name: 'Apply as Filter' }).click();
  await app
    .getByRole('menu', { name: 'Apply as Filter' })
    .getByRole('menuitem', { name: 'Selected', exact: true })
    .click();
  await expect(app.locator('.monaco-editor .view-lines')).toHaveText('http');
  await expect(packetRows(app)).toHaveCount(2);

  await packetRows(app).nth(0).click({ button: 'right' });
  await menu.getByRole('menuitem', { name: 'Conversation Filter' }).click();
  await app.getByRole('menu', { name: 'Conversation Filter' }).getByRole('menuitem', { name: 'TCP' }).click();
  await expect(app.locator('.monaco-editor .view-lines')).toHaveText('tcp.stream eq 0');
  await expect(packetRows(app)).toHaveCount(12);
});

test('saved filter buttons: add, apply, remove, kept across a reload', async ({ app }) => {
  await ready(app);
  await typeFilter(app, 'tcp.flags.fin == 1');
  await app.getByRole('button', { name: 'Save display filter as a button' }).click();
  const form = app.getByRole('form', { name: 'Save display filter' });
  await form.getByLabel('Label').fill('FINs');
  await form.getByRole('button', { name: 'Save' }).click();
  const saved = app.getByRole('toolbar', { name: 'Saved display filters' });
  await app.reload();
  await ready(app);
  await saved.getByRole('button', { name: 'FINs', exact: true }).click();
  await expect(packetRows(app)).toHaveCount(2);
  await saved.getByRole('button', { name: 'Remove saved filter FINs' }).click();
  await expect(saved.getByRole('button', { name: 'FINs', exact: true })).toHaveCount(0);
});

test('Colorize with Filter adds a colouring rule that recolours the rows', async ({ app }) => {
  await ready(app);
  await packetRows(app).nth(4).click();
  const method = await treeItem(app, 'http.request.method');
  await method.click({ button: 'right' });
  await app.getByRole('menuitem', { name: 'Colorize with Filter…' }).click();
  const dialog = app.getByRole('dialog', { name: 'Coloring Rules' });
  await expect(dialog).toBeVisible();
  const rules = dialog.getByRole('listbox', { name: 'Coloring rules' }).getByRole('option');
  await expect(rules.first()).toContainText('http.request.method == "GET"');
  await expect(rules.nth(1)).toContainText('Bad TCP'); // Wireshark's defaults follow
  await dialog.getByLabel('Background').fill('#ff8000');
  await app.screenshot({ path: screenshot('filter-coloring-rules.png') });
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toBeHidden();
  await packetRows(app).nth(0).click();
  await expect(packetRows(app).nth(4)).toHaveCSS('background-color', 'rgb(255, 128, 0)');

  // Disabling the rule gives the row its default colour back.
  await app.getByRole('button', { name: 'Coloring Rules…' }).click();
  await dialog.getByRole('checkbox', { name: /Enable http\.request\.method/ }).uncheck();
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(packetRows(app).nth(4)).not.toHaveCSS('background-color', 'rgb(255, 128, 0)');

  // A rule whose filter does not parse: red as typed, and Save names the rule and keeps the dialog.
  // (Unknown field names pass, as the default rules name protocols not decoded yet.)
  await app.getByRole('button', { name: 'Coloring Rules…' }).click();
  await dialog.getByRole('button', { name: 'Add' }).click();
  const filterField = dialog.getByLabel('Filter', { exact: true });
  await filterField.fill('tcp.port == 80 &&');
  await expect(filterField).toHaveCSS('background-color', RED);
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog.getByRole('alert')).toContainText('New coloring rule');
  await expect(dialog).toBeVisible();
  await app.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
});

test('keyboard only: Ctrl+/ focuses the bar, Tab leaves it, the error is readable on hover', async ({
  app,
}) => {
  await ready(app);
  await packetRows(app).nth(0).click();
  await app.keyboard.press('Control+/');
  await expect(filterInput(app)).toBeFocused();
  await app.keyboard.type('tcp.port == 8080 && (');
  await expect(filterBar(app)).toHaveAttribute('data-status', 'invalid');
  await expect(app.locator('.suggest-widget.visible')).toHaveCount(0);
  // Tab moves on to the bar's buttons (the editor does not swallow it), then Enter on Clear.
  await app.keyboard.press('Tab');
  await expect(app.getByRole('button', { name: 'Clear display filter' })).toBeFocused();
  // Back in the bar, the squiggle's hover carries the message.
  await app.keyboard.press('Shift+Tab');
  await expect(filterInput(app)).toBeFocused();
  // (The squiggle lies under the text layer, which takes the pointer: hover where it is drawn.)
  await app.locator('.monaco-editor .squiggly-error').hover({ force: true });
  await expect(
    app.locator('.monaco-hover').filter({ hasText: /Unexpected end of filter expression/ }),
  ).toBeVisible();
  await app.getByRole('button', { name: 'Clear display filter' }).focus();
  await app.keyboard.press('Enter');
  await expect(filterBar(app)).toHaveAttribute('data-status', 'empty');
  await expect(filterInput(app)).toBeFocused();
});

test('the applied filter stays applied when another capture is opened, as in Wireshark', async ({ app }) => {
  await ready(app);
  await typeFilter(app, 'dns.flags.response == 1 || http');
  await app.keyboard.press('Enter');
  await expect(packetRows(app)).toHaveCount(2);
  // dnssec.pcap: three DNS queries and their responses (frames 2, 4 and 6, as tshark says).
  await app.getByLabel('Open capture file').setInputFiles(`${root}/test/fixtures/e2e/dnssec.pcap`);
  await expect(app.getByTestId('packet-count')).toHaveText('Packets: 6');
  await expect(app.getByTestId('displayed-count')).toHaveText('Displayed: 3 (50.0%)');
  await expect(packetRows(app)).toHaveCount(3);
  const numbers = packetRows(app).locator('[role="gridcell"]:first-child');
  await expect(numbers).toHaveText(['2', '4', '6']);
  await app.getByRole('button', { name: 'Clear display filter' }).click();
  await expect(packetRows(app)).toHaveCount(6);
});

// The million-packet capture of large-capture.spec.ts (UDP source port 10000 + n % 50000).
test.describe('a million packets', () => {
  test.use({ capturePath: largeCapture() });

  test('a filter pass shows its progress, can be stopped, and then filters the whole capture', async ({
    app,
  }) => {
    await expect(app.getByTestId('packet-count')).toHaveText('Packets: 1,000,000', { timeout: 60_000 });
    await expect(app.locator('.monaco-editor')).toBeVisible();
    // Stopped: the list stays as it was, with nothing reported as an error.
    await typeFilter(app, 'udp.srcport == 10009');
    await app.keyboard.press('Enter');
    await app.getByRole('button', { name: 'Stop filtering' }).click();
    await expect(app.getByTestId('filter-progress')).toBeHidden();
    await expect(app.getByTestId('displayed-count')).toHaveText('Displayed: 1,000,000 (100.0%)');
    await expect(message(app)).toHaveCount(0);
    // A whole pass: every 50,000th packet from the 8th.
    await typeFilter(app, 'udp.srcport == 10007');
    await app.keyboard.press('Enter');
    await expect(app.getByTestId('displayed-count')).toHaveText('Displayed: 20 (0.0%)', { timeout: 60_000 });
    await expect(packetRows(app)).toHaveCount(20);
    await expect(packetRows(app).locator('[role="gridcell"]:first-child').first()).toHaveText('8');
  });
});
