// OSPFv2, OSPFv3, BGP-4 and RIPv1/v2 on real traffic between BIRD routers, and OSPFv2 with
// TE/RI/Segment Routing opaque LSAs between FRR routers (made by scripts/fixtures/routing.sh,
// ospf3.sh, ospf3-auth.sh and ospf-sr.sh): every packet's Protocol, Info and fields equal
// tshark 4.0's.
import { describe, expect, it } from 'vitest';
import { compareApp } from './app-golden';

const DIR = `${__dirname}/../../fixtures/routing/`;

describe('routing protocols against tshark', () => {
  for (const name of ['ospf', 'ospf3', 'ospf3-auth', 'ospf-sr', 'bgp', 'rip1', 'rip2']) {
    it(`${name}: every packet as tshark decodes it`, () => {
      const { mismatches, unknown } = compareApp(`${DIR}${name}.pcap`, `${DIR}${name}.tshark.tsv`);
      expect(unknown).toEqual([]);
      expect(mismatches.slice(0, 10)).toEqual([]);
    });
  }
});
