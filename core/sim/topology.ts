// Topology and scenario files: YAML → checked plain objects. The JSON Schema (schema.ts,
// checked with ajv) catches shapes; semantic checks catch what a schema cannot (an interface
// that does not exist, an address that does not parse, a port linked twice). Every error names
// its path and line: `links[3].b: no interface "eth9" on node "R" (line 14)`.
import Ajv, { type ErrorObject } from 'ajv';
import { Document, LineCounter, parseDocument } from 'yaml';
import { parseCidr, parseEther, ip4 } from './addr';
import { parseBandwidth, parseDuration } from './kernel';
import { SCENARIO_SCHEMA, TOPOLOGY_SCHEMA } from './schema';

export interface InterfaceSpec {
  mac?: string;
  ip?: string | string[];
  mtu?: number;
  up?: boolean;
}

export interface RouteSpec {
  dst: string;
  via?: string;
  dev?: string;
  metric?: number;
  src?: string;
}

export interface NodeSpec {
  kind: 'host' | 'router' | 'switch' | 'hub';
  interfaces?: Record<string, InterfaceSpec | null>;
  routes?: RouteSpec[];
  forwarding?: boolean;
  nat?: {
    masquerade?: string | string[];
    forward?: { proto?: 'tcp' | 'udp'; port: number; to: string; dev?: string }[];
  };
  arp?: { timeout?: string | number; retries?: number; interval?: string | number };
  nameservers?: string[];
  hosts?: Record<string, string>;
  services?: Record<string, unknown>;
  ports?:
    string[] | Record<string, { vlan?: number; trunk?: number[]; native?: number; mac?: string } | null>;
  ageing?: string | number;
  tap?: boolean | string[];
}

export interface LinkSpecObject {
  a?: string;
  b?: string;
  segment?: string[];
  delay?: string | number;
  bandwidth?: string | number;
  loss?: number;
  mtu?: number;
  queue?: number;
  up?: boolean;
}
export type LinkSpec = [string, string] | LinkSpecObject;

export interface TopologySpec {
  name?: string;
  description?: string;
  seed?: number;
  nodes: Record<string, NodeSpec>;
  links?: LinkSpec[];
  taps?: 'all' | string[];
}

export interface StepSpec {
  at: string | number;
  on?: string;
  run: string;
}

export interface ScenarioSpec {
  name?: string;
  description?: string;
  topology?: string | TopologySpec;
  seed?: number;
  until?: string | number;
  taps?: 'all' | string[];
  steps: StepSpec[];
}

export class SpecError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(
      `${file}: ${problems.length === 1 ? problems[0] : `${problems.length} problems:\n  ${problems.join('\n  ')}`}`,
    );
    this.name = 'SpecError';
  }
}

type Path = (string | number)[];

export function pathText(path: Path): string {
  let s = '';
  for (const p of path) s += typeof p === 'number' ? `[${p}]` : s ? `.${p}` : p;
  return s || '(top level)';
}

/** Parsed YAML with a way back from a path to its line. */
class Located<T> {
  constructor(
    readonly value: T,
    private readonly doc: Document,
    private readonly lines: LineCounter,
  ) {}
  line(path: Path): number | undefined {
    for (let p = path; ; p = p.slice(0, -1)) {
      const node = p.length ? this.doc.getIn(p, true) : this.doc.contents;
      const range = (node as { range?: [number, number, number] } | null | undefined)?.range;
      if (range) return this.lines.linePos(range[0]).line;
      // A map key's node when the value is missing.
      if (!p.length) return undefined;
    }
  }
  at(path: Path, message: string): string {
    const line = this.line(path);
    return `${pathText(path)}: ${message}${line ? ` (line ${line})` : ''}`;
  }
}

function parseYaml<T>(text: string, file: string): Located<T> {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false });
  if (doc.errors.length) {
    throw new SpecError(
      file,
      doc.errors.map((e) => {
        const pos = e.pos ? lines.linePos(e.pos[0]) : undefined;
        return `${e.message.split('\n')[0]}${pos ? ` (line ${pos.line})` : ''}`;
      }),
    );
  }
  const value = doc.toJS({ maxAliasCount: 100 }) as T;
  return new Located(value, doc, lines);
}

let ajvInstance: Ajv | undefined;
function ajv(): Ajv {
  ajvInstance ??= new Ajv({ allErrors: true, strict: false });
  return ajvInstance;
}

/** Ajv's errors, reduced to one line each (the most specific of a oneOf's branches). */
function schemaProblems<T>(loc: Located<T>, errors: ErrorObject[]): string[] {
  const out = new Map<string, string>();
  // Prefer errors deeper in the document; oneOf reports the branch failures too.
  const sorted = [...errors].sort((a, b) => b.instancePath.length - a.instancePath.length);
  for (const e of sorted) {
    const path: Path = e.instancePath
      .split('/')
      .slice(1)
      .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
      .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
    const key = pathText(path);
    if ([...out.keys()].some((k) => k.startsWith(key) && k !== key)) continue;
    if (out.has(key)) continue;
    let msg: string;
    switch (e.keyword) {
      case 'additionalProperties':
        msg = `unknown property "${(e.params as { additionalProperty: string }).additionalProperty}"`;
        break;
      case 'required':
        msg = `missing "${(e.params as { missingProperty: string }).missingProperty}"`;
        break;
      case 'enum':
        msg = `must be one of ${(e.params as { allowedValues: unknown[] }).allowedValues.join(', ')}`;
        break;
      case 'pattern':
        msg = key.endsWith('mac') ? 'not a MAC address (02:00:00:00:00:0a)' : 'must look like NODE.INTERFACE';
        break;
      case 'oneOf':
        msg = 'does not have any of the accepted shapes';
        break;
      default:
        msg = e.message ?? e.keyword;
    }
    out.set(key, loc.at(path, msg));
  }
  return [...out.values()];
}

/** Parses and checks a topology; throws SpecError listing every problem. */
export function parseTopology(text: string, file = 'topology'): TopologySpec {
  const loc = parseYaml<TopologySpec>(text, file);
  return checkTopology(loc, file);
}

export function checkTopologyObject(spec: unknown, file = 'topology'): TopologySpec {
  const doc = new Document(spec);
  return checkTopology(new Located(spec as TopologySpec, doc, new LineCounter()), file);
}

function checkTopology(loc: Located<TopologySpec>, file: string): TopologySpec {
  const t = loc.value;
  if (t === null || typeof t !== 'object')
    throw new SpecError(file, ['a topology is a mapping with "nodes" (and "links")']);
  const validate = ajv().getSchema('wirelens-topology') ?? ajv().compile(TOPOLOGY_SCHEMA);
  if (!validate(t)) throw new SpecError(file, schemaProblems(loc, validate.errors ?? []));
  const problems: string[] = [];
  const p = (path: Path, msg: string): void => void problems.push(loc.at(path, msg));
  const portsOf = new Map<string, Set<string>>();
  for (const [name, n] of Object.entries(t.nodes)) {
    if (!/^[A-Za-z0-9_-]+$/.test(name)) p(['nodes', name], `node names are letters, digits, "_" and "-"`);
    const ports = new Set<string>();
    if (n.kind === 'switch' || n.kind === 'hub') {
      if (n.interfaces) p(['nodes', name, 'interfaces'], `a ${n.kind} has "ports", not "interfaces"`);
      if (!n.ports) p(['nodes', name], `a ${n.kind} needs "ports"`);
      for (const port of Array.isArray(n.ports) ? n.ports : Object.keys(n.ports ?? {})) ports.add(port);
      if (n.kind === 'hub' && n.ports && !Array.isArray(n.ports)) {
        for (const [pn, cfg] of Object.entries(n.ports))
          if (cfg && (cfg.vlan || cfg.trunk)) p(['nodes', name, 'ports', pn], 'a hub has no VLANs');
      }
      if (n.ageing !== undefined && parseDuration(n.ageing) === undefined)
        p(['nodes', name, 'ageing'], `not a duration: ${n.ageing}`);
    } else {
      if (n.ports) p(['nodes', name, 'ports'], `a ${n.kind} has "interfaces", not "ports"`);
      for (const [iname, i] of Object.entries(n.interfaces ?? {})) {
        if (iname === 'lo' && i?.mac)
          p(['nodes', name, 'interfaces', iname, 'mac'], 'the loopback has no MAC address');
        ports.add(iname);
        if (i?.mac && !parseEther(i.mac))
          p(['nodes', name, 'interfaces', iname, 'mac'], `not a MAC address: ${i.mac}`);
        const ips = i?.ip === undefined ? [] : Array.isArray(i.ip) ? i.ip : [i.ip];
        ips.forEach((a, k) => {
          const c = parseCidr(a);
          const path = Array.isArray(i?.ip)
            ? ['nodes', name, 'interfaces', iname, 'ip', k]
            : ['nodes', name, 'interfaces', iname, 'ip'];
          if (!c) p(path, `not an address/prefix: "${a}"`);
          else if (!a.includes('/')) p(path, `"${a}" needs a prefix length (e.g. ${a}/24)`);
        });
      }
      (n.routes ?? []).forEach((r, k) => {
        const path = ['nodes', name, 'routes', k];
        if (r.dst !== 'default' && !parseCidr(r.dst)) p([...path, 'dst'], `not a destination: "${r.dst}"`);
        if (r.via !== undefined && !parseCidr(r.via)) p([...path, 'via'], `not an address: "${r.via}"`);
        if (r.dev !== undefined && !(n.interfaces && r.dev in n.interfaces) && r.dev !== 'lo')
          p([...path, 'dev'], `no interface "${r.dev}" on node "${name}"`);
        if (r.via === undefined && r.dev === undefined) p(path, 'a route needs "via" or "dev"');
      });
      if (n.nat) {
        const masq =
          n.nat.masquerade === undefined
            ? []
            : Array.isArray(n.nat.masquerade)
              ? n.nat.masquerade
              : [n.nat.masquerade];
        for (const m of masq)
          if (!(n.interfaces && m in n.interfaces))
            p(['nodes', name, 'nat', 'masquerade'], `no interface "${m}" on node "${name}"`);
        (n.nat.forward ?? []).forEach((f, k) => {
          const m = /^(.+):(\d+)$/.exec(f.to);
          if (!m || ip4(m[1]!) === undefined)
            p(['nodes', name, 'nat', 'forward', k, 'to'], `expected ADDRESS:PORT, not "${f.to}"`);
        });
      }
      if (n.arp?.timeout !== undefined && parseDuration(n.arp.timeout) === undefined)
        p(['nodes', name, 'arp', 'timeout'], 'not a duration');
      (n.nameservers ?? []).forEach((s, k) => {
        if (!parseCidr(s)) p(['nodes', name, 'nameservers', k], `not an address: "${s}"`);
      });
    }
    portsOf.set(name, ports);
  }
  const used = new Map<string, string>();
  const checkEnd = (path: Path, ep: string): void => {
    const dot = ep.indexOf('.');
    const node = ep.slice(0, dot);
    const port = ep.slice(dot + 1);
    const ports = portsOf.get(node);
    if (!ports) return p(path, `no node "${node}"`);
    if (port === 'lo') return p(path, 'the loopback cannot be linked');
    if (!ports.has(port))
      return p(
        path,
        `no ${t.nodes[node]!.kind === 'switch' || t.nodes[node]!.kind === 'hub' ? 'port' : 'interface'} "${port}" on node "${node}"`,
      );
    const prev = used.get(ep);
    if (prev) return p(path, `${ep} is already linked (${prev})`);
    used.set(ep, pathText(path));
  };
  (t.links ?? []).forEach((l, k) => {
    if (Array.isArray(l)) l.forEach((ep, j) => checkEnd(['links', k, j], ep));
    else {
      if (l.segment) l.segment.forEach((ep, j) => checkEnd(['links', k, 'segment', j], ep));
      else {
        checkEnd(['links', k, 'a'], l.a!);
        checkEnd(['links', k, 'b'], l.b!);
      }
      if (l.delay !== undefined && parseDuration(l.delay) === undefined)
        p(['links', k, 'delay'], `not a duration: "${l.delay}"`);
      if (l.bandwidth !== undefined && parseBandwidth(l.bandwidth) === undefined)
        p(['links', k, 'bandwidth'], `not a bandwidth: "${l.bandwidth}"`);
    }
  });
  // Switches and hubs joined in a circle would flood broadcasts forever: there is no spanning
  // tree protocol here (IEEE 802.1D), so a loop is refused (union-find over the links).
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    let r = x;
    for (let i = 0; i < 10_000 && parent.get(r) !== undefined && parent.get(r) !== r; i++) r = parent.get(r)!;
    return r;
  };
  const isL2 = (ep: string): boolean => {
    const k = t.nodes[ep.slice(0, ep.indexOf('.'))]?.kind;
    return k === 'switch' || k === 'hub';
  };
  (t.links ?? []).forEach((l, k) => {
    const ends = (Array.isArray(l) ? l : (l.segment ?? [l.a!, l.b!]))
      .filter(isL2)
      .map((ep) => ep.slice(0, ep.indexOf('.')));
    for (let i = 1; i < ends.length; i++) {
      const a = find(ends[0]!);
      const b = find(ends[i]!);
      if (a === b) {
        p(
          ['links', k],
          `${ends[0]} and ${ends[i]} are already connected: this link makes a switching loop (there is no spanning tree protocol; remove a link)`,
        );
        return;
      }
      parent.set(a, b);
    }
  });
  if (Array.isArray(t.taps)) {
    t.taps.forEach((ep, k) => {
      const dot = ep.indexOf('.');
      const node = ep.slice(0, dot);
      const port = ep.slice(dot + 1);
      if (!portsOf.has(node)) p(['taps', k], `no node "${node}"`);
      else if (port !== 'lo' && !portsOf.get(node)!.has(port))
        p(['taps', k], `no interface "${port}" on node "${node}"`);
    });
  }
  if (problems.length) throw new SpecError(file, problems);
  return t;
}

/** Parses and checks a scenario (its topology, when inline, is checked by the caller). */
export function parseScenario(text: string, file = 'scenario'): ScenarioSpec {
  const loc = parseYaml<ScenarioSpec>(text, file);
  const s = loc.value;
  if (s === null || typeof s !== 'object')
    throw new SpecError(file, ['a scenario is a mapping with "steps"']);
  const validate = ajv().getSchema('wirelens-scenario') ?? ajv().compile(SCENARIO_SCHEMA);
  if (!validate(s)) throw new SpecError(file, schemaProblems(loc, validate.errors ?? []));
  const problems: string[] = [];
  s.steps.forEach((st, k) => {
    if (parseDuration(st.at) === undefined)
      problems.push(loc.at(['steps', k, 'at'], `not a time: "${st.at}"`));
    if (!st.on && !/^\s*link\s/.test(st.run))
      problems.push(loc.at(['steps', k], 'missing "on" (the node that runs the command)'));
  });
  if (s.until !== undefined && parseDuration(s.until) === undefined)
    problems.push(loc.at(['until'], `not a time: "${s.until}"`));
  if (problems.length) throw new SpecError(file, problems);
  return s;
}

/** Checks that a scenario's steps name nodes of its topology. */
export function checkScenarioAgainst(s: ScenarioSpec, t: TopologySpec, file = 'scenario'): void {
  const problems: string[] = [];
  s.steps.forEach((st, k) => {
    if (st.on && !(st.on in t.nodes)) problems.push(`steps[${k}].on: no node "${st.on}" in the topology`);
  });
  if (Array.isArray(s.taps)) {
    s.taps.forEach((ep, k) => {
      const [node, port] = ep.split('.');
      const n = t.nodes[node!];
      const ports = n
        ? n.interfaces
          ? Object.keys(n.interfaces)
          : Array.isArray(n.ports)
            ? n.ports
            : Object.keys(n.ports ?? {})
        : [];
      if (!n) problems.push(`taps[${k}]: no node "${node}"`);
      else if (port !== 'lo' && !ports.includes(port!))
        problems.push(`taps[${k}]: no interface "${port}" on node "${node}"`);
    });
  }
  if (problems.length) throw new SpecError(file, problems);
}

/** Reads YAML that may be either a scenario (has `steps`) or a topology (has `nodes`). */
export function sniffKind(text: string): 'scenario' | 'topology' | undefined {
  try {
    const v = parseDocument(text).toJS() as Record<string, unknown> | null;
    if (v && typeof v === 'object') {
      if ('steps' in v) return 'scenario';
      if ('nodes' in v) return 'topology';
    }
  } catch {
    // fall through
  }
  return undefined;
}
