// The filter bar's pure logic: Wireshark's Apply/Prepare-as-Filter combinations, conversation and
// protocol filters from a real packet's details (the engine's tree), the completion word, history.
import { describe, expect, it } from 'vitest';
import { Engine } from '../../../core/engine/engine';
import {
  combineFilter,
  conversationFilters,
  fieldValues,
  protocolFilter,
} from '../../../renderer/src/filter-language/actions';
import { completionWordStart, singleLine } from '../../../renderer/src/filter-language/completion-context';
import { pushHistory } from '../../../renderer/src/stores/filters';

const FIXTURE = new URL('../../fixtures/captures/netns-mixed.pcap', import.meta.url).pathname;

describe('combineFilter', () => {
  const sel = 'ip.src == 10.0.0.1';
  it('spells each combination as Wireshark 4.0 does', () => {
    expect(combineFilter('tcp', sel, 'selected')).toBe(sel);
    expect(combineFilter('tcp', sel, 'not')).toBe('!(ip.src == 10.0.0.1)');
    expect(combineFilter('tcp', sel, 'and')).toBe('(tcp) && (ip.src == 10.0.0.1)');
    expect(combineFilter('tcp', sel, 'or')).toBe('(tcp) || (ip.src == 10.0.0.1)');
    expect(combineFilter('tcp', sel, 'andNot')).toBe('(tcp) && !(ip.src == 10.0.0.1)');
    expect(combineFilter('tcp', sel, 'orNot')).toBe('(tcp) || !(ip.src == 10.0.0.1)');
  });
  it('with an empty bar the and/or forms are the selection alone', () => {
    expect(combineFilter('  ', sel, 'and')).toBe(sel);
    expect(combineFilter('', sel, 'or')).toBe(sel);
    expect(combineFilter('', sel, 'andNot')).toBe('!(ip.src == 10.0.0.1)');
    expect(combineFilter('', sel, 'orNot')).toBe('!(ip.src == 10.0.0.1)');
  });
});

describe('filters from a packet', () => {
  it('conversation filters of a TCP/IPv4 packet and an ICMPv6 one', async () => {
    const engine = new Engine();
    await engine.openFile(FIXTURE);
    const syn = (await engine.packet(15)).tree;
    expect(conversationFilters(syn)).toEqual([
      {
        label: 'Ethernet',
        filter: expect.stringMatching(/^eth\.addr == [0-9a-f:]{17} && eth\.addr == [0-9a-f:]{17}$/),
      },
      { label: 'IPv4', filter: 'ip.addr == 10.99.0.1 && ip.addr == 10.99.0.2' },
      { label: 'TCP', filter: 'tcp.stream eq 0' },
    ]);
    expect(protocolFilter(syn, 'TCP')).toBe('tcp');
    expect(fieldValues(syn).get('tcp.dstport')).toEqual(['7001']);
    const ns = (await engine.packet(7)).tree;
    expect(conversationFilters(ns).map((c) => c.label)).toEqual(['Ethernet', 'IPv6']);
    expect(protocolFilter(ns, 'ICMPv6')).toBe('icmpv6');
    const arp = (await engine.packet(1)).tree;
    expect(protocolFilter(arp, 'ARP')).toBe('arp');
  });
});

describe('completion word and text', () => {
  it('finds the word a completion replaces', () => {
    expect(completionWordStart('tcp.fl', 6)).toBe(0);
    expect(completionWordStart('ip.src == 1 && tcp.fl', 21)).toBe(15);
    expect(completionWordStart('http.request.method == "GE', 26)).toBe(23);
    expect(completionWordStart('(frame.len-6', 12)).toBe(1);
    expect(completionWordStart('ip.proto == ', 12)).toBe(12);
    expect(completionWordStart('!tcp', 4)).toBe(1);
  });
  it('keeps the bar on one line', () => {
    expect(singleLine('tcp\nor udp\r\nor icmp')).toBe('tcp or udp or icmp');
  });
  it('history: most recent first, no duplicates, bounded', () => {
    expect(pushHistory(['a', 'b', 'c'], 'b')).toEqual(['b', 'a', 'c']);
    expect(pushHistory(['a', 'b'], 'c', 2)).toEqual(['c', 'a']);
  });
});
