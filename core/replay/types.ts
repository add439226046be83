// The replay summary's shape, types only: the Engine API hands it to the renderer as a DTO.

export interface CountRow {
  what: string;
  count: number;
}

export interface ConversationRow {
  /** `TCP 10.0.0.1:40000 ↔ 10.0.0.2:80`. */
  conversation: string;
  datagrams: number;
  injected: number;
  delivered: number;
  dropped: number;
}

export interface DeliveryRow {
  frame: number;
  node: string;
  /** TTL / hop limit as captured and as delivered. */
  ttlSent: number;
  ttlDelivered: number;
  time: number;
}

export interface ReplaySummary {
  frames: number;
  datagrams: number;
  /** Non-IP and damaged frames that were not replayed. */
  skippedFrames: CountRow[];
  damage?: { offset: number; reason: string; afterFrame: number };
  countReached: boolean;
  /** Datagrams whose source address no node owns, by address. */
  unmappedSources: CountRow[];
  /** Destination addresses no node owns (the datagrams were still sent). */
  unmappedDestinations: CountRow[];
  sameNode: number;
  injected: number;
  delivered: number;
  dropped: number;
  dropReasons: CountRow[];
  /** IPv4 header checksums that were wrong in the capture (e.g. offloading) and recomputed. */
  checksumsFixed: number;
  /** ICMP errors and redirects the network sent to replay nodes (not from the capture). */
  icmpFromNetwork: CountRow[];
  /** Other datagrams that reached a replay node without matching a replayed one. */
  unmatchedArrivals: number;
  /** Drop events the links and devices recorded (queue full, loss, link down …). */
  dropEvents: CountRow[];
  conversations: ConversationRow[];
  /** Per delivered datagram (for tests and the view). */
  deliveries: DeliveryRow[];
  /** Simulated seconds when the last event ran. */
  endTime: number;
  speed: number;
}
