import type { PrismaClient } from "@prisma/client";
import { deleteOrdersPlacedBefore } from "../../models/retention.server";
import { getShopSettings } from "../../models/shops.server";
import { pruneWebhookEvents } from "../../models/webhook-events.server";

const DAY_MS = 86_400_000;

/**
 * How long a handled webhook's id is remembered for dedupe. It must outlast Shopify's retries of
 * one delivery, or a retry arriving after its record was pruned is applied twice. Shopify documents
 * retries for up to 48 hours (https://shopify.dev/docs/apps/build/webhooks/troubleshooting-webhooks;
 * since 2024-09 "8 times over 4 hours", https://shopify.dev/changelog/updates-to-webhook-retry-mechanism).
 * A week outlasts either with a wide margin (a delivery answered 2xx but acknowledged late, too).
 */
export const WEBHOOK_DEDUPE_DAYS = 7;

export interface RetentionDeps {
  prisma: PrismaClient;
  /** Injected in tests; defaults to the system time. */
  now?: () => Date;
}

/** The daily `webhooks.prune` job: forgets webhook ids older than the dedupe window. */
export async function pruneWebhookDedupe(deps: RetentionDeps, shop: string): Promise<{ deleted: number }> {
  const now = deps.now?.() ?? new Date();
  const deleted = await pruneWebhookEvents(deps.prisma, shop, new Date(now.getTime() - WEBHOOK_DEDUPE_DAYS * DAY_MS));
  return { deleted };
}

/**
 * The daily `data.retention` job: applies the merchant's "Keep order history for N days" setting
 * (`dataRetentionDays`, at least 365; empty keeps everything) by deleting older orders and their
 * lines. An old order that Shopify later updates comes back with the next reconcile, and the next
 * run deletes it again.
 */
export async function applyDataRetention(deps: RetentionDeps, shop: string): Promise<{ deletedOrders: number }> {
  const { dataRetentionDays } = await getShopSettings(deps.prisma, shop);
  if (dataRetentionDays === null) return { deletedOrders: 0 };
  const now = deps.now?.() ?? new Date();
  const before = new Date(now.getTime() - dataRetentionDays * DAY_MS);
  return { deletedOrders: await deleteOrdersPlacedBefore(deps.prisma, shop, before) };
}
