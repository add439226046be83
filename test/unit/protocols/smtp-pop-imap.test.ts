// SMTP (with the message after DATA as IMF), POP3 and IMAP on a real capture (curl against
// small servers — scripts/fixtures/http.sh), every packet against tshark 4.0.
import { describe, expect, it } from 'vitest';
import { dissectPacket } from '../../../core/dissect/packet';
import { CaptureState } from '../../../core/dissect/state';
import { Dissection, type TreeNode } from '../../../core/dissect/dissection';
import { readClassicPcap } from '../../helpers/decode';
import { compareApp } from './app-golden';

const PCAP = 'test/fixtures/app/mail.pcap';

function tree(frame: number): TreeNode[] {
  const state = new CaptureState();
  const p = new Dissection();
  let roots: TreeNode[] = [];
  for (const r of readClassicPcap(PCAP)) {
    dissectPacket(r.meta, r.data, state, { tree: r.meta.number === frame }, p);
    if (r.meta.number === frame) roots = [...p.roots];
  }
  return roots;
}

describe('mail protocols against tshark 4.0', () => {
  it('SMTP, POP and IMAP: Protocol, Info and fields of every packet', () => {
    const r = compareApp(PCAP, 'test/fixtures/app/mail.tshark.tsv');
    expect(r.unknown).toEqual([]);
    expect(r.mismatches).toEqual([]);
  });

  it('SMTP: a multi-line reply keeps one code and a parameter per line', () => {
    const smtpNode = tree(8).find((n) => n.field === 'smtp')!;
    const response = smtpNode.children![0]!;
    expect(response.label).toBe('Response: 250-mail.example.test\\r\\n');
    expect(response.children!.map((n) => n.label)).toEqual([
      'Response code: Requested mail action okay, completed (250)',
      'Response parameter: mail.example.test',
      'Response parameter: PIPELINING',
      'Response parameter: SIZE 10240000',
      'Response parameter: 8BITMIME',
    ]);
  });

  it('SMTP: the message is reassembled at "." and decoded as IMF beside SMTP', () => {
    const roots = tree(16);
    const imfNode = roots.find((n) => n.field === 'imf')!;
    expect(imfNode.children!.map((n) => n.label)).toEqual([
      'From: alice@example.test, 1 item',
      'To: bob@example.test, 1 item',
      'Subject: test',
      'Message-Text',
    ]);
  });

  it('IMAP: responses name their request and the time it took', () => {
    const imapNode = tree(50).find((n) => n.field === 'imap')!;
    const tagged = imapNode.children![1]!;
    expect(tagged.children!.map((n) => n.label)).toEqual([
      'Response: A001 OK Capability completed.',
      'Response Tag: A001',
      'Response Status: OK',
      'Response Command: Capability',
      '[Request In: 48]',
      expect.stringMatching(/^\[Response Time: 0\.0000\d+ seconds\]$/),
    ]);
  });
});
