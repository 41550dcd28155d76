import type { PrismaClient } from "@prisma/client";
import { BATCH_TX_OPTIONS } from "~/models/db-types.server";
import { deleteInboxDelivery, readInboxPayload, recordWebhookOnce, webhookSeen } from "~/models/webhook-events.server";
import type { AppJobs } from "~/jobs/names";
import type { JobQueue } from "~/jobs/types";
import { refreshCustomerForYou, rescoreCustomerNow, type RescoreOutcome } from "../scoring/rescore-customer.server";
import type { AdminClient } from "~/shopify/admin-client.server";
import { assertShopDomain } from "~/shopify/urls.server";
import { checkWebhookPayload } from "./payload.server";
import { normalizeTopic, type TopicContext } from "./topics";

export { verifyWebhookHmac } from "~/shopify/hmac.server";

export interface WebhookDeps {
  prisma: PrismaClient;
  /** Optional: not needed by any handler today (refunds are applied from the payload). */
  client?: AdminClient;
  now?: () => Date;
  /**
   * The job queue: removes redacted shops'/customers' jobs and dead letters after a redaction, and
   * takes a `scoring.customer` retry when the inline rescore after a write failed.
   */
  queue?: Pick<JobQueue, "removeShopJobs"> & Partial<Pick<JobQueue<AppJobs>, "enqueue">>;
  /** The Admin client for the customer's `for_you` metafield after a rescore (none: left to the run's sync). */
  clientFor?: (shop: string) => Promise<AdminClient>;
}

export interface WebhookInput {
  shop: string;
  /** REST-style topic from X-Shopify-Topic ("orders/create"); the GraphQL enum form is accepted too. */
  topic: string;
  webhookId: string;
  eventId?: string | null;
  /** X-Shopify-Triggered-At (ISO); the intake refuses deliveries older than {@link MAX_DELIVERY_AGE_MS}. */
  triggeredAt?: string | null;
  /** The verified body; `undefined` (a queued job) → read from `WebhookInbox`, where the intake stored it. */
  payload?: unknown;
}

/** What happened, safe to log: counts and ids only (a data request's export is stored, not returned). */
export interface WebhookOutcome {
  status: "processed" | "duplicate" | "ignored";
  topic: string;
  /** Non-PII summary (counts, GIDs). */
  summary: Record<string, unknown>;
  /** The customer's rescore after the write (D36), when the topic changes a customer's history. */
  rescore?:
    | (RescoreOutcome & { forYou?: "queued" | "updated" | "unchanged"; metafield?: string })
    | { status: "retry-queued" | "failed" };
}

/**
 * Applies one webhook delivery through its entry in the topic table (./topics). Idempotent: the
 * webhook id is recorded in the same transaction as the entry's writes, so a duplicate delivery is
 * a no-op and a failed one is retried by Shopify. Out-of-order safe: every upsert is conditional
 * on Shopify's `updated_at`. The HMAC must already be verified (the route does it).
 */
export async function processWebhook(deps: WebhookDeps, input: WebhookInput): Promise<WebhookOutcome> {
  const shop = assertShopDomain(input.shop);
  const topic = normalizeTopic(input.topic);
  const { webhookId } = input;
  if (!webhookId) throw new Error("Webhook without X-Shopify-Webhook-Id");
  const inbox = input.payload === undefined ? await readInboxPayload(deps.prisma, shop, webhookId) : undefined;
  if (inbox === null)
    return { status: "duplicate", topic, summary: { reason: "no stored body (already applied or redacted)" } };
  const now = deps.now ? deps.now() : new Date();
  // The topic's schema binds the body to the headers (shape, resource type, shop_domain); a payload
  // we cannot store fails here too, before the transaction: nothing (not even the dedupe row) is written.
  // The records checked here are the ones applied.
  const { handled } = checkWebhookPayload(topic, inbox ?? input.payload, shop, now);
  if (await webhookSeen(deps.prisma, shop, webhookId)) {
    if (inbox !== undefined) await deleteInboxDelivery(deps.prisma, shop, webhookId);
    return { status: "duplicate", topic, summary: {} };
  }
  const triggeredAt = input.triggeredAt ? new Date(input.triggeredAt) : null;
  const ctx: TopicContext = { shop, webhookId, now, triggeredAt: triggeredAt ?? now };

  const outcome = await deps.prisma.$transaction(async (tx) => {
    const prisma = tx as PrismaClient;
    await handled?.handler.guard?.(prisma, shop, webhookId);
    // The stored body leaves Postgres with the writes it caused (or stays for the job's retry).
    if (inbox !== undefined) await deleteInboxDelivery(prisma, shop, webhookId);
    if (!(await recordWebhookOnce(prisma, shop, webhookId, topic, input.eventId, triggeredAt))) {
      return { status: "duplicate", topic, summary: {} } satisfies WebhookOutcome;
    }
    if (!handled) return { status: "ignored", topic, summary: { reason: "unhandled topic" } } satisfies WebhookOutcome;
    const summary = await handled.handler.apply({ prisma }, ctx, handled.records);
    return { status: "processed", topic, summary } satisfies WebhookOutcome;
  }, BATCH_TX_OPTIONS);
  // After a redaction commits, the queue store (Redis in production) must not keep the erased data.
  if (outcome.status === "processed" && deps.queue && handled?.handler.purgeJobs) {
    await handled.handler.purgeJobs(deps.queue, shop, handled.records);
  }
  if (outcome.status === "processed" && handled?.handler.customerOf) {
    const customerGid = await handled.handler.customerOf(deps.prisma, shop, handled.records);
    if (customerGid) return { ...outcome, rescore: await rescoreAfterWrite(deps, shop, customerGid) };
  }
  return outcome;
}

/**
 * The score inline, right after the commit (D36): no queue hop and no per-customer dedupe to race —
 * each write is followed by a rescore that reads it, and the newest `scoredAt` wins. Measured in
 * `npm run bench:freshness`. The "for you" list and its metafield (the slower part: list reads and
 * writes, an Admin API call) follow as a `scoring.customer` job when there is a queue. A failed
 * rescore never fails the delivery (its write is committed and recorded; Shopify's retry would be
 * a duplicate): it becomes that job too, with the queue's retries.
 */
async function rescoreAfterWrite(deps: WebhookDeps, shop: string, customerGid: string) {
  const rescoreDeps = {
    prisma: deps.prisma,
    now: deps.now,
    clientFor: deps.clientFor ? () => deps.clientFor!(shop) : undefined,
  };
  const jobId = `rescore-${shop}-${customerGid}`;
  let outcome: RescoreOutcome;
  try {
    outcome = await rescoreCustomerNow(rescoreDeps, shop, customerGid);
  } catch (error) {
    console.error(`webhooks: rescore after write failed for ${shop}: ${(error as Error).message}`);
    // Without a queue (a caller applying deliveries directly) the next refit catches up.
    if (!deps.queue?.enqueue) return { status: "failed" as const };
    await deps.queue.enqueue("scoring.customer", { customerGid }, { shop, jobId });
    return { status: "retry-queued" as const };
  }
  if (!outcome.forYouSince) return outcome;
  if (deps.queue?.enqueue) {
    const forYouSince = outcome.forYouSince.toISOString();
    await deps.queue.enqueue("scoring.customer", { customerGid, forYouSince }, { shop, jobId });
    return { ...outcome, forYou: "queued" as const };
  }
  return { ...outcome, ...(await refreshCustomerForYou(rescoreDeps, shop, customerGid, outcome.forYouSince)) };
}
