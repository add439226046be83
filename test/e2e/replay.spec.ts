// End-to-end: Simulation → Replay Open Capture… on a real capture (test/fixtures/replay,
// scripts/fixtures/replay.sh) through the two-lans preset (A — sw1 — R1 — R2 — sw2 — B): a bad
// mapping is named in the dialog, a good one loads the replay, which steps and runs to its end
// with each datagram's route and delivery in the events; Reset replays it again.
// UPDATE_SCREENSHOT=1 writes docs/simulation-replay*.png.
import type { Page } from '@playwright/test';
import { expect, fixture, screenshot, test } from './app';
test.use({ capturePath: fixture('replay/netns-replay.pcap') });

const eventRows = (page: Page) =>
  page.getByRole('grid', { name: 'Events' }).locator('[role="row"][data-event]');

test('replay the open capture through a preset topology', async ({ app }) => {
  await expect(app.getByRole('grid').first()).toContainText('Echo (ping) request');
  await app.getByRole('button', { name: 'Simulation', exact: true }).click();
  await expect(app.getByRole('region', { name: 'Simulation' })).toBeVisible();
  await app.getByRole('button', { name: 'Replay Open Capture…' }).click();
  const dialog = app.getByRole('dialog', { name: 'Replay Open Capture' });
  await expect(dialog).toContainText('netns-replay.pcap');
  await dialog.getByRole('combobox', { name: 'Replay topology' }).selectOption('scenario-2');

  // A node the topology does not have: the problem is named, the dialog stays.
  await dialog.getByRole('textbox', { name: 'Address map' }).fill('10.66.0.1=A\n10.66.0.2=Z');
  await dialog.getByRole('button', { name: 'Replay' }).click();
  await expect(dialog.getByRole('alert')).toContainText('--map 10.66.0.2=Z: no node "Z" in the topology');

  await dialog.getByRole('textbox', { name: 'Address map' }).fill('10.66.0.1=A\n10.66.0.2=B');
  await app.screenshot({ path: screenshot('simulation-replay-dialog.png') });
  await dialog.getByRole('button', { name: 'Replay' }).click();
  await expect(dialog).toBeHidden();
  await expect(app.getByTestId('replay-summary')).toContainText(
    'Replay of netns-replay.pcap: 27 IP datagrams, 23 injected, 22 delivered, 1 dropped',
  );
  await expect(app.getByRole('img', { name: /^Topology: A, sw1, R1, R2, sw2, B$/ })).toBeVisible();
  // The mapping's routes are events from the start.
  await expect(
    eventRows(app).filter({ hasText: 'R1: replay: route 10.66.0.2/32 via 10.0.12.2 dev eth1' }),
  ).toHaveCount(1);

  // Step to A's first replayed datagram, then run to the end.
  await app.getByRole('button', { name: 'Step' }).click();
  await expect.poll(() => eventRows(app).filter({ hasText: 'replaying frame 4' }).count()).toBe(1);
  await app.getByRole('button', { name: 'Run to end' }).click();
  await expect(app.getByTestId('sim-time')).toContainText('finished');
  await expect(eventRows(app).filter({ hasText: /B: delivered \(replayed\) frame \d+:/ })).toHaveCount(13);
  await eventRows(app).filter({ hasText: 'delivered (replayed) frame 4:' }).click();
  await expect(app.getByTestId('decision')).toContainText('TTL 64→62 (2 router hops)');
  await expect(app.getByRole('tree', { name: 'Packet layers' })).toContainText(
    'Internet Control Message Protocol',
  );
  await app.screenshot({ path: screenshot('simulation-replay.png') });

  // The Output tab has the whole summary; Reset starts the replay again at time 0.
  await app.getByRole('tab', { name: 'Output' }).click();
  await expect(app.getByLabel('Replay summary')).toContainText('TTL expired in transit');
  await app.getByRole('button', { name: 'Reset' }).click();
  await expect(app.getByTestId('sim-time')).toHaveText(/t = 0\.000000 s/);
  await expect(app.getByTestId('replay-summary')).toBeVisible();
  await expect(eventRows(app).filter({ hasText: 'replaying frame' })).toHaveCount(0);
});
