// The seams between the simulator's parts, so each can be built and tested alone: the kernel
// (event queue, clock, seeded RNG), a host's IP layer, its transports (UDP, TCP) and its
// applications (ping, dig, curl, servers). Devices and links live in their own files.
//
// Time is simulated nanoseconds held in a number (exact up to 2^53 ns, about 104 days). Nothing
// here reads the wall clock or Math.random: the same inputs give the same bytes.

/** Simulated time in nanoseconds. */
export type SimTime = number;

export const MS = 1_000_000;
export const SECOND = 1_000_000_000;

export interface TimerHandle {
  readonly id: number;
}

/** The kernel as seen by the parts: time, timers and the seeded random source. */
export interface Clock {
  now(): SimTime;
  /** Runs `fn` `delay` ns from now (0 = after the events already due now). */
  schedule(delay: SimTime, fn: () => void): TimerHandle;
  cancel(t: TimerHandle | undefined): void;
  /** Seeded uniform [0, 1). */
  random(): number;
}

export type SimEventKind =
  | 'send'
  | 'receive'
  | 'forward'
  | 'drop'
  | 'learn'
  | 'flood'
  | 'arp'
  | 'nd'
  | 'route'
  | 'icmp'
  | 'tcp-state'
  | 'tcp'
  | 'udp'
  | 'app'
  | 'link'
  | 'command';

/** One decision, with a one-line explanation (ARCHITECTURE.md, "Simulator"). */
export interface SimEvent {
  time: SimTime;
  node: string;
  iface?: string;
  kind: SimEventKind;
  /** Protocol of the packet involved, for the event list's filter (e.g. `ARP`, `TCP`, `HTTP`). */
  protocol?: string;
  /** Frame number of the packet in the tap of `iface`, when tapped. */
  packet?: number;
  text: string;
}

/** What an IP layer hands a transport for one received datagram. */
export interface IpDatagramInfo {
  src: string;
  dst: string;
  protocol: number;
  ttl: number;
  /** The interface it arrived on. */
  iface: string;
  /** The whole IP datagram (header included), for ICMP errors that quote it. */
  datagram: Uint8Array;
}

export interface IpSendRequest {
  /** Source address; chosen by the route to `dst` when absent. `0.0.0.0` is allowed (DHCP). */
  src?: string;
  dst: string;
  protocol: number;
  payload: Uint8Array;
  ttl?: number;
  /** Don't Fragment (RFC 791 §3.1); TCP sets it, as Linux does with path MTU discovery. */
  df?: boolean;
  tos?: number;
  /** Send out of this interface regardless of routes (DHCP's broadcasts before an address). */
  iface?: string;
}

/** A host's IP layer, as transports and applications use it. */
export interface IpLayer {
  readonly node: string;
  readonly clock: Clock;
  /** Records an event on this node. */
  emit(e: Omit<SimEvent, 'time' | 'node'>): void;
  /** Sends a datagram (routing, ARP/ND, fragmentation are the IP layer's business). Returns
   * false when there is no route (an event says why). */
  send(req: IpSendRequest): boolean;
  /** The source address the route table picks for `dst` (`ip route get`), if routable. */
  sourceFor(dst: string): string | undefined;
  /** MTU of the interface the route to `dst` leaves by. */
  mtuFor(dst: string): number;
  /** Addresses configured on this host (all interfaces, loopback included). */
  addresses(): string[];
  /** Registers the handler for an IP protocol number (6 TCP, 17 UDP). */
  register(protocol: number, handler: (payload: Uint8Array, info: IpDatagramInfo) => void): void;
  /** Sends an ICMP / ICMPv6 destination-unreachable quoting `info.datagram` (code: port = 3). */
  unreachable(info: IpDatagramInfo, code: number): void;
}

/** What a command run on a node sees: its host and a terminal. */
export interface CommandContext {
  readonly node: string;
  readonly clock: Clock;
  readonly host: HostServices;
  /** One line of the command's output (like the real tool's). */
  print(line: string): void;
  /** The command finished with this exit status. */
  exit(status: number): void;
}

/** The services a host offers its applications. Implemented by the host device. */
export interface HostServices {
  readonly ip: IpLayer;
  readonly udp: UdpService;
  readonly tcp: TcpService;
  /** Resolver configuration: the DNS server(s) to ask (`/etc/resolv.conf`), and static names
   * (`/etc/hosts`). */
  nameservers(): string[];
  staticName(name: string): string | undefined;
}

export interface UdpSocket {
  readonly localAddress: string;
  readonly localPort: number;
  send(dst: string, dstPort: number, payload: Uint8Array, opts?: { src?: string; iface?: string }): void;
  onMessage:
    ((payload: Uint8Array, from: { address: string; port: number; iface: string }) => void) | undefined;
  close(): void;
}

export interface UdpService {
  /** Binds a port (0: an ephemeral one, from 32768 as Linux does). */
  bind(port: number, address?: string): UdpSocket;
}

export type TcpStateName =
  | 'CLOSED'
  | 'LISTEN'
  | 'SYN-SENT'
  | 'SYN-RECEIVED'
  | 'ESTABLISHED'
  | 'FIN-WAIT-1'
  | 'FIN-WAIT-2'
  | 'CLOSE-WAIT'
  | 'CLOSING'
  | 'LAST-ACK'
  | 'TIME-WAIT';

export interface TcpConnection {
  readonly localAddress: string;
  readonly localPort: number;
  readonly remoteAddress: string;
  readonly remotePort: number;
  readonly state: TcpStateName;
  write(data: Uint8Array): void;
  /** Half-close: sends FIN after the queued data (RFC 9293 §3.6). */
  end(): void;
  /** Aborts with RST. */
  abort(): void;
  onConnect: (() => void) | undefined;
  onData: ((data: Uint8Array) => void) | undefined;
  /** The peer sent FIN (everything it sent was delivered). */
  onEnd: (() => void) | undefined;
  /** Fully closed, reset or timed out (`error` says which). */
  onClose: ((error?: string) => void) | undefined;
}

export interface TcpOptions {
  mss?: number;
  windowScale?: number;
  sack?: boolean;
  timestamps?: boolean;
  nagle?: boolean;
  delayedAck?: boolean;
  /** Receive buffer in bytes (advertised window). */
  receiveBuffer?: number;
}

export interface TcpService {
  listen(port: number, onConnection: (c: TcpConnection) => void, opts?: TcpOptions): void;
  connect(dst: string, dstPort: number, opts?: TcpOptions): TcpConnection;
  /** `netstat -ant` lines for this host's sockets. */
  netstat(): string[];
}
