// Conversations bound to a protocol by an earlier packet rather than by a well-known port
// (Wireshark's conversation_set_dissector): TFTP's transfer continues on ephemeral ports after
// the request to port 69 (RFC 1350 §4), FTP's data connections are announced by PORT/PASV/
// EPRT/EPSV (RFC 959 §4.1.2, RFC 2428). UDP and TCP consult these before their port tables.
import type { Dissection, Dissector } from './dissection';

export interface ExpectedConversation {
  transport: 'tcp' | 'udp';
  /** Address bytes (4 or 16) and port of one end; `port` 0 matches any port. */
  addrA: Uint8Array;
  portA: number;
  addrB: Uint8Array;
  portB: number;
  dissector: Dissector;
  /** Frames numbered below this one are not affected (revisits of earlier frames). */
  fromFrame: number;
}

interface ConversationState {
  expected: ExpectedConversation[];
}

function newConversationState(): ConversationState {
  return { expected: [] };
}

function conversations(p: Dissection): ConversationState {
  return p.state.slot<ConversationState>('conversation', newConversationState);
}

/** Binds a conversation to `dissector` from the current frame on (first pass only). */
export function expectConversation(
  p: Dissection,
  conv: Omit<ExpectedConversation, 'fromFrame'> & { fromFrame?: number },
): void {
  if (p.visited || p.inError) return;
  const list = conversations(p).expected;
  const fromFrame = conv.fromFrame ?? p.frame.number;
  for (const c of list) {
    if (
      c.transport === conv.transport &&
      c.portA === conv.portA &&
      c.portB === conv.portB &&
      sameAddr(c.addrA, conv.addrA) &&
      sameAddr(c.addrB, conv.addrB)
    ) {
      c.dissector = conv.dissector;
      return;
    }
  }
  list.push({ ...conv, addrA: conv.addrA.slice(), addrB: conv.addrB.slice(), fromFrame });
}

/** The dissector an earlier packet bound this packet's conversation to, if any. */
export function conversationDissector(
  p: Dissection,
  transport: 'tcp' | 'udp',
  srcPort: number,
  dstPort: number,
): Dissector | undefined {
  // (Runs for every UDP and TCP payload: no closure per call.)
  const list = conversations(p).expected;
  if (list.length === 0) return undefined;
  const frame = p.frame.number;
  // Newest first: a later announcement on the same ports wins.
  for (let i = list.length - 1; i >= 0; i--) {
    const c = list[i]!;
    if (c.transport !== transport || frame < c.fromFrame) continue;
    if (
      (endMatches(c.addrA, c.portA, p.netSrc, srcPort) && endMatches(c.addrB, c.portB, p.netDst, dstPort)) ||
      (endMatches(c.addrA, c.portA, p.netDst, dstPort) && endMatches(c.addrB, c.portB, p.netSrc, srcPort))
    )
      return c.dissector;
  }
  return undefined;
}

function endMatches(addr: Uint8Array, port: number, a: Uint8Array, p: number): boolean {
  return (port === 0 || port === p) && sameAddr(addr, a);
}

function sameAddr(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
