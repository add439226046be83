// Opens a capture in the in-process Engine, then applies each display filter given on the
// command line and prints, as JSON lines, how long each filter pass took and what it matched
// (the open itself is timed separately by engine-open).
import { Engine } from '../core/engine/engine';

const [file, ...filters] = process.argv.slice(2);
if (!file || !filters.length) throw new Error('usage: engine-filter FILE FILTER…');
const engine = new Engine({ yieldDuringOpen: false });
const t0 = performance.now();
const s = await engine.openFile(file);
console.log(JSON.stringify({ open: true, packets: s.packets, ms: Math.round(performance.now() - t0) }));
for (const expr of filters) {
  const t = performance.now();
  const c = process.cpuUsage();
  const r = await engine.filter(expr);
  const cpu = process.cpuUsage(c);
  const cpuMs = Math.round((cpu.user + cpu.system) / 1000);
  console.log(JSON.stringify({ expr, displayed: r.displayed, ms: Math.round(performance.now() - t), cpuMs }));
}
