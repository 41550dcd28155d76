import { ClientError } from "graphql-request";
import type { QueryCost } from "./admin-client.server";
import type { GraphqlErrorEntry } from "./errors.server";

/**
 * How the Admin client (admin-client.server.ts) reads a failed request or a throttled answer:
 * which failures are final, which are retried and after how long.
 */

/** Time until the bucket holds the throttled query's cost again (at least one second). */
export function throttleWait(cost: QueryCost | undefined): number {
  const status = cost?.throttleStatus;
  if (!status || !(status.restoreRate > 0)) return 1000;
  const deficit = Math.max(0, cost.requestedQueryCost - status.currentlyAvailable);
  return Math.max(1000, Math.ceil((deficit / status.restoreRate) * 1000));
}

/** GraphQL `errors` in whatever shape Shopify sent them (array, single string, other), as entries. */
export function normalizeErrors(raw: unknown): GraphqlErrorEntry[] {
  if (!raw) return [];
  // Some Shopify 4xx bodies carry `errors` as a single string.
  if (typeof raw === "string") return [{ message: raw }];
  if (!Array.isArray(raw)) return [{ message: String(raw) }];
  return raw.map((e: { message?: unknown; extensions?: { code?: unknown }; path?: unknown }) => ({
    message: typeof e?.message === "string" ? e.message : "Unknown GraphQL error",
    code: typeof e?.extensions?.code === "string" ? e.extensions.code : undefined,
    path: Array.isArray(e?.path) ? (e.path as (string | number)[]) : undefined,
  }));
}

/** What went wrong with one request, and so whether (and how) the client retries it. */
export type Failure =
  | { kind: "auth"; status: number }
  | { kind: "final"; status: number | null; detail: string }
  | { kind: "graphql"; errors: GraphqlErrorEntry[] }
  | { kind: "rate-limited"; status: 429; detail: string; retryAfterMs?: number }
  | { kind: "transient"; status: number | null; detail: string };

/** Sorts a failed request: auth (final), rate-limited, transient (retried with backoff), GraphQL errors, or final. */
export function classify(error: unknown): Failure {
  if (error instanceof ClientError) {
    const status = error.response.status;
    if (status === 401 || status === 403) return { kind: "auth", status };
    if (status === 429) {
      const header = (error.response.headers as Headers | undefined)?.get?.("retry-after");
      const seconds = header ? Number(header) : Number.NaN;
      return {
        kind: "rate-limited",
        status: 429,
        detail: "HTTP 429",
        retryAfterMs: Number.isFinite(seconds) && seconds >= 0 ? Math.ceil(seconds * 1000) : undefined,
      };
    }
    if (status >= 500 || status === 0) return { kind: "transient", status, detail: `HTTP ${status}` };
    const errors = normalizeErrors(error.response.errors);
    if (errors.length > 0) return { kind: "graphql", errors };
    return { kind: "final", status, detail: `HTTP ${status}` };
  }
  const name = (error as { name?: string })?.name;
  if (name === "TimeoutError" || name === "AbortError") return { kind: "transient", status: null, detail: "timeout" };
  if (error instanceof TypeError || (error as { code?: string })?.code) {
    // fetch() rejects with TypeError on connection failures; the cause names the errno.
    const cause =
      (error as { cause?: { code?: string } }).cause?.code ?? (error as { code?: string }).code ?? "network error";
    return { kind: "transient", status: null, detail: `network error (${cause})` };
  }
  if (error instanceof SyntaxError) return { kind: "transient", status: null, detail: "unparseable response" };
  return { kind: "transient", status: null, detail: (error as Error)?.message ?? "unknown error" };
}
