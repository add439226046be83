// Linux "cooked" capture, version 2 (LINKTYPE_LINUX_SLL2, 276), the default of
// `tcpdump -i any` since libpcap 1.10. Header
// (https://www.tcpdump.org/linktypes/LINKTYPE_LINUX_SLL2.html): protocol(2), reserved(2),
// interface index(4), ARPHRD_ type(2), packet type(1), address length(1), address(8).
// Wireshark files both versions under the `sll` protocol and fields, so this layer reuses
// sll.ts's field table (plus `sll.ifindex`) and payload logic.
import { LINKTYPE } from '../capture/linktypes';
import type { Dissection, Dissector } from '../dissect/dissection';
import { tables } from '../dissect/tables';
import { addAddress, addPkttype, addProtocol, dissectSllPayload, sll, type SllLayout } from './sll';

const SLL2_LAYOUT: SllLayout = {
  headerLen: 20,
  protocol: 0,
  hatype: 8,
  pkttype: [10, 1],
  halen: [11, 1],
  addr: 12,
};

function dissectSll2(p: Dissection, start: number, end: number): void {
  p.check(start, SLL2_LAYOUT.headerLen);
  const item = p.add(sll.field, start, SLL2_LAYOUT.headerLen, undefined, 'Linux cooked capture v2');
  p.open(item);
  // Wireshark's tree order: protocol, interface index, address type, packet type, address.
  const protocol = addProtocol(p, start, SLL2_LAYOUT);
  p.add(sll.f.ifindex, start + 4, 4);
  p.add(sll.f.hatype, start + SLL2_LAYOUT.hatype, 2);
  addPkttype(p, start, SLL2_LAYOUT);
  addAddress(p, start, SLL2_LAYOUT);
  p.close(item);
  dissectSllPayload(p, start, end, SLL2_LAYOUT, protocol, item);
}

/** Same filter name and layer field as v1 (`sll`), its own decoder. */
export const sll2: Dissector = { abbrev: 'sll', short: 'SLL', field: sll.field, dissect: dissectSll2 };

tables.linktype.register(LINKTYPE.LINUX_SLL2, sll2);
