// FTP and FTP-DATA on a real capture (curl against a small server — scripts/fixtures/http.sh):
// EPSV, PASV, EPRT, PORT, LIST and STOR sessions, every packet against tshark 4.0.
import { describe, expect, it } from 'vitest';
import { dissectPacket } from '../../../core/dissect/packet';
import { CaptureState } from '../../../core/dissect/state';
import { Dissection, type TreeNode } from '../../../core/dissect/dissection';
import { readClassicPcap } from '../../helpers/decode';
import { compareApp } from './app-golden';

const PCAP = 'test/fixtures/app/ftp.pcap';

describe('FTP against tshark 4.0', () => {
  it('commands, replies, passive/active addresses, working directory and data connections', () => {
    const r = compareApp(PCAP, 'test/fixtures/app/ftp.tshark.tsv');
    expect(r.unknown).toEqual([]);
    expect(r.mismatches).toEqual([]);
  });

  it('tree: reply code names, data connection setup items, text lines', () => {
    const records = readClassicPcap(PCAP);
    const state = new CaptureState();
    const p = new Dissection();
    const trees = new Map<number, TreeNode[]>();
    for (const r of records) {
      const want = r.meta.number === 50 || r.meta.number === 24;
      dissectPacket(r.meta, r.data, state, { tree: want }, p);
      if (want) trees.set(r.meta.number, [...p.roots]);
    }
    const ftpNode = trees.get(50)!.find((n) => n.field === 'ftp')!;
    const line = ftpNode.children![0]!;
    expect(line.label).toBe('227 Entering Passive Mode (10,80,0,1,147,171).\\r\\n');
    expect(line.children!.map((n) => n.label)).toEqual([
      'Response code: Entering Passive Mode (227)',
      'Response arg: Entering Passive Mode (10,80,0,1,147,171).',
      'Passive IP address: 10.80.0.1',
      'Passive port: 37803',
    ]);
    const data = trees.get(24)!;
    expect(data.map((n) => n.label).slice(-7)).toEqual([
      'FTP Data (15 bytes data)',
      '[Setup frame: 14]',
      '[Setup method: EPASV]',
      '[Command: TYPE I]',
      'Command frame: 18',
      '[Current working directory: /]',
      'Line-based text data (1 lines)',
    ]);
  });

  it('revisits show what the first pass learned', () => {
    const records = readClassicPcap(PCAP);
    const state = new CaptureState();
    const p = new Dissection();
    for (const r of records) dissectPacket(r.meta, r.data, state, { tree: false }, p);
    const r = records[59]!; // frame 60: PASV data
    dissectPacket(r.meta, r.data, state, { tree: false }, p, true);
    expect(p.cols.protocol).toBe('FTP-DATA');
    expect(p.cols.info).toBe('FTP Data: 15 bytes (PASV) (TYPE I)');
  });
});
