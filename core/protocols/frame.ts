// The frame: Wireshark's top-level layer with the record's metadata (number, times, lengths,
// interface, comments), then dispatch by link type. `frame.protocols` is known only after the
// whole packet is decoded, so it is added last.
import { linkTypeName } from '../capture/linktypes';
import type { Dissection } from '../dissect/dissection';
import { formatAbsoluteTime, nsToSeconds } from '../dissect/format';
import { defineProtocol } from '../dissect/protocol';
import { tables } from '../dissect/tables';
import { data } from './data';

export const frame = defineProtocol({
  abbrev: 'frame',
  name: 'Frame',
  short: '',
  fields: {
    interfaceId: { abbrev: 'frame.interface_id', name: 'Interface id', type: 'uint32' },
    interfaceName: { abbrev: 'frame.interface_name', name: 'Interface name', type: 'string' },
    encapType: { abbrev: 'frame.encap_type', name: 'Encapsulation type', type: 'int16' },
    time: { abbrev: 'frame.time', name: 'Arrival Time', type: 'abstime' },
    timeEpoch: { abbrev: 'frame.time_epoch', name: 'Epoch Time', type: 'reltime', unit: ' seconds' },
    timeDelta: {
      abbrev: 'frame.time_delta',
      name: 'Time delta from previous captured frame',
      type: 'reltime',
      unit: ' seconds',
    },
    timeRelative: {
      abbrev: 'frame.time_relative',
      name: 'Time since reference or first frame',
      type: 'reltime',
      unit: ' seconds',
    },
    number: { abbrev: 'frame.number', name: 'Frame Number', type: 'uint32' },
    len: { abbrev: 'frame.len', name: 'Frame Length', type: 'uint32', unit: ' bytes' },
    capLen: { abbrev: 'frame.cap_len', name: 'Capture Length', type: 'uint32', unit: ' bytes' },
    marked: { abbrev: 'frame.marked', name: 'Frame is marked', type: 'bool', tfs: ['True', 'False'] },
    protocols: { abbrev: 'frame.protocols', name: 'Protocols in frame', type: 'string' },
    comment: { abbrev: 'frame.comment', name: 'Comment', type: 'string' },
  },
  dissect: dissectFrame,
});

function dissectFrame(p: Dissection, start: number, end: number): void {
  const m = p.frame;
  const f = frame.f;
  // The label only on the tree path: this runs for every packet.
  const iface = p.tree && m.interfaceName ? ` on interface ${m.interfaceName}, id ${m.interfaceId}` : '';
  const item = p.add(
    frame.field,
    start,
    end - start,
    undefined,
    p.tree
      ? `Frame ${m.number}: ${m.origLen} bytes on wire (${m.origLen * 8} bits), ${m.capLen} bytes captured (${m.capLen * 8} bits)${iface}`
      : undefined,
  );
  if (p.detailFor('frame')) {
    p.open(item);
    for (const c of m.comments ?? []) p.add(f.comment, 0, 0, c);
    p.add(f.interfaceId, 0, 0, m.interfaceId);
    if (m.interfaceName) p.add(f.interfaceName, 0, 0, m.interfaceName);
    p.add(f.encapType, 0, 0, m.linkType, `Encapsulation type: ${linkTypeName(m.linkType)} (${m.linkType})`);
    if (p.wants(f.time) || p.wants(f.timeEpoch)) {
      const timeNs = BigInt(m.tsSec) * 1_000_000_000n + BigInt(m.tsNsec);
      p.add(f.time, 0, 0, timeNs, `Arrival Time: ${formatAbsoluteTime(timeNs)}`);
      p.add(f.timeEpoch, 0, 0, timeNs);
    }
    p.add(f.timeDelta, 0, 0, BigInt(m.deltaNs));
    const rel = BigInt(m.relativeNs);
    p.add(f.timeRelative, 0, 0, rel, `Time since reference or first frame: ${nsToSeconds(rel)} seconds`);
    p.add(f.number, 0, 0, m.number);
    p.add(f.len, 0, 0, m.origLen);
    p.add(f.capLen, 0, 0, m.capLen);
    p.add(f.marked, 0, 0, false);
    p.close(item);
  }

  if (tables.linktype.dispatch(p, m.linkType, start, end) < 0) {
    if (p.columns) p.cols.protocol = linkTypeName(m.linkType);
    p.call(data, start, end);
  }

  // Known only now: every layer has been decoded.
  if (p.wants(f.protocols)) {
    p.open(item);
    // Like tshark, the list starts below `frame` itself.
    p.add(f.protocols, 0, 0, p.protocols.slice(1).join(':'));
    p.close(item);
  }
}
