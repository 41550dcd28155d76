import { createHmac, timingSafeEqual } from "node:crypto";
import { isShopDomain } from "./shop-domain";

/**
 * App proxy request verification.
 *
 * Shopify forwards `https://<shop>/apps/growthpilot/*` to `<app_proxy.url>/*` and appends
 * `shop`, `logged_in_customer_id`, `path_prefix`, `timestamp` and `signature` to the query string.
 * `signature` is the hex HMAC-SHA256 (keyed with the app's API secret) of every other query
 * parameter written as `key=value` — repeated keys give one entry whose values are joined with
 * "," — sorted, and concatenated with no separator. Unlike webhook/OAuth HMACs there is no "&"
 * between pairs, which is the usual way home-grown verifiers get it wrong.
 *
 * We also refuse stale requests (replays of a captured URL) and malformed shop domains. Callers
 * answer every failure the same way, so a prober learns nothing about which check failed.
 */

/**
 * Shopify's own library accepts an app proxy timestamp within ±90 s of its clock
 * (`HMAC_TIMESTAMP_PERMITTED_CLOCK_TOLERANCE_SEC` in @shopify/shopify-api's hmac-validator);
 * a captured signed URL is replayable for that long and no longer.
 */
export const APP_PROXY_MAX_AGE_SECONDS = 90;

export type AppProxyFailure = "missing-signature" | "bad-signature" | "stale" | "bad-shop" | "repeated-param";

export type AppProxyVerification =
  | {
      ok: true;
      shop: string;
      /** Numeric customer id when a customer is logged in on the storefront, else null. */
      loggedInCustomerId: string | null;
      /** The storefront path prefix the buyer used, e.g. "/apps/growthpilot". */
      pathPrefix: string | null;
      /** All query parameters (the app's own plus Shopify's). */
      params: URLSearchParams;
    }
  | { ok: false; reason: AppProxyFailure };

export interface VerifyAppProxyOptions {
  /** App API secret (the HMAC key). */
  secret: string;
  /** Milliseconds clock; injected so tests do not depend on wall time. */
  now?: () => number;
  maxAgeSeconds?: number;
}

/**
 * The string Shopify signs: `key=value` per distinct key (multi-values joined by ","), sorted by
 * key, concatenated. `signature` itself is excluded.
 */
export function appProxyMessage(params: URLSearchParams): string {
  const grouped = new Map<string, string[]>();
  for (const [key, value] of params) {
    if (key === "signature") continue;
    const list = grouped.get(key);
    if (list) list.push(value);
    else grouped.set(key, [value]);
  }
  return [...grouped.keys()]
    .sort()
    .map((key) => `${key}=${grouped.get(key)!.join(",")}`)
    .join("");
}

/** Hex HMAC-SHA256 of {@link appProxyMessage} — what Shopify puts in `signature`. */
export function signAppProxyParams(params: URLSearchParams, secret: string): string {
  return createHmac("sha256", secret).update(appProxyMessage(params), "utf8").digest("hex");
}

/** Verifies an app proxy request URL (signature, freshness, shop domain). Never throws. */
export function verifyAppProxyRequest(url: URL | string, options: VerifyAppProxyOptions): AppProxyVerification {
  const params = new URL(url).searchParams;
  const signatures = params.getAll("signature");
  if (signatures.length !== 1 || !signatures[0]) return { ok: false, reason: "missing-signature" };

  const expected = Buffer.from(signAppProxyParams(params, options.secret), "hex");
  const given = /^[0-9a-f]{64}$/i.test(signatures[0]) ? Buffer.from(signatures[0], "hex") : null;
  if (!given || given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { ok: false, reason: "bad-signature" };
  }

  // Freshness is checked after the signature so an attacker cannot tell the two apart by timing.
  // Shopify signs repeated keys as one comma-joined value, so `a=1&a=2` and `a=1,2` carry the
  // same signature, and readers disagree on which copy wins (`get` takes the first). Our storefront
  // never repeats a key (gp-cart.js joins ids with ","), so any repetition is refused outright.
  if (hasRepeatedKey(params)) return { ok: false, reason: "repeated-param" };

  const timestamp = Number(params.get("timestamp"));
  const nowSeconds = (options.now ?? Date.now)() / 1000;
  const maxAge = options.maxAgeSeconds ?? APP_PROXY_MAX_AGE_SECONDS;
  if (!Number.isFinite(timestamp) || Math.abs(nowSeconds - timestamp) > maxAge) {
    return { ok: false, reason: "stale" };
  }

  const shop = params.get("shop");
  if (!shop || !isShopDomain(shop)) return { ok: false, reason: "bad-shop" };

  const customer = params.get("logged_in_customer_id");
  return {
    ok: true,
    shop,
    loggedInCustomerId: customer && /^\d+$/.test(customer) ? customer : null,
    pathPrefix: params.get("path_prefix"),
    params,
  };
}

function hasRepeatedKey(params: URLSearchParams): boolean {
  const seen = new Set<string>();
  for (const key of params.keys()) {
    if (seen.has(key)) return true;
    seen.add(key);
  }
  return false;
}
