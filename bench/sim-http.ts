// `npm run bench`, simulator section: 10 000 short HTTP exchanges over the simulated TCP on the
// bench topology; prints packet-hops per second as JSON.
import { httpExchangeBench } from '../core/sim/apps/bench';

const n = Number(process.argv[2] ?? 10_000);
const r = await httpExchangeBench(n);
console.log(
  JSON.stringify({
    ...r,
    hopsPerSecond: Math.round(r.hops / (r.ms / 1000)),
    hopsPerCpuSecond: Math.round(r.hops / (r.cpuMs / 1000)),
  }),
);
