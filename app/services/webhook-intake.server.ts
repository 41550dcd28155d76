import { getDb } from "../db.server";
import { env } from "../env.server";
import { getJobQueue } from "../jobs/queue.server";
import { validateWebhookPayload } from "./webhook-payload.server";
import { normalizeTopic, processWebhook, type WebhookInput } from "./webhooks.server";

/**
 * After HMAC verification: with Redis (production) the delivery is only enqueued — keyed by the
 * webhook id, so Shopify's duplicate deliveries collapse into one job — and Shopify gets its 200
 * within milliseconds; the worker applies it (deduped again in the database, which is the lasting
 * record). Without Redis (demo, single process) it is applied inline, so the admin reflects it
 * at once and PGlite sees one writer. A payload that cannot be stored throws `WebhookPayloadError`
 * (the route answers 400) in both modes, before anything is written or enqueued.
 */
export async function acceptWebhook(input: WebhookInput): Promise<void> {
  if (env().REDIS_URL) {
    // Same check processWebhook makes, so a malformed payload gets its 400 now instead of a dead letter later.
    validateWebhookPayload(normalizeTopic(input.topic), input.payload);
    const queue = await getJobQueue();
    const { shop, topic, webhookId, eventId, payload } = input;
    await queue.enqueue("webhook.process", { topic, webhookId, eventId: eventId ?? undefined, payload }, { shop, jobId: `webhook-${webhookId}` });
    return;
  }
  const { prisma } = await getDb();
  await processWebhook({ prisma }, input);
}
