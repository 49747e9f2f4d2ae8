/** Lower-case hex without leading zeros, so serials from certificates and CRLs compare equal. */
export function normalizeSerial(hex: string): string {
  return hex.toLowerCase().replace(/^0+(?=.)/, '');
}
