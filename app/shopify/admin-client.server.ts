import { GraphQLClient } from "graphql-request";
import { env } from "../env.server";
import { classify, normalizeErrors, throttleWait } from "./admin-failures.server";
import { adminGraphqlUrl } from "./urls.server";
import {
  ShopifyAuthError,
  ShopifyGraphqlError,
  ShopifyHttpError,
  ShopifyUserErrors,
  type UserErrorEntry,
} from "./errors.server";

/** `extensions.cost.throttleStatus`: Shopify's leaky bucket for this app × shop. */
export interface ThrottleStatus {
  maximumAvailable: number;
  currentlyAvailable: number;
  restoreRate: number;
}

/** `extensions.cost` as Shopify reports it on every Admin GraphQL response. */
export interface QueryCost {
  requestedQueryCost: number;
  actualQueryCost: number | null;
  throttleStatus: ThrottleStatus;
}

/** What the client reports to an optional logger — never the token, variables or response data. */
export type AdminClientEvent =
  | { type: "throttle-wait"; shop: string; ms: number; reason: "preemptive" | "THROTTLED" }
  | { type: "retry"; shop: string; ms: number; attempt: number; status: number | null; reason: string };

export interface AdminClientOptions {
  shop: string;
  accessToken: string;
  /**
   * Expiring offline tokens: called once when Shopify answers 401, to get a refreshed token
   * through the Shopify library (jobs/offline-token.server.ts); the request is then retried.
   */
  refreshAccessToken?: () => Promise<string>;
  /** Stand-in base URL; default DEVSTORE_URL from env, `null` = real Shopify. */
  baseUrl?: string | null;
  fetch?: typeof globalThis.fetch;
  /** Injected so throttle/backoff tests run instantly. */
  sleep?: (ms: number) => Promise<void>;
  /** Jitter source in [0, 1). */
  random?: () => number;
  /** Milliseconds clock used to estimate how much of the bucket has refilled. */
  now?: () => number;
  /** Retries for 5xx / 429 / network errors / timeouts (default 5). */
  maxRetries?: number;
  /** Retries for THROTTLED answers (default 20): throttling is flow control, not failure. */
  maxThrottleRetries?: number;
  /** Per-attempt timeout in ms (default 30 s). */
  timeoutMs?: number;
  log?: (event: AdminClientEvent) => void;
}

export interface MutateOptions {
  /**
   * Retry 5xx/network failures (default true). A mutation that timed out may have been applied;
   * pass false for mutations that are not idempotent. THROTTLED and 429 are always retried:
   * Shopify did not execute those requests.
   */
  retryOnServerError?: boolean;
}

export interface AdminClient {
  readonly shop: string;
  /** The stand-in's base URL when this client talks to it (demo, tests); null for real Shopify. */
  readonly standInBase?: string | null;
  /** Runs a query (or mutation without userErrors handling) and returns `data`. */
  request<T>(document: string, variables?: Record<string, unknown>, options?: MutateOptions): Promise<T>;
  /** Runs a mutation and returns `data[payloadKey]`; throws {@link ShopifyUserErrors} on userErrors. */
  mutate<T>(
    document: string,
    variables: Record<string, unknown>,
    payloadKey: string,
    options?: MutateOptions,
  ): Promise<T>;
  /** Last throttle status Shopify reported (undefined before the first response). */
  readonly throttleStatus: ThrottleStatus | undefined;
}

const BASE_BACKOFF_MS = 500;
const MAX_BACKOFF_MS = 30_000;

interface RawResult {
  data?: unknown;
  errors?: unknown;
  extensions?: { cost?: QueryCost };
}

/**
 * The app's one Admin GraphQL client (graphql-request underneath). It keeps the shop inside
 * Shopify's cost-based rate limit instead of bouncing off it: it remembers the bucket
 * (`throttleStatus`) from every response and each document's requested cost, waits for the
 * bucket to refill before sending a query that would be throttled, retries THROTTLED answers
 * after the refill time, honours Retry-After on 429, and retries 5xx/network errors/timeouts with
 * exponential backoff and full jitter. 401/403 are final ({@link ShopifyAuthError}).
 */
export function createAdminClient(options: AdminClientOptions): AdminClient {
  const { shop, accessToken } = options;
  const url = adminGraphqlUrl(shop, options.baseUrl);
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const random = options.random ?? Math.random;
  const now = options.now ?? Date.now;
  const maxRetries = options.maxRetries ?? 5;
  const maxThrottleRetries = options.maxThrottleRetries ?? 20;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const log = options.log ?? (() => {});

  let token = accessToken;
  const gql = new GraphQLClient(url, {
    headers: () => ({ "X-Shopify-Access-Token": token }),
    fetch: options.fetch,
    // Keep `errors` next to `data`/`extensions` on 200s: THROTTLED arrives that way, with the cost.
    errorPolicy: "all",
  });

  /** Last reported bucket, when it was observed, and how long we have slept since (the clock may be fake). */
  let bucket: { status: ThrottleStatus; at: number; slept: number } | undefined;
  /** Requested cost per document, learned from previous responses (Shopify computes it statically). */
  const knownCost = new Map<string, number>();

  function estimatedAvailable(): number | undefined {
    if (!bucket) return undefined;
    const elapsed = Math.max(now() - bucket.at, bucket.slept);
    const refilled = (elapsed / 1000) * bucket.status.restoreRate;
    return Math.min(bucket.status.maximumAvailable, bucket.status.currentlyAvailable + refilled);
  }

  function remember(cost: QueryCost | undefined, document: string) {
    if (!cost?.throttleStatus) return;
    bucket = { status: cost.throttleStatus, at: now(), slept: 0 };
    if (typeof cost.requestedQueryCost === "number") knownCost.set(document, cost.requestedQueryCost);
  }

  function backoff(attempt: number): number {
    const ceiling = Math.min(MAX_BACKOFF_MS, BASE_BACKOFF_MS * 2 ** attempt);
    return Math.round(ceiling / 2 + (random() * ceiling) / 2);
  }

  async function pause(ms: number) {
    await sleep(ms);
    if (bucket) bucket.slept += ms;
  }

  async function send(
    document: string,
    variables: Record<string, unknown> | undefined,
    retryServerErrors: boolean,
  ): Promise<unknown> {
    let failures = 0;
    let throttles = 0;
    let refreshed = false;
    for (;;) {
      // Pre-emptive wait: a query that costs more than the bucket holds would come back THROTTLED.
      const cost = knownCost.get(document);
      const available = estimatedAvailable();
      if (
        cost !== undefined &&
        available !== undefined &&
        bucket &&
        available < cost &&
        bucket.status.restoreRate > 0
      ) {
        const ms = Math.ceil(((cost - available) / bucket.status.restoreRate) * 1000);
        log({ type: "throttle-wait", shop, ms, reason: "preemptive" });
        await pause(ms);
      }

      let result: RawResult;
      try {
        result = (await gql.rawRequest({
          query: document,
          variables,
          signal: AbortSignal.timeout(timeoutMs),
        })) as RawResult;
      } catch (error) {
        const failure = classify(error);
        if (failure.kind === "auth" && failure.status === 401 && options.refreshAccessToken && !refreshed) {
          // The offline token expired (or was rotated): refresh once, then retry the same request.
          refreshed = true;
          token = await options.refreshAccessToken();
          continue;
        }
        if (failure.kind === "auth") throw new ShopifyAuthError(shop, failure.status);
        if (failure.kind === "final") throw new ShopifyHttpError(shop, failure.status, failure.detail);
        if (failure.kind === "graphql") {
          // Non-2xx with a GraphQL body (Shopify answers some 4xx this way).
          throw new ShopifyGraphqlError(shop, failure.errors);
        }
        const retryable = failure.kind === "rate-limited" || retryServerErrors;
        if (!retryable || failures >= maxRetries) {
          throw new ShopifyHttpError(shop, failure.status, `${failure.detail} after ${failures + 1} attempt(s)`);
        }
        const ms =
          failure.kind === "rate-limited" && failure.retryAfterMs !== undefined
            ? failure.retryAfterMs
            : backoff(failures);
        failures++;
        log({ type: "retry", shop, ms, attempt: failures, status: failure.status, reason: failure.detail });
        await pause(ms);
        continue;
      }

      remember(result.extensions?.cost, document);
      const errors = normalizeErrors(result.errors);
      if (errors.length === 0) return result.data;

      if (errors.some((e) => e.code === "THROTTLED")) {
        if (throttles >= maxThrottleRetries) {
          throw new ShopifyHttpError(shop, 200, `still THROTTLED after ${throttles + 1} attempt(s)`);
        }
        throttles++;
        const ms = throttleWait(result.extensions?.cost);
        log({ type: "throttle-wait", shop, ms, reason: "THROTTLED" });
        await pause(ms);
        continue;
      }
      if (errors.some((e) => e.code === "INTERNAL_SERVER_ERROR") && retryServerErrors && failures < maxRetries) {
        // Shopify reports some transient failures as 200 + INTERNAL_SERVER_ERROR.
        const ms = backoff(failures);
        failures++;
        log({ type: "retry", shop, ms, attempt: failures, status: 200, reason: "INTERNAL_SERVER_ERROR" });
        await pause(ms);
        continue;
      }
      throw new ShopifyGraphqlError(shop, errors);
    }
  }

  return {
    shop,
    standInBase: (options.baseUrl === undefined ? env().DEVSTORE_URL : options.baseUrl) ?? null,
    get throttleStatus() {
      return bucket?.status;
    },
    async request<T>(document: string, variables?: Record<string, unknown>, opts: MutateOptions = {}): Promise<T> {
      return (await send(document, variables, opts.retryOnServerError ?? true)) as T;
    },
    async mutate<T>(
      document: string,
      variables: Record<string, unknown>,
      payloadKey: string,
      opts: MutateOptions = {},
    ): Promise<T> {
      const data = (await send(document, variables, opts.retryOnServerError ?? true)) as Record<string, unknown> | null;
      const payload = data?.[payloadKey] as { userErrors?: UserErrorEntry[] } | null | undefined;
      if (!payload)
        throw new ShopifyGraphqlError(shop, [{ message: `mutation payload "${payloadKey}" missing from response` }]);
      if (!Array.isArray(payload.userErrors)) {
        throw new ShopifyGraphqlError(shop, [
          { message: `mutation payload "${payloadKey}" does not select userErrors` },
        ]);
      }
      if (payload.userErrors.length > 0) {
        throw new ShopifyUserErrors(
          shop,
          payloadKey,
          payload.userErrors.map((e) => ({ field: e.field ?? null, code: e.code ?? null, message: e.message })),
        );
      }
      return payload as T;
    },
  };
}
