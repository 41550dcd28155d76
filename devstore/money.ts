/**
 * Money helpers for the stand-in. Shopify sends money as decimal strings ("19.99"); the generator
 * and factories compute in integer minor units (cents) so totals add up exactly, and format only
 * at the edge.
 */

/** 1999 → "19.99", -5 → "-0.05". */
export function formatMinor(minor: number): string {
  const sign = minor < 0 ? "-" : "";
  const abs = Math.abs(Math.round(minor));
  const cents = abs % 100;
  return `${sign}${(abs - cents) / 100}.${cents < 10 ? "0" : ""}${cents}`;
}

/** "19.99" → 1999 (also "19.9", "19", "-0.05"). Throws on anything that is not a decimal. */
export function parseMinor(amount: string): number {
  const match = /^(-)?(\d+)(?:\.(\d{0,2})\d*)?$/.exec(amount.trim());
  if (!match) throw new Error(`not a money amount: "${amount}"`);
  const [, minus, whole, fraction = ""] = match;
  const minor = Number(whole) * 100 + Number((fraction + "00").slice(0, 2));
  return minus ? -minor : minor;
}
