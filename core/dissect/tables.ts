// Dissector tables and heuristics: how one layer finds the next. A protocol registers itself
// under a key (`ethertype 0x0800 → ip`); heuristics are tried in order when no key matches
// (or before the key, for protocols that may run on any port). The same bindings serve
// encoders, which look up the key for a payload protocol (`keyFor`).
import type { Dissection, Dissector } from './dissection';

/** A heuristic returns true when it recognised (and decoded) the payload. */
export type Heuristic = (p: Dissection, start: number, end: number) => boolean;

export class DissectorTable {
  private readonly byKey = new Map<number, Dissector>();
  private readonly heuristics: { name: string; try: Heuristic }[] = [];

  constructor(
    readonly name: string,
    /** Display name for the tree and docs, e.g. "Ethertype". */
    readonly description: string,
  ) {}

  register(key: number, d: Dissector): void {
    this.byKey.set(key, d);
  }

  addHeuristic(name: string, h: Heuristic): void {
    this.heuristics.push({ name, try: h });
  }

  get(key: number): Dissector | undefined {
    return this.byKey.get(key);
  }

  /** The key a dissector is registered under (first match), for encoders. */
  keyFor(abbrev: string): number | undefined {
    for (const [k, d] of this.byKey) if (d.abbrev === abbrev) return k;
    return undefined;
  }

  /**
   * Dispatches `[start, end)` by `key`, then by heuristics. Returns where the claiming layer
   * ended, or -1 when nothing claimed the payload (the caller then hands it to `data`).
   */
  dispatch(p: Dissection, key: number, start: number, end: number): number {
    const d = this.byKey.get(key);
    if (d) return p.call(d, start, end);
    for (const h of this.heuristics) if (h.try(p, start, end)) return end;
    return -1;
  }

  /** Like `dispatch`, falling back to the `data` layer. */
  dispatchOrData(p: Dissection, key: number, start: number, end: number, data: Dissector): number {
    const claimed = this.dispatch(p, key, start, end);
    return claimed >= 0 ? claimed : p.call(data, start, end);
  }
}

export const tables = {
  /** pcap LINKTYPE_* values. */
  linktype: new DissectorTable('wtap_encap', 'Link type'),
  ethertype: new DissectorTable('ethertype', 'Ethertype'),
  /** IP protocol numbers, shared by IPv4's protocol field and IPv6's next header. */
  ipProto: new DissectorTable('ip.proto', 'IP protocol'),
  udpPort: new DissectorTable('udp.port', 'UDP port'),
  tcpPort: new DissectorTable('tcp.port', 'TCP port'),
  /** Linux SLL protocol types for non-Ethertype payloads (802.2 LLC, 802.3 raw, CAN…). */
  sllLtype: new DissectorTable('sll.ltype', 'Linux SLL protocol'),
  /** BSD loopback address families (NULL / LOOP link types). */
  nullFamily: new DissectorTable('null.type', 'BSD AF'),
  llcDsap: new DissectorTable('llc.dsap', 'LLC SAP'),
  /** SNAP PIDs under OUI 00:00:00 reuse the ethertype table; others go here, keyed by (OUI << 16 | PID). */
  snapPid: new DissectorTable('llc.pid', 'SNAP OUI/PID'),
};
