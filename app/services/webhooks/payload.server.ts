import type { z } from "zod";
import { WebhookPayloadError } from "./payload-error";
import { isWebhookTopic, TOPICS, type TopicHandler } from "./topics";

/**
 * The pre-write check of a verified body, driven by the topic table (./topics): the body must have
 * its topic's shape, name the header shop when it names one, and map to records Postgres can store.
 *
 * - Binding. Shopify's HMAC covers the body only; topic and shop headers are not signed. So a
 *   body must have its topic's shape (a captured `orders/create` body replayed with
 *   `X-Shopify-Topic: shop/redact` is refused), `admin_graphql_api_id` must name the topic's
 *   resource type, and compliance bodies must name the header shop in `shop_domain`.
 *   https://shopify.dev/docs/apps/build/webhooks/subscribe/https#step-5-verify-the-webhook
 * - Storable. The records the topic writes (built by the topic's own `map`, which `apply` then
 *   receives) must fit the database: a malformed or hostile delivery gets 400 and writes nothing,
 *   instead of a 500 Shopify retries for 48 h.
 *
 * Pure (no I/O): the intake runs it before enqueueing, so a bad payload never reaches a worker.
 */
export interface CheckedPayload {
  /** The schema's output (ids as strings): what the intake stores for a queued delivery. */
  body: unknown;
  /** The topic's entry and the records it will write; `null` for a topic the app does not handle (ignored). */
  handled: { handler: TopicHandler; records: unknown } | null;
}

export function checkWebhookPayload(topic: string, payload: unknown, shop?: string, now = new Date()): CheckedPayload {
  if (!isWebhookTopic(topic)) return { body: payload, handled: null };
  const handler: TopicHandler = TOPICS[topic];
  const body = parsed(topic, handler.schema, payload);
  const named = handler.namedShop?.(body);
  if (named && shop !== undefined && named.domain.toLowerCase() !== shop) {
    throw new WebhookPayloadError(`${topic}: ${named.field} does not match the X-Shopify-Shop-Domain header`);
  }
  let records: unknown;
  try {
    records = handler.map(body, now);
  } catch (error) {
    throw new WebhookPayloadError(`${topic}: ${error instanceof Error ? error.message : String(error)}`);
  }
  parsed(topic, handler.records, records);
  return { body, handled: { handler, records } };
}

function parsed(topic: string, schema: z.ZodType<unknown, z.ZodTypeDef, unknown>, value: unknown): unknown {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  throw new WebhookPayloadError(`${topic}: ${issue.path.join(".") || "payload"} ${issue.message}`);
}

/**
 * The verified body, parsed with its topic's schema and bound to the header shop. Throws
 * {@link WebhookPayloadError} (400) when it is not that topic's shape, names another shop, or
 * maps to records the database cannot hold. Topics without an entry come back unchanged (ignored).
 */
export function parseWebhookPayload(topic: string, payload: unknown, shop?: string, now = new Date()): unknown {
  return checkWebhookPayload(topic, payload, shop, now).body;
}

/** Throws {@link WebhookPayloadError} when `payload` (already HMAC-verified) cannot be applied. */
export function validateWebhookPayload(topic: string, payload: unknown, shop?: string): void {
  checkWebhookPayload(topic, payload, shop);
}
