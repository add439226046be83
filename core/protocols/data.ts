// Data: bytes no dissector claimed. Like Wireshark's `data` protocol it leaves the Protocol
// and Info columns to the layer below.
import { defineProtocol } from '../dissect/protocol';

export const data = defineProtocol({
  abbrev: 'data',
  name: 'Data',
  short: '',
  fields: {
    data: { abbrev: 'data.data', name: 'Data', type: 'bytes' },
    len: { abbrev: 'data.len', name: 'Length', type: 'uint32' },
  },
  dissect(p, start, end) {
    const len = Math.max(0, Math.min(end, p.data.length) - start);
    const item = p.add(data.field, start, len, undefined, `Data (${len} byte${len === 1 ? '' : 's'})`);
    p.open(item);
    p.add(data.f.data, start, len);
    p.addGenerated(data.f.len, len);
    p.close(item);
  },
});
