// Trivial File Transfer Protocol (RFC 1350) with options (RFC 2347 OACK, RFC 2348 blksize,
// RFC 2349 timeout/tsize, RFC 7440 windowsize). A read or write request goes to UDP port 69;
// the server answers from a new port (RFC 1350 §4), so the request binds the conversation
// "client address:port ↔ server address, any port" to TFTP (Wireshark does the same). Packets
// of a transfer show the file and the request frame; DATA shorter than the block size is the
// last one.
import type { Dissection } from '../dissect/dissection';
import { latin1 } from '../dissect/dissection';
import { expectConversation } from '../dissect/conversation';
import { PerFrameTable, addressKey } from '../dissect/per-frame';
import { defineProtocol } from '../dissect/protocol';
import { tables } from '../dissect/tables';
import { data } from './data';

export { encodeTftp, parseTftp, type TftpRepr } from './tftp-encode';

export const TFTP_PORT = 69;
const DEFAULT_BLKSIZE = 512;

export const TFTP_OPCODES: Readonly<Record<number, string>> = {
  1: 'Read Request',
  2: 'Write Request',
  3: 'Data Packet',
  4: 'Acknowledgement',
  5: 'Error Code',
  6: 'Option Acknowledgement',
};

/** RFC 1350 §5 and RFC 2347 (8). */
export const TFTP_ERRORS: Readonly<Record<number, string>> = {
  0: 'Not defined',
  1: 'File not found',
  2: 'Access violation',
  3: 'Disk full or allocation exceeded',
  4: 'Illegal TFTP Operation',
  5: 'Unknown transfer ID',
  6: 'File already exists',
  7: 'No such user',
  8: 'Option negotiation failed',
};

export const tftp = defineProtocol({
  abbrev: 'tftp',
  name: 'Trivial File Transfer Protocol',
  short: 'TFTP',
  fields: {
    opcode: { abbrev: 'tftp.opcode', name: 'Opcode', type: 'uint16', vals: TFTP_OPCODES },
    sourceFile: { abbrev: 'tftp.source_file', name: 'Source File', type: 'string' },
    destinationFile: { abbrev: 'tftp.destination_file', name: 'Destination File', type: 'string' },
    requestFrame: { abbrev: 'tftp.request_frame', name: 'Request frame', type: 'framenum' },
    type: { abbrev: 'tftp.type', name: 'Type', type: 'string' },
    block: { abbrev: 'tftp.block', name: 'Block', type: 'uint16' },
    blockFull: { abbrev: 'tftp.block.full', name: 'Full Block Number', type: 'uint32' },
    errorCode: { abbrev: 'tftp.error.code', name: 'Error code', type: 'uint16', vals: TFTP_ERRORS },
    errorMessage: { abbrev: 'tftp.error.message', name: 'Error message', type: 'string' },
    optionName: { abbrev: 'tftp.option.name', name: 'Option name', type: 'string' },
    optionValue: { abbrev: 'tftp.option.value', name: 'Option value', type: 'string' },
    data: { abbrev: 'tftp.data', name: 'Data', type: 'bytes' },
  },
  dissect: dissectTftp,
});

// ---- per-capture state: transfers ----

interface Transfer {
  requestFrame: number;
  read: boolean;
  file: string;
  blksize: number;
  /** Block-number wraps seen (blocks past 65535 restart at 0 or 1). */
  wraps: number;
  lastBlock: number;
}

interface TftpState {
  transfers: Transfer[];
  /** Client endpoint (address/port) → latest transfer index. */
  byClient: Map<string, number>;
  /** Per frame: transfer index + 1 (0: none), wraps at that frame. */
  byFrame: PerFrameTable;
}

function state(p: Dissection): TftpState {
  return p.state.slot<TftpState>('tftp', () => ({
    transfers: [],
    byClient: new Map(),
    byFrame: new PerFrameTable(2),
  }));
}

function endpointKey(addr: Uint8Array, port: number): string {
  return `${addressKey(addr)}/${port}`;
}

function dissectTftp(p: Dissection, start: number, end: number): void {
  const f = tftp.f;
  const opcode = p.u16(start);
  const opName = TFTP_OPCODES[opcode] ?? `Unknown (${opcode})`;
  const top = p.add(tftp.field, start, end - start);
  p.open(top);
  p.add(f.opcode, start, 2, opcode);
  const st = state(p);
  const tr = p.transport;
  let info = opName;
  try {
    if (opcode === 1 || opcode === 2) {
      const file = zstring(p, start + 2, end);
      p.add(opcode === 1 ? f.sourceFile : f.destinationFile, start + 2, file.len, file.text);
      const mode = zstring(p, start + 2 + file.len, end);
      p.add(f.type, start + 2 + file.len, mode.len, mode.text);
      info += `, File: ${file.text}, Transfer type: ${mode.text}`;
      const opts = options(p, start + 2 + file.len + mode.len, end);
      info += opts.info;
      const transfer = newTransfer(p, st, opcode === 1, file.text, opts.blksize);
      if (tr && !p.inError) {
        // The server answers from a new port: bind client address:port ↔ server address:any.
        expectConversation(p, {
          transport: 'udp',
          addrA: p.netSrc,
          portA: tr.srcPort,
          addrB: p.netDst,
          portB: 0,
          dissector: tftp,
        });
      }
      void transfer;
      return;
    }
    const transfer = findTransfer(p, st);
    if (transfer) {
      const t = st.transfers[transfer.index]!;
      // tshark 4.0 calls the file "Destination File" on every packet after the request.
      p.addGenerated(f.destinationFile, t.file);
      p.addGenerated(
        f.requestFrame,
        t.requestFrame,
        `${t.read ? 'Read' : 'Write'} Request in frame ${t.requestFrame}`,
      );
    }
    switch (opcode) {
      case 3:
      case 4: {
        const block = p.u16(start + 2);
        p.add(f.block, start + 2, 2, block);
        const full = transfer ? fullBlock(p, st, transfer.index, block) : block;
        p.addGenerated(f.blockFull, full);
        info += `, Block: ${block}`;
        if (opcode === 3) {
          const payload = end - (start + 4);
          const blksize = transfer ? st.transfers[transfer.index]!.blksize : DEFAULT_BLKSIZE;
          if (payload < blksize) info += ' (last)';
          p.close(top);
          if (p.columns) p.setInfo(info);
          if (payload > 0) p.call(data, start + 4, end);
          return;
        }
        break;
      }
      case 5: {
        const code = p.u16(start + 2);
        p.add(f.errorCode, start + 2, 2, code);
        const msg = zstring(p, start + 4, end);
        p.add(f.errorMessage, start + 4, msg.len, msg.text);
        info += `, Code: ${TFTP_ERRORS[code] ?? `Unknown (${code})`}, Message: ${msg.text}`;
        const ex = p.addText('[Expert Info (Warning/Response): TFTP ERROR packet]', start, 0);
        if (ex) ex.severity = 'warn';
        break;
      }
      case 6: {
        const opts = options(p, start + 2, end);
        info += opts.info;
        if (transfer && opts.blksize) st.transfers[transfer.index]!.blksize = opts.blksize;
        break;
      }
      default:
        if (end > start + 2) p.add(f.data, start + 2, end - start - 2);
    }
  } finally {
    p.close(top);
    if (p.columns) p.setInfo(info);
  }
}

function newTransfer(
  p: Dissection,
  st: TftpState,
  read: boolean,
  file: string,
  blksize: number | undefined,
): number {
  const frame = p.frame.number;
  const nth = p.layerNumber('tftp') - 1;
  if (st.byFrame.has(frame, nth)) return st.byFrame.get(frame, nth, 0) - 1;
  const index = st.transfers.length;
  st.transfers.push({
    requestFrame: frame,
    read,
    file,
    blksize: blksize ?? DEFAULT_BLKSIZE,
    wraps: 0,
    lastBlock: 0,
  });
  if (p.netFamily !== 0 && p.transport) st.byClient.set(endpointKey(p.netSrc, p.transport.srcPort), index);
  st.byFrame.set(frame, nth, 0, index + 1);
  return index;
}

/** The transfer this packet belongs to: the one whose client is the source or destination. */
function findTransfer(p: Dissection, st: TftpState): { index: number } | undefined {
  const frame = p.frame.number;
  const nth = p.layerNumber('tftp') - 1;
  if (st.byFrame.has(frame, nth)) {
    const v = st.byFrame.get(frame, nth, 0);
    return v > 0 ? { index: v - 1 } : undefined;
  }
  const tr = p.transport;
  let index: number | undefined;
  if (tr && p.netFamily !== 0) {
    index =
      st.byClient.get(endpointKey(p.netDst, tr.dstPort)) ??
      st.byClient.get(endpointKey(p.netSrc, tr.srcPort));
  }
  if (!p.visited && !p.inError) st.byFrame.set(frame, nth, 0, index === undefined ? 0 : index + 1);
  return index === undefined ? undefined : { index };
}

/** RFC 7440 / long transfers: the block number wraps after 65535; count the wraps. */
function fullBlock(p: Dissection, st: TftpState, index: number, block: number): number {
  const frame = p.frame.number;
  const nth = p.layerNumber('tftp') - 1;
  const t = st.transfers[index]!;
  if (p.visited || st.byFrame.get(frame, nth, 1) > 0) return block + 65536 * st.byFrame.get(frame, nth, 1);
  if (block < 0x1000 && t.lastBlock > 0xf000) t.wraps++;
  t.lastBlock = block;
  if (t.wraps > 0) st.byFrame.set(frame, nth, 1, t.wraps);
  return block + 65536 * t.wraps;
}

function options(p: Dissection, o: number, end: number): { info: string; blksize?: number } {
  const f = tftp.f;
  let info = '';
  let blksize: number | undefined;
  // Each option is two NUL-terminated strings; the loop advances at least 2 bytes per option.
  while (o < end) {
    const name = zstring(p, o, end);
    if (o + name.len >= end) break;
    const value = zstring(p, o + name.len, end);
    const item = p.addText(`Option: ${name.text} = ${value.text}`, o, name.len + value.len);
    p.open(item);
    p.add(f.optionName, o, name.len, name.text);
    p.add(f.optionValue, o + name.len, value.len, value.text);
    p.close(item);
    info += `, ${name.text}=${value.text}`;
    if (name.text.toLowerCase() === 'blksize') {
      const n = Number(value.text);
      if (Number.isInteger(n) && n >= 8 && n <= 65464) blksize = n;
    }
    o += name.len + value.len;
  }
  return { info, blksize };
}

/** A NUL-terminated string at `o` (at most to `end`); `len` includes the NUL when present. */
function zstring(p: Dissection, o: number, end: number): { text: string; len: number } {
  const lim = Math.min(end, p.data.length);
  let z = o;
  while (z < lim && p.data[z] !== 0) z++;
  if (z >= lim && o >= lim) p.check(o, 1);
  return { text: latin1(p.data.subarray(o, z)), len: z < lim ? z - o + 1 : z - o };
}

tables.udpPort.register(TFTP_PORT, tftp);
