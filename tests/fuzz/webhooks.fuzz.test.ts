import { createHmac, randomUUID } from "node:crypto";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isolatedAppEnv, type RouteHandler } from "../helpers/app-env";
import { FUZZ_SEED, runs } from "./seed";
import { jsonMutation, orderPayload, productPayload, customerPayload, refundPayload } from "./payloads";

/**
 * The real webhook route (app/routes/webhooks.tsx → authenticate.webhook → intake → processWebhook,
 * inline: no REDIS_URL) with HMAC-signed random payloads. Properties:
 * - a correctly signed delivery gets 200 or a 4xx — never a 500 (Shopify would retry a 500 for 48 h
 *   and eventually drop the subscription) — and a 4xx writes nothing, not even the dedupe row;
 * - any delivery with a wrong HMAC gets 401 and writes nothing.
 */
const SECRET = "fuzz-webhook-secret";
const SHOP = "fuzz-webhooks.myshopify.com";
const appEnv = isolatedAppEnv("fuzz-webhooks", { apiKey: "fuzz-webhook-key", apiSecret: SECRET });

type Action = RouteHandler;
let action: Action;
let getDb: typeof import("~/db.server").getDb;
let closeDb: typeof import("~/db.server").closeDb;
let TOPICS: readonly string[];

beforeAll(async () => {
  ({ action } = (await import("~/routes/webhooks")) as unknown as { action: Action });
  ({ getDb, closeDb } = await import("~/db.server"));
  ({ WEBHOOK_TOPICS: TOPICS } = await import("~/services/webhooks/topics"));
  await getDb();
});
afterAll(async () => {
  await closeDb();
  appEnv.cleanup();
});

function request(body: string, topic: string, opts: { hmac?: string; shop?: string; webhookId?: string } = {}) {
  const hmac = opts.hmac ?? createHmac("sha256", SECRET).update(body).digest("base64");
  return new Request("http://localhost:3000/webhooks", {
    method: "POST",
    body,
    headers: {
      "content-type": "application/json",
      "x-shopify-topic": topic,
      "x-shopify-hmac-sha256": hmac,
      "x-shopify-shop-domain": opts.shop ?? SHOP,
      "x-shopify-api-version": "2026-10",
      "x-shopify-webhook-id": opts.webhookId ?? randomUUID(),
      "x-shopify-event-id": randomUUID(),
      "x-shopify-triggered-at": new Date().toISOString(),
    },
  });
}

/** The HTTP status Remix would send: a thrown Response is that response; any other throw is a 500. */
async function status(req: Request): Promise<{ status: number; error?: unknown }> {
  try {
    return { status: (await action({ request: req, params: {}, context: {} })).status };
  } catch (thrown) {
    if (thrown instanceof Response) return { status: thrown.status };
    return { status: 500, error: thrown };
  }
}

/** Everything a webhook can write, for every shop (a bad delivery must not write to any). */
async function snapshot(): Promise<string> {
  const { prisma } = await getDb();
  const [events, orders, lines, products, variants, customers, shops, sessions] = await Promise.all([
    prisma.webhookEvent.count(),
    prisma.order.findMany({
      select: { shop: true, gid: true, shopifyUpdated: true, refundedMinor: true, totalMinor: true },
      orderBy: [{ shop: "asc" }, { gid: "asc" }],
    }),
    prisma.orderLine.count(),
    prisma.product.findMany({ select: { gid: true, shopifyUpdated: true, deletedAt: true }, orderBy: { gid: "asc" } }),
    prisma.variant.count(),
    prisma.customer.findMany({
      select: { gid: true, shopifyUpdated: true, redactedAt: true },
      orderBy: { gid: "asc" },
    }),
    prisma.shop.findMany({ select: { shop: true, uninstalledAt: true } }),
    prisma.session.count(),
  ]);
  return JSON.stringify({ events, orders, lines, products, variants, customers, shops, sessions });
}

const payloadFor: Record<string, () => unknown> = {
  "orders/create": () => orderPayload(1),
  "orders/updated": () => orderPayload(1),
  "orders/cancelled": () => ({ ...orderPayload(1), cancelled_at: "2026-11-02T10:00:00Z" }),
  "refunds/create": () => refundPayload(1),
  "products/create": () => productPayload(2),
  "products/update": () => productPayload(2),
  "products/delete": () => ({ id: 2 }),
  "customers/create": () => customerPayload(3),
  "customers/update": () => customerPayload(3),
  "customers/delete": () => ({ id: 3 }),
  "customers/redact": () => ({ shop_domain: SHOP, customer: { id: 3, email: "c@example.com" }, orders_to_redact: [1] }),
  "customers/data_request": () => ({
    shop_domain: SHOP,
    customer: { id: 3 },
    orders_requested: [1],
    data_request: { id: 9 },
  }),
  "app/scopes_update": () => ({ previous: ["read_orders"], current: ["read_orders", "write_products"] }),
  "bulk_operations/finish": () => ({ admin_graphql_api_id: "gid://shopify/BulkOperation/1", status: "completed" }),
  "customer.tags_added": () => ({
    customerId: "gid://shopify/Customer/3",
    tags: ["vip"],
    occurredAt: "2026-11-01T10:00:00Z",
  }),
  "customer.tags_removed": () => ({
    customerId: "gid://shopify/Customer/3",
    tags: ["vip"],
    occurredAt: "2026-11-01T11:00:00Z",
  }),
  "customers_email_marketing_consent/update": () => ({
    customer_id: 3,
    email_address: "c@example.com",
    email_marketing_consent: {
      state: "subscribed",
      opt_in_level: "single_opt_in",
      consent_updated_at: "2026-11-01T10:00:00Z",
    },
  }),
};

describe("POST /webhooks with random payloads", () => {
  it("a correctly signed delivery → 200 or 4xx, never 500; a 4xx writes nothing", async () => {
    const topics = TOPICS.filter((t) => t !== "shop/redact" && t !== "app/uninstalled"); // these erase/flag the whole shop: covered below
    const tally: Record<number, number> = {};
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...topics, "orders/paid", "ORDERS_CREATE", "x/y", ""),
        fc.oneof(
          { weight: 3, arbitrary: fc.array(jsonMutation, { minLength: 1, maxLength: 4 }) },
          { weight: 1, arbitrary: fc.constant([]) },
        ),
        fc.oneof({ weight: 4, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) }),
        async (topic, mutations, replacement) => {
          const base = replacement ?? (payloadFor[topic] ?? payloadFor["orders/create"])();
          const payload = mutations.reduce((p, m) => m(p), base);
          const before = await snapshot();
          const result = await status(request(JSON.stringify(payload), topic));
          tally[result.status] = (tally[result.status] ?? 0) + 1;
          expect(result.status, `500 for ${topic}: ${String((result.error as Error)?.stack ?? result.error)}`).not.toBe(
            500,
          );
          expect([200, 400, 401, 404, 405, 422]).toContain(result.status);
          if (result.status !== 200) expect(await snapshot()).toBe(before);
        },
      ),
      { seed: FUZZ_SEED, numRuns: runs(100) },
    );
    console.log(`webhook fuzz statuses: ${JSON.stringify(tally)}`);
    expect(tally[200]).toBeGreaterThan(0);
  });

  it("bodies that are not JSON, or not objects, with a valid HMAC → 4xx, nothing written", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom("orders/create", "products/update", "customers/redact", "app/uninstalled", "shop/redact"),
        fc.oneof(
          fc.string({ unit: "binary", maxLength: 60 }),
          fc.constantFrom("", "{", "[]", "null", "1", '"x"', "true", "{}x", "\u0000"),
        ),
        async (topic, body) => {
          const before = await snapshot();
          const result = await status(request(body, topic));
          expect(result.status, String((result.error as Error)?.stack ?? result.error)).not.toBe(500);
          if (result.status !== 200) expect(await snapshot()).toBe(before);
        },
      ),
      { seed: FUZZ_SEED, numRuns: runs(40) },
    );
  });

  it("random shop domains with a valid HMAC → 200 or 4xx, never 500", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string({ maxLength: 40 }),
          fc.domain(),
          fc.constantFrom(
            "",
            "evil.com",
            "a.myshopify.com.evil.com",
            "UPPER.myshopify.com",
            "x".repeat(300) + ".myshopify.com",
          ),
        ),
        async (shop) => {
          const result = await status(request(JSON.stringify(orderPayload(7)), "orders/create", { shop }));
          expect(result.status, String((result.error as Error)?.stack ?? result.error)).not.toBe(500);
        },
      ),
      { seed: FUZZ_SEED, numRuns: runs(40) },
    );
  });

  it("a wrong HMAC → 401 and nothing written, whatever the payload", async () => {
    const before = await snapshot();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...TOPICS),
        fc.jsonValue({ maxDepth: 3 }),
        fc.oneof(
          fc.string({ maxLength: 50 }),
          fc.base64String({ minLength: 44, maxLength: 44 }),
          fc.constant(""),
          fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => Buffer.from(b).toString("base64")),
        ),
        async (topic, payload, hmac) => {
          const body = JSON.stringify(payload) ?? "null";
          fc.pre(hmac !== createHmac("sha256", SECRET).update(body).digest("base64"));
          // An empty header is "missing" to Shopify's library: 400. Any other wrong value: 401.
          expect((await status(request(body, topic, { hmac }))).status).toBe(hmac === "" ? 400 : 401);
        },
      ),
      { seed: FUZZ_SEED, numRuns: runs(100) },
    );
    expect(await snapshot()).toBe(before);
  });

  it("shop-wide topics (app/uninstalled, shop/redact) with random payloads never 500", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom("app/uninstalled", "shop/redact"),
        fc.jsonValue({ maxDepth: 2 }),
        async (topic, payload) => {
          const result = await status(
            request(JSON.stringify(payload) ?? "null", topic, { shop: "fuzz-wide.myshopify.com" }),
          );
          expect(result.status, String((result.error as Error)?.stack ?? result.error)).not.toBe(500);
        },
      ),
      { seed: FUZZ_SEED, numRuns: runs(20) },
    );
  });
});
