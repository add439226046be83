// `npm run bench`: builds (once, cached in .cache/bench/) a ~1M-packet capture of mixed traffic
// with the protocol encoders, then times `wirelens read FILE > /dev/null`, opening it in the
// Engine (to the last packet), and `tshark -r FILE > /dev/null` when tshark is installed, with
// each one's peak RSS (VmHWM from /proc, polled), and prints the ratios.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cache = join(root, '.cache', 'bench');
const packets = Number(process.env.BENCH_PACKETS ?? 1_000_000);
const capture = join(cache, `mixed-${packets}.pcap`);
mkdirSync(cache, { recursive: true });

async function bundle(entry, outfile) {
  const { build } = await import('esbuild');
  await build({
    entryPoints: [join(root, entry)],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    logLevel: 'error',
    banner: {
      js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
    },
  });
}

const GNU_TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : null;

/**
 * Runs a command with stdout to /dev/null; returns wall time, CPU time (user + system) and peak
 * RSS in kB: from `/usr/bin/time -f` when present, else by polling VmHWM in /proc/PID/status.
 * CPU time is reported too because wall time is noisy on a loaded machine.
 */
function measure(cmd, args) {
  return new Promise((resolve, reject) => {
    const devnull = openSync('/dev/null', 'w');
    const t0 = process.hrtime.bigint();
    const [c, a] = GNU_TIME ? [GNU_TIME, ['-f', 'WLTIME %e %U %S %M', cmd, ...args]] : [cmd, args];
    const child = spawn(c, a, { stdio: ['ignore', devnull, 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    let peak = 0;
    const poll = () => {
      try {
        const m = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        if (m) peak = Math.max(peak, Number(m[1]));
      } catch {
        // process gone
      }
    };
    const timer = GNU_TIME ? undefined : setInterval(poll, 20);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearInterval(timer);
      let ms = Number(process.hrtime.bigint() - t0) / 1e6;
      let cpuMs = NaN;
      const m = /WLTIME (\S+) (\S+) (\S+) (\d+)/.exec(stderr);
      if (m) {
        ms = Number(m[1]) * 1000;
        cpuMs = (Number(m[2]) + Number(m[3])) * 1000;
        peak = Number(m[4]);
        stderr = stderr.replace(m[0], '').trim();
      }
      resolve({ code, ms, cpuMs, rssKb: peak, stderr });
    });
  });
}

function hasTshark() {
  return spawnSync('tshark', ['--version'], { stdio: 'ignore' }).status === 0;
}

if (!existsSync(capture)) {
  console.log(`building the benchmark capture (${packets} packets) …`);
  const gen = join(cache, 'make-capture.mjs');
  await bundle('bench/make-capture.ts', gen);
  const r = spawnSync(process.execPath, [gen, capture, String(packets)], { stdio: 'inherit' });
  if (r.status !== 0) process.exit(1);
}
const size = statSync(capture).size;
console.log(`capture: ${capture} (${(size / 1e6).toFixed(1)} MB)`);

const engineScript = join(cache, 'engine-open.mjs');
await bundle('bench/engine-open.ts', engineScript);
// Make sure the CLI bundle is fresh before timing it (bin/wirelens.mjs rebuilds when stale).
spawnSync(process.execPath, [join(root, 'bin', 'wirelens.mjs'), '--version'], { stdio: 'ignore' });

const results = [];
const run = async (name, cmd, args) => {
  const r = await measure(cmd, args);
  if (r.code !== 0) console.log(`${name}: exit ${r.code} ${r.stderr.slice(0, 200)}`);
  results.push({ name, ...r });
  const cpu = Number.isNaN(r.cpuMs) ? '' : `   CPU ${(r.cpuMs / 1000).toFixed(2).padStart(7)} s`;
  console.log(
    `${name.padEnd(16)} wall ${(r.ms / 1000).toFixed(2).padStart(7)} s${cpu}   peak RSS ${(r.rssKb / 1024).toFixed(0).padStart(5)} MB`,
  );
  return r;
};
const w = await run('wirelens read', process.execPath, [join(root, 'bin', 'wirelens.mjs'), 'read', capture]);
const e = await run('Engine open', process.execPath, [engineScript, capture]);
if (hasTshark()) {
  const t = await run('tshark -r', 'tshark', ['-r', capture]);
  const cpuRatio = (x) => (Number.isNaN(x.cpuMs) ? '' : `, CPU ${(t.cpuMs / x.cpuMs).toFixed(2)}×`);
  console.log(
    `tshark ÷ wirelens read: wall ${(t.ms / w.ms).toFixed(2)}×${cpuRatio(w)}, peak RSS ${(t.rssKb / w.rssKb).toFixed(2)}×`,
  );
  console.log(
    `tshark ÷ Engine open:   wall ${(t.ms / e.ms).toFixed(2)}×${cpuRatio(e)}, peak RSS ${(t.rssKb / e.rssKb).toFixed(2)}×`,
  );
} else {
  console.log('tshark not installed: no comparison');
}

// Display filters (issue 5): three filters applied in the engine to the open capture (the open
// is done once, before, and not counted) and `tshark -r FILE -Y FILTER` (which reads and
// filters the whole file: it has no separate open). Both count the same matches.
const FILTERS = ['tcp.port == 80', 'tcp.flags.syn == 1 and tcp.flags.ack == 0', 'tcp.payload contains "fmt"'];
const filterScript = join(cache, 'engine-filter.mjs');
await bundle('bench/engine-filter.ts', filterScript);
const fr = spawnSync(process.execPath, [filterScript, capture, ...FILTERS], {
  encoding: 'utf8',
  maxBuffer: 1 << 24,
});
if (fr.status !== 0) console.log(`engine filter: exit ${fr.status} ${fr.stderr.slice(0, 300)}`);
const passes = fr.stdout
  .split('\n')
  .filter(Boolean)
  .map((l) => JSON.parse(l))
  .filter((x) => x.expr);
for (const f of FILTERS) {
  const ours = passes.find((x) => x.expr === f);
  let line = `filter ${JSON.stringify(f).padEnd(46)} engine ${ours ? (ours.ms / 1000).toFixed(2).padStart(6) + ' s' : '   n/a'}`;
  if (hasTshark()) {
    const t = await measure('tshark', ['-r', capture, '-Y', f]);
    line += `   tshark -Y ${(t.ms / 1000).toFixed(2).padStart(6)} s`;
    if (ours) line += `   tshark ÷ engine: wall ${(t.ms / ours.ms).toFixed(2)}×`;
    if (ours && !Number.isNaN(t.cpuMs)) line += `, CPU ${(t.cpuMs / ours.cpuMs).toFixed(2)}×`;
  }
  console.log(line + (ours ? `   (${ours.displayed} matched)` : ''));
}

// Simulator (issue 6): 10 000 short HTTP exchanges over the simulated TCP on a topology of 200
// hosts, 20 switches and 4 routers, events off; packet-hops = frames put on links.
const simScript = join(cache, 'sim-http.mjs');
await bundle('bench/sim-http.ts', simScript);
const sr = spawnSync(process.execPath, [simScript, '10000'], { encoding: 'utf8' });
if (sr.status !== 0) console.log(`simulator: exit ${sr.status} ${sr.stderr.slice(0, 300)}`);
else {
  const s = JSON.parse(sr.stdout.trim().split('\n').pop());
  console.log(
    `simulator: ${s.completed} HTTP exchanges, ${s.hops} packet-hops in ${(s.ms / 1000).toFixed(2)} s = ${s.hopsPerSecond.toLocaleString('en')} packet-hops/s, ${s.hopsPerCpuSecond.toLocaleString('en')} per CPU second (target 500,000)`,
  );
}
