import type { PrismaClient } from "@prisma/client";
import { softDeleteProduct, upsertProducts } from "~/models/catalog.server";
import { collectCustomerData, deleteCustomer, redactCustomer, upsertCustomers } from "~/models/customers.server";
import { BATCH_TX_OPTIONS } from "~/models/db-types.server";
import { applyRefund, upsertOrders } from "~/models/orders.server";
import { deleteShopData, markShopUninstalled } from "~/models/shop-data.server";
import { recordWebhookOnce, webhookSeen } from "~/models/webhook-events.server";
import type { AdminClient } from "~/shopify/admin-client.server";
import { customerFromRest, orderFromRest, productFromRest, refundFromRest, restGid } from "~/shopify/records.server";
import { validateWebhookPayload } from "./webhook-payload.server";
import { assertShopDomain } from "~/shopify/urls.server";

export { verifyWebhookHmac } from "~/shopify/hmac.server";

/** Every topic the app subscribes to (shopify.app.toml mirrors this list; a test checks it). */
export const WEBHOOK_TOPICS = [
  "app/uninstalled",
  "app/scopes_update",
  "orders/create",
  "orders/updated",
  "orders/cancelled",
  "refunds/create",
  "products/create",
  "products/update",
  "products/delete",
  "customers/create",
  "customers/update",
  "customers/delete",
  "bulk_operations/finish",
  "customers/data_request",
  "customers/redact",
  "shop/redact",
] as const;
export type WebhookTopic = (typeof WEBHOOK_TOPICS)[number];

export interface WebhookDeps {
  prisma: PrismaClient;
  /** Optional: not needed by any handler today (refunds are applied from the payload). */
  client?: AdminClient;
  clock?: () => Date;
}

export interface WebhookInput {
  shop: string;
  /** REST-style topic from X-Shopify-Topic ("orders/create"); the GraphQL enum form is accepted too. */
  topic: string;
  webhookId: string;
  eventId?: string | null;
  payload: unknown;
}

/**
 * What happened, safe to log: counts and ids only. `dataRequest` (customers/data_request) holds
 * the customer's stored data — PII — for the caller to deliver to the merchant, never to log.
 */
export interface WebhookOutcome {
  status: "processed" | "duplicate" | "ignored";
  topic: string;
  /** Non-PII summary (counts, GIDs). */
  summary: Record<string, unknown>;
  dataRequest?: Awaited<ReturnType<typeof collectCustomerData>>;
}

/* eslint-disable @typescript-eslint/no-explicit-any -- REST payload shapes are mapped field by field. */
type Json = any;

/** "ORDERS_CREATE" or "orders/create" → "orders/create". */
export function normalizeTopic(topic: string): string {
  if (topic.includes("/")) return topic.toLowerCase();
  const lower = topic.toLowerCase();
  for (const t of WEBHOOK_TOPICS) if (t.replace("/", "_") === lower) return t;
  return lower;
}

/**
 * Applies one webhook delivery. Idempotent: the webhook id is recorded in the same transaction
 * as the handler's writes, so a duplicate delivery is a no-op and a failed one is retried by
 * Shopify. Out-of-order safe: every upsert is conditional on Shopify's `updated_at`.
 * The HMAC must already be verified (the route does it).
 */
export async function processWebhook(deps: WebhookDeps, input: WebhookInput): Promise<WebhookOutcome> {
  const shop = assertShopDomain(input.shop);
  const topic = normalizeTopic(input.topic);
  if (!input.webhookId) throw new Error("Webhook without X-Shopify-Webhook-Id");
  // A payload we cannot store fails here, before the transaction: nothing (not even the dedupe row) is written.
  validateWebhookPayload(topic, input.payload);
  if (await webhookSeen(deps.prisma, shop, input.webhookId)) return { status: "duplicate", topic, summary: {} };
  const now = deps.clock ? deps.clock() : new Date();
  const payload = (input.payload ?? {}) as Json;

  return deps.prisma.$transaction(async (tx) => {
    const prisma = tx as PrismaClient;
    if (!(await recordWebhookOnce(prisma, shop, input.webhookId, topic, input.eventId))) {
      return { status: "duplicate", topic, summary: {} } satisfies WebhookOutcome;
    }
    return handle(prisma, shop, topic, payload, now);
  }, BATCH_TX_OPTIONS);
}

async function handle(prisma: PrismaClient, shop: string, topic: string, payload: Json, now: Date): Promise<WebhookOutcome> {
  const done = (summary: Record<string, unknown>): WebhookOutcome => ({ status: "processed", topic, summary });
  switch (topic) {
    case "orders/create":
    case "orders/updated":
    case "orders/cancelled": {
      const record = orderFromRest(payload);
      const r = await upsertOrders(prisma, shop, [record]);
      return done({ order: record.gid, written: r.written, staleIgnored: r.skipped });
    }
    case "refunds/create": {
      const refund = refundFromRest(payload, now);
      const applied = await applyRefund(prisma, shop, refund);
      return done({ order: refund.orderGid, applied });
    }
    case "products/create":
    case "products/update": {
      const record = productFromRest(payload);
      const r = await upsertProducts(prisma, shop, [record]);
      return done({ product: record.gid, written: r.written, staleIgnored: r.skipped });
    }
    case "products/delete": {
      const gid = restGid("Product", payload.id, payload.admin_graphql_api_id)!;
      return done({ product: gid, deleted: await softDeleteProduct(prisma, shop, gid, now) });
    }
    case "customers/create":
    case "customers/update": {
      const record = customerFromRest(payload);
      const r = await upsertCustomers(prisma, shop, [record]);
      return done({ customer: record.gid, written: r.written, staleIgnored: r.skipped });
    }
    case "customers/delete": {
      const gid = restGid("Customer", payload.id, payload.admin_graphql_api_id)!;
      return done({ customer: gid, deleted: await deleteCustomer(prisma, shop, gid) });
    }
    case "customers/redact": {
      const gid = restGid("Customer", payload.customer?.id, payload.customer?.admin_graphql_api_id)!;
      const orders = (payload.orders_to_redact ?? []).map((id: number | string) => restGid("Order", id)!);
      const r = await redactCustomer(prisma, shop, gid, orders, now);
      return done({ customerGid: gid, customerFound: r.customer, orders: r.orders, scores: r.scores, recommendations: r.recommendations });
    }
    case "customers/data_request": {
      const gid = restGid("Customer", payload.customer?.id, payload.customer?.admin_graphql_api_id)!;
      const orders = (payload.orders_requested ?? []).map((id: number | string) => restGid("Order", id)!);
      const data = await collectCustomerData(prisma, shop, gid, orders);
      return {
        status: "processed",
        topic,
        summary: {
          customer: gid,
          dataRequestId: payload.data_request?.id ?? null,
          found: data.customer !== null,
          orders: data.orders.length,
          recommendations: data.recommendations.length,
        },
        dataRequest: data,
      };
    }
    case "shop/redact":
      return done({ deleted: await deleteShopData(prisma, shop) });
    case "app/uninstalled":
      return done(await markShopUninstalled(prisma, shop, now));
    case "app/scopes_update": {
      const current: string[] = Array.isArray(payload.current) ? payload.current : [];
      const { count } = await prisma.session.updateMany({ where: { shop }, data: { scope: current.join(",") } });
      return done({ sessions: count, scopes: current.length });
    }
    case "bulk_operations/finish":
      // Polling drives the sync (it also survives a dropped webhook); this only records the event.
      return done({ bulkOperation: payload.admin_graphql_api_id ?? null, status: payload.status ?? null });
    default:
      return { status: "ignored", topic, summary: { reason: "unhandled topic" } };
  }
}
