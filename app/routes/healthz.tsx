import { checkDatabase } from "../db/health.server";

/**
 * `GET /healthz` — for load balancers, Docker HEALTHCHECK and Kubernetes probes. No auth, no PII:
 * 200 `{"status":"ok"}` when the process can reach its database (one `SELECT 1`, bounded by a
 * 2 s timeout), else 503 — a web process without its database cannot verify-and-store anything,
 * so it should be taken out of rotation. Redis is not checked here: with REDIS_URL a broken Redis
 * makes webhook intake answer 5xx, which Shopify retries, and BullMQ reconnects on its own.
 */
export const loader = async () => {
  const started = Date.now();
  try {
    await checkDatabase(2_000);
    return json({ status: "ok", db: "ok", ms: Date.now() - started }, 200);
  } catch (error) {
    // The reason goes to the log, not to an unauthenticated caller (it can name hosts and ports).
    console.error(`healthz: ${error instanceof Error ? error.message : String(error)}`);
    return json({ status: "error", db: "unreachable" }, 503);
  }
};

function json(body: unknown, status: number) {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "Content-Type": "application/json", "Cache-Control": "no-store" },
  });
}
