import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../helpers/db";
import { noSleep, startGeneratedStore } from "./helpers";
import { getAccessGaps, recordInstall } from "~/models/shops.server";
import { reconcile, resumeSync, runInitialSync, type SyncDeps } from "~/services/sync/shop-sync.server";
import { createSyncRun, updateSyncRun } from "~/models/sync-runs.server";
import { startBulkQuery } from "~/shopify/bulk.server";
import { BULK_CUSTOMERS_QUERY } from "~/shopify/documents/sync";
import { processWebhook } from "~/services/webhooks/apply.server";
import { redactProtectedFields } from "../../../devstore/access";
import { restCustomer, restOrder } from "../../../devstore/webhook-payloads";
import { runScoring } from "~/services/scoring/run.server";

/**
 * The sync against a shop that withholds access (devstore/access.ts): protected customer fields
 * not approved, `read_all_orders` not granted. The sync completes with exactly what Shopify lets
 * it see, records the gaps on the shop, and clears them once access is granted.
 */
const NOW = "2026-03-01T00:00:00Z";
const WINDOW_START = Date.parse(NOW) - 60 * 86_400_000;
const SCOPES_WITHOUT_ALL_ORDERS = "write_products,write_customers,read_orders,write_discounts";

type Env = Awaited<ReturnType<typeof startGeneratedStore>>;

function visible(env: Env) {
  const orders = [...env.shop.orders.values()].filter((o) => Date.parse(o.createdAt) >= WINDOW_START);
  return { orders: orders.length, lines: orders.reduce((s, o) => s + o.lineItems.length, 0) };
}

describe("sync without protected customer fields and read_all_orders", () => {
  let db: TestDatabase;
  let env: Env;
  const domain = "access-gaps.myshopify.com";
  const deps = (): SyncDeps => ({
    prisma: db.prisma,
    client: env.client,
    sleep: noSleep,
    batchSize: 40,
    now: () => new Date(env.clock()),
  });

  // A fresh database and stand-in per test: the last test grants access on the stand-in, and the
  // others each run the initial sync they build on.
  beforeEach(async () => {
    db = await createTestDatabase("pglite");
    env = await startGeneratedStore({
      domain,
      products: 15,
      customers: 50,
      orders: 240,
      start: "2025-10-01T00:00:00Z",
      end: NOW,
      now: NOW,
      scopes: SCOPES_WITHOUT_ALL_ORDERS,
      protectedCustomerFields: false,
    });
    await recordInstall(db.prisma, domain);
  });
  afterEach(async () => {
    await env?.store.close();
    await db?.drop();
  });

  /** The initial sync as the shop's access allows it: every resource completes (without PII / old orders). */
  async function syncWithoutAccess() {
    const results = await runInitialSync(deps(), domain);
    expect(results.map((r) => [r.resource, r.status])).toEqual([
      ["products", "COMPLETED"],
      ["customers", "COMPLETED"],
      ["orders", "COMPLETED"],
    ]);
  }

  it("completes with the last 60 days of orders and customers without PII, and records both gaps", async () => {
    const expected = visible(env);
    // The fixture really has orders on both sides of the window.
    expect(expected.orders).toBeGreaterThan(20);
    expect(expected.orders).toBeLessThan(env.shop.orders.size - 20);

    // customers and orders each: one ACCESS_DENIED bulk run, then the run without PII.
    await syncWithoutAccess();
    const runs = await db.prisma.syncRun.findMany({ where: { shop: domain }, orderBy: { startedAt: "asc" } });
    expect(runs.filter((r) => r.status === "FAILED").map((r) => [r.resource, r.error])).toEqual([
      ["customers", expect.stringContaining("(ACCESS_DENIED)")],
      ["orders", expect.stringContaining("(ACCESS_DENIED)")],
    ]);

    expect(await db.prisma.customer.count({ where: { shop: domain } })).toBe(env.shop.customers.size);
    expect(
      await db.prisma.customer.count({
        where: {
          shop: domain,
          OR: [{ email: { not: null } }, { firstName: { not: null } }, { lastName: { not: null } }],
        },
      }),
    ).toBe(0);
    expect(await db.prisma.order.count({ where: { shop: domain } })).toBe(expected.orders);
    expect(await db.prisma.orderLine.count({ where: { shop: domain } })).toBe(expected.lines);
    expect(await db.prisma.order.count({ where: { shop: domain, email: { not: null } } })).toBe(0);
    const oldest = await db.prisma.order.findFirst({ where: { shop: domain }, orderBy: { shopifyCreated: "asc" } });
    expect(oldest!.shopifyCreated.getTime()).toBeGreaterThanOrEqual(WINDOW_START);
    // No stored error message carries customer data.
    const emails = [...env.shop.customers.values()].map((c) => c.email).filter((e): e is string => !!e);
    expect(emails.length).toBeGreaterThan(0);
    for (const r of runs) for (const e of emails) expect(r.error ?? "").not.toContain(e);

    expect((await getAccessGaps(db.prisma, domain)).sort()).toEqual(["protected_customer_data", "read_all_orders"]);
  });

  it("scores customers that have no email", async () => {
    await syncWithoutAccess();
    const { customers } = await runScoring({ prisma: db.prisma, now: () => new Date(NOW) }, domain);
    expect(customers).toBeGreaterThan(0);
    expect(await db.prisma.customerScore.count({ where: { shop: domain } })).toBe(customers);
  });

  it("reconcile degrades the same way (no PII, no error)", async () => {
    await syncWithoutAccess();
    const first = [...env.shop.customers.values()][0];
    first.updatedAt = new Date(env.clock() + 1000).toISOString();
    const results = await reconcile(deps(), domain);
    expect(results.map((r) => [r.resource, r.status, r.error])).toEqual([
      ["products", "COMPLETED", null],
      ["customers", "COMPLETED", null],
      ["orders", "COMPLETED", null],
    ]);
    const row = await db.prisma.customer.findFirst({ where: { shop: domain, gid: first.id } });
    expect(row!.email).toBeNull();
  });

  it("clears the gaps once access is granted, and then imports everything", async () => {
    await syncWithoutAccess();
    expect((await getAccessGaps(db.prisma, domain)).sort()).toEqual(["protected_customer_data", "read_all_orders"]);
    env.store.runtime.access.scopes = `${SCOPES_WITHOUT_ALL_ORDERS},read_all_orders`;
    env.store.runtime.access.protectedCustomerFields = true;
    const results = await runInitialSync(deps(), domain);
    expect(results.map((r) => [r.resource, r.status, r.error])).toEqual([
      ["products", "COMPLETED", null],
      ["customers", "COMPLETED", null],
      ["orders", "COMPLETED", null],
    ]);
    expect(await getAccessGaps(db.prisma, domain)).toEqual([]);
    expect(await db.prisma.order.count({ where: { shop: domain } })).toBe(env.shop.orders.size);
    const withEmail = [...env.shop.customers.values()].filter((c) => c.email).length;
    expect(await db.prisma.customer.count({ where: { shop: domain, email: { not: null } } })).toBe(withEmail);
  });
});

describe("resume after a crash between an ACCESS_DENIED export and its fallback", () => {
  let db: TestDatabase;
  let env: Env;
  const domain = "access-gaps-resume.myshopify.com";

  beforeAll(async () => {
    db = await createTestDatabase("pglite");
    env = await startGeneratedStore({ domain, products: 5, customers: 25, orders: 40, protectedCustomerFields: false });
  });
  afterAll(async () => {
    await env?.store.close();
    await db?.drop();
  });

  it("re-runs the resource with the fallback instead of leaving it failed", async () => {
    // The state a crash leaves: the full customers export started (it will end ACCESS_DENIED), nothing after it.
    const run = await createSyncRun(db.prisma, domain, { resource: "customers", kind: "BULK" });
    const op = await startBulkQuery(env.client, BULK_CUSTOMERS_QUERY, { sleep: noSleep });
    await updateSyncRun(db.prisma, domain, run.id, { bulkOperationId: op.id, status: "RUNNING" });

    const results = await resumeSync({ prisma: db.prisma, client: env.client, sleep: noSleep }, domain);
    expect(results.map((r) => [r.resource, r.status, r.error])).toEqual([
      ["products", "COMPLETED", null],
      ["customers", "COMPLETED", null],
      ["orders", "COMPLETED", null],
    ]);
    expect(await db.prisma.customer.count({ where: { shop: domain } })).toBe(env.shop.customers.size);
    expect(await getAccessGaps(db.prisma, domain)).toEqual(["protected_customer_data"]);
  });
});

describe("webhooks as an app without protected-field approval receives them", () => {
  let db: TestDatabase;
  let env: Env;
  const domain = "access-gaps-hooks.myshopify.com";

  beforeAll(async () => {
    db = await createTestDatabase("pglite");
    env = await startGeneratedStore({ domain, products: 5, customers: 10, orders: 20 });
  });
  afterAll(async () => {
    await env?.store.close();
    await db?.drop();
  });

  it("customers/update and orders/create with null name/email are processed and stored without PII", async () => {
    const deps = { prisma: db.prisma, now: () => new Date(NOW) };
    const order = [...env.shop.orders.values()].find((o) => o.customerId && o.email)!;
    const customer = env.shop.customers.get(order.customerId!)!;
    const c = await processWebhook(deps, {
      shop: domain,
      topic: "customers/update",
      webhookId: "redacted-1",
      payload: redactProtectedFields(restCustomer(customer)),
    });
    const o = await processWebhook(deps, {
      shop: domain,
      topic: "orders/create",
      webhookId: "redacted-2",
      payload: redactProtectedFields(restOrder(env.shop, order)),
    });
    expect([c.status, o.status]).toEqual(["processed", "processed"]);
    const storedCustomer = await db.prisma.customer.findFirst({ where: { shop: domain, gid: customer.id } });
    expect([storedCustomer!.email, storedCustomer!.firstName, storedCustomer!.lastName]).toEqual([null, null, null]);
    const storedOrder = await db.prisma.order.findFirst({ where: { shop: domain, gid: order.id } });
    expect(storedOrder!.customerGid).toBe(customer.id);
    expect(storedOrder!.email).toBeNull();
  });
});
