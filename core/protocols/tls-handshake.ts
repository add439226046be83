// TLS handshake messages (RFC 8446 §4, RFC 5246 §7.4) and hello extensions, with tshark 4.0's
// field names and labels. Used by tls.ts for records over TCP (and usable by QUIC's CRYPTO
// frames once decrypted). Every length is checked against its container, every loop is
// bounded by the bytes it walks.
import type { Dissection, TreeNode } from '../dissect/dissection';
import type { FieldSpec } from '../dissect/fields';
import { bytesToHex, formatAbsoluteTime, hex } from '../dissect/format';
import { protocols } from '../dissect/protocol';
import { ja3, ja3Full, ja3s, ja3sFull, ja4, ja4Raw, type ClientHelloSummary } from './ja';
import {
  CIPHER_SUITES,
  COMPRESSION_METHODS,
  CURVE_TYPES,
  EC_POINT_FORMATS,
  EXTENSION_TYPES,
  HANDSHAKE_TYPES,
  SIG_HASH_HASH,
  SIG_HASH_SIG,
  SIGNATURE_SCHEMES,
  SUPPORTED_GROUPS,
  VERSIONS,
} from './tls-names';
import { certificateDetail, certificateSubject, dissectCertificate } from './x509';
import { clampLabel, hexLabel, readTlv, type Tlv } from './x509-der';
import { varint } from './quic-varint';
import { registerExtension } from './x509-extensions';

const HS_CLIENT_HELLO = 1;
const HS_SERVER_HELLO = 2;
const HS_NEW_SESSION_TICKET = 4;
const HS_ENCRYPTED_EXTENSIONS = 8;
const HS_CERTIFICATE = 11;
const HS_SERVER_KEY_EXCHANGE = 12;
const HS_CERTIFICATE_REQUEST = 13;
const HS_SERVER_HELLO_DONE = 14;
const HS_CLIENT_KEY_EXCHANGE = 16;
const HS_FINISHED = 20;

/** RFC 8446 §4.1.3: a Server Hello with this random is a HelloRetryRequest. */
const HRR_RANDOM = 'cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c';

const PSK_KE_MODES: Readonly<Record<number, string>> = {
  0: 'PSK-only key establishment (psk_ke)',
  1: 'PSK with (EC)DHE key establishment (psk_dhe_ke)',
};

/** RFC 9000 §18.2 transport parameters (tshark's names). */
const QUIC_PARAMETERS: Readonly<Record<number, string>> = {
  0x00: 'original_destination_connection_id',
  0x01: 'max_idle_timeout',
  0x02: 'stateless_reset_token',
  0x03: 'max_udp_payload_size',
  0x04: 'initial_max_data',
  0x05: 'initial_max_stream_data_bidi_local',
  0x06: 'initial_max_stream_data_bidi_remote',
  0x07: 'initial_max_stream_data_uni',
  0x08: 'initial_max_streams_bidi',
  0x09: 'initial_max_streams_uni',
  0x0a: 'ack_delay_exponent',
  0x0b: 'max_ack_delay',
  0x0c: 'disable_active_migration',
  0x0d: 'preferred_address',
  0x0e: 'active_connection_id_limit',
  0x0f: 'initial_source_connection_id',
  0x10: 'retry_source_connection_id',
  0x20: 'max_datagram_frame_size',
};

export const handshakeFields = {
  handshake: { abbrev: 'tls.handshake', name: 'Handshake Protocol', type: 'none' },
  hsType: { abbrev: 'tls.handshake.type', name: 'Handshake Type', type: 'uint8', vals: HANDSHAKE_TYPES },
  hsLength: { abbrev: 'tls.handshake.length', name: 'Length', type: 'uint24' },
  hsVersion: {
    abbrev: 'tls.handshake.version',
    name: 'Version',
    type: 'uint16',
    base: 'hex',
    vals: VERSIONS,
  },
  random: { abbrev: 'tls.handshake.random', name: 'Random', type: 'bytes' },
  randomTime: { abbrev: 'tls.handshake.random_time', name: 'GMT Unix Time', type: 'abstime' },
  randomBytes: { abbrev: 'tls.handshake.random_bytes', name: 'Random Bytes', type: 'bytes' },
  sessionIdLength: { abbrev: 'tls.handshake.session_id_length', name: 'Session ID Length', type: 'uint8' },
  sessionId: { abbrev: 'tls.handshake.session_id', name: 'Session ID', type: 'bytes' },
  cipherSuitesLength: {
    abbrev: 'tls.handshake.cipher_suites_length',
    name: 'Cipher Suites Length',
    type: 'uint16',
  },
  cipherSuites: { abbrev: 'tls.handshake.ciphersuites', name: 'Cipher Suites', type: 'none' },
  cipherSuite: {
    abbrev: 'tls.handshake.ciphersuite',
    name: 'Cipher Suite',
    type: 'uint16',
    base: 'hex',
    vals: CIPHER_SUITES,
  },
  compMethodsLength: {
    abbrev: 'tls.handshake.comp_methods_length',
    name: 'Compression Methods Length',
    type: 'uint8',
  },
  compMethods: { abbrev: 'tls.handshake.comp_methods', name: 'Compression Methods', type: 'none' },
  compMethod: {
    abbrev: 'tls.handshake.comp_method',
    name: 'Compression Method',
    type: 'uint8',
    vals: COMPRESSION_METHODS,
  },
  extensionsLength: { abbrev: 'tls.handshake.extensions_length', name: 'Extensions Length', type: 'uint16' },
  extension: { abbrev: 'tls.handshake.extension', name: 'Extension', type: 'none' },
  extType: { abbrev: 'tls.handshake.extension.type', name: 'Type', type: 'uint16', vals: EXTENSION_TYPES },
  extLen: { abbrev: 'tls.handshake.extension.len', name: 'Length', type: 'uint16' },
  extData: { abbrev: 'tls.handshake.extension.data', name: 'Data', type: 'bytes' },
  sniListLen: {
    abbrev: 'tls.handshake.extensions_server_name_list_len',
    name: 'Server Name list length',
    type: 'uint16',
  },
  sniType: {
    abbrev: 'tls.handshake.extensions_server_name_type',
    name: 'Server Name Type',
    type: 'uint8',
    vals: { 0: 'host_name' },
  },
  sniLen: { abbrev: 'tls.handshake.extensions_server_name_len', name: 'Server Name length', type: 'uint16' },
  sni: { abbrev: 'tls.handshake.extensions_server_name', name: 'Server Name', type: 'string' },
  alpnLen: { abbrev: 'tls.handshake.extensions_alpn_len', name: 'ALPN Extension Length', type: 'uint16' },
  alpnList: { abbrev: 'tls.handshake.extensions_alpn_list', name: 'ALPN Protocol', type: 'none' },
  alpnStrLen: { abbrev: 'tls.handshake.extensions_alpn_str_len', name: 'ALPN string length', type: 'uint8' },
  alpnStr: { abbrev: 'tls.handshake.extensions_alpn_str', name: 'ALPN Next Protocol', type: 'string' },
  supportedVersionsLen: {
    abbrev: 'tls.handshake.extensions.supported_versions_len',
    name: 'Supported Versions length',
    type: 'uint8',
  },
  supportedVersion: {
    abbrev: 'tls.handshake.extensions.supported_version',
    name: 'Supported Version',
    type: 'uint16',
    base: 'hex',
    vals: VERSIONS,
  },
  groupsLength: {
    abbrev: 'tls.handshake.extensions_supported_groups_length',
    name: 'Supported Groups List Length',
    type: 'uint16',
  },
  groups: { abbrev: 'tls.handshake.extensions_supported_groups', name: 'Supported Groups', type: 'none' },
  group: {
    abbrev: 'tls.handshake.extensions_supported_group',
    name: 'Supported Group',
    type: 'uint16',
    base: 'hex',
    vals: SUPPORTED_GROUPS,
  },
  pointFormatsLength: {
    abbrev: 'tls.handshake.extensions_ec_point_formats_length',
    name: 'EC point formats Length',
    type: 'uint8',
  },
  pointFormat: {
    abbrev: 'tls.handshake.extensions_ec_point_format',
    name: 'EC point format',
    type: 'uint8',
    vals: EC_POINT_FORMATS,
  },
  sigHashAlgLen: {
    abbrev: 'tls.handshake.sig_hash_alg_len',
    name: 'Signature Hash Algorithms Length',
    type: 'uint16',
  },
  sigHashAlgs: { abbrev: 'tls.handshake.sig_hash_algs', name: 'Signature Algorithms', type: 'none' },
  sigHashAlg: {
    abbrev: 'tls.handshake.sig_hash_alg',
    name: 'Signature Algorithm',
    type: 'uint16',
    base: 'hex',
    vals: SIGNATURE_SCHEMES,
  },
  sigHashHash: {
    abbrev: 'tls.handshake.sig_hash_hash',
    name: 'Signature Hash Algorithm Hash',
    type: 'uint8',
    vals: SIG_HASH_HASH,
  },
  sigHashSig: {
    abbrev: 'tls.handshake.sig_hash_sig',
    name: 'Signature Hash Algorithm Signature',
    type: 'uint8',
    vals: SIG_HASH_SIG,
  },
  renegInfoLen: {
    abbrev: 'tls.handshake.extensions_reneg_info_len',
    name: 'Renegotiation info extension length',
    type: 'uint8',
  },
  statusRequestType: {
    abbrev: 'tls.handshake.extensions_status_request_type',
    name: 'Certificate Status Type',
    type: 'uint8',
    vals: { 1: 'OCSP', 2: 'OCSP Multi' },
  },
  statusRequestResponderIdsLen: {
    abbrev: 'tls.handshake.extensions_status_request_responder_ids_len',
    name: 'Responder ID list Length',
    type: 'uint16',
  },
  statusRequestExtsLen: {
    abbrev: 'tls.handshake.extensions_status_request_exts_len',
    name: 'Request Extensions Length',
    type: 'uint16',
  },
  recordSizeLimit: { abbrev: 'tls.record_size_limit', name: 'Record Size Limit', type: 'uint16' },
  compressAlgorithmsLength: {
    abbrev: 'tls.compress_certificate.algorithms_length',
    name: 'Algorithms Length',
    type: 'uint8',
  },
  compressAlgorithm: {
    abbrev: 'tls.compress_certificate.algorithm',
    name: 'Algorithm',
    type: 'uint16',
    vals: { 1: 'zlib', 2: 'brotli', 3: 'zstd' },
  },
  pskIdentitiesLength: {
    abbrev: 'tls.handshake.extensions.psk.identities.length',
    name: 'Identities Length',
    type: 'uint16',
  },
  pskIdentityLength: {
    abbrev: 'tls.handshake.extensions.psk.identity.identity_length',
    name: 'Identity Length',
    type: 'uint16',
  },
  pskIdentity: { abbrev: 'tls.handshake.extensions.psk.identity.identity', name: 'Identity', type: 'bytes' },
  pskTicketAge: {
    abbrev: 'tls.handshake.extensions.psk.identity.obfuscated_ticket_age',
    name: 'Obfuscated Ticket Age',
    type: 'uint32',
  },
  pskBindersLen: {
    abbrev: 'tls.handshake.extensions.psk.binders_len',
    name: 'PSK Binders length',
    type: 'uint16',
  },
  pskSelected: {
    abbrev: 'tls.handshake.extensions.psk.identity.selected',
    name: 'Selected Identity',
    type: 'uint16',
  },
  quicParamType: {
    abbrev: 'tls.quic.parameter.type',
    name: 'Type',
    type: 'uint64',
    vals: QUIC_PARAMETERS,
  },
  quicParamLength: { abbrev: 'tls.quic.parameter.length', name: 'Length', type: 'uint64' },
  quicParamValue: { abbrev: 'tls.quic.parameter.value', name: 'Value', type: 'bytes' },
  quicMaxIdleTimeout: {
    abbrev: 'tls.quic.parameter.max_idle_timeout',
    name: 'max_idle_timeout',
    type: 'uint64',
  },
  quicMaxUdpPayloadSize: {
    abbrev: 'tls.quic.parameter.max_udp_payload_size',
    name: 'max_udp_payload_size',
    type: 'uint64',
  },
  quicInitialMaxData: {
    abbrev: 'tls.quic.parameter.initial_max_data',
    name: 'initial_max_data',
    type: 'uint64',
  },
  quicInitialMaxStreamDataBidiLocal: {
    abbrev: 'tls.quic.parameter.initial_max_stream_data_bidi_local',
    name: 'initial_max_stream_data_bidi_local',
    type: 'uint64',
  },
  quicInitialMaxStreamDataBidiRemote: {
    abbrev: 'tls.quic.parameter.initial_max_stream_data_bidi_remote',
    name: 'initial_max_stream_data_bidi_remote',
    type: 'uint64',
  },
  quicInitialMaxStreamDataUni: {
    abbrev: 'tls.quic.parameter.initial_max_stream_data_uni',
    name: 'initial_max_stream_data_uni',
    type: 'uint64',
  },
  quicInitialMaxStreamsBidi: {
    abbrev: 'tls.quic.parameter.initial_max_streams_bidi',
    name: 'initial_max_streams_bidi',
    type: 'uint64',
  },
  quicInitialMaxStreamsUni: {
    abbrev: 'tls.quic.parameter.initial_max_streams_uni',
    name: 'initial_max_streams_uni',
    type: 'uint64',
  },
  quicAckDelayExponent: {
    abbrev: 'tls.quic.parameter.ack_delay_exponent',
    name: 'ack_delay_exponent',
    type: 'uint64',
  },
  quicMaxAckDelay: { abbrev: 'tls.quic.parameter.max_ack_delay', name: 'max_ack_delay', type: 'uint64' },
  quicActiveConnectionIdLimit: {
    abbrev: 'tls.quic.parameter.active_connection_id_limit',
    name: 'Active Connection ID Limit',
    type: 'uint64',
  },
  quicOriginalDcid: {
    abbrev: 'tls.quic.parameter.original_destination_connection_id',
    name: 'original_destination_connection_id',
    type: 'bytes',
  },
  quicInitialScid: {
    abbrev: 'tls.quic.parameter.initial_source_connection_id',
    name: 'Initial Source Connection ID',
    type: 'bytes',
  },
  quicRetryScid: {
    abbrev: 'tls.quic.parameter.retry_source_connection_id',
    name: 'Retry Source Connection ID',
    type: 'bytes',
  },
  quicStatelessResetToken: {
    abbrev: 'tls.quic.parameter.stateless_reset_token',
    name: 'stateless_reset_token',
    type: 'bytes',
  },
  sessionTicketTree: {
    abbrev: 'tls.handshake.session_ticket_tree',
    name: 'TLS Session Ticket',
    type: 'none',
  },
  keyShareClientLength: {
    abbrev: 'tls.handshake.extensions_key_share_client_length',
    name: 'Client Key Share Length',
    type: 'uint16',
  },
  keyShareGroup: {
    abbrev: 'tls.handshake.extensions_key_share_group',
    name: 'Group',
    type: 'uint16',
    vals: SUPPORTED_GROUPS,
  },
  keyShareSelectedGroup: {
    abbrev: 'tls.handshake.extensions_key_share_selected_group',
    name: 'Selected Group',
    type: 'uint16',
    vals: SUPPORTED_GROUPS,
  },
  keyShareKeyExchangeLength: {
    abbrev: 'tls.handshake.extensions_key_share_key_exchange_length',
    name: 'Key Exchange Length',
    type: 'uint16',
  },
  keyShareKeyExchange: {
    abbrev: 'tls.handshake.extensions_key_share_key_exchange',
    name: 'Key Exchange',
    type: 'bytes',
  },
  pskKeModesLength: {
    abbrev: 'tls.extension.psk_ke_modes_length',
    name: 'PSK Key Exchange Modes Length',
    type: 'uint8',
  },
  pskKeMode: {
    abbrev: 'tls.extension.psk_ke_mode',
    name: 'PSK Key Exchange Mode',
    type: 'uint8',
    vals: PSK_KE_MODES,
  },
  paddingData: { abbrev: 'tls.handshake.extensions_padding_data', name: 'Padding Data', type: 'bytes' },
  fragments: { abbrev: 'tls.handshake.fragments', name: 'Reassembled Handshake Fragments', type: 'none' },
  fragment: { abbrev: 'tls.handshake.fragment', name: 'Handshake Fragment', type: 'framenum' },
  fragmentCount: { abbrev: 'tls.handshake.fragment.count', name: 'Handshake Fragment count', type: 'uint32' },
  ticketLifetime: {
    abbrev: 'tls.handshake.session_ticket_lifetime_hint',
    name: 'Session Ticket Lifetime Hint',
    type: 'uint32',
  },
  ticketAgeAdd: {
    abbrev: 'tls.handshake.session_ticket_age_add',
    name: 'Session Ticket Age Add',
    type: 'uint32',
  },
  ticketNonceLen: {
    abbrev: 'tls.handshake.session_ticket_nonce_length',
    name: 'Session Ticket Nonce Length',
    type: 'uint8',
  },
  ticketNonce: { abbrev: 'tls.handshake.session_ticket_nonce', name: 'Session Ticket Nonce', type: 'bytes' },
  ticketLength: {
    abbrev: 'tls.handshake.session_ticket_length',
    name: 'Session Ticket Length',
    type: 'uint16',
  },
  ticket: { abbrev: 'tls.handshake.session_ticket', name: 'Session Ticket', type: 'bytes' },
  certificatesLength: {
    abbrev: 'tls.handshake.certificates_length',
    name: 'Certificates Length',
    type: 'uint24',
  },
  certificates: { abbrev: 'tls.handshake.certificates', name: 'Certificates', type: 'none' },
  certificateLength: {
    abbrev: 'tls.handshake.certificate_length',
    name: 'Certificate Length',
    type: 'uint24',
  },
  certificate: { abbrev: 'tls.handshake.certificate', name: 'Certificate', type: 'bytes' },
  curveType: {
    abbrev: 'tls.handshake.server_curve_type',
    name: 'Curve Type',
    type: 'uint8',
    base: 'hex',
    vals: CURVE_TYPES,
  },
  namedCurve: {
    abbrev: 'tls.handshake.server_named_curve',
    name: 'Named Curve',
    type: 'uint16',
    base: 'hex',
    vals: SUPPORTED_GROUPS,
  },
  serverPointLen: { abbrev: 'tls.handshake.server_point_len', name: 'Pubkey Length', type: 'uint8' },
  serverPoint: { abbrev: 'tls.handshake.server_point', name: 'Pubkey', type: 'bytes' },
  sigLen: { abbrev: 'tls.handshake.sig_len', name: 'Signature Length', type: 'uint16' },
  sig: { abbrev: 'tls.handshake.sig', name: 'Signature', type: 'bytes' },
  clientPointLen: { abbrev: 'tls.handshake.client_point_len', name: 'Pubkey Length', type: 'uint8' },
  clientPoint: { abbrev: 'tls.handshake.client_point', name: 'Pubkey', type: 'bytes' },
  epmsLen: {
    abbrev: 'tls.handshake.epms_len',
    name: 'Encrypted PreMaster length',
    type: 'uint16',
  },
  epms: { abbrev: 'tls.handshake.epms', name: 'Encrypted PreMaster', type: 'bytes' },
  verifyData: { abbrev: 'tls.handshake.verify_data', name: 'Verify Data', type: 'bytes' },
  certTypesCount: {
    abbrev: 'tls.handshake.cert_types_count',
    name: 'Certificate types count',
    type: 'uint8',
  },
  certType: { abbrev: 'tls.handshake.cert_type', name: 'Certificate type', type: 'uint8' },
  dnamesLen: { abbrev: 'tls.handshake.dnames_len', name: 'Distinguished Names Length', type: 'uint16' },
  ja3Full: { abbrev: 'tls.handshake.ja3_full', name: 'JA3 Fullstring', type: 'string' },
  ja3: { abbrev: 'tls.handshake.ja3', name: 'JA3', type: 'string' },
  ja3sFull: { abbrev: 'tls.handshake.ja3s_full', name: 'JA3S Fullstring', type: 'string' },
  ja3s: { abbrev: 'tls.handshake.ja3s', name: 'JA3S', type: 'string' },
  ja4: { abbrev: 'tls.handshake.ja4', name: 'JA4', type: 'string' },
  ja4r: { abbrev: 'tls.handshake.ja4_r', name: 'JA4_r', type: 'string' },
  // (A certificate's own fields are X.509's: x509af/x509if/x509sat/x509ce/pkcs1, in x509*.ts;
  // its SignedCertificateTimestampList extension is TLS's, RFC 6962 §3.3.)
  sctsLength: { abbrev: 'tls.sct.scts_length', name: 'Serialized SCT List Length', type: 'uint16' },
  sctLength: { abbrev: 'tls.sct.sct_length', name: 'Serialized SCT Length', type: 'uint16' },
  sctVersion: { abbrev: 'tls.sct.sct_version', name: 'SCT Version', type: 'uint8' },
  sctLogId: { abbrev: 'tls.sct.sct_logid', name: 'Log ID', type: 'bytes' },
  sctTimestamp: { abbrev: 'tls.sct.sct_timestamp', name: 'Timestamp', type: 'abstime' },
  sctExtensionsLength: { abbrev: 'tls.sct.sct_extensions_length', name: 'Extensions length', type: 'uint16' },
  sctExtensions: { abbrev: 'tls.sct.sct_extensions', name: 'Extensions', type: 'none' },
  sctSignatureLength: { abbrev: 'tls.sct.sct_signature_length', name: 'Signature Length', type: 'uint16' },
  sctSignature: { abbrev: 'tls.sct.sct_signature', name: 'Signature', type: 'bytes' },
} satisfies Record<string, FieldSpec>;

export interface HandshakeContext {
  /** A Server Hello (or HRR) chose this version (supported_versions, else legacy_version). */
  onServerVersion(version: number, helloRetry: boolean): void;
  onClientHello(): void;
  /** The protocol a Server Hello (TLS 1.2) or Encrypted Extensions selected by ALPN. */
  onServerAlpn?(protocol: string): void;
  /** The version the session already settled on (0 if none): a second Client Hello after a
   * TLS 1.3 HelloRetryRequest is no longer shown with a GMT time in its random. */
  sessionVersion: number;
  /** For JA4's transport letter. */
  isQuic: boolean;
}

type F = { [K in keyof typeof handshakeFields]: import('../dissect/fields').Field };

function fields(): F {
  return protocols.get('tls')!.f as unknown as F;
}

/** The name tshark gives a handshake message type. */
export function handshakeName(type: number): string {
  return HANDSHAKE_TYPES[type] ?? `Unknown (${type})`;
}

/** Decodes one handshake message over `[start, end)`; returns its name for the Info column. */
export function dissectHandshake(
  p: Dissection,
  start: number,
  end: number,
  ctx: HandshakeContext,
  partial = false,
): string {
  const f = fields();
  const type = p.u8(start);
  const len = (p.u8(start + 1) << 16) | p.u16(start + 2);
  let name = HANDSHAKE_TYPES[type] ?? `Unknown (${type})`;
  if (type === HS_SERVER_HELLO && !partial && end - start >= 38) {
    if (bytesToHex(p.bytes(start + 6, 32)) === HRR_RANDOM) name = 'Hello Retry Request';
  }
  if (partial) {
    // The message continues in the next record (RFC 5246 §6.2.1); it is decoded there.
    p.add(f.handshake, start, end - start, undefined, `Handshake Protocol: ${name} (fragment)`);
    return name;
  }
  const item = p.add(f.handshake, start, end - start, undefined, `Handshake Protocol: ${name}`);
  p.open(item);
  p.add(f.hsType, start, 1, undefined, p.tree ? `Handshake Type: ${name} (${type})` : undefined);
  p.add(f.hsLength, start + 1, 3);
  const body = start + 4;
  const bodyEnd = body + len;
  switch (type) {
    case HS_CLIENT_HELLO:
      ctx.onClientHello();
      clientHello(p, f, body, bodyEnd, ctx);
      break;
    case HS_SERVER_HELLO:
      serverHello(p, f, body, bodyEnd, ctx, name === 'Hello Retry Request');
      break;
    case HS_NEW_SESSION_TICKET:
      newSessionTicket(p, f, body, bodyEnd);
      break;
    case HS_ENCRYPTED_EXTENSIONS:
      extensions(p, f, body, bodyEnd, 'ee');
      break;
    case HS_CERTIFICATE:
      certificate(p, f, body, bodyEnd);
      break;
    case HS_SERVER_KEY_EXCHANGE:
      serverKeyExchange(p, f, body, bodyEnd);
      break;
    case HS_CERTIFICATE_REQUEST: {
      const n = p.u8(body);
      p.add(f.certTypesCount, body, 1);
      for (let i = 0; i < n; i++) p.add(f.certType, body + 1 + i, 1);
      break;
    }
    case HS_SERVER_HELLO_DONE:
      break;
    case HS_CLIENT_KEY_EXCHANGE:
      clientKeyExchange(p, f, body, bodyEnd);
      break;
    case HS_FINISHED:
      p.add(f.verifyData, body, len);
      break;
    default:
      break;
  }
  p.close(item);
  return name;
}

/** The Server Hello's random item, split once its extensions say the version is below 1.3. */
let lastServerRandom: { node: TreeNode | undefined; at: number } = { node: undefined, at: 0 };

interface Ctx {
  exts: number[];
  summary: ClientHelloSummary;
  selectedVersion: number;
}

function versionName(v: number): string {
  return VERSIONS[v] ?? (isGreaseValue(v) ? 'Reserved (GREASE)' : 'Unknown');
}

function isGreaseValue(v: number): boolean {
  return (v & 0x0f0f) === 0x0a0a && v >>> 8 === (v & 0xff);
}

function named(table: Readonly<Record<number, string>>, v: number): string {
  return table[v] ?? (isGreaseValue(v) ? 'Reserved (GREASE)' : 'Unknown');
}

/** RFC 5246 §7.4.1.2: before TLS 1.3 the random began with the sender's time (tshark shows
 * it split so; RFC 8446 §4.1.2 made all 32 bytes random). */
function addRandomParts(p: Dissection, f: F, rnd: TreeNode | undefined, at: number): void {
  if (!p.tree && !p.wants(f.randomTime) && !p.wants(f.randomBytes)) return;
  p.open(rnd);
  const ns = BigInt(p.u32(at)) * 1_000_000_000n;
  p.add(f.randomTime, at, 4, ns, `GMT Unix Time: ${formatAbsoluteTime(ns)}`);
  p.add(f.randomBytes, at + 4, 28);
  p.close(rnd);
}

function helloCommon(p: Dissection, f: F, body: number, isClient: boolean, sessionVersion = 0): number {
  const version = p.u16(body);
  p.add(
    f.hsVersion,
    body,
    2,
    undefined,
    p.tree ? `Version: ${versionName(version)} (0x${hex(version, 4)})` : undefined,
  );
  const rnd = p.add(f.random, body + 2, 32);
  p.u32(body + 30);
  if (isClient && sessionVersion !== 0x0304) addRandomParts(p, f, rnd, body + 2);
  else lastServerRandom = { node: rnd, at: body + 2 };
  const sidLen = p.u8(body + 34);
  p.add(f.sessionIdLength, body + 34, 1);
  if (sidLen) p.add(f.sessionId, body + 35, sidLen);
  p.check(body + 35, sidLen);
  return body + 35 + sidLen;
}

function clientHello(p: Dissection, f: F, body: number, end: number, hctx: HandshakeContext): void {
  const version = p.u16(body);
  let off = helloCommon(p, f, body, true, hctx.sessionVersion);
  const csLen = p.u16(off);
  p.add(f.cipherSuitesLength, off, 2);
  const summary: ClientHelloSummary = {
    version,
    ciphers: [],
    extensions: [],
    groups: [],
    pointFormats: [],
    supportedVersions: [],
    signatureAlgorithms: [],
    alpn: [],
    hasSni: false,
  };
  const csItem = p.add(f.cipherSuites, off + 2, csLen, undefined, `Cipher Suites (${csLen >> 1} suites)`);
  p.open(csItem);
  for (let i = 0; i + 1 < csLen; i += 2) {
    const cs = p.u16(off + 2 + i);
    summary.ciphers.push(cs);
    p.add(
      f.cipherSuite,
      off + 2 + i,
      2,
      undefined,
      p.tree ? `Cipher Suite: ${named(CIPHER_SUITES, cs)} (0x${hex(cs, 4)})` : undefined,
    );
  }
  p.close(csItem);
  off += 2 + csLen;
  const cmLen = p.u8(off);
  p.add(f.compMethodsLength, off, 1);
  const cmItem = p.add(
    f.compMethods,
    off + 1,
    cmLen,
    undefined,
    `Compression Methods (${cmLen} method${cmLen === 1 ? '' : 's'})`,
  );
  p.open(cmItem);
  for (let i = 0; i < cmLen; i++) p.add(f.compMethod, off + 1 + i, 1);
  p.close(cmItem);
  off += 1 + cmLen;
  const ctx: Ctx = { exts: summary.extensions, summary, selectedVersion: 0 };
  if (off + 2 <= end) extensions(p, f, off, end, 'ch', ctx);
  // Fingerprints (generated items, as tshark adds JA3 after the extensions).
  if (p.tree || p.wants(f.ja3) || p.wants(f.ja3Full) || p.wants(f.ja4) || p.wants(f.ja4r)) {
    p.addGenerated(
      f.ja4,
      ja4(summary, hctx.isQuic ? 'q' : 't'),
      `JA4: ${ja4(summary, hctx.isQuic ? 'q' : 't')}`,
    );
    p.addGenerated(f.ja4r, ja4Raw(summary, hctx.isQuic ? 'q' : 't'));
    p.addGenerated(f.ja3Full, ja3Full(summary));
    p.addGenerated(f.ja3, ja3(summary));
  }
}

function serverHello(
  p: Dissection,
  f: F,
  body: number,
  end: number,
  hctx: HandshakeContext,
  helloRetry: boolean,
): void {
  const version = p.u16(body);
  let off = helloCommon(p, f, body, false);
  const random = lastServerRandom;
  const cs = p.u16(off);
  p.add(
    f.cipherSuite,
    off,
    2,
    undefined,
    p.tree ? `Cipher Suite: ${named(CIPHER_SUITES, cs)} (0x${hex(cs, 4)})` : undefined,
  );
  p.add(f.compMethod, off + 2, 1);
  off += 3;
  const exts: number[] = [];
  const ctx: Ctx = {
    exts,
    summary: {
      version,
      ciphers: [],
      extensions: exts,
      groups: [],
      pointFormats: [],
      supportedVersions: [],
      signatureAlgorithms: [],
      alpn: [],
      hasSni: false,
    },
    selectedVersion: 0,
  };
  if (off + 2 <= end) extensions(p, f, off, end, 'sh', ctx);
  if (ctx.summary.alpn[0] !== undefined) hctx.onServerAlpn?.(ctx.summary.alpn[0]);
  const selected = ctx.selectedVersion || version;
  if (selected !== 0x0304) addRandomParts(p, f, random.node, random.at);
  hctx.onServerVersion(selected, helloRetry);
  if (p.tree || p.wants(f.ja3s) || p.wants(f.ja3sFull)) {
    p.addGenerated(f.ja3sFull, ja3sFull(version, cs, exts));
    p.addGenerated(f.ja3s, ja3s(version, cs, exts));
  }
}

const MAX_EXTENSIONS = 512;

function extensions(p: Dissection, f: F, at: number, end: number, msg: 'ch' | 'sh' | 'ee', ctx?: Ctx): void {
  const total = p.u16(at);
  p.add(f.extensionsLength, at, 2);
  let off = at + 2;
  const stop = Math.min(end, off + total);
  for (let n = 0; n < MAX_EXTENSIONS && off + 4 <= stop; n++) {
    const type = p.u16(off);
    const len = p.u16(off + 2);
    ctx?.exts.push(type);
    const extName = named(EXTENSION_TYPES, type);
    const item = p.add(f.extension, off, 4 + len, undefined, `Extension: ${extName} (len=${len})`);
    p.open(item);
    p.add(f.extType, off, 2, undefined, p.tree ? `Type: ${extName} (${type})` : undefined);
    p.add(f.extLen, off + 2, 2);
    p.check(off + 4, len);
    extensionBody(p, f, type, off + 4, off + 4 + len, msg, ctx);
    p.close(item);
    off += 4 + len;
  }
}

function extensionBody(
  p: Dissection,
  f: F,
  type: number,
  at: number,
  end: number,
  msg: 'ch' | 'sh' | 'ee',
  ctx?: Ctx,
): void {
  const len = end - at;
  switch (type) {
    case 0: {
      // server_name (RFC 6066 §3); empty in a server's reply.
      if (len === 0) return;
      if (ctx) ctx.summary.hasSni = true;
      const sub = p.addText('Server Name Indication extension', at, len);
      p.open(sub);
      p.add(f.sniListLen, at, 2);
      let off = at + 2;
      while (off + 3 <= end) {
        const nameLen = p.u16(off + 1);
        p.add(f.sniType, off, 1);
        p.add(f.sniLen, off + 1, 2);
        p.add(f.sni, off + 3, nameLen);
        p.check(off + 3, nameLen);
        off += 3 + nameLen;
      }
      p.close(sub);
      return;
    }
    case 16: {
      // application_layer_protocol_negotiation (RFC 7301 §3.1)
      p.add(f.alpnLen, at, 2);
      const list = p.add(f.alpnList, at + 2, len - 2);
      p.open(list);
      let off = at + 2;
      while (off < end) {
        const l = p.u8(off);
        p.add(f.alpnStrLen, off, 1);
        const s = p.bytes(off + 1, l);
        let text = '';
        for (let i = 0; i < s.length; i++) text += String.fromCharCode(s[i]!);
        ctx?.summary.alpn.push(text);
        p.add(f.alpnStr, off + 1, l, text);
        off += 1 + l;
      }
      p.close(list);
      return;
    }
    case 43: {
      // supported_versions (RFC 8446 §4.2.1): a list in the Client Hello, one in the Server Hello.
      if (msg === 'sh') {
        const v = p.u16(at);
        if (ctx) ctx.selectedVersion = v;
        p.add(f.supportedVersion, at, 2, undefined, `Supported Version: ${versionName(v)} (0x${hex(v, 4)})`);
        return;
      }
      const l = p.u8(at);
      p.add(f.supportedVersionsLen, at, 1);
      for (let off = at + 1; off + 1 < Math.min(end, at + 1 + l); off += 2) {
        const v = p.u16(off);
        ctx?.summary.supportedVersions.push(v);
        p.add(
          f.supportedVersion,
          off,
          2,
          undefined,
          p.tree ? `Supported Version: ${versionName(v)} (0x${hex(v, 4)})` : undefined,
        );
      }
      return;
    }
    case 10: {
      // supported_groups (RFC 8446 §4.2.7)
      const l = p.u16(at);
      p.add(f.groupsLength, at, 2);
      const sub = p.add(f.groups, at + 2, l, undefined, `Supported Groups (${l >> 1} groups)`);
      p.open(sub);
      for (let off = at + 2; off + 1 < Math.min(end, at + 2 + l); off += 2) {
        const g = p.u16(off);
        ctx?.summary.groups.push(g);
        p.add(
          f.group,
          off,
          2,
          undefined,
          p.tree ? `Supported Group: ${named(SUPPORTED_GROUPS, g)} (0x${hex(g, 4)})` : undefined,
        );
      }
      p.close(sub);
      return;
    }
    case 11: {
      // ec_point_formats (RFC 8422 §5.1.2)
      const l = p.u8(at);
      p.add(f.pointFormatsLength, at, 1);
      const sub = p.addText(`Elliptic curves point formats (${l})`, at + 1, l);
      p.open(sub);
      for (let i = 0; i < l && at + 1 + i < end; i++) {
        ctx?.summary.pointFormats.push(p.u8(at + 1 + i));
        p.add(f.pointFormat, at + 1 + i, 1);
      }
      p.close(sub);
      return;
    }
    case 13: {
      // signature_algorithms (RFC 8446 §4.2.3)
      const l = p.u16(at);
      p.add(f.sigHashAlgLen, at, 2);
      const sub = p.add(
        f.sigHashAlgs,
        at + 2,
        l,
        undefined,
        `Signature Hash Algorithms (${l >> 1} algorithms)`,
      );
      p.open(sub);
      for (let off = at + 2; off + 1 < Math.min(end, at + 2 + l); off += 2) {
        ctx?.summary.signatureAlgorithms.push(p.u16(off));
        addSignatureAlgorithm(p, f, off);
      }
      p.close(sub);
      return;
    }
    case 51: {
      // key_share (RFC 8446 §4.2.8): a list from the client, one entry from the server, only a
      // group in a HelloRetryRequest.
      const sub = p.addText('Key Share extension', at, len);
      p.open(sub);
      let off = at;
      let stop = end;
      if (msg === 'ch') {
        p.add(f.keyShareClientLength, at, 2);
        off = at + 2;
        stop = Math.min(end, off + p.u16(at));
      }
      if (len === 2) {
        // A HelloRetryRequest names only the group it wants (RFC 8446 §4.2.8).
        p.add(f.keyShareSelectedGroup, at, 2);
      } else {
        while (off + 4 <= stop) {
          const group = p.u16(off);
          const kl = p.u16(off + 2);
          const entry = p.addText(
            `Key Share Entry: Group: ${named(SUPPORTED_GROUPS, group)}, Key Exchange length: ${kl}`,
            off,
            4 + kl,
          );
          p.open(entry);
          p.add(f.keyShareGroup, off, 2);
          p.add(f.keyShareKeyExchangeLength, off + 2, 2);
          p.add(f.keyShareKeyExchange, off + 4, kl);
          p.check(off + 4, kl);
          p.close(entry);
          off += 4 + kl;
        }
      }
      p.close(sub);
      return;
    }
    case 45: {
      // psk_key_exchange_modes (RFC 8446 §4.2.9)
      const l = p.u8(at);
      p.add(f.pskKeModesLength, at, 1);
      for (let i = 0; i < l && at + 1 + i < end; i++) p.add(f.pskKeMode, at + 1 + i, 1);
      return;
    }
    case 21:
      p.add(f.paddingData, at, len);
      return;
    case 5: {
      // status_request (RFC 6066 §8); empty in a server's reply.
      if (len === 0) return;
      p.add(f.statusRequestType, at, 1);
      const ids = p.u16(at + 1);
      p.add(f.statusRequestResponderIdsLen, at + 1, 2);
      p.add(f.statusRequestExtsLen, at + 3 + ids, 2);
      return;
    }
    case 28:
      // record_size_limit (RFC 8449 §4)
      p.add(f.recordSizeLimit, at, 2);
      return;
    case 27: {
      // compress_certificate (RFC 8879 §3)
      const l = p.u8(at);
      p.add(f.compressAlgorithmsLength, at, 1);
      for (let off = at + 1; off + 1 < Math.min(end, at + 1 + l); off += 2)
        p.add(f.compressAlgorithm, off, 2);
      return;
    }
    case 41: {
      // pre_shared_key (RFC 8446 §4.2.11): identities and binders, or the selected index.
      if (msg === 'sh') {
        p.add(f.pskSelected, at, 2);
        return;
      }
      const idsLen = p.u16(at);
      p.add(f.pskIdentitiesLength, at, 2);
      let off = at + 2;
      const stop = Math.min(end, off + idsLen);
      while (off + 2 <= stop) {
        const il = p.u16(off);
        p.add(f.pskIdentityLength, off, 2);
        p.add(f.pskIdentity, off + 2, il);
        p.add(f.pskTicketAge, off + 2 + il, 4);
        p.check(off + 2, il + 4);
        off += 6 + il;
      }
      if (stop + 2 <= end) p.add(f.pskBindersLen, stop, 2);
      return;
    }
    case 57:
    case 0xffa5:
      // quic_transport_parameters (RFC 9001 §8.2, RFC 9000 §18)
      quicTransportParameters(p, f, at, end);
      return;
    case 0xff01: {
      // renegotiation_info (RFC 5746 §3.2)
      const sub = p.addText('Renegotiation Info extension', at, len);
      p.open(sub);
      p.add(f.renegInfoLen, at, 1);
      p.close(sub);
      return;
    }
    case 35:
      if (len === 0 && p.tree) p.addText('Data (0 bytes)', at, 0);
      else if (len) p.add(f.extData, at, len);
      return;
    default:
      if (len) p.add(f.extData, at, len);
  }
}

/** RFC 9000 §18: a sequence of (id, length, value) with variable-length integers; the
 * integer-valued parameters are themselves one varint. */
function quicTransportParameters(p: Dissection, f: F, at: number, end: number): void {
  const integer: Partial<Record<number, (typeof f)[keyof F]>> = {
    0x01: f.quicMaxIdleTimeout,
    0x03: f.quicMaxUdpPayloadSize,
    0x04: f.quicInitialMaxData,
    0x05: f.quicInitialMaxStreamDataBidiLocal,
    0x06: f.quicInitialMaxStreamDataBidiRemote,
    0x07: f.quicInitialMaxStreamDataUni,
    0x08: f.quicInitialMaxStreamsBidi,
    0x09: f.quicInitialMaxStreamsUni,
    0x0a: f.quicAckDelayExponent,
    0x0b: f.quicMaxAckDelay,
    0x0e: f.quicActiveConnectionIdLimit,
  };
  const bytes: Partial<Record<number, (typeof f)[keyof F]>> = {
    0x00: f.quicOriginalDcid,
    0x02: f.quicStatelessResetToken,
    0x0f: f.quicInitialScid,
    0x10: f.quicRetryScid,
  };
  let off = at;
  for (let n = 0; n < 256 && off < end; n++) {
    const id = varint(p, off);
    const len = varint(p, off + id.size);
    const valueAt = off + id.size + len.size;
    p.check(valueAt, len.value);
    const name = QUIC_PARAMETERS[id.value] ?? 'Unknown';
    const intField = integer[id.value];
    const intValue = intField && len.value > 0 ? varint(p, valueAt).exact : undefined;
    const suffix =
      intValue === undefined ? '' : ` ${intValue}${id.value === 0x01 || id.value === 0x0b ? ' ms' : ''}`;
    const item = p.addText(`Parameter: ${name} (len=${len.value})${suffix}`, off, valueAt + len.value - off);
    p.open(item);
    p.add(
      f.quicParamType,
      off,
      id.size,
      id.value,
      p.tree ? `Type: ${name} (0x${hex(id.value, 2)})` : undefined,
    );
    p.add(f.quicParamLength, off + id.size, len.size, len.value);
    if (len.value) p.add(f.quicParamValue, valueAt, len.value);
    if (intField && intValue !== undefined) p.add(intField, valueAt, len.value, intValue);
    const bytesField = bytes[id.value];
    if (bytesField && len.value) p.add(bytesField, valueAt, len.value);
    p.close(item);
    off = valueAt + len.value;
  }
}

/** RFC 8446 §4.2.3 names; legacy TLS 1.2 pairs not in the registry are named from their hash and
 * signature bytes (RFC 5246 §7.4.1.4.1), e.g. `SHA224 ECDSA`, as tshark does. */
function signatureSchemeName(s: number): string {
  const known = SIGNATURE_SCHEMES[s];
  if (known) return known;
  const hash = SIG_HASH_HASH[s >> 8];
  const sig = SIG_HASH_SIG[s & 0xff];
  if (hash && sig) return `${hash} ${sig}`;
  return named(SIGNATURE_SCHEMES, s);
}

/** A SignatureScheme with TLS 1.2's hash/signature byte split beneath it, as tshark shows. */
function addSignatureAlgorithm(p: Dissection, f: F, at: number): void {
  const s = p.u16(at);
  const item = p.add(
    f.sigHashAlg,
    at,
    2,
    undefined,
    p.tree ? `Signature Algorithm: ${signatureSchemeName(s)} (0x${hex(s, 4)})` : undefined,
  );
  p.open(item);
  p.add(f.sigHashHash, at, 1);
  p.add(f.sigHashSig, at + 1, 1);
  p.close(item);
}

function newSessionTicket(p: Dissection, f: F, body: number, end: number): void {
  const tree = p.add(f.sessionTicketTree, body, end - body);
  p.open(tree);
  try {
    ticketBody(p, f, body, end);
  } finally {
    p.close(tree);
  }
}

function lifetimeText(s: number): string {
  // tshark: `7200 seconds (2 hours)`; larger units as they apply.
  const units: [number, string][] = [
    [86400, 'day'],
    [3600, 'hour'],
    [60, 'minute'],
    [1, 'second'],
  ];
  const parts: string[] = [];
  let left = s;
  for (const [size, name] of units) {
    const n = Math.floor(left / size);
    if (n) parts.push(`${n} ${name}${n === 1 ? '' : 's'}`);
    left -= n * size;
  }
  return `${s} seconds${parts.length ? ` (${parts.join(', ')})` : ''}`;
}

function ticketBody(p: Dissection, f: F, body: number, end: number): void {
  const lifetime = p.u32(body);
  p.add(f.ticketLifetime, body, 4, undefined, `Session Ticket Lifetime Hint: ${lifetimeText(lifetime)}`);
  // TLS 1.3's ticket (RFC 8446 §4.6.1) adds age_add and a nonce; TLS 1.2's (RFC 5077 §3.3)
  // has only the lifetime and the ticket. Tell them apart by whether the lengths add up.
  const ticketLen12 = p.u16(body + 4);
  if (body + 6 + ticketLen12 === end) {
    p.add(f.ticketLength, body + 4, 2);
    p.add(f.ticket, body + 6, ticketLen12);
    return;
  }
  p.add(f.ticketAgeAdd, body + 4, 4);
  const nonceLen = p.u8(body + 8);
  p.add(f.ticketNonceLen, body + 8, 1);
  p.add(f.ticketNonce, body + 9, nonceLen);
  let off = body + 9 + nonceLen;
  const tl = p.u16(off);
  p.add(f.ticketLength, off, 2);
  p.add(f.ticket, off + 2, tl);
  off += 2 + tl;
  if (off + 2 <= end) extensions(p, f, off, end, 'ee');
}

const MAX_CERTIFICATES = 64;

function certificate(p: Dissection, f: F, body: number, end: number): void {
  let off = body;
  // TLS 1.3 (RFC 8446 §4.4.2) starts with a request context; TLS 1.2 with the list length.
  const listLen12 = (p.u8(off) << 16) | p.u16(off + 1);
  const tls13 = off + 3 + listLen12 !== end;
  if (tls13) {
    const ctxLen = p.u8(off);
    off += 1 + ctxLen;
  }
  const listLen = (p.u8(off) << 16) | p.u16(off + 1);
  p.add(f.certificatesLength, off, 3);
  const listItem = p.add(f.certificates, off + 3, listLen, undefined, `Certificates (${listLen} bytes)`);
  p.open(listItem);
  off += 3;
  const stop = Math.min(end, off + listLen);
  const detail = certificateDetail(p);
  for (let n = 0; n < MAX_CERTIFICATES && off + 3 <= stop; n++) {
    const certLen = (p.u8(off) << 16) | p.u16(off + 1);
    p.add(f.certificateLength, off, 3);
    const der = p.bytes(off + 3, certLen);
    let label: string | undefined;
    if (p.tree) {
      const subject = certificateSubject(p.data, off + 3, off + 3 + certLen);
      label = clampLabel(`Certificate: ${hexLabel(der)}${subject ? ` (${subject})` : ''}`);
    }
    const certItem = p.add(f.certificate, off + 3, certLen, undefined, label);
    p.open(certItem);
    // Certificates are rare (one chain per connection): always walked, since frame.protocols
    // lists the layers of tshark's X.509 sub-dissectors; items only when wanted.
    dissectCertificate(p, off + 3, off + 3 + certLen, detail);
    p.close(certItem);
    off += 3 + certLen;
    // TLS 1.3: each entry has its own extensions.
    if (tls13 && off + 2 <= stop) off += 2 + p.u16(off);
  }
  p.close(listItem);
}

const MAX_SCTS = 64;

/**
 * SignedCertificateTimestampList (RFC 6962 §3.3), the X.509 extension 1.3.6.1.4.1.11129.2.4.2:
 * an OCTET STRING holding the TLS-encoded list. tshark names the log from its list of known CT
 * logs; Wirelens has none, so every log is "Unknown Log".
 */
function signedCertificateTimestamps(p: Dissection, extnValue: Tlv): void {
  const f = fields();
  const list = readTlv(p.data, extnValue.start, extnValue.end);
  if (!list || list.tag !== 0x04 || list.end - list.start < 2) return;
  let off = list.start;
  const total = p.u16(off);
  p.add(f.sctsLength, off, 2);
  off += 2;
  const stop = Math.min(list.end, off + total);
  for (let n = 0; n < MAX_SCTS && off + 2 <= stop; n++) {
    const len = p.u16(off);
    if (off + 2 + len > stop) break;
    const item = p.addText('Signed Certificate Timestamp (Unknown Log)', off, 2 + len);
    p.open(item);
    p.add(f.sctLength, off, 2);
    let at = off + 2;
    p.add(f.sctVersion, at, 1);
    p.add(f.sctLogId, at + 1, 32);
    if (p.wants(f.sctTimestamp)) {
      const ms = BigInt(p.u32(at + 33)) * 2n ** 32n + BigInt(p.u32(at + 37));
      p.add(f.sctTimestamp, at + 33, 8, ms * 1_000_000n);
    }
    at += 41;
    const extLen = p.u16(at);
    p.add(f.sctExtensionsLength, at, 2);
    if (extLen) p.add(f.sctExtensions, at + 2, extLen);
    at += 2 + extLen;
    addSignatureAlgorithm(p, f, at);
    const sigLen = p.u16(at + 2);
    p.add(f.sctSignatureLength, at + 2, 2);
    p.add(f.sctSignature, at + 4, sigLen);
    p.close(item);
    off += 2 + len;
  }
}

registerExtension('1.3.6.1.4.1.11129.2.4.2', 'tls', signedCertificateTimestamps);

function serverKeyExchange(p: Dissection, f: F, body: number, end: number): void {
  // RFC 8422 §5.4: ECDHE parameters (named_curve) then the signature. Other key exchanges
  // (DHE, PSK) are shown as the raw parameters.
  const curveType = p.u8(body);
  if (curveType !== 3) {
    p.addText(`Server Key Exchange parameters (${end - body} bytes)`, body, end - body);
    return;
  }
  const sub = p.addText('EC Diffie-Hellman Server Params', body, end - body);
  p.open(sub);
  p.add(f.curveType, body, 1);
  p.add(f.namedCurve, body + 1, 2);
  const pl = p.u8(body + 3);
  p.add(f.serverPointLen, body + 3, 1);
  p.add(f.serverPoint, body + 4, pl);
  let off = body + 4 + pl;
  if (off + 4 <= end) {
    addSignatureAlgorithm(p, f, off);
    off += 2;
    const sl = p.u16(off);
    p.add(f.sigLen, off, 2);
    p.add(f.sig, off + 2, sl);
  }
  p.close(sub);
}

function clientKeyExchange(p: Dissection, f: F, body: number, end: number): void {
  const len = end - body;
  // ECDHE: a 1-byte point length; RSA: a 2-byte encrypted premaster length (RFC 5246 §7.4.7.1).
  if (len > 0 && p.u8(body) === len - 1) {
    const sub = p.addText('EC Diffie-Hellman Client Params', body, len);
    p.open(sub);
    p.add(f.clientPointLen, body, 1);
    p.add(f.clientPoint, body + 1, len - 1);
    p.close(sub);
  } else if (len > 2 && p.u16(body) === len - 2) {
    const sub = p.addText('RSA Encrypted PreMaster Secret', body, len);
    p.open(sub);
    p.add(f.epmsLen, body, 2);
    p.add(f.epms, body + 2, len - 2);
    p.close(sub);
  }
}
