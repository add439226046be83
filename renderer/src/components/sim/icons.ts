// Node icons for the topology graph, one per device kind, as SVG data URIs (the CSP allows
// `img-src data:`). Drawn in the style of network diagrams: a screen for a host, a round
// router with its four arrows, a flat switch with crossing arrows, a flat hub with ports.
const stroke = '#ffffff';

function uri(svg: string): string {
  return `data:image/svg+xml;utf8,${encodeURIComponent(svg)}`;
}

const host = uri(`<svg xmlns="http://www.w3.org/2000/svg" width="48" height="48" viewBox="0 0 48 48">
<rect x="6" y="8" width="36" height="24" rx="2" fill="none" stroke="${stroke}" stroke-width="3"/>
<path d="M18 40h12M24 32v8" stroke="${stroke}" stroke-width="3" fill="none"/></svg>`);

const router =
  uri(`<svg xmlns="http://www.w3.org/2000/svg" width="48" height="48" viewBox="0 0 48 48" fill="none" stroke="${stroke}" stroke-width="3">
<path d="M24 6v14M24 6l-5 5M24 6l5 5M24 42V28M24 42l-5-5M24 42l5-5"/>
<path d="M6 24h14M6 24l5-5M6 24l5 5M42 24H28M42 24l-5-5M42 24l-5 5"/></svg>`);

const switchIcon =
  uri(`<svg xmlns="http://www.w3.org/2000/svg" width="48" height="48" viewBox="0 0 48 48" fill="none" stroke="${stroke}" stroke-width="3">
<path d="M8 16h30M38 16l-6-5M38 16l-6 5M40 32H10M10 32l6-5M10 32l6 5"/></svg>`);

const hub =
  uri(`<svg xmlns="http://www.w3.org/2000/svg" width="48" height="48" viewBox="0 0 48 48" fill="${stroke}">
<circle cx="12" cy="24" r="4"/><circle cx="24" cy="24" r="4"/><circle cx="36" cy="24" r="4"/></svg>`);

export const NODE_ICONS: Record<string, string> = { host, router, switch: switchIcon, hub };

/** Fill colour per kind (with the icon in white on top). */
export const NODE_COLORS: Record<string, string> = {
  host: '#3b6fb6',
  router: '#2f8f5b',
  switch: '#7a5bb5',
  hub: '#b5741f',
};

/** Packet colours in the animation and the event list, by protocol. */
export function protocolColor(protocol: string | undefined): string {
  switch (protocol) {
    case 'ARP':
      return '#d6a400';
    case 'ICMP':
      return '#c2185b';
    case 'TCP':
    case 'HTTP':
      return '#1e88e5';
    case 'UDP':
    case 'DNS':
    case 'DHCP':
    case 'TFTP':
      return '#00897b';
    default:
      return '#616161';
  }
}
