// Loading this module registers every protocol in its dissector tables. Import it (once) before
// decoding; order matters only for heuristics, which run in registration order.
export { frame } from './frame';
export { data } from './data';
export { eth } from './eth';
export { vlan, ieee8021ad } from './vlan';
export { llc } from './llc';
export { arp } from './arp';
export { sll } from './sll';
export { sll2 } from './sll2';
export { nullLoopback } from './null';
export { raw } from './rawip';
export { ip } from './ip';
export { icmp } from './icmp';
export { ipv6 } from './ipv6';
export { icmpv6 } from './icmpv6';
export { igmp } from './igmp';
export { udp } from './udp';
export { tcp } from './tcp';
import '../analysis/tcp-analysis'; // TCP sequence analysis hooks into tcp (tcpAnalyzers)
export { dns, mdns, llmnr } from './dns';
export { dhcp } from './dhcp';
export { tftp } from './tftp';
export { dhcpv6 } from './dhcpv6';
export { ntp } from './ntp';
export { syslog } from './syslog';
export { vxlan } from './vxlan';
export { geneve } from './geneve';
export { gre, cmd } from './gre';
export { erspan } from './erspan';
export { ipInIp, ipv6InIp } from './ipip';
export { esp } from './esp';
export { ah } from './ah';
export { tls } from './tls';
export { rip } from './rip';
export { ospf } from './ospf';
export { http, ssdp } from './http';
export { http2 } from './http2';
export { bgp } from './bgp';
