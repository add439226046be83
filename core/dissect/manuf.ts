// Vendor names for OUIs (first three bytes of a MAC address).
// TEMPORARY minimal table; replaced by the generated OUI list (see core/dissect/README).
const SHORT: Record<number, string> = {};

export function vendorShortName(oui: number): string | undefined {
  return SHORT[oui];
}
