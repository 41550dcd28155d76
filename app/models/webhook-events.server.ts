import type { Db } from "./db-types.server";

/**
 * Shopify delivers webhooks at least once, sometimes twice with the same `X-Shopify-Webhook-Id`.
 * Returns true only for the first delivery (INSERT … ON CONFLICT DO NOTHING, so two concurrent
 * deliveries cannot both win). Run it in the same transaction as the handler's writes: if the
 * handler fails, the record rolls back and Shopify's retry is processed.
 */
export async function recordWebhookOnce(
  prisma: Db,
  shop: string,
  webhookId: string,
  topic: string,
  eventId?: string | null,
  triggeredAt?: Date | null,
): Promise<boolean> {
  const { count } = await prisma.webhookEvent.createMany({
    data: [{ shop, webhookId, topic, eventId: eventId ?? null, triggeredAt: triggeredAt ?? null }],
    skipDuplicates: true,
  });
  return count === 1;
}

/** True when this webhook id was already handled (cheap pre-check before doing network work). */
export async function webhookSeen(prisma: Db, shop: string, webhookId: string): Promise<boolean> {
  return (await prisma.webhookEvent.count({ where: { shop, webhookId } })) > 0;
}

/** Drops dedupe records older than `before` (Shopify stops retrying after 48 hours). */
export async function pruneWebhookEvents(prisma: Db, shop: string, before: Date): Promise<number> {
  const { count } = await prisma.webhookEvent.deleteMany({ where: { shop, receivedAt: { lt: before } } });
  return count;
}

/** A queued delivery's body, stored by the intake until the job applies it (REDIS_URL mode). */
export interface InboxDelivery {
  webhookId: string;
  topic: string;
  eventId: string | null;
  triggeredAt: Date | null;
  payload: object;
}

/** Stores a delivery's body for its job; a redelivery of the same webhook id is a no-op. */
export async function storeInboxDelivery(prisma: Db, shop: string, delivery: InboxDelivery): Promise<void> {
  await prisma.webhookInbox.createMany({ data: [{ shop, ...delivery }], skipDuplicates: true });
}

/** The stored body of a queued delivery; null when it is gone (applied, or the shop was redacted). */
export async function readInboxPayload(prisma: Db, shop: string, webhookId: string): Promise<unknown | null> {
  const row = await prisma.webhookInbox.findUnique({
    where: { shop_webhookId: { shop, webhookId } },
    select: { payload: true },
  });
  return row ? row.payload : null;
}

/** Drops a delivery's stored body (it leaves Postgres with the writes it caused). */
export async function deleteInboxDelivery(prisma: Db, shop: string, webhookId: string): Promise<void> {
  await prisma.webhookInbox.deleteMany({ where: { shop, webhookId } });
}
