/** Timestamps of the record builders (factories.ts): fixed defaults keep tests deterministic. */

/** Default timestamp for records built without one (fixed, so tests stay deterministic). */
export const DEFAULT_TIME = "2026-01-01T00:00:00Z";

/** Epoch ms → Shopify's DateTime format (seconds precision, UTC "Z"). */
export function isoSeconds(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(".000Z", "Z");
}

/** The later of two ISO timestamps. */
export const laterOf = (a: string, b: string): string => (Date.parse(a) >= Date.parse(b) ? a : b);
