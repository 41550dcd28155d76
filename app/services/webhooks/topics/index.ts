import { APP_TOPICS } from "./app";
import { BULK_TOPICS } from "./bulk";
import { COMPLIANCE_TOPICS } from "./compliance";
import { CUSTOMER_TOPICS } from "./customers";
import { ORDER_TOPICS } from "./orders";
import { PRODUCT_TOPICS } from "./products";
import type { TopicHandler } from "./types";

/**
 * The webhook-topic table: every topic the app subscribes to, one entry each (D29). The
 * subscription list (`WEBHOOK_TOPICS`, mirrored by shopify.app.toml — a test checks it), the
 * pre-write payload check and the apply dispatch are all read from here; a new topic is one entry
 * in its resource family's file.
 */
const TABLE = {
  ...APP_TOPICS,
  ...ORDER_TOPICS,
  ...PRODUCT_TOPICS,
  ...CUSTOMER_TOPICS,
  ...BULK_TOPICS,
  ...COMPLIANCE_TOPICS,
};

export type WebhookTopic = keyof typeof TABLE;
export const TOPICS: Readonly<Record<WebhookTopic, TopicHandler>> = TABLE;

/** Every topic the app subscribes to (registered at install, declared in shopify.app.toml). */
export const WEBHOOK_TOPICS = Object.keys(TOPICS) as readonly WebhookTopic[];

export function isWebhookTopic(topic: string): topic is WebhookTopic {
  return Object.prototype.hasOwnProperty.call(TOPICS, topic);
}

/** "ORDERS_CREATE" or "orders/create" → "orders/create" ("CUSTOMER_TAGS_ADDED" → "customer.tags_added"). */
export function normalizeTopic(topic: string): string {
  if (topic.includes("/") || topic.includes(".")) return topic.toLowerCase();
  const lower = topic.toLowerCase();
  for (const t of WEBHOOK_TOPICS) if (t.replace(/[/.]/g, "_") === lower) return t;
  return lower;
}

export type { TopicContext, TopicHandler } from "./types";
