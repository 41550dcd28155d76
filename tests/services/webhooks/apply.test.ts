import { createHmac } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateShop } from "../../../devstore/generator";
import { restCustomer, restOrder, restProduct } from "../../../devstore/webhook-payloads";
import { createTestDatabase, testDbKinds, type TestDatabase } from "../../helpers/db";
import { getOrder } from "~/models/orders.server";
import { processWebhook, verifyWebhookHmac } from "~/services/webhooks/apply.server";
import { WEBHOOK_TOPICS } from "~/services/webhooks/topics";

const SHOP = "hooks.myshopify.com";
const source = generateShop({
  domain: SHOP,
  seed: 21,
  products: 8,
  customers: 20,
  orders: 40,
  start: "2025-06-01T00:00:00Z",
  end: "2025-09-01T00:00:00Z",
});
const orders = [...source.orders.values()];
const customers = [...source.customers.values()];
const products = [...source.products.values()];

let seq = 0;
const hook = (topic: string, payload: unknown, webhookId = `wh-${++seq}`) => ({
  shop: SHOP,
  topic,
  webhookId,
  payload,
});
const at = (iso: string, o: Record<string, unknown>) => ({ ...o, updated_at: iso });

describe("verifyWebhookHmac", () => {
  const body = JSON.stringify({ id: 1, note: "ünïcode" });
  const good = createHmac("sha256", "s3cret").update(body, "utf8").digest("base64");
  it("accepts the right signature and rejects everything else", () => {
    expect(verifyWebhookHmac(body, good, "s3cret")).toBe(true);
    expect(verifyWebhookHmac(body, good, "other")).toBe(false);
    expect(verifyWebhookHmac(body + " ", good, "s3cret")).toBe(false);
    expect(verifyWebhookHmac(body, "", "s3cret")).toBe(false);
    expect(verifyWebhookHmac(body, "bm90LWEtbWFj", "s3cret")).toBe(false);
  });
});

describe.each(testDbKinds)("processWebhook (%s)", (kind) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase(kind);
  });
  afterAll(async () => db?.drop());
  const deps = () => ({ prisma: db.prisma, now: () => new Date("2026-03-01T00:00:00Z") });

  it("stores a duplicate delivery once", async () => {
    const payload = restCustomer(customers[0]);
    const first = await processWebhook(deps(), hook("customers/create", payload, "dup-1"));
    const again = await processWebhook(deps(), hook("customers/create", payload, "dup-1"));
    // Concurrent duplicates: one wins, the other is a no-op.
    const [a, b] = await Promise.all([
      processWebhook(deps(), hook("customers/update", payload, "dup-2")),
      processWebhook(deps(), hook("customers/update", payload, "dup-2")),
    ]);
    expect(first.status).toBe("processed");
    expect(again.status).toBe("duplicate");
    expect([a.status, b.status].sort()).toEqual(["duplicate", "processed"]);
    expect(await db.prisma.webhookEvent.count({ where: { shop: SHOP, webhookId: { in: ["dup-1", "dup-2"] } } })).toBe(
      2,
    );
    expect(await db.prisma.customer.count({ where: { shop: SHOP, gid: customers[0].id } })).toBe(1);
  });

  it("converges when an older update arrives after a newer one", async () => {
    const o = orders[0];
    const base = restOrder(source, o);
    await processWebhook(deps(), hook("orders/create", at("2025-09-01T10:00:00Z", base)));
    await processWebhook(
      deps(),
      hook(
        "orders/updated",
        at("2025-09-03T10:00:00-04:00", { ...base, financial_status: "voided", cancelled_at: "2025-09-03T14:00:00Z" }),
      ),
    );
    const stale = await processWebhook(
      deps(),
      hook("orders/updated", at("2025-09-02T10:00:00Z", { ...base, financial_status: "paid" })),
    );
    expect(stale.summary).toMatchObject({ written: 0, staleIgnored: 1 });
    const row = (await getOrder(db.prisma, SHOP, o.id))!;
    expect(row.financialStatus).toBe("VOIDED");
    expect(row.shopifyUpdated.toISOString()).toBe("2025-09-03T14:00:00.000Z");
    expect(row.lines).toHaveLength(o.lineItems.length);

    const p = restProduct(source, products[1]);
    await processWebhook(deps(), hook("products/update", at("2025-10-02T00:00:00Z", { ...p, title: "New" })));
    await processWebhook(deps(), hook("products/update", at("2025-10-01T00:00:00Z", { ...p, title: "Old" })));
    expect(
      (await db.prisma.product.findUnique({ where: { shop_gid: { shop: SHOP, gid: p.admin_graphql_api_id } } }))!.title,
    ).toBe("New");
  });

  it("applies refunds/create once and an older orders/updated cannot undo it", async () => {
    const o = orders[1];
    const base = restOrder(source, o);
    await processWebhook(deps(), hook("orders/create", at("2025-09-01T00:00:00Z", { ...base, refunds: [] })));
    const line = base.line_items[0];
    const refund = {
      id: 9001,
      order_id: base.id,
      created_at: "2025-09-05T00:00:00Z",
      refund_line_items: [{ line_item_id: line.id, quantity: 1, subtotal: line.price }],
      transactions: [{ kind: "refund", status: "success", amount: "12.34" }],
    };
    await processWebhook(deps(), hook("refunds/create", refund, "refund-1"));
    await processWebhook(deps(), hook("refunds/create", refund, "refund-1"));
    await processWebhook(deps(), hook("orders/updated", at("2025-09-02T00:00:00Z", { ...base, refunds: [] })));
    const row = (await getOrder(db.prisma, SHOP, o.id))!;
    expect(row.refundedMinor).toBe(1234);
    expect(row.lines.find((l) => l.gid === line.admin_graphql_api_id)!.refundedQty).toBe(1);
    // The full, newer order from Shopify replaces the incremental figure.
    await processWebhook(
      deps(),
      hook(
        "orders/updated",
        at("2025-09-06T00:00:00Z", {
          ...base,
          refunds: [{ ...refund, transactions: [{ kind: "refund", status: "success", amount: "12.35" }] }],
        }),
      ),
    );
    expect((await getOrder(db.prisma, SHOP, o.id))!.refundedMinor).toBe(1235);
  });

  it("soft-deletes products and never resurrects them", async () => {
    const p = restProduct(source, products[2]);
    await processWebhook(deps(), hook("products/create", p));
    await processWebhook(deps(), hook("products/delete", { id: p.id }));
    await processWebhook(deps(), hook("products/update", at("2030-01-01T00:00:00Z", p)));
    const row = (await db.prisma.product.findUnique({
      where: { shop_gid: { shop: SHOP, gid: p.admin_graphql_api_id } },
    }))!;
    expect(row.deletedAt).not.toBeNull();
    expect(await db.prisma.variant.count({ where: { shop: SHOP, productGid: row.gid } })).toBe(
      products[2].variantIds.length,
    );
  });

  it("customers/redact erases PII and derived data, and later syncs cannot bring it back", async () => {
    const c = customers[2];
    const mine = orders.filter((o) => o.customerId === c.id);
    await processWebhook(deps(), hook("customers/create", restCustomer(c)));
    for (const o of mine) await processWebhook(deps(), hook("orders/create", restOrder(source, o)));
    await db.prisma.customerScore.create({
      data: {
        shop: SHOP,
        customerGid: c.id,
        runId: "r",
        segment: "loyal",
        cluster: 0,
        rfmR: 5,
        rfmF: 5,
        rfmM: 5,
        pPurchase: 0.5,
        pAlive: 0.9,
        expectedOrders: 1,
        churnRisk: 0.1,
        clvMinor: 1,
        clvLowMinor: 0,
        clvHighMinor: 2,
        explanation: "x",
      },
    });
    await db.prisma.recommendation.create({
      data: { shop: SHOP, kind: "FOR_YOU", subject: c.id, runId: "r", items: [] },
    });
    const automation = await db.prisma.automation.create({ data: { shop: SHOP, type: "WIN_BACK", name: "Win-back" } });
    const automationRun = await db.prisma.automationRun.create({
      data: { shop: SHOP, automationId: automation.id, seed: 1, asOf: new Date(), measureUntil: new Date() },
    });
    await db.prisma.automationAssignment.create({
      data: {
        shop: SHOP,
        runId: automationRun.id,
        customerGid: c.id,
        automationId: automation.id,
        arm: "TREATMENT",
        stratum: "At risk",
        status: "ISSUED",
        code: "GP-TEST",
      },
    });

    const request = await processWebhook(
      deps(),
      hook("customers/data_request", {
        shop_id: 1,
        shop_domain: SHOP,
        customer: { id: Number(c.id.split("/").pop()), email: c.email },
        orders_requested: [],
        data_request: { id: 1 },
      }),
    );
    const stored = await db.prisma.dataRequest.findMany({ where: { shop: SHOP } });
    expect(stored).toHaveLength(1);
    const exported = JSON.parse(stored[0].exportJson) as {
      customer: { email: string };
      orders: unknown[];
      automationAssignments: { code: string }[];
    };
    expect(exported.customer.email).toBe(c.email?.toLowerCase());
    expect(exported.orders).toHaveLength(mine.length);
    expect(exported.automationAssignments.map((a) => a.code)).toEqual(["GP-TEST"]);
    expect(JSON.stringify(request.summary)).not.toContain(String(c.email));

    const out = await processWebhook(
      deps(),
      hook("customers/redact", {
        shop_id: 1,
        shop_domain: SHOP,
        customer: { id: Number(c.id.split("/").pop()), email: c.email },
        orders_to_redact: mine.map((o) => Number(o.id.split("/").pop())),
      }),
    );
    expect(JSON.stringify(out.summary)).not.toContain(String(c.email));
    const row = (await db.prisma.customer.findUnique({ where: { shop_gid: { shop: SHOP, gid: c.id } } }))!;
    expect([row.email, row.firstName, row.lastName]).toEqual([null, null, null]);
    expect(row.redactedAt).not.toBeNull();
    // The pending export was a copy of the customer's data: erased with it.
    expect(await db.prisma.dataRequest.count({ where: { shop: SHOP, customerGid: c.id } })).toBe(0);
    expect(await db.prisma.customerScore.count({ where: { shop: SHOP, customerGid: c.id } })).toBe(0);
    expect(await db.prisma.recommendation.count({ where: { shop: SHOP, subject: c.id } })).toBe(0);
    expect(await db.prisma.automationAssignment.count({ where: { shop: SHOP, customerGid: c.id } })).toBe(0);

    await processWebhook(deps(), hook("customers/update", at("2031-01-01T00:00:00Z", restCustomer(c))));
    for (const o of mine)
      await processWebhook(deps(), hook("orders/updated", at("2031-01-01T00:00:00Z", restOrder(source, o))));
    expect((await db.prisma.customer.findUnique({ where: { shop_gid: { shop: SHOP, gid: c.id } } }))!.email).toBeNull();
    expect(await db.prisma.order.count({ where: { shop: SHOP, customerGid: c.id, email: { not: null } } })).toBe(0);
  });

  it("app/uninstalled drops sessions; shop/redact deletes every row of the shop only", async () => {
    // A shop of its own (the other tests keep using theirs), with a product, a customer and an order.
    const SHOP = "hooks-redacted.myshopify.com";
    const hook = (topic: string, payload: unknown) => ({ shop: SHOP, topic, webhookId: `redacted-${++seq}`, payload });
    const order = orders.find((o) => o.customerId)!;
    await processWebhook(deps(), hook("products/create", restProduct(source, products[0])));
    await processWebhook(deps(), hook("customers/create", restCustomer(source.customers.get(order.customerId!)!)));
    await processWebhook(deps(), hook("orders/create", restOrder(source, order)));
    expect(await db.prisma.order.count({ where: { shop: SHOP } })).toBe(1);
    expect(await db.prisma.product.count({ where: { shop: SHOP } })).toBe(1);
    await db.prisma.session.create({ data: { id: "offline_" + SHOP, shop: SHOP, state: "", accessToken: "tok" } });
    await processWebhook(
      deps(),
      hook("app/uninstalled", {
        id: 1,
        domain: SHOP,
        myshopify_domain: SHOP,
        plan_name: "basic",
        money_format: "${{amount}}",
      }),
    );
    expect(await db.prisma.session.count({ where: { shop: SHOP } })).toBe(0);
    expect((await db.prisma.shop.findUnique({ where: { shop: SHOP } }))!.uninstalledAt).not.toBeNull();

    const other = "bystander.myshopify.com";
    await processWebhook(deps(), {
      shop: other,
      topic: "customers/create",
      webhookId: "by-1",
      payload: restCustomer(customers[5]),
    });
    await processWebhook(deps(), hook("shop/redact", { shop_id: 1, shop_domain: SHOP }));
    for (const table of [
      "product",
      "variant",
      "customer",
      "order",
      "orderLine",
      "webhookEvent",
      "automation",
      "automationRun",
      "automationAssignment",
      "shop",
    ] as const) {
      expect(
        await (db.prisma[table] as unknown as { count(a: object): Promise<number> }).count({ where: { shop: SHOP } }),
      ).toBe(0);
    }
    expect(await db.prisma.customer.count({ where: { shop: other } })).toBe(1);
  });

  it("accepts GraphQL enum topics and ignores unknown ones", async () => {
    const out = await processWebhook(deps(), {
      shop: "enum.myshopify.com",
      topic: "CUSTOMERS_CREATE",
      webhookId: "e-1",
      payload: restCustomer(customers[7]),
    });
    expect(out).toMatchObject({ status: "processed", topic: "customers/create" });
    expect(
      (
        await processWebhook(deps(), {
          shop: "enum.myshopify.com",
          topic: "carts/update",
          webhookId: "e-2",
          payload: {},
        })
      ).status,
    ).toBe("ignored");
    expect(WEBHOOK_TOPICS).toContain("shop/redact");
  });
});
