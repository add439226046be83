// DNS over the simulated UDP: an authoritative server service with the topology's records
// (`services: { dns: { port, records: { name: { A: [...], AAAA, CNAME, MX, TXT, NS } }, ttl } }`)
// and `dig [@server] name [type] [+short]` printing BIND 9.18's format.
import { encodeDns, parseDns, type DnsRecordRepr } from '../../protocols/dns-encode';
import { registerCommand } from '../commands';
import type { Host } from '../host';
import { registerService } from '../services';
import { MS, SECOND, type CommandContext, type HostServices } from '../stack';

export const DNS_TYPES: Record<string, number> = {
  A: 1,
  NS: 2,
  CNAME: 5,
  SOA: 6,
  PTR: 12,
  MX: 15,
  TXT: 16,
  AAAA: 28,
  SRV: 33,
  ANY: 255,
};
const TYPE_NAMES = Object.fromEntries(Object.entries(DNS_TYPES).map(([k, v]) => [v, k]));
const RCODES = ['NOERROR', 'FORMERR', 'SERVFAIL', 'NXDOMAIN', 'NOTIMP', 'REFUSED'];

function canonical(name: string): string {
  return name.toLowerCase().replace(/\.$/, '');
}

type Zone = Map<string, DnsRecordRepr[]>;

function zoneOf(config: Record<string, unknown>): Zone {
  const ttl = typeof config.ttl === 'number' ? config.ttl : 300;
  const zone: Zone = new Map();
  const records = (config.records ?? {}) as Record<string, Record<string, unknown>>;
  for (const [rawName, types] of Object.entries(records)) {
    const name = canonical(rawName);
    const list: DnsRecordRepr[] = [];
    for (const [t, v] of Object.entries(types ?? {})) {
      const type = DNS_TYPES[t.toUpperCase()];
      if (!type) continue;
      for (const value of Array.isArray(v) ? v : [v]) {
        const r: DnsRecordRepr = { name, type, ttl };
        if (type === 1 || type === 28) r.address = String(value);
        else if (type === 2 || type === 5 || type === 12) r.target = canonical(String(value));
        else if (type === 15) {
          const [pref, host] = String(value).includes(' ')
            ? String(value).split(/\s+/)
            : ['10', String(value)];
          r.preference = Number(pref);
          r.target = canonical(host!);
        } else if (type === 16) r.txt = [String(value)];
        else continue;
        list.push(r);
      }
    }
    zone.set(name, list);
  }
  return zone;
}

/** Answers from the zone, following CNAMEs inside it (RFC 1034 §4.3.2), at most 8 deep. */
function answer(zone: Zone, qname: string, qtype: number): { rcode: number; answers: DnsRecordRepr[] } {
  const answers: DnsRecordRepr[] = [];
  let name = canonical(qname);
  for (let depth = 0; depth < 8; depth++) {
    const rrs = zone.get(name);
    if (!rrs) return { rcode: answers.length ? 0 : 3, answers };
    const match = rrs.filter((r) => r.type === qtype || qtype === 255);
    if (match.length) {
      answers.push(...match.map((r) => ({ ...r, name: qname === name ? qname : r.name })));
      return { rcode: 0, answers };
    }
    const cname = rrs.find((r) => r.type === 5);
    if (!cname) return { rcode: 0, answers };
    answers.push(cname);
    name = cname.target!;
  }
  return { rcode: 2, answers };
}

export function startDnsServer(host: HostServices, raw: unknown): void {
  const config = (raw ?? {}) as Record<string, unknown>;
  const port = typeof config.port === 'number' ? config.port : 53;
  const zone = zoneOf(config);
  const sock = host.udp.bind(port);
  sock.onMessage = (payload, from) => {
    const q = parseDns(payload);
    if (!q || q.response) return;
    const question = q.questions?.[0];
    const result = question ? answer(zone, question.name, question.type) : { rcode: 1, answers: [] };
    host.ip.emit({
      kind: 'app',
      protocol: 'DNS',
      text: `${host.ip.node}: DNS query ${question?.name ?? '?'} ${TYPE_NAMES[question?.type ?? 0] ?? question?.type} from ${from.address} → ${RCODES[result.rcode]}, ${result.answers.length} answers`,
    });
    sock.send(
      from.address,
      from.port,
      encodeDns({
        id: q.id,
        response: true,
        opcode: q.opcode ?? 0,
        authoritative: true,
        recursionDesired: q.recursionDesired,
        recursionAvailable: true,
        rcode: result.rcode,
        questions: q.questions,
        answers: result.answers,
      }),
    );
  };
}

registerService('dns', startDnsServer);

function rdataText(r: DnsRecordRepr): string {
  if (r.address) return r.address;
  if (r.type === 15) return `${r.preference} ${r.target}.`;
  if (r.txt) return r.txt.map((t) => `"${t}"`).join(' ');
  if (r.target !== undefined) return `${r.target}.`;
  return '';
}

function digDate(host: HostServices): string {
  const k = (host as unknown as Host).kernel;
  const d = new Date((k.epoch + Math.floor(k.now() / SECOND)) * 1000);
  const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const p = (n: number) => String(n).padStart(2, '0');
  return `${days[d.getUTCDay()]} ${months[d.getUTCMonth()]} ${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} UTC ${d.getUTCFullYear()}`;
}

/** `dig [@server] name [type] [+short]`: one query over UDP, 3 tries 5 s apart. */
export function dig(args: string[], ctx: CommandContext): void {
  let server: string | undefined;
  let name: string | undefined;
  let type = 1;
  let short = false;
  for (const a of args.slice(1)) {
    if (a.startsWith('@')) server = a.slice(1);
    else if (a === '+short') short = true;
    else if (a.startsWith('+')) continue;
    else if (DNS_TYPES[a.toUpperCase()] && name !== undefined) type = DNS_TYPES[a.toUpperCase()]!;
    else if (name === undefined) name = a;
    else if (DNS_TYPES[a.toUpperCase()]) type = DNS_TYPES[a.toUpperCase()]!;
  }
  if (name === undefined) name = '.';
  const host = ctx.host;
  server ??= host.nameservers()[0] ?? '127.0.0.1';
  const clock = ctx.clock;
  const id = Math.floor(clock.random() * 65536);
  const query = encodeDns({ id, recursionDesired: true, questions: [{ name: canonical(name), type }] });
  let sock;
  try {
    sock = host.udp.bind(0);
  } catch (e) {
    ctx.print(`dig: ${(e as Error).message}`);
    ctx.exit(10);
    return;
  }
  const s = sock;
  let tries = 0;
  let sentAt = 0;
  let timer: ReturnType<typeof clock.schedule> | undefined;
  const fqdn = `${canonical(name)}.`;
  const send = (): void => {
    if (tries === 3) {
      if (!short) ctx.print(';; no servers could be reached');
      s.close();
      ctx.exit(9);
      return;
    }
    if (tries > 0) ctx.print(`;; communications error to ${server}#53: timed out`);
    tries++;
    sentAt = clock.now();
    s.send(server!, 53, query);
    timer = clock.schedule(5 * SECOND, send);
  };
  s.onMessage = (payload, from) => {
    const m = parseDns(payload);
    if (!m || m.id !== id || !m.response) return;
    clock.cancel(timer);
    s.close();
    const answers = m.answers ?? [];
    if (short) {
      for (const r of answers) ctx.print(rdataText(r));
      ctx.exit(0);
      return;
    }
    const flags = [
      'qr',
      m.authoritative && 'aa',
      m.truncated && 'tc',
      m.recursionDesired && 'rd',
      m.recursionAvailable && 'ra',
    ]
      .filter(Boolean)
      .join(' ');
    const typeName = TYPE_NAMES[type] ?? `TYPE${type}`;
    ctx.print('');
    ctx.print(`; <<>> DiG 9.18.24-1-Debian <<>> ${args.slice(1).join(' ')}`);
    if (args.some((a) => a.startsWith('@'))) ctx.print('; (1 server found)');
    ctx.print(';; global options: +cmd');
    ctx.print(';; Got answer:');
    ctx.print(`;; ->>HEADER<<- opcode: QUERY, status: ${RCODES[m.rcode ?? 0] ?? m.rcode}, id: ${m.id}`);
    ctx.print(
      `;; flags: ${flags}; QUERY: ${m.questions?.length ?? 0}, ANSWER: ${answers.length}, AUTHORITY: ${m.authority?.length ?? 0}, ADDITIONAL: ${m.additional?.length ?? 0}`,
    );
    if (m.recursionDesired && !m.recursionAvailable)
      ctx.print(';; WARNING: recursion requested but not available');
    ctx.print('');
    ctx.print(';; QUESTION SECTION:');
    ctx.print(`;${fqdn}\t\tIN\t${typeName}`);
    if (answers.length) {
      ctx.print('');
      ctx.print(';; ANSWER SECTION:');
      for (const r of answers)
        ctx.print(
          `${canonical(r.name)}.\t${r.ttl ?? 0}\tIN\t${TYPE_NAMES[r.type] ?? `TYPE${r.type}`}\t${rdataText(r)}`,
        );
    }
    ctx.print('');
    ctx.print(`;; Query time: ${Math.round((clock.now() - sentAt) / MS)} msec`);
    ctx.print(`;; SERVER: ${from.address}#53(${from.address}) (UDP)`);
    ctx.print(`;; WHEN: ${digDate(host)}`);
    ctx.print(`;; MSG SIZE  rcvd: ${payload.length}`);
    ctx.print('');
    ctx.exit(0);
  };
  send();
}

registerCommand('dig', dig);
