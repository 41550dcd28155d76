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
