import { createHmac, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isolatedAppEnv, type RouteHandler } from "../helpers/app-env";
import { orderPayload } from "../helpers/webhook-payloads";

/**
 * The real webhook route (app/routes/webhooks.tsx) with Shopify's library doing HMAC
 * verification: a bad signature is refused with 401 and nothing is stored; a good one is stored
 * once even when Shopify delivers it twice.
 */
const SECRET = "route-test-secret";
const SHOP = "route-test.myshopify.com";
const appEnv = isolatedAppEnv("route", { apiKey: "route-test-key", apiSecret: SECRET });

type Action = RouteHandler;
let action: Action;
let getDb: typeof import("~/db.server").getDb;
let closeDb: typeof import("~/db.server").closeDb;

beforeAll(async () => {
  ({ action } = (await import("~/routes/webhooks")) as unknown as { action: Action });
  ({ getDb, closeDb } = await import("~/db.server"));
});
afterAll(async () => {
  await closeDb();
  appEnv.cleanup();
});

function webhookRequest(body: string, opts: { hmac?: string; webhookId?: string } = {}) {
  const hmac = opts.hmac ?? createHmac("sha256", SECRET).update(body).digest("base64");
  return new Request("http://localhost:3000/webhooks", {
    method: "POST",
    body,
    headers: {
      "content-type": "application/json",
      "x-shopify-topic": "orders/create",
      "x-shopify-hmac-sha256": hmac,
      "x-shopify-shop-domain": SHOP,
      "x-shopify-api-version": "2026-10",
      "x-shopify-webhook-id": opts.webhookId ?? randomUUID(),
      "x-shopify-event-id": randomUUID(),
      "x-shopify-triggered-at": new Date().toISOString(),
    },
  });
}

async function call(request: Request): Promise<number> {
  try {
    return (await action({ request, params: {}, context: {} })).status;
  } catch (thrown) {
    if (thrown instanceof Response) return thrown.status;
    throw thrown;
  }
}

describe("POST /webhooks", () => {
  it("refuses a wrong HMAC with 401 and stores nothing", async () => {
    const body = JSON.stringify(orderPayload(1001));
    const forged = createHmac("sha256", "not-the-secret").update(body).digest("base64");
    const webhookId = randomUUID();
    expect(await call(webhookRequest(body, { hmac: forged, webhookId }))).toBe(401);
    const { prisma } = await getDb();
    // Counted by this test's own order and delivery, so the tests pass in any order.
    expect(await prisma.order.count({ where: { shop: SHOP, gid: "gid://shopify/Order/1001" } })).toBe(0);
    expect(await prisma.webhookEvent.count({ where: { shop: SHOP, webhookId } })).toBe(0);
  });

  it("refuses a body altered after signing", async () => {
    const body = JSON.stringify(orderPayload(1002));
    const hmac = createHmac("sha256", SECRET).update(body).digest("base64");
    expect(await call(webhookRequest(body.replace("25.00", "2.50"), { hmac }))).toBe(401);
    const { prisma } = await getDb();
    expect(await prisma.order.count({ where: { shop: SHOP, gid: "gid://shopify/Order/1002" } })).toBe(0);
  });

  it("stores a verified order once, even when delivered twice", async () => {
    const body = JSON.stringify(orderPayload(1003));
    const webhookId = randomUUID();
    expect(await call(webhookRequest(body, { webhookId }))).toBe(200);
    expect(await call(webhookRequest(body, { webhookId }))).toBe(200);
    const { prisma } = await getDb();
    const orders = await prisma.order.findMany({
      where: { shop: SHOP, gid: "gid://shopify/Order/1003" },
      include: { lines: true },
    });
    expect(orders).toHaveLength(1);
    expect(orders[0].totalMinor).toBe(2500);
    expect(orders[0].lines).toHaveLength(1);
    expect(await prisma.webhookEvent.count({ where: { shop: SHOP, webhookId } })).toBe(1);
  });
});
