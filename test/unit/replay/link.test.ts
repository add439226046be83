// The link-layer strip: where the IP datagram starts for each link type we replay.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openCaptureBytes } from '../../../core/capture';
import { LINKTYPE } from '../../../core/capture/linktypes';
import { findIpDatagram, readReplayInput } from '../../../core/replay';
import { fromHex } from '../../helpers/decode';

const ROOT = new URL('../../../', import.meta.url).pathname;
const IPV4 = '450000140001000040010000c0000201c0000202';
const IPV6 = '6000000000003b40' + '20010db8000000000000000000000001' + '20010db8000000000000000000000002';

function replayInput(path: string) {
  const r = openCaptureBytes(readFileSync(`${ROOT}${path}`), path);
  try {
    return readReplayInput(r);
  } finally {
    r.close();
  }
}

describe('findIpDatagram', () => {
  it('Ethernet II, with one and two VLAN tags', () => {
    const eth = '020000000002' + '020000000001';
    expect(findIpDatagram(LINKTYPE.ETHERNET, fromHex(eth + '0800' + IPV4))).toEqual({ family: 4, start: 14 });
    expect(findIpDatagram(LINKTYPE.ETHERNET, fromHex(eth + '8100000a86dd' + IPV6))).toEqual({
      family: 6,
      start: 18,
    });
    expect(findIpDatagram(LINKTYPE.ETHERNET, fromHex(eth + '88a80064' + '8100000a' + '0800' + IPV4))).toEqual(
      {
        family: 4,
        start: 22,
      },
    );
  });

  it('names what is not IP: an ethertype, 802.3 LLC, a frame cut short', () => {
    const eth = '020000000002' + '020000000001';
    expect(findIpDatagram(LINKTYPE.ETHERNET, fromHex(eth + '0806' + '0001'))).toEqual({
      family: 0,
      ethertype: 0x0806,
    });
    expect(findIpDatagram(LINKTYPE.ETHERNET, fromHex(eth + '0026' + '424203'))).toEqual({
      family: 0,
      ethertype: 0,
    });
    expect(findIpDatagram(LINKTYPE.ETHERNET, fromHex('0200000000'))).toEqual({
      family: 0,
      ethertype: 0,
      why: 'Ethernet header cut short',
    });
    expect(findIpDatagram(LINKTYPE.ETHERNET, fromHex(eth + '8100'))).toMatchObject({
      why: '802.1Q header cut short',
    });
  });

  it('Linux cooked capture v1 and v2', () => {
    const sll = '0000' + '0001' + '0006' + '020000000001' + '0000' + '0800';
    expect(findIpDatagram(LINKTYPE.LINUX_SLL, fromHex(sll + IPV4))).toEqual({ family: 4, start: 16 });
    const sll2 = '86dd' + '0000' + '00000002' + '0001' + '00' + '06' + '0200000000010000';
    expect(findIpDatagram(LINKTYPE.LINUX_SLL2, fromHex(sll2 + IPV6))).toEqual({ family: 6, start: 20 });
  });

  it('NULL in either byte order, LOOP in network order, raw IP', () => {
    expect(findIpDatagram(LINKTYPE.NULL, fromHex('02000000' + IPV4))).toEqual({ family: 4, start: 4 });
    expect(findIpDatagram(LINKTYPE.NULL, fromHex('00000002' + IPV4))).toEqual({ family: 4, start: 4 });
    expect(findIpDatagram(LINKTYPE.NULL, fromHex('1e000000' + IPV6))).toEqual({ family: 6, start: 4 });
    expect(findIpDatagram(LINKTYPE.LOOP, fromHex('0000001c' + IPV6))).toEqual({ family: 6, start: 4 });
    expect(findIpDatagram(LINKTYPE.RAW, fromHex(IPV6))).toEqual({ family: 6, start: 0 });
    expect(findIpDatagram(LINKTYPE.IPV4, fromHex(IPV4))).toEqual({ family: 4, start: 0 });
    expect(findIpDatagram(LINKTYPE.RAW, fromHex('00'))).toMatchObject({ family: 0 });
    expect(findIpDatagram(105, fromHex('00'))).toEqual({
      family: 0,
      ethertype: 0,
      why: 'link type 105 is not replayed',
    });
  });
});

describe('reading real captures of several link types', () => {
  it('raw IPv4', () => {
    const inp = replayInput('test/fixtures/capture/raw4.pcap');
    expect(inp.frames).toBe(30);
    expect(inp.datagrams.length + [...inp.skipped.values()].reduce((a, b) => a + b, 0)).toBe(30);
    expect(inp.datagrams.length).toBeGreaterThan(0);
  });

  it('Ethernet and Linux cooked v2 in one gzip pcapng: the same datagrams either way', () => {
    const inp = replayInput('test/fixtures/capture/merged-eth-sll2.pcapng.gz');
    expect(inp.frames).toBe(50);
    expect(inp.datagrams.length).toBeGreaterThan(40);
    for (const d of inp.datagrams) expect([4, 6]).toContain(d.bytes[0]! >> 4);
  });

  it('cuts Ethernet padding: the datagram is as long as its header says', () => {
    const pad = fromHex(
      '020000000002' + '020000000001' + '0800' + IPV4 + '0000000000000000000000000000000000000000',
    );
    const r = openCaptureBytes(pcapOf(pad), 'pad.pcap');
    const inp = readReplayInput(r);
    expect(inp.datagrams[0]!.bytes).toHaveLength(20);
  });

  it('skips a datagram cut short by the snapshot length', () => {
    const ip = fromHex('450000640001000040110000c0000201c0000202');
    const r = openCaptureBytes(
      pcapOf(fromHex('020000000002' + '020000000001' + '0800' + Buffer.from(ip).toString('hex'))),
      'cut.pcap',
    );
    const inp = readReplayInput(r);
    expect(inp.datagrams).toHaveLength(0);
    expect(Object.fromEntries(inp.skipped)).toEqual({ 'IPv4 datagram cut short by the snapshot length': 1 });
  });
});

/** A one-frame classic pcap (Ethernet). */
function pcapOf(frame: Uint8Array): Uint8Array {
  const b = Buffer.alloc(24 + 16 + frame.length);
  b.writeUInt32LE(0xa1b2c3d4, 0);
  b.writeUInt16LE(2, 4);
  b.writeUInt16LE(4, 6);
  b.writeUInt32LE(65535, 16);
  b.writeUInt32LE(1, 20);
  b.writeUInt32LE(1, 24);
  b.writeUInt32LE(frame.length, 32);
  b.writeUInt32LE(frame.length + 100, 36);
  Buffer.from(frame).copy(b, 40);
  return b;
}
