import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cancelOrder, addRefund } from "../../devstore/factories";
import { generateShop } from "../../devstore/generator";
import type { DsCustomer, DsOrder, DsShop } from "../../devstore/model";
import { mulberry32 } from "../../devstore/seed/random";
import {
  customerConsentPayload,
  customerTagsPayload,
  restCustomer,
  restOrder,
  restProduct,
} from "../../devstore/webhook-payloads";
import { createTestDatabase, testDbKinds, type TestDatabase } from "../helpers/db";
import { dumpShop } from "./helpers";
import { processWebhook } from "~/services/webhooks/apply.server";

/**
 * Shopify delivers webhooks at least once and in no particular order. A stream of orders/create,
 * orders/updated, refunds/create, orders/cancelled, customers/update and products/update deliveries
 * (with re-deliveries of the same webhook id) applied in seeded random orders — sequentially and
 * four at a time — must leave exactly the database that in-order delivery leaves.
 */

interface Delivery {
  at: number;
  topic: string;
  webhookId: string;
  payload: unknown;
}

const HOUR = 3_600_000;
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");

/** The event history of a slice of a generated shop, as Shopify would announce it. */
function buildStream(source: DsShop): Delivery[] {
  const out: Delivery[] = [];
  let n = 0;
  const push = (at: number, topic: string, payload: unknown) =>
    out.push({ at, topic, webhookId: `wh-${++n}`, payload });
  const orders = [...source.orders.values()].filter((o) => o.refunds.length === 0 && !o.cancelledAt).slice(0, 20);
  for (const [i, original] of orders.entries()) {
    const o: DsOrder = structuredClone(original);
    const t0 = Date.parse(o.updatedAt);
    push(t0, "orders/create", restOrder(source, o));
    // An edit (cart attribute) an hour later.
    o.customAttributes = [...o.customAttributes, { key: "gift_note", value: `v${i}` }];
    o.updatedAt = iso(t0 + HOUR);
    push(t0 + HOUR, "orders/updated", restOrder(source, o));
    if (i % 3 !== 2) {
      // A partial refund: Shopify sends refunds/create and orders/updated (the order now counts it).
      const at = t0 + 2 * HOUR;
      addRefund(source, o, { createdAt: iso(at), lines: [{ lineItemId: o.lineItems[0].id, quantity: 1 }] });
      const full = restOrder(source, o);
      push(at, "refunds/create", full.refunds[full.refunds.length - 1]);
      push(at, "orders/updated", full);
    }
    if (i % 4 === 0) {
      const at = t0 + 3 * HOUR;
      cancelOrder(source, o, { at: iso(at), refund: i % 8 === 0 });
      const payload = restOrder(source, o);
      push(at, "orders/cancelled", payload);
      push(at, "orders/updated", payload);
    }
  }
  const customers = [...source.customers.values()].slice(0, 10);
  for (const [i, original] of customers.entries()) {
    const c: DsCustomer = structuredClone(original);
    const t0 = Date.parse("2026-02-01T00:00:00Z") + i * 60_000;
    for (let v = 1; v <= 3; v++) {
      c.tags = [...original.tags, `version-${v}`];
      c.marketingState = v % 2 ? "SUBSCRIBED" : "UNSUBSCRIBED";
      c.updatedAt = iso(t0 + v * HOUR);
      // Since 2025-01 tags and consent travel on their own topics, not in customers/update.
      push(t0 + v * HOUR, "customers/update", restCustomer(c));
      push(t0 + v * HOUR, "customer.tags_added", customerTagsPayload(c, [`version-${v}`], c.updatedAt));
      if (v > 1)
        push(t0 + v * HOUR, "customer.tags_removed", customerTagsPayload(c, [`version-${v - 1}`], c.updatedAt));
      push(t0 + v * HOUR, "customers_email_marketing_consent/update", customerConsentPayload(c, c.updatedAt));
    }
  }
  for (const [i, original] of [...source.products.values()].slice(0, 4).entries()) {
    const p = structuredClone(original);
    const t0 = Date.parse("2026-02-02T00:00:00Z") + i * 60_000;
    for (let v = 1; v <= 2; v++) {
      p.title = `${original.title} (v${v})`;
      p.updatedAt = iso(t0 + v * HOUR);
      push(t0 + v * HOUR, "products/update", restProduct(source, p));
    }
  }
  return out.sort((a, b) => a.at - b.at || Number(a.webhookId.slice(3)) - Number(b.webhookId.slice(3)));
}

/** Seeded shuffle plus at-least-once duplicates (same webhook id, same body). */
function shuffled(stream: Delivery[], seed: number): Delivery[] {
  const rng = mulberry32(seed);
  const out = [...stream];
  for (const d of stream) if (rng() < 0.3) out.push(d);
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

const source = generateShop({
  domain: "converge.myshopify.com",
  seed: 31,
  products: 12,
  customers: 40,
  orders: 120,
  start: "2025-06-01T00:00:00Z",
  end: "2026-01-01T00:00:00Z",
});
const stream = buildStream(source);
const SEEDS = [1, 2, 3];

describe.each(testDbKinds)("out-of-order and duplicate webhooks converge (%s)", (kind) => {
  let db: TestDatabase;
  let reference: Awaited<ReturnType<typeof dumpShop>>;
  beforeAll(async () => {
    db = await createTestDatabase(kind);
    const shop = "in-order.myshopify.com";
    for (const d of stream) {
      const out = await processWebhook({ prisma: db.prisma }, { shop, ...d });
      expect(out.status).toBe("processed");
    }
    reference = await dumpShop(db.prisma, shop);
  });
  afterAll(async () => db?.drop());

  it("the stream exercises every topic, refunds and cancellations", () => {
    const topics = new Set(stream.map((d) => d.topic));
    expect([...topics].sort()).toEqual([
      "customer.tags_added",
      "customer.tags_removed",
      "customers/update",
      "customers_email_marketing_consent/update",
      "orders/cancelled",
      "orders/create",
      "orders/updated",
      "products/update",
      "refunds/create",
    ]);
    expect(reference.orders.length).toBe(20);
    expect(reference.orders.filter((o) => (o.refundedMinor as number) > 0).length).toBeGreaterThan(10);
    expect(reference.orders.filter((o) => o.cancelledAt !== null).length).toBeGreaterThan(3);
    expect(
      reference.customers.every(
        (c) => (c.tags as string[]).includes("version-3") && !(c.tags as string[]).includes("version-2"),
      ),
    ).toBe(true);
    expect(reference.customers.every((c) => c.marketingState === "SUBSCRIBED")).toBe(true);
  });

  it.each(SEEDS)("seed %i, one at a time: same final state as in-order delivery", async (seed) => {
    const shop = `seq-${seed}.myshopify.com`;
    const deliveries = shuffled(stream, seed);
    const statuses = new Map<string, number>();
    for (const d of deliveries) {
      const out = await processWebhook({ prisma: db.prisma }, { shop, ...d });
      statuses.set(out.status, (statuses.get(out.status) ?? 0) + 1);
    }
    expect(statuses.get("processed")).toBe(stream.length);
    expect(statuses.get("duplicate")).toBe(deliveries.length - stream.length);
    expect(await dumpShop(db.prisma, shop)).toEqual(reference);
  });

  // PGlite has a single connection (it would run them one by one anyway): concurrency on Postgres.
  it.skipIf(kind === "pglite").each(SEEDS)("seed %i, four deliveries at a time: same final state", async (seed) => {
    const shop = `par-${seed}.myshopify.com`;
    const deliveries = shuffled(stream, seed * 7919);
    let next = 0;
    const worker = async () => {
      while (next < deliveries.length) {
        const d = deliveries[next++];
        await processWebhook({ prisma: db.prisma }, { shop, ...d });
      }
    };
    await Promise.all([worker(), worker(), worker(), worker()]);
    expect(await db.prisma.webhookEvent.count({ where: { shop } })).toBe(stream.length);
    expect(await dumpShop(db.prisma, shop)).toEqual(reference);
  });
});
