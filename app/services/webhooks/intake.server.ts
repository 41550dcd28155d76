import { getDb } from "../../db.server";
import { env } from "../../env.server";
import { adminClientFor } from "../../jobs/deps.server";
import type { AppJobs } from "../../jobs/names";
import { getJobQueue } from "../../jobs/queue.server";
import type { JobQueue } from "../../jobs/types";
import { storeInboxDelivery } from "../../models/webhook-events.server";
import { checkWebhookPayload } from "./payload.server";
import { WebhookPayloadError } from "./payload-error";
import { processWebhook, type WebhookInput } from "./apply.server";
import { normalizeTopic } from "./topics";

/**
 * Oldest delivery the app applies, by `X-Shopify-Triggered-At`. Shopify retries a failed delivery
 * 8 times over 4 hours with the original payload and says to use this header to spot stale ones
 * (https://shopify.dev/changelog/updates-to-webhook-retry-mechanism); older docs said 48 hours.
 * 48 h covers both with room for clock skew, and matches how long webhook dedupe records must be
 * kept — a delivery older than that is a replay. Future timestamps beyond 5 minutes are refused too.
 */
export const MAX_DELIVERY_AGE_MS = 48 * 3600_000;
const MAX_CLOCK_SKEW_MS = 5 * 60_000;

/** Throws {@link WebhookPayloadError} (400) for a missing, unparsable, too old or future trigger time. */
export function assertFreshDelivery(triggeredAt: string | null | undefined, now = new Date()): void {
  const at = triggeredAt ? Date.parse(triggeredAt) : NaN;
  if (Number.isNaN(at)) throw new WebhookPayloadError("missing or invalid X-Shopify-Triggered-At");
  if (now.getTime() - at > MAX_DELIVERY_AGE_MS)
    throw new WebhookPayloadError("delivery older than 48 hours (X-Shopify-Triggered-At)");
  if (at - now.getTime() > MAX_CLOCK_SKEW_MS) throw new WebhookPayloadError("X-Shopify-Triggered-At is in the future");
}

/**
 * After HMAC verification: the trigger time and the body's topic schema are checked first (400 and
 * nothing stored or enqueued when they fail). With Redis (production) the body is stored in
 * Postgres (`WebhookInbox`) and only the webhook id is enqueued — keyed by it, so Shopify's
 * duplicate deliveries collapse into one job — and Shopify gets its 200 within milliseconds; the
 * worker applies it (deduped again in the database, the lasting record). Without Redis (demo,
 * single process) it is applied inline, so the admin reflects it at once and PGlite sees one writer.
 */
export async function acceptWebhook(input: WebhookInput, now = new Date()): Promise<void> {
  assertFreshDelivery(input.triggeredAt, now);
  if (env().REDIS_URL) {
    const topic = normalizeTopic(input.topic);
    // Same check processWebhook makes, so a malformed payload gets its 400 now instead of a dead letter later.
    const { body: payload, handled } = checkWebhookPayload(topic, input.payload, input.shop, now);
    const { prisma } = await getDb();
    await handled?.handler.guard?.(prisma, input.shop, input.webhookId);
    const { shop, webhookId, eventId, triggeredAt } = input;
    await storeInboxDelivery(prisma, shop, {
      webhookId,
      topic,
      eventId: eventId ?? null,
      triggeredAt: triggeredAt ? new Date(triggeredAt) : null,
      payload: payload as object,
    });
    const queue = await getJobQueue();
    await queue.enqueue(
      "webhook.process",
      { topic: input.topic, webhookId, eventId: eventId ?? undefined, triggeredAt: triggeredAt ?? undefined },
      { shop, jobId: `webhook-${webhookId}` },
    );
    return;
  }
  const { prisma } = await getDb();
  // The queue, opened only when used: redactions clear its jobs and dead letters; a failed rescore
  // is retried through it. Most deliveries need neither.
  const queue = {
    removeShopJobs: async (...args: Parameters<JobQueue["removeShopJobs"]>) =>
      (await getJobQueue()).removeShopJobs(...args),
    enqueue: (async (...args: Parameters<JobQueue<AppJobs>["enqueue"]>) =>
      (await getJobQueue()).enqueue(...args)) as JobQueue<AppJobs>["enqueue"],
  };
  await processWebhook({ prisma, queue, clientFor: adminClientFor(prisma) }, input);
}
