/**
 * Webhook delivery as Shopify does it: one POST per subscription per event, HMAC-signed with the
 * app's secret, at-least-once (non-2xx answers are retried with backoff, and now and then a
 * delivery is sent twice with the same ids), with fault knobs to drop deliveries.
 *
 * Record changes reach the dispatcher through the `record*` helpers: the generator's simulator
 * and the mutations call them, and they find the shop's dispatcher through a registry filled
 * when the shop is attached to a running stand-in (no server → the change is just stored).
 *
 * Longer than 300 lines: the dispatcher class plus the one-line `record*` helpers that feed it.
 */
import { redactProtectedFields, type AccessConfig } from "./access.js";
import { createHmac, randomUUID } from "node:crypto";
import type { DsCustomer, DsOrder, DsProduct, DsShop } from "./model.js";
import type { Clock, WebhookSink } from "./runtime.js";
import type { Faults } from "./faults.js";
import { API_VERSION } from "./schema.js";
import {
  customerConsentPayload,
  customerTagsPayload,
  restCustomer,
  restOrder,
  restProduct,
} from "./webhook-payloads.js";

/** REST topic ("orders/create") → GraphQL enum ("ORDERS_CREATE"). */
export function topicEnum(topic: string): string {
  return topic.replace(/[/.]/g, "_").toUpperCase();
}

/** GraphQL enum → REST topic; Shopify's headers use the REST spelling. */
export function topicRest(topicEnumValue: string): string {
  const known: Record<string, string> = {
    BULK_OPERATIONS_FINISH: "bulk_operations/finish",
    APP_UNINSTALLED: "app/uninstalled",
    SHOP_UPDATE: "shop/update",
    CUSTOMERS_EMAIL_MARKETING_CONSENT_UPDATE: "customers_email_marketing_consent/update",
    CUSTOMER_TAGS_ADDED: "customer.tags_added",
    CUSTOMER_TAGS_REMOVED: "customer.tags_removed",
  };
  if (known[topicEnumValue]) return known[topicEnumValue];
  const [resource, ...action] = topicEnumValue.toLowerCase().split("_");
  return `${resource}/${action.join("_")}`;
}

/** Base64 HMAC-SHA256 of the raw body with the app secret (`X-Shopify-Hmac-Sha256`). */
export function webhookHmac(body: string, secret: string): string {
  return createHmac("sha256", secret).update(body, "utf8").digest("base64");
}

export interface WebhookAttempt {
  webhookId: string;
  eventId: string;
  topic: string;
  shopDomain: string;
  url: string;
  attempt: number;
  status: number | "dropped" | "error";
  duplicate: boolean;
  at: number;
}

interface Delivery {
  webhookId: string;
  eventId: string;
  topic: string;
  shopDomain: string;
  url: string;
  body: string;
  triggeredAt: string;
  attempt: number;
  dueAt: number;
  duplicate: boolean;
}

export interface DispatcherOptions {
  apiSecret: string;
  clock: Clock;
  faults: Faults;
  /** Deliver as soon as events happen (default). When false, only `deliverPending()` sends. */
  autoDeliver?: boolean;
  /** Attempts per delivery before giving up (Shopify tries for hours; the stand-in stays bounded). */
  maxAttempts?: number;
  /** Backoff before retry n (1-based) in clock milliseconds. */
  backoffMs?: (attempt: number) => number;
  /** The app's access (devstore/access.ts): unapproved protected customer fields are redacted from payloads. */
  access?: () => AccessConfig;
}

export class WebhookDispatcher implements WebhookSink {
  readonly log: WebhookAttempt[] = [];
  private queue: Delivery[] = [];
  private inFlight = new Set<Promise<void>>();
  private timers = new Set<NodeJS.Timeout>();
  private closed = false;
  private readonly maxAttempts: number;
  private readonly backoffMs: (attempt: number) => number;

  constructor(private readonly opts: DispatcherOptions) {
    this.maxAttempts = opts.maxAttempts ?? 5;
    this.backoffMs = opts.backoffMs ?? ((n) => Math.min(60_000, 1000 * 2 ** (n - 1)));
  }

  /** Queues `topic` for every subscription of the shop to it. */
  emit(shop: DsShop, topic: string, payload: unknown): void {
    const wanted = topicEnum(topic);
    const urls = [...shop.webhooks.values()].filter((w) => w.topic === wanted).map((w) => w.callbackUrl);
    const access = this.opts.access?.();
    const body = access && !access.protectedCustomerFields ? redactProtectedFields(payload) : payload;
    for (const url of urls) this.emitTo(url, shop.domain, topic, body);
  }

  /** Queues one delivery to an explicit URL (compliance topics are configured in the app TOML, not subscribed). */
  emitTo(url: string, shopDomain: string, topic: string, payload: unknown): void {
    const now = this.opts.clock();
    this.queue.push({
      webhookId: randomUUID(),
      eventId: randomUUID(),
      topic,
      shopDomain,
      url,
      body: JSON.stringify(payload),
      triggeredAt: new Date(now).toISOString(),
      attempt: 1,
      dueAt: now,
      duplicate: false,
    });
    this.schedule(0);
  }

  /** Number of deliveries waiting (due or backing off). */
  pendingCount(): number {
    return this.queue.length;
  }

  /** Sends every due delivery, waits for in-flight ones, repeats until nothing is due. */
  async deliverPending(): Promise<void> {
    for (;;) {
      const due = this.takeDue();
      if (due.length === 0 && this.inFlight.size === 0) return;
      for (const d of due) this.track(this.send(d));
      await Promise.all([...this.inFlight]);
    }
  }

  close(): void {
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  private takeDue(): Delivery[] {
    const now = this.opts.clock();
    const due = this.queue.filter((d) => d.dueAt <= now);
    this.queue = this.queue.filter((d) => d.dueAt > now);
    return due;
  }

  private track(p: Promise<void>): void {
    this.inFlight.add(p);
    void p.finally(() => this.inFlight.delete(p));
  }

  private schedule(delayMs: number): void {
    if (this.closed || this.opts.autoDeliver === false) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      for (const d of this.takeDue()) this.track(this.send(d));
    }, delayMs);
    timer.unref();
    this.timers.add(timer);
  }

  private record(d: Delivery, status: WebhookAttempt["status"]): void {
    this.log.push({
      webhookId: d.webhookId,
      eventId: d.eventId,
      topic: d.topic,
      shopDomain: d.shopDomain,
      url: d.url,
      attempt: d.attempt,
      status,
      duplicate: d.duplicate,
      at: this.opts.clock(),
    });
  }

  private headers(d: Delivery): Record<string, string> {
    return {
      "Content-Type": "application/json",
      "User-Agent": "Shopify-Captain-Hook",
      "X-Shopify-Topic": d.topic,
      "X-Shopify-Hmac-Sha256": webhookHmac(d.body, this.opts.apiSecret),
      "X-Shopify-Shop-Domain": d.shopDomain,
      "X-Shopify-API-Version": API_VERSION,
      "X-Shopify-Webhook-Id": d.webhookId,
      "X-Shopify-Event-Id": d.eventId,
      "X-Shopify-Triggered-At": d.triggeredAt,
    };
  }

  private async send(d: Delivery): Promise<void> {
    const { faults } = this.opts;
    if (d.attempt === 1 && !d.duplicate && faults.roll(faults.config.dropWebhookRate)) {
      this.record(d, "dropped");
      return;
    }
    let status: number | "error";
    try {
      const res = await fetch(d.url, {
        method: "POST",
        headers: this.headers(d),
        body: d.body,
        signal: AbortSignal.timeout(5000),
      });
      await res.arrayBuffer().catch(() => undefined);
      status = res.status;
    } catch {
      status = "error";
    }
    this.record(d, status);
    const ok = typeof status === "number" && status >= 200 && status < 300;
    if (!ok) {
      if (d.attempt < this.maxAttempts) this.retry(d);
      return;
    }
    if (!d.duplicate && faults.roll(faults.config.duplicateWebhookRate)) {
      // At-least-once: the same event (same ids and body) arrives again.
      this.queue.push({ ...d, duplicate: true, attempt: 1, dueAt: this.opts.clock() });
      this.schedule(0);
    }
  }

  private retry(d: Delivery): void {
    const wait = this.backoffMs(d.attempt);
    this.queue.push({ ...d, attempt: d.attempt + 1, dueAt: this.opts.clock() + wait });
    this.schedule(wait);
  }
}

const sinks = new WeakMap<DsShop, WebhookSink>();

/** Connects a shop to the dispatcher of the stand-in serving it. */
export function attachWebhookSink(shop: DsShop, sink: WebhookSink): void {
  sinks.set(shop, sink);
}

function emit(shop: DsShop, topic: string, payload: unknown): void {
  sinks.get(shop)?.emit(shop, topic, payload);
}

/** Stores a new order (if not yet stored) and fires orders/create (and orders/paid when paid). */
export function recordOrderCreated(shop: DsShop, order: DsOrder): void {
  shop.orders.set(order.id, order);
  const payload = restOrder(shop, order);
  emit(shop, "orders/create", payload);
  if (order.financialStatus === "PAID") emit(shop, "orders/paid", payload);
}

/** Fires orders/updated (and orders/cancelled when the order is cancelled). */
export function recordOrderUpdated(shop: DsShop, order: DsOrder): void {
  shop.orders.set(order.id, order);
  const payload = restOrder(shop, order);
  emit(shop, "orders/updated", payload);
  if (order.cancelledAt) emit(shop, "orders/cancelled", payload);
}

/** customers/create, plus the tag and consent topics for what the new customer starts with (neither is in customers/create since 2025-01). */
export function recordCustomerCreated(shop: DsShop, customer: DsCustomer): void {
  shop.customers.set(customer.id, customer);
  emit(shop, "customers/create", restCustomer(customer));
  if (customer.tags.length > 0)
    emit(shop, "customer.tags_added", customerTagsPayload(customer, customer.tags, customer.createdAt));
  if (customer.marketingState !== "NOT_SUBSCRIBED")
    emit(shop, "customers_email_marketing_consent/update", customerConsentPayload(customer, customer.createdAt));
}

export function recordCustomerUpdated(shop: DsShop, customer: DsCustomer): void {
  shop.customers.set(customer.id, customer);
  emit(shop, "customers/update", restCustomer(customer));
}

/**
 * Tags changed on a customer: since API 2025-01 customers/update no longer carries tags, Shopify
 * fires customer.tags_added / customer.tags_removed with the changed tags (and customers/update).
 * https://shopify.dev/changelog/new-customer-s-webhook-and-changes-to-existing-customer-s-webhooks-payload
 */
export function recordCustomerTagsChanged(
  shop: DsShop,
  customer: DsCustomer,
  added: string[],
  removed: string[],
  at: string,
): void {
  recordCustomerUpdated(shop, customer);
  if (added.length > 0) emit(shop, "customer.tags_added", customerTagsPayload(customer, added, at));
  if (removed.length > 0) emit(shop, "customer.tags_removed", customerTagsPayload(customer, removed, at));
}

/** Email marketing consent changed: customers_email_marketing_consent/update (and customers/update). */
export function recordCustomerConsentChanged(shop: DsShop, customer: DsCustomer, at: string): void {
  recordCustomerUpdated(shop, customer);
  emit(shop, "customers_email_marketing_consent/update", customerConsentPayload(customer, at));
}

export function recordProductCreated(shop: DsShop, product: DsProduct): void {
  shop.products.set(product.id, product);
  emit(shop, "products/create", restProduct(shop, product));
}

export function recordProductUpdated(shop: DsShop, product: DsProduct): void {
  shop.products.set(product.id, product);
  emit(shop, "products/update", restProduct(shop, product));
}

/** Emits an arbitrary topic to the shop's subscribers (e.g. bulk_operations/finish). */
export function recordEvent(shop: DsShop, topic: string, payload: unknown): void {
  emit(shop, topic, payload);
}
