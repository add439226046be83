// Loading this module registers every protocol in its dissector tables. Import it (once) before
// decoding; order matters only for heuristics, which run in registration order.
export { frame } from './frame';
export { data } from './data';
export { eth } from './eth';
export { ip } from './ip';
export { icmp } from './icmp';
export { ipv6 } from './ipv6';
export { udp } from './udp';
export { tcp } from './tcp';
