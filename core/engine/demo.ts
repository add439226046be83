// The built-in demo capture: seed scenario 1 (SEEDS.md) — curl fetching `/` from a Go web
// server on port 8080 over loopback, as the seed's `tcpdump -i lo0 tcp port 8080 -vvv` shows
// it: handshake, the macOS peer's window update, one request, one response, four-way close.
// 12 packets; tcpdump prints the two data segments as relative seq 1:79 and 1:122.
//
// Link type: Ethernet with 00:00:00:00:00:00 addresses, which is how Linux writes loopback
// captures (`tcpdump -i lo`). The seed's macOS capture used the NULL (BSD loopback) link type;
// Ethernet is chosen because every front end and tool (tshark included) decodes it the same
// way and the simulator's taps write Ethernet too, so the demo exercises the common path.
import { LINKTYPE } from '../capture/linktypes';
import { encodeEthernet } from '../protocols/eth';
import { encodeIpv4 } from '../protocols/ip';
import { encodeTcp, IP_PROTO_TCP, type TcpFlags, type TcpOption } from '../protocols/tcp';

export interface DemoFrame {
  tsSec: number;
  tsNsec: number;
  data: Uint8Array;
}

const LOOPBACK = '127.0.0.1';
const ZERO_MAC = '00:00:00:00:00:00';
const ETHERTYPE_IPV4 = 0x0800;
const CLIENT_PORT = 50399; // the seed's curl port
const SERVER_PORT = 8080; // http.ListenAndServe("0.0.0.0:8080", nil)
// Initial sequence numbers and the timestamp clock from the seed's tcpdump output.
const CLIENT_ISN = 2784345138;
const SERVER_ISN = 195606347;
const TS_CLOCK = 587364215;
/** 2020-08-19 12:13:55 UTC: the response's Date header (08:13:55 local in the seed's trace). */
const START_SEC = Date.UTC(2020, 7, 19, 12, 13, 55) / 1000;

const REQUEST = 'GET / HTTP/1.1\r\nHost: localhost:8080\r\nUser-Agent: curl/7.64.1\r\nAccept: */*\r\n\r\n';
const RESPONSE =
  'HTTP/1.1 200 OK\r\n' +
  'Date: Wed, 19 Aug 2020 12:13:55 GMT\r\n' +
  'Content-Length: 5\r\n' +
  'Content-Type: text/plain; charset=utf-8\r\n' +
  '\r\n' +
  'Hello';

function ascii(text: string): Uint8Array {
  return Uint8Array.from(text, (c) => c.charCodeAt(0));
}

/** The SYN options macOS sends: mss 16324, nop, wscale 6, nop, nop, TS, sackOK, eol. */
function synOptions(tsecr: number): TcpOption[] {
  return [
    { kind: 'mss', value: 16324 },
    { kind: 'nop' },
    { kind: 'wscale', shift: 6 },
    { kind: 'nop' },
    { kind: 'nop' },
    { kind: 'timestamps', tsval: TS_CLOCK, tsecr },
    { kind: 'sackPerm' },
    { kind: 'eol' },
  ];
}

const TS_ONLY: TcpOption[] = [
  { kind: 'nop' },
  { kind: 'nop' },
  { kind: 'timestamps', tsval: TS_CLOCK, tsecr: TS_CLOCK },
];

interface Step {
  /** Microseconds after 08:13:55 in the seed's trace. */
  usec: number;
  fromClient: boolean;
  /** Relative sequence and acknowledgment numbers (added to the ISNs). */
  seq: number;
  /** Null for the SYN, whose acknowledgment field is zero. */
  ack: number | null;
  flags: TcpFlags;
  window: number;
  options: TcpOption[];
  payload?: string;
}

// Windows after the handshake are in units of 64 bytes (wscale 6): 6371 → 407744.
const STEPS: Step[] = [
  {
    usec: 9899,
    fromClient: true,
    seq: 0,
    ack: null,
    flags: { syn: true },
    window: 65535,
    options: synOptions(0),
  },
  {
    usec: 9997,
    fromClient: false,
    seq: 0,
    ack: 1,
    flags: { syn: true, ack: true },
    window: 65535,
    options: synOptions(TS_CLOCK),
  },
  { usec: 10012, fromClient: true, seq: 1, ack: 1, flags: { ack: true }, window: 6371, options: TS_ONLY },
  { usec: 10021, fromClient: false, seq: 1, ack: 1, flags: { ack: true }, window: 6371, options: TS_ONLY },
  {
    usec: 10079,
    fromClient: true,
    seq: 1,
    ack: 1,
    flags: { psh: true, ack: true },
    window: 6371,
    options: TS_ONLY,
    payload: REQUEST,
  },
  { usec: 10102, fromClient: false, seq: 1, ack: 79, flags: { ack: true }, window: 6370, options: TS_ONLY },
  {
    usec: 10198,
    fromClient: false,
    seq: 1,
    ack: 79,
    flags: { psh: true, ack: true },
    window: 6370,
    options: TS_ONLY,
    payload: RESPONSE,
  },
  { usec: 10219, fromClient: true, seq: 79, ack: 122, flags: { ack: true }, window: 6369, options: TS_ONLY },
  {
    usec: 10324,
    fromClient: true,
    seq: 79,
    ack: 122,
    flags: { fin: true, ack: true },
    window: 6369,
    options: TS_ONLY,
  },
  { usec: 10343, fromClient: false, seq: 122, ack: 80, flags: { ack: true }, window: 6370, options: TS_ONLY },
  {
    usec: 10379,
    fromClient: false,
    seq: 122,
    ack: 80,
    flags: { fin: true, ack: true },
    window: 6370,
    options: TS_ONLY,
  },
  { usec: 10403, fromClient: true, seq: 80, ack: 123, flags: { ack: true }, window: 6369, options: TS_ONLY },
];

export function buildDemoFrames(): { linkType: number; frames: DemoFrame[] } {
  const net = { src: LOOPBACK, dst: LOOPBACK };
  const frames = STEPS.map((s): DemoFrame => {
    const [ownIsn, peerIsn] = s.fromClient ? [CLIENT_ISN, SERVER_ISN] : [SERVER_ISN, CLIENT_ISN];
    const segment = encodeTcp(
      {
        srcPort: s.fromClient ? CLIENT_PORT : SERVER_PORT,
        dstPort: s.fromClient ? SERVER_PORT : CLIENT_PORT,
        seq: (ownIsn + s.seq) >>> 0,
        ack: s.ack === null ? 0 : (peerIsn + s.ack) >>> 0,
        flags: s.flags,
        window: s.window,
        options: s.options,
      },
      ascii(s.payload ?? ''),
      net,
    );
    const datagram = encodeIpv4({ ...net, protocol: IP_PROTO_TCP, ttl: 64, df: true }, segment);
    return {
      tsSec: START_SEC,
      tsNsec: s.usec * 1000,
      data: encodeEthernet({ dst: ZERO_MAC, src: ZERO_MAC, type: ETHERTYPE_IPV4 }, datagram),
    };
  });
  return { linkType: LINKTYPE.ETHERNET, frames };
}
