import type { PrismaClient } from "@prisma/client";
import { softDeleteProduct, upsertProducts } from "~/models/catalog.server";
import {
  applyCustomerConsent,
  applyCustomerTagEvent,
  deleteCustomer,
  redactCustomer,
  upsertCustomers,
} from "~/models/customers.server";
import { BATCH_TX_OPTIONS } from "~/models/db-types.server";
import { applyRefund, upsertOrders } from "~/models/orders.server";
import { deleteShopData, markShopUninstalled, shopIsInstalled, updateSessionScopes } from "~/models/shop-data.server";
import { deleteInboxDelivery, readInboxPayload, recordWebhookOnce, webhookSeen } from "~/models/webhook-events.server";
import type { JobQueue } from "~/jobs/types";
import type { AdminClient } from "~/shopify/admin-client.server";
import { customerFromRest, orderFromRest, productFromRest, refundFromRest, restConsentState, restGid } from "~/shopify/records.server";
import { recordDataRequest } from "../shop/data-requests.server";
import { parseWebhookPayload, WebhookPayloadError } from "./payload.server";
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
  // Since API 2025-01 customers/create|update carry no tags and no consent; these topics do.
  // https://shopify.dev/changelog/new-customer-s-webhook-and-changes-to-existing-customer-s-webhooks-payload
  "customers_email_marketing_consent/update",
  "customer.tags_added",
  "customer.tags_removed",
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
  now?: () => Date;
  /** The job queue, to remove redacted shops'/customers' jobs and dead letters after a redaction. */
  queue?: Pick<JobQueue, "removeShopJobs">;
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
}

/* eslint-disable @typescript-eslint/no-explicit-any -- REST payload shapes are mapped field by field. */
type Json = any;

/** "ORDERS_CREATE" or "orders/create" → "orders/create" ("CUSTOMER_TAGS_ADDED" → "customer.tags_added"). */
export function normalizeTopic(topic: string): string {
  if (topic.includes("/") || topic.includes(".")) return topic.toLowerCase();
  const lower = topic.toLowerCase();
  for (const t of WEBHOOK_TOPICS) if (t.replace(/[/.]/g, "_") === lower) return t;
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
  // The topic's schema binds the body to the headers (shape, resource type, shop_domain); a payload
  // we cannot store fails here too, before the transaction: nothing (not even the dedupe row) is written.
  const inbox = input.payload === undefined ? await readInboxPayload(deps.prisma, shop, input.webhookId) : undefined;
  if (inbox === null) return { status: "duplicate", topic, summary: { reason: "no stored body (already applied or redacted)" } };
  const payload = parseWebhookPayload(topic, inbox ?? input.payload, shop) as Json;
  if (await webhookSeen(deps.prisma, shop, input.webhookId)) {
    if (inbox !== undefined) await deleteInboxDelivery(deps.prisma, shop, input.webhookId);
    return { status: "duplicate", topic, summary: {} };
  }
  const now = deps.now ? deps.now() : new Date();
  const triggeredAt = input.triggeredAt ? new Date(input.triggeredAt) : null;

  const outcome = await deps.prisma.$transaction(async (tx) => {
    const prisma = tx as PrismaClient;
    if (topic === "shop/redact" && (await shopIsInstalled(prisma, shop))) {
      // Shopify sends shop/redact 48 h after uninstall; for a live shop it is a replay or a forgery.
      console.warn(`webhook shop/redact refused for ${shop} (webhook ${input.webhookId}): the app is still installed`);
      throw new WebhookPayloadError("shop/redact for a shop that is still installed", 409);
    }
    // The stored body leaves Postgres with the writes it caused (or stays for the job's retry).
    if (inbox !== undefined) await deleteInboxDelivery(prisma, shop, input.webhookId);
    if (!(await recordWebhookOnce(prisma, shop, input.webhookId, topic, input.eventId, triggeredAt))) {
      return { status: "duplicate", topic, summary: {} } satisfies WebhookOutcome;
    }
    return handle(prisma, shop, topic, payload, now, triggeredAt ?? now, input.webhookId);
  }, BATCH_TX_OPTIONS);
  if (outcome.status === "processed" && deps.queue) await purgeRedactedJobs(deps.queue, shop, topic, payload);
  return outcome;
}

/**
 * After a redaction commits, the queue store (Redis in production) must not keep the erased data:
 * shop/redact removes every job and dead letter of the shop; customers/redact those whose data
 * names the customer (jobs enqueued before webhook bodies moved to Postgres carried whole payloads).
 */
async function purgeRedactedJobs(queue: Pick<JobQueue, "removeShopJobs">, shop: string, topic: string, payload: Json): Promise<void> {
  if (topic === "shop/redact") await queue.removeShopJobs(shop);
  if (topic === "customers/redact") {
    const id = String(payload.customer.id);
    const mentions = new RegExp(`(^|[^0-9])${id}([^0-9]|$)`);
    await queue.removeShopJobs(shop, (job) => mentions.test(JSON.stringify(job.data ?? null)));
  }
}

async function handle(prisma: PrismaClient, shop: string, topic: string, payload: Json, now: Date, triggeredAt: Date, webhookId: string): Promise<WebhookOutcome> {
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
    case "customer.tags_added":
    case "customer.tags_removed": {
      const present = topic === "customer.tags_added";
      const r = await applyCustomerTagEvent(prisma, shop, { customerGid: payload.customerId, tags: payload.tags, present, occurredAt: payload.occurredAt });
      return done({ customer: payload.customerId, changed: r.changed, staleIgnored: r.stale });
    }
    case "customers_email_marketing_consent/update": {
      const gid = restGid("Customer", payload.customer_id)!;
      const consent = payload.email_marketing_consent;
      // consent_updated_at is the consent's own clock; Shopify may send null, then the delivery's trigger time.
      const at = consent.consent_updated_at ? new Date(consent.consent_updated_at) : triggeredAt;
      const r = await applyCustomerConsent(prisma, shop, { customerGid: gid, marketingState: restConsentState(consent.state), at });
      return done({ customer: gid, applied: r.applied });
    }
    case "customers/redact": {
      // Only the customer and orders the signed body names (ids as exact strings).
      const gid = restGid("Customer", payload.customer.id)!;
      const orders = (payload.orders_to_redact as string[]).map((id) => restGid("Order", id)!);
      const r = await redactCustomer(prisma, shop, gid, orders, now);
      return done({ customerGid: gid, customerFound: r.customer, orders: r.orders, scores: r.scores, recommendations: r.recommendations });
    }
    case "customers/data_request": {
      const gid = restGid("Customer", payload.customer.id)!;
      const orders = (payload.orders_requested as string[]).map((id) => restGid("Order", id)!);
      const requestKey = payload.data_request?.id != null ? String(payload.data_request.id) : webhookId;
      // The 30 days run from Shopify's event (X-Shopify-Triggered-At), not from when we got to it.
      const stored = await recordDataRequest(prisma, shop, { requestKey, customerGid: gid, orderGids: orders, receivedAt: triggeredAt });
      return done({ customer: gid, dataRequest: stored.id, found: stored.found, orders: stored.orders });
    }
    case "shop/redact":
      return done({ deleted: await deleteShopData(prisma, shop) });
    case "app/uninstalled":
      return done(await markShopUninstalled(prisma, shop, now));
    case "app/scopes_update": {
      const current: string[] = payload.current;
      return done({ sessions: await updateSessionScopes(prisma, shop, current), scopes: current.length });
    }
    case "bulk_operations/finish":
      // Polling drives the sync (it also survives a dropped webhook); this only records the event.
      return done({ bulkOperation: payload.admin_graphql_api_id ?? null, status: payload.status ?? null });
    default:
      return { status: "ignored", topic, summary: { reason: "unhandled topic" } };
  }
}
