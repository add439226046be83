// Opens a capture in the in-process Engine and decodes its last row (the "open to the last
// packet" measurement of the benchmark). Prints the time in milliseconds as JSON.
import { Engine } from '../core/engine/engine';

const file = process.argv[2];
if (!file) throw new Error('usage: engine-open FILE');
const t0 = performance.now();
const engine = new Engine({ yieldDuringOpen: false });
const s = await engine.openFile(file);
const rows = await engine.rows(s.packets - 1, 1);
const ms = performance.now() - t0;
console.log(JSON.stringify({ packets: s.packets, lastRow: rows[0]?.number, ms: Math.round(ms) }));
