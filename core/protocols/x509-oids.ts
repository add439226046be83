// Names of the object identifiers a certificate carries, as tshark 4.0 prints them after an
// OID: `1.2.840.113549.1.1.11 (sha256WithRSAEncryption)`. The names come from the ASN.1
// modules Wireshark registers (X.509 AuthenticationFramework / CertificateExtensions /
// SelectedAttributeTypes, RFC 5280's PKIX1Implicit, PKCS #1, RFC 5480's curves).

const NAMES: Readonly<Record<string, string>> = {
  // Attribute types (X.520 §6, id-at = 2.5.4), and PKCS #9's e-mail address.
  '2.5.4.3': 'id-at-commonName',
  '2.5.4.4': 'id-at-surname',
  '2.5.4.5': 'id-at-serialNumber',
  '2.5.4.6': 'id-at-countryName',
  '2.5.4.7': 'id-at-localityName',
  '2.5.4.8': 'id-at-stateOrProvinceName',
  '2.5.4.9': 'id-at-streetAddress',
  '2.5.4.10': 'id-at-organizationName',
  '2.5.4.11': 'id-at-organizationalUnitName',
  '2.5.4.12': 'id-at-title',
  '2.5.4.42': 'id-at-givenName',
  '2.5.4.43': 'id-at-initials',
  '2.5.4.46': 'id-at-dnQualifier',
  '2.5.4.65': 'id-at-pseudonym',
  '1.2.840.113549.1.9.1': 'pkcs-9-at-emailAddress',
  '0.9.2342.19200300.100.1.25': 'dc',
  // Certificate extensions (RFC 5280 §4.2, id-ce = 2.5.29; id-pe = 1.3.6.1.5.5.7.1).
  '2.5.29.14': 'id-ce-subjectKeyIdentifier',
  '2.5.29.15': 'id-ce-keyUsage',
  '2.5.29.16': 'id-ce-privateKeyUsagePeriod',
  '2.5.29.17': 'id-ce-subjectAltName',
  '2.5.29.18': 'id-ce-issuerAltName',
  '2.5.29.19': 'id-ce-basicConstraints',
  '2.5.29.20': 'id-ce-cRLNumber',
  '2.5.29.30': 'id-ce-nameConstraints',
  '2.5.29.31': 'id-ce-cRLDistributionPoints',
  '2.5.29.32': 'id-ce-certificatePolicies',
  '2.5.29.33': 'id-ce-policyMappings',
  '2.5.29.35': 'id-ce-authorityKeyIdentifier',
  '2.5.29.36': 'id-ce-policyConstraints',
  '2.5.29.37': 'id-ce-extKeyUsage',
  '2.5.29.54': 'id-ce-inhibitAnyPolicy',
  '1.3.6.1.5.5.7.1.1': 'id-pe-authorityInfoAccess',
  '1.3.6.1.5.5.7.1.24': 'id-pe-tlsfeature',
  '2.16.840.1.113730.1.13': 'ns_cert_exts.comment',
  '1.3.6.1.4.1.11129.2.4.2': 'SignedCertificateTimestampList',
  '1.3.6.1.5.5.7.48.1': 'id-ad-ocsp',
  '1.3.6.1.5.5.7.48.2': 'id-ad-caIssuers',
  // Extended key usages (RFC 5280 §4.2.1.12, id-kp = 1.3.6.1.5.5.7.3).
  '1.3.6.1.5.5.7.3.1': 'id-kp-serverAuth',
  '1.3.6.1.5.5.7.3.2': 'id-kp-clientAuth',
  '1.3.6.1.5.5.7.3.3': 'id-kp-codeSigning',
  '1.3.6.1.5.5.7.3.4': 'id-kp-emailProtection',
  '1.3.6.1.5.5.7.3.8': 'id-kp-timeStamping',
  '1.3.6.1.5.5.7.3.9': 'id-kp-OCSPSigning',
  '2.5.29.32.0': 'anyPolicy',
  '1.3.6.1.5.5.7.2.1': 'id-qt-cps',
  '1.3.6.1.5.5.7.2.2': 'id-qt-unotice',
  '1.3.6.1.4.1.311.20.2.3': 'id-ms-user-principal-name',
  // Algorithms (RFC 8017 Appendix C, RFC 5480, RFC 5758).
  '1.2.840.113549.1.1.1': 'rsaEncryption',
  '1.2.840.113549.1.1.4': 'md5WithRSAEncryption',
  '1.2.840.113549.1.1.5': 'sha1WithRSAEncryption',
  '1.2.840.113549.1.1.8': 'id-mgf1',
  '1.2.840.113549.1.1.10': 'id-RSASSA-PSS',
  '1.2.840.113549.1.1.11': 'sha256WithRSAEncryption',
  '1.2.840.113549.1.1.12': 'sha384WithRSAEncryption',
  '1.2.840.113549.1.1.13': 'sha512WithRSAEncryption',
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
  '1.2.840.10045.2.1': 'id-ecPublicKey',
  '1.2.840.10045.4.1': 'ecdsa-with-SHA1',
  '1.2.840.10045.4.3.2': 'ecdsa-with-SHA256',
  '1.2.840.10045.4.3.3': 'ecdsa-with-SHA384',
  '1.2.840.10045.4.3.4': 'ecdsa-with-SHA512',
  '1.2.840.10045.3.1.7': 'secp256r1',
  '1.3.132.0.34': 'secp384r1',
  '1.3.132.0.35': 'secp521r1',
};

/** The top arcs (X.660): an OID without a name of its own is shown from these,
 * e.g. `joint-iso-itu-t.23.140.1.2.2`. */
const ROOT_ARCS = ['itu-t', 'iso', 'joint-iso-itu-t'];

/** The name tshark shows for an OID in parentheses. */
export function oidName(oid: string): string {
  const known = NAMES[oid];
  if (known) return known;
  const dot = oid.indexOf('.');
  const root = ROOT_ARCS[Number(dot < 0 ? oid : oid.slice(0, dot))];
  return root ? root + (dot < 0 ? '' : oid.slice(dot)) : oid;
}

/** `1.2.3 (name)`, the label text of an OID value. */
export function oidLabel(oid: string): string {
  return `${oid} (${oidName(oid)})`;
}
