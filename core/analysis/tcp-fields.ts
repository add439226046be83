// Fields TCP reassembly and TCP analysis add to the `tcp` layer, with tshark 4.0's filter names,
// display names and types (`tshark -G fields`), plus `tcp.connection_state`, our own.
import type { Dissection, TreeNode } from '../dissect/dissection';
import { registerFields, type Field } from '../dissect/fields';

export const reassemblyFields = registerFields({
  segmentData: { abbrev: 'tcp.segment_data', name: 'TCP segment data', type: 'bytes' },
  reassembledIn: { abbrev: 'tcp.reassembled_in', name: 'Reassembled PDU in frame', type: 'framenum' },
  segments: { abbrev: 'tcp.segments', name: 'Reassembled TCP Segments', type: 'none' },
  segment: { abbrev: 'tcp.segment', name: 'TCP Segment', type: 'framenum' },
  segmentCount: { abbrev: 'tcp.segment.count', name: 'Segment count', type: 'uint32' },
  reassembledLength: { abbrev: 'tcp.reassembled.length', name: 'Reassembled TCP length', type: 'uint32' },
  reassembledData: { abbrev: 'tcp.reassembled.data', name: 'Reassembled TCP Data', type: 'bytes' },
  segmentOverlap: { abbrev: 'tcp.segment.overlap', name: 'Segment overlap', type: 'bool' },
  segmentOverlapConflict: {
    abbrev: 'tcp.segment.overlap.conflict',
    name: 'Conflicting data in segment overlap',
    type: 'bool',
  },
  segmentError: { abbrev: 'tcp.segment.error', name: 'Reassembling error', type: 'framenum' },
});

const none = (abbrev: string, name: string) => ({ abbrev, name, type: 'none' as const });

export const analysisFields = registerFields({
  analysis: none('tcp.analysis', 'SEQ/ACK analysis'),
  flags: none('tcp.analysis.flags', 'TCP Analysis Flags'),
  retransmission: none('tcp.analysis.retransmission', 'This frame is a (suspected) retransmission'),
  fastRetransmission: none(
    'tcp.analysis.fast_retransmission',
    'This frame is a (suspected) fast retransmission',
  ),
  spuriousRetransmission: none(
    'tcp.analysis.spurious_retransmission',
    'This frame is a (suspected) spurious retransmission',
  ),
  outOfOrder: none('tcp.analysis.out_of_order', 'This frame is a (suspected) out-of-order segment'),
  reusedPorts: none(
    'tcp.analysis.reused_ports',
    'A new tcp session is started with the same ports as an earlier session in this trace',
  ),
  lostSegment: none(
    'tcp.analysis.lost_segment',
    'Previous segment(s) not captured (common at capture start)',
  ),
  ackLostSegment: none(
    'tcp.analysis.ack_lost_segment',
    "ACKed segment that wasn't captured (common at capture start)",
  ),
  windowUpdate: none('tcp.analysis.window_update', 'TCP window update'),
  windowFull: none('tcp.analysis.window_full', 'TCP window specified by the receiver is now completely full'),
  keepAlive: none('tcp.analysis.keep_alive', 'TCP keep-alive segment'),
  keepAliveAck: none('tcp.analysis.keep_alive_ack', 'ACK to a TCP keep-alive segment'),
  zeroWindowProbe: none('tcp.analysis.zero_window_probe', 'TCP Zero Window Probe'),
  zeroWindow: none('tcp.analysis.zero_window', 'TCP Zero Window segment'),
  zeroWindowProbeAck: none('tcp.analysis.zero_window_probe_ack', 'ACK to a TCP Zero Window Probe'),
  duplicateAck: none('tcp.analysis.duplicate_ack', 'Duplicate ACK'),
  duplicateAckNum: { abbrev: 'tcp.analysis.duplicate_ack_num', name: 'Duplicate ACK #', type: 'uint32' },
  duplicateAckFrame: {
    abbrev: 'tcp.analysis.duplicate_ack_frame',
    name: 'Duplicate to the ACK in frame',
    type: 'framenum',
  },
  acksFrame: {
    abbrev: 'tcp.analysis.acks_frame',
    name: 'This is an ACK to the segment in frame',
    type: 'framenum',
  },
  bytesInFlight: { abbrev: 'tcp.analysis.bytes_in_flight', name: 'Bytes in flight', type: 'uint32' },
  pushBytesSent: {
    abbrev: 'tcp.analysis.push_bytes_sent',
    name: 'Bytes sent since last PSH flag',
    type: 'uint32',
  },
  ackRtt: { abbrev: 'tcp.analysis.ack_rtt', name: 'The RTT to ACK the segment was', type: 'reltime' },
  initialRtt: { abbrev: 'tcp.analysis.initial_rtt', name: 'iRTT', type: 'reltime' },
  timeRelative: {
    abbrev: 'tcp.time_relative',
    name: 'Time since first frame in this TCP stream',
    type: 'reltime',
  },
  timeDelta: {
    abbrev: 'tcp.time_delta',
    name: 'Time since previous frame in this TCP stream',
    type: 'reltime',
  },
  completeness: { abbrev: 'tcp.completeness', name: 'Conversation completeness', type: 'uint8' },
  rto: { abbrev: 'tcp.analysis.rto', name: 'The RTO for this segment was', type: 'reltime' },
  rtoFrame: { abbrev: 'tcp.analysis.rto_frame', name: 'RTO based on delta from frame', type: 'framenum' },
  connectionSyn: none('tcp.connection.syn', 'Connection establish request (SYN)'),
  connectionSynack: none('tcp.connection.synack', 'Connection establish acknowledge (SYN+ACK)'),
  connectionFin: none('tcp.connection.fin', 'Connection finish (FIN)'),
  connectionRst: none('tcp.connection.rst', 'Connection reset (RST)'),
  finActive: none('tcp.connection.fin_active', 'This frame initiates the connection closing'),
  finPassive: none('tcp.connection.fin_passive', 'This frame undergoes the connection closing'),
  connectionState: {
    abbrev: 'tcp.connection_state',
    name: 'Connection state',
    type: 'string',
    blurb: 'RFC 9293 §3.3.2 state of the connection after this segment, as seen on the wire',
  },
});

export type ExpertSeverity = 'chat' | 'note' | 'warn';

/**
 * An expert item as tshark -V shows it: "[Expert Info (Note/Sequence): message]" over the
 * message, the severity level and the group; the FT_NONE field (e.g.
 * tcp.analysis.retransmission) is set so filters and -T fields see it. Also raised as an issue.
 */
export function addSequenceExpert(
  p: Dissection,
  field: Field,
  severity: ExpertSeverity,
  message: string,
  raise = true,
): TreeNode | undefined {
  if (raise) p.issue('malformed', severity, message, 0, 0, 'Sequence');
  const level = severity === 'warn' ? 'Warning' : severity === 'chat' ? 'Chat' : 'Note';
  const node = p.add(field, 0, 0, true, p.tree ? `[Expert Info (${level}/Sequence): ${message}]` : undefined);
  if (!node) return undefined;
  node.generated = true;
  node.severity = severity;
  p.open(node);
  for (const text of [`[${message}]`, `[Severity level: ${level}]`, '[Group: Sequence]']) {
    const t = p.addText(text, 0, 0);
    if (t) t.generated = true;
  }
  p.close(node);
  return node;
}
