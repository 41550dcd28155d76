import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { isolatedAppEnv, type RouteHandler } from "../helpers/app-env";
import { customerPayload, orderPayload } from "../helpers/webhook-payloads";
import { routeStatus, signedWebhookRequest } from "../helpers/webhook-request";

/**
 * Shopify's HMAC covers the body only: topic, shop, webhook id and trigger time are unsigned
 * headers. These probes replay correctly signed bodies with altered headers (issue 11, item 1);
 * each must be refused with a 4xx and change nothing.
 */
const SECRET = "binding-secret";
const appEnv = isolatedAppEnv("binding", { apiKey: "binding-key", apiSecret: SECRET });

let action: RouteHandler;
let getDb: typeof import("~/db.server").getDb;
let closeDb: typeof import("~/db.server").closeDb;
/** This test's victim shop: every test gets a fresh one, so redactions in one never show in another. */
let VICTIM: string;
let victims = 0;

beforeAll(async () => {
  ({ action } = (await import("~/routes/webhooks")) as unknown as { action: RouteHandler });
  ({ getDb, closeDb } = await import("~/db.server"));
});
beforeEach(async () => {
  VICTIM = `victim-${++victims}.myshopify.com`;
  await seedVictim(VICTIM);
});
afterAll(async () => {
  await closeDb();
  appEnv.cleanup();
});

/** The victim: installed, with an order and two customers. */
async function seedVictim(shop: string) {
  const { prisma } = await getDb();
  await prisma.shop.create({ data: { shop } });
  await prisma.session.create({ data: { id: `offline_${shop}`, shop, state: "", accessToken: "tok" } });
  for (const body of [
    customerPayload(77),
    { ...customerPayload(78), admin_graphql_api_id: "gid://shopify/Customer/78" },
    orderPayload(500),
  ]) {
    const topic = "line_items" in body ? "orders/create" : "customers/create";
    expect((await send(topic, shop, JSON.stringify(body))).status).toBe(200);
  }
}

function send(topic: string, shop: string, body: string, headers?: Record<string, string>) {
  return routeStatus(action, signedWebhookRequest(SECRET, { topic, shop, body, headers }));
}

async function victimRows() {
  const { prisma } = await getDb();
  const where = { shop: VICTIM };
  return JSON.stringify(
    await Promise.all([
      prisma.order.findMany({ where, select: { gid: true, email: true } }),
      prisma.customer.findMany({
        where,
        select: { gid: true, email: true, redactedAt: true },
        orderBy: { gid: "asc" },
      }),
      prisma.shop.findMany({ where, select: { shop: true, uninstalledAt: true } }),
      prisma.session.count({ where }),
      prisma.webhookEvent.count({ where }),
    ]),
  );
}

describe("signed bodies bind their headers", () => {
  it("an orders/create body replayed as shop/redact → 400, nothing deleted (even once uninstalled)", async () => {
    const before = await victimRows();
    const body = JSON.stringify(orderPayload(500));
    expect((await send("shop/redact", VICTIM, body)).status).toBe(400);
    expect(await victimRows()).toBe(before);
    const { prisma } = await getDb();
    await prisma.shop.update({ where: { shop: VICTIM }, data: { uninstalledAt: new Date() } });
    expect((await send("shop/redact", VICTIM, body)).status).toBe(400);
    await prisma.shop.update({ where: { shop: VICTIM }, data: { uninstalledAt: null } });
    expect(await victimRows()).toBe(before);
  });

  it("a customers/redact body replayed as shop/redact → 400", async () => {
    const before = await victimRows();
    const body = JSON.stringify({ shop_id: 1, shop_domain: VICTIM, customer: { id: 77 }, orders_to_redact: [] });
    expect((await send("shop/redact", VICTIM, body)).status).toBe(400);
    expect(await victimRows()).toBe(before);
  });

  it("a shop/redact for a shop that is still installed → 409, a warning, nothing deleted", async () => {
    const before = await victimRows();
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    expect((await send("shop/redact", VICTIM, JSON.stringify({ shop_id: 1, shop_domain: VICTIM }))).status).toBe(409);
    expect(warn.mock.calls.map((c) => String(c[0])).join("\n")).toMatch(/shop\/redact refused/);
    warn.mockRestore();
    expect(await victimRows()).toBe(before);
  });

  it("compliance bodies naming another shop than the header → 400 (the sender is not deleted either)", async () => {
    const before = await victimRows();
    expect(
      (await send("shop/redact", VICTIM, JSON.stringify({ shop_id: 1, shop_domain: "attacker.myshopify.com" }))).status,
    ).toBe(400);
    const redact = { shop_id: 1, shop_domain: "attacker.myshopify.com", customer: { id: 77 }, orders_to_redact: [500] };
    expect((await send("customers/redact", VICTIM, JSON.stringify(redact))).status).toBe(400);
    expect(await victimRows()).toBe(before);
  });

  it("customers/redact touches only the customer and orders in the signed body", async () => {
    const redact = { shop_id: 1, shop_domain: VICTIM, customer: { id: 78 }, orders_to_redact: [] };
    expect((await send("customers/redact", VICTIM, JSON.stringify(redact))).status).toBe(200);
    const { prisma } = await getDb();
    const rows = await prisma.customer.findMany({ where: { shop: VICTIM }, orderBy: { gid: "asc" } });
    expect(rows.map((r) => [r.gid, r.redactedAt !== null])).toEqual([
      ["gid://shopify/Customer/77", false],
      ["gid://shopify/Customer/78", true],
    ]);
    expect((await prisma.order.findFirstOrThrow({ where: { shop: VICTIM } })).email).toBe("buyer@example.com");
  });

  it("customers/redact clears the customer's order note attributes and line properties (gift notes, engravings)", async () => {
    const { prisma } = await getDb();
    const before = await prisma.order.findFirstOrThrow({
      where: { shop: VICTIM, gid: "gid://shopify/Order/500" },
      include: { lines: true },
    });
    expect([before.attributes, before.lines[0].properties]).toEqual([
      [{ key: "gift", value: "yes" }],
      [{ key: "engraving", value: "hi" }],
    ]);
    const redact = { shop_id: 1, shop_domain: VICTIM, customer: { id: 77 }, orders_to_redact: [500] };
    expect((await send("customers/redact", VICTIM, JSON.stringify(redact))).status).toBe(200);
    const after = await prisma.order.findFirstOrThrow({
      where: { shop: VICTIM, gid: "gid://shopify/Order/500" },
      include: { lines: true },
    });
    expect([after.email, after.attributes, after.lines[0].properties]).toEqual([null, [], []]);
    // A later update of the order (Shopify still has the text) does not write it back.
    const later = { ...orderPayload(500), updated_at: new Date(Date.now() - 1000).toISOString() };
    expect((await send("orders/updated", VICTIM, JSON.stringify(later))).status).toBe(200);
    const again = await prisma.order.findFirstOrThrow({
      where: { shop: VICTIM, gid: "gid://shopify/Order/500" },
      include: { lines: true },
    });
    expect([again.email, again.attributes, again.lines[0].properties, again.totalMinor]).toEqual([null, [], [], 2500]);
  });

  it("a body of another resource under a topic header → 400", async () => {
    const before = await victimRows();
    expect((await send("customers/update", VICTIM, JSON.stringify(orderPayload(500)))).status).toBe(400);
    expect((await send("customers/delete", VICTIM, JSON.stringify(orderPayload(500)))).status).toBe(400);
    expect((await send("products/delete", VICTIM, JSON.stringify(customerPayload(77)))).status).toBe(400);
    expect((await send("orders/cancelled", VICTIM, JSON.stringify(customerPayload(77)))).status).toBe(400);
    expect(await victimRows()).toBe(before);
  });

  it("refuses deliveries triggered more than 48 h ago, in the future, or without X-Shopify-Triggered-At", async () => {
    const before = await victimRows();
    const body = JSON.stringify({ ...orderPayload(501) });
    const old = new Date(Date.now() - 49 * 3600_000).toISOString();
    const future = new Date(Date.now() + 3600_000).toISOString();
    for (const at of [old, future, "not a date", ""]) {
      expect((await send("orders/create", VICTIM, body, { "x-shopify-triggered-at": at })).status, at).toBe(400);
    }
    expect(await victimRows()).toBe(before);
    const recent = new Date(Date.now() - 47 * 3600_000).toISOString();
    expect((await send("orders/create", VICTIM, body, { "x-shopify-triggered-at": recent })).status).toBe(200);
    const { prisma } = await getDb();
    const event = await prisma.webhookEvent.findFirstOrThrow({
      where: { shop: VICTIM, topic: "orders/create", triggeredAt: new Date(recent) },
    });
    expect(event.triggeredAt?.toISOString()).toBe(recent);
  });

  it("a signed payload nested 2,000 levels deep → 400, not 500", async () => {
    const before = await victimRows();
    // A valid order whose note attribute value nests 2,000 arrays deep (the mapped record is validated recursively).
    const deep = "[".repeat(2000) + "]".repeat(2000);
    const body = JSON.stringify({ ...orderPayload(502), note_attributes: [{ name: "gift", value: "DEEP" }] }).replace(
      '"DEEP"',
      deep,
    );
    const result = await send("orders/create", VICTIM, body);
    expect(result.error).toBeUndefined();
    expect(result.status).toBe(400);
    expect(await victimRows()).toBe(before);
  });
});
