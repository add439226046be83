// End-to-end: the Simulation view (issue 6, "In the app") on the preset scenario-2 (A — sw1 —
// R1 — R2 — sw2 — B; ping, curl, traceroute; taps on A.eth0, R1.eth1, B.eth0): load a preset,
// step, play, read an event's decision and packet, inspect a router's table, filter by
// protocol, check the YAML, and open a tapped interface in the analyzer.
// UPDATE_SCREENSHOT=1 writes docs/simulation-*.png.
import type { Page } from '@playwright/test';
import { expect, screenshot, test } from './app';

const view = (page: Page) => page.getByRole('region', { name: 'Simulation' });
const eventRows = (page: Page) =>
  page.getByRole('grid', { name: 'Events' }).locator('[role="row"][data-event]');

async function openPreset(page: Page, name: string, via: 'menu' | 'toolbar' = 'toolbar'): Promise<void> {
  if (via === 'toolbar') await page.getByRole('button', { name: 'Simulation', exact: true }).click();
  else {
    await page.getByRole('menubar').getByRole('menuitem', { name: 'View' }).click();
    await page.getByRole('menu', { name: 'View' }).getByRole('menuitem', { name: 'Simulation' }).click();
  }
  await expect(view(page)).toBeVisible();
  await page.getByRole('combobox', { name: 'Preset' }).selectOption(name);
  await expect(page.getByRole('img', { name: /^Topology: A, sw1, R1, R2, sw2, B$/ })).toBeVisible();
  await expect(page.getByTestId('sim-time')).toHaveText(/t = 0\.000000 s/);
}

test('load a preset, step, play, inspect a router, open a tapped capture', async ({ app }) => {
  await openPreset(app, 'scenario-2', 'menu');
  // The topology is drawn on a canvas (cytoscape).
  await expect(app.locator('.graph canvas').first()).toBeVisible();
  // Tapped interfaces are listed with their "Open capture".
  await expect(app.getByRole('group', { name: 'Tapped interfaces' })).toContainText('A.eth0');

  // Step: the services' start, then A's ping and its ARP who-has for the gateway.
  await app.getByRole('button', { name: 'Step' }).click();
  await expect(eventRows(app).filter({ hasText: 'A$ ping -c 2 203.0.113.20' })).toHaveCount(1);
  const step1 = await eventRows(app).count();
  await app.getByRole('button', { name: 'Step' }).click();
  await expect.poll(() => eventRows(app).count()).toBeGreaterThan(step1);
  // The step's last event is selected: its decision is shown.
  await expect(app.getByTestId('decision')).not.toBeEmpty();

  // Play at 16×, then pause: events keep coming, and time advances.
  await app.getByRole('combobox', { name: 'Speed' }).selectOption('16');
  await app.getByRole('button', { name: '▶ Play' }).click();
  await expect.poll(() => eventRows(app).count(), { timeout: 20_000 }).toBeGreaterThan(step1 + 20);
  await app.getByRole('button', { name: '⏸ Pause' }).click();
  await expect(app.getByRole('button', { name: '▶ Play' })).toBeVisible();
  const paused = await eventRows(app).count();

  // R1 forwarding the echo request: the longest-prefix decision and the packet's layers.
  const forward = eventRows(app).filter({ hasText: 'R1: 203.0.113.20 matches 203.0.113.0/24' }).first();
  await forward.click();
  await expect(app.getByTestId('decision')).toContainText('TTL 64→63');
  // That forward waited for ARP; the first frame R1 sends on eth1 is its who-has.
  const arp = eventRows(app).filter({ hasText: 'R1: ARP request 1/3: who-has 10.0.12.2' }).first();
  await arp.click();
  const layers = app.getByRole('tree', { name: 'Packet layers' });
  await expect(layers).toContainText('Ethernet II, Src: 02:00:00:00:01:02');
  await expect(layers).toContainText('Address Resolution Protocol (request)');
  await expect(layers).toContainText('Target IP address: 10.0.12.2');
  await app.screenshot({ path: screenshot('simulation.png') });

  // Inspector: R1's route table and ARP cache now, as route -n and arp -a print them.
  await app.getByRole('tab', { name: 'Inspector' }).click();
  await app.getByRole('combobox', { name: 'Device' }).selectOption('R1');
  const routes = app.getByRole('region', { name: 'route -n' });
  await expect(routes).toContainText('Kernel IP routing table');
  await expect(routes).toContainText(
    /203\.0\.113\.0\s+10\.0\.12\.2\s+255\.255\.255\.0\s+UG\s+0\s+0\s+0 eth1/,
  );
  await expect(app.getByRole('region', { name: 'arp -a' })).toContainText('(10.0.12.2) at 02:00:00:00:02:01');
  await app.screenshot({ path: screenshot('simulation-inspector.png') });
  // At the selected event (R1's who-has for 10.0.12.2): R1 knew A from its request, and R2's
  // entry waits for the reply, as Linux's arp -a shows it.
  await app.getByRole('checkbox', { name: /At the selected event/ }).check();
  await expect(app.getByText('R1 (router) at t = 0.000303 s')).toBeVisible();
  const arpThen = app.getByRole('region', { name: 'arp -a' });
  await expect(arpThen).toContainText('(192.168.1.2) at 02:00:00:00:00:0a');
  await expect(arpThen).toContainText('(10.0.12.2) at <incomplete> on eth1');
  await app.getByRole('checkbox', { name: /At the selected event/ }).uncheck();
  await expect(arpThen).toContainText('(10.0.12.2) at 02:00:00:00:02:01');

  // Filter by protocol: only ARP events remain.
  await app.getByRole('combobox', { name: 'Protocol filter' }).selectOption('ARP');
  const shown = await eventRows(app).count();
  expect(shown).toBeGreaterThan(0);
  expect(shown).toBeLessThan(paused);
  for (const text of await eventRows(app).locator('[role="gridcell"]:nth-child(4)').allTextContents())
    expect(text).toBe('ARP');
  await app.getByRole('combobox', { name: 'Protocol filter' }).selectOption('');

  // Run to the end: the commands' output.
  await app.getByRole('button', { name: 'Run to end' }).click();
  await expect(app.getByTestId('sim-time')).toContainText('finished');
  await app.getByRole('tab', { name: 'Output' }).click();
  await expect(app.getByRole('tabpanel', { name: 'Output' })).toContainText(
    '2 packets transmitted, 2 received',
  );

  // Open capture: R1.eth1's frames in the analyzer's packet list.
  await app.getByRole('button', { name: 'Open capture R1.eth1' }).click();
  await expect(view(app)).toBeHidden();
  const list = app.getByRole('grid', { name: 'Packet list' });
  const rows = list.locator('[role="row"][data-index]');
  await expect(rows.first()).toContainText('Who has 10.0.12.2? Tell 10.0.12.1');
  await expect(rows.nth(2)).toContainText('Echo (ping) request');
  await expect(app.getByText('scenario-2-R1-eth1.pcapng')).toBeVisible();
  await app.screenshot({ path: screenshot('simulation-open-capture.png') });
});

/** Replaces an editor's whole text by pasting it (typing would auto-indent each new line). */
async function setText(page: Page, testId: string, text: string): Promise<void> {
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  // (Runs in the page, where `navigator` exists; this file is typechecked without the DOM library.)
  await page.evaluate(
    (t) =>
      (
        globalThis as unknown as { navigator: { clipboard: { writeText(s: string): Promise<void> } } }
      ).navigator.clipboard.writeText(t),
    text,
  );
  await page.getByTestId(testId).locator('.view-lines').click();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Control+V');
  await expect(page.getByTestId(testId).locator('.view-line').first()).toContainText(
    text.split('\n')[0]!.trim().slice(0, 6),
  );
}

test('YAML: problems marked on their line, completion of keys, Apply rebuilds', async ({ app }) => {
  await openPreset(app, 'scenario-2');
  await app.getByRole('tab', { name: 'YAML' }).click();
  const editor = app.getByTestId('yaml-topology');
  await expect(editor.locator('.view-line').first()).toContainText('nodes:');

  // A link to interfaces that do not exist: the engine names the path and the line, the
  // editor marks it.
  await setText(app, 'yaml-topology', 'nodes:\n  A: { kind: host }\nlinks:\n  - [A.eth0, A.eth9]\n');
  const problems = app.getByRole('list', { name: 'Problems' });
  await expect(problems).toContainText('topology:4');
  await expect(problems).toContainText('no interface "eth9" on node "A"');
  await expect(editor.locator('.squiggly-error').first()).toBeVisible();

  // Completion: the keys an interface may have, inside a flow map.
  await setText(app, 'yaml-topology', 'nodes:\n  A:\n    kind: host\n    interfaces:\n      eth0: { ');
  await app.keyboard.press('Control+Space');
  const suggest = app.locator('.suggest-widget');
  await expect(suggest).toBeVisible();
  await expect(suggest).toContainText('mac');
  await expect(suggest).toContainText('mtu');
  await app.screenshot({ path: screenshot('simulation-yaml.png') });
  await app.keyboard.press('Escape');

  // A topology and scenario of one's own: Apply builds them; a step runs the ping.
  await setText(
    app,
    'yaml-topology',
    [
      'nodes:',
      '  A: { kind: host, interfaces: { eth0: { ip: [10.0.0.1/24] } } }',
      '  B: { kind: host, interfaces: { eth0: { ip: [10.0.0.2/24] } } }',
      'links:',
      '  - { a: A.eth0, b: B.eth0, delay: 1ms }',
      'taps: [A.eth0]',
      '',
    ].join('\n'),
  );
  await setText(app, 'yaml-scenario', 'steps:\n  - { at: 0, on: A, run: "ping -c 1 10.0.0.2" }\n');
  await expect(problems).toBeHidden();
  await app.getByRole('button', { name: 'Apply YAML' }).click();
  await expect(app.getByRole('img', { name: 'Topology: A, B' })).toBeVisible();
  await app.getByRole('button', { name: 'Run to end' }).click();
  await expect(eventRows(app).filter({ hasText: 'B: echo request from 10.0.0.1' })).toHaveCount(1);
});

test('File → New Trace from Scenario: a preset run to its end opens in the analyzer', async ({ app }) => {
  await app.getByRole('menubar').getByRole('menuitem', { name: 'File' }).click();
  await app
    .getByRole('menu', { name: 'File' })
    .getByRole('menuitem', { name: 'New Trace from Scenario…' })
    .click();
  await app.getByRole('combobox', { name: 'Preset' }).selectOption('scenario-1');
  // Another preset's network replaces the first one's (the inspector follows, no error).
  await expect(app.getByRole('img', { name: 'Topology: mac' })).toBeVisible();
  await expect(view(app).getByRole('alert')).toHaveCount(0);
  await app.getByRole('button', { name: 'New Trace from Scenario' }).click();
  await expect(view(app)).toBeHidden();
  const rows = app.getByRole('grid', { name: 'Packet list' }).locator('[role="row"][data-index]');
  // Seed 000's exchange on lo: the handshake first, GET / in the fourth frame.
  await expect(rows.first()).toContainText('[SYN]');
  await expect(rows.nth(3)).toContainText('GET / HTTP/1.1');
  await expect(app.getByText('scenario-1.pcapng')).toBeVisible();
});
