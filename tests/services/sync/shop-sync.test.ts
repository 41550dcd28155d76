import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseMinor } from "../../../devstore/money";
import { createTestDatabase, testDbKinds, type TestDatabase } from "../../helpers/db";
import { expectedCounts, startGeneratedStore } from "./helpers";
import { countCatalog } from "~/models/catalog.server";
import { countCustomers } from "~/models/customers.server";
import { countOrders } from "~/models/orders.server";
import { getLatestSyncRun, getSyncProgress } from "~/models/sync-runs.server";
import { reconcile, resumeSync, runInitialSync, type SyncDeps } from "~/services/sync/shop-sync.server";

describe.each(testDbKinds)("bulk initial sync (%s)", (kind) => {
  let db: TestDatabase;
  let env: Awaited<ReturnType<typeof startGeneratedStore>>;
  const domain = "bulk-sync.myshopify.com";

  beforeAll(async () => {
    db = await createTestDatabase(kind);
    env = await startGeneratedStore({ domain, orders: 300, customers: 80, products: 25 });
  });
  afterAll(async () => {
    await env?.store.close();
    await db?.drop();
  });

  async function counts(shop: string) {
    const [catalog, customers, orders] = await Promise.all([
      countCatalog(db.prisma, shop),
      countCustomers(db.prisma, shop),
      countOrders(db.prisma, shop),
    ]);
    return { ...catalog, customers, ...orders };
  }

  it("imports exactly what the stand-in holds, with exact money", async () => {
    const deps: SyncDeps = { prisma: db.prisma, client: env.client, sleep: env.sleep, batchSize: 64 };
    const results = await runInitialSync(deps, domain);
    expect(results.map((r) => [r.resource, r.status, r.error])).toEqual([
      ["products", "COMPLETED", null],
      ["customers", "COMPLETED", null],
      ["orders", "COMPLETED", null],
    ]);
    expect(await counts(domain)).toEqual(expectedCounts(env.shop));

    const stored = new Map((await db.prisma.order.findMany({ where: { shop: domain } })).map((o) => [o.gid, o]));
    for (const o of env.shop.orders.values()) {
      const row = stored.get(o.id)!;
      expect(row.totalMinor).toBe(parseMinor(o.total));
      expect(row.subtotalMinor).toBe(parseMinor(o.subtotal));
      expect(row.refundedMinor).toBe(o.refunds.reduce((s, r) => s + parseMinor(r.totalRefunded), 0));
      expect(row.discountCodes).toEqual(o.discountCodes);
    }
    // Refunded units per line (Shopify: quantity − currentQuantity) survive the bulk path.
    const refundedInStore = [...env.shop.orders.values()]
      .flatMap((o) => o.refunds.flatMap((r) => r.lines))
      .reduce((s, l) => s + l.quantity, 0);
    const refundedStored = await db.prisma.orderLine.aggregate({
      where: { shop: domain },
      _sum: { refundedQty: true },
    });
    expect(refundedInStore).toBeGreaterThan(0);
    expect(refundedStored._sum.refundedQty).toBe(refundedInStore);
    const costs = await db.prisma.variant.findMany({ where: { shop: domain } });
    for (const v of costs) {
      const source = env.shop.variants.get(v.gid)!;
      expect(v.priceMinor).toBe(parseMinor(source.price));
      expect(v.costMinor).toBe(source.unitCost ? parseMinor(source.unitCost.amount) : null);
    }

    const progress = await getSyncProgress(db.prisma, domain);
    expect(progress.map((p) => p.resource)).toEqual(["products", "customers", "orders"]);
    for (const p of progress) {
      expect(p.status).toBe("COMPLETED");
      expect(p.linesProcessed).toBe(p.linesTotal);
    }
    expect(progress[2].rowsUpserted).toBe(env.shop.orders.size);
  });

  it("resumes a crashed import at the first uncommitted line: exact counts, nothing written twice", async () => {
    const crashDomain = "bulk-crash.myshopify.com";
    const crash = await startGeneratedStore({
      domain: crashDomain,
      orders: 250,
      customers: 50,
      products: 15,
      seed: 11,
    });
    try {
      let batches = 0;
      const crashing: SyncDeps = {
        prisma: db.prisma,
        client: crash.client,
        sleep: crash.sleep,
        batchSize: 40,
        onBatch: ({ resource }) => {
          if (resource === "orders" && ++batches === 3) throw new Error("simulated crash");
        },
      };
      const first = await runInitialSync(crashing, crashDomain);
      expect(first[2]).toMatchObject({ resource: "orders", status: "FAILED", error: "simulated crash" });
      const crashed = (await getLatestSyncRun(db.prisma, crashDomain, "orders", "BULK"))!;
      expect(crashed.rowsUpserted).toBe(120);
      expect((await countOrders(db.prisma, crashDomain)).orders).toBe(120);

      // A killed process leaves the run IMPORTING rather than FAILED; resume treats both alike.
      await db.prisma.syncRun.update({ where: { id: crashed.id }, data: { status: "IMPORTING", error: null } });
      const resumed = await resumeSync(
        { prisma: db.prisma, client: crash.client, sleep: crash.sleep, batchSize: 40 },
        crashDomain,
      );
      expect(resumed).toHaveLength(1);
      expect(resumed[0]).toMatchObject({ resource: "orders", status: "COMPLETED", runId: crashed.id });
      const run = (await getLatestSyncRun(db.prisma, crashDomain, "orders", "BULK"))!;
      // Every order upserted exactly once across both attempts.
      expect(run.rowsUpserted).toBe(250);
      expect(run.linesProcessed).toBe(run.linesTotal);
      expect(await counts(crashDomain)).toEqual(expectedCounts(crash.shop));
    } finally {
      await crash.store.close();
    }
  });

  it("a truncated result file fails the run with a clear error and loses nothing already stored", async () => {
    const cutDomain = "bulk-cut.myshopify.com";
    const cut = await startGeneratedStore({ domain: cutDomain, orders: 200, customers: 40, products: 10, seed: 5 });
    try {
      const deps: SyncDeps = { prisma: db.prisma, client: cut.client, sleep: cut.sleep, batchSize: 30 };
      await runInitialSync(deps, cutDomain);
      const before = await counts(cutDomain);
      expect(before).toEqual(expectedCounts(cut.shop));
      // A bulk re-import whose file is cut mid-line (ungrouped: many line items come late).
      cut.store.faults.truncateBulkFile = true;
      const { runBulkSync } = await import("~/services/sync/shop-sync.server");
      for (const resource of ["products", "orders"] as const) {
        const result = await runBulkSync(deps, cutDomain, resource);
        expect(result.status).toBe("FAILED");
        expect(result.error).toMatch(/^Bulk result file is truncated after \d+ complete line\(s\)/);
      }
      // Re-imports are additive: lines and variants beyond the cut stay as stored.
      expect(await counts(cutDomain)).toEqual(before);
      const stored = await db.prisma.order.findMany({ where: { shop: cutDomain }, include: { lines: true } });
      for (const o of stored) expect(o.lines.length).toBe(cut.shop.orders.get(o.gid)!.lineItems.length);
      const progress = (await getSyncProgress(db.prisma, cutDomain)).find((p) => p.resource === "orders")!;
      expect(progress.status).toBe("FAILED");
      expect(progress.linesProcessed).toBeLessThan(progress.linesTotal!);
    } finally {
      await cut.store.close();
    }
  });

  it("reconciliation picks up changes made in the stand-in after the initial sync", async () => {
    // Its own shop: the changes below must not reach the exact-import test's stand-in.
    const reconcileDomain = "bulk-reconcile.myshopify.com";
    const own = await startGeneratedStore({
      domain: reconcileDomain,
      orders: 120,
      customers: 40,
      products: 12,
      seed: 13,
    });
    try {
      const deps: SyncDeps = { prisma: db.prisma, client: own.client, sleep: own.sleep, batchSize: 64 };
      expect((await runInitialSync(deps, reconcileDomain)).map((r) => r.error)).toEqual([null, null, null]);
      const shop = own.shop;
      const later = "2026-02-01T12:00:00.000Z";
      const customer = [...shop.customers.values()][3];
      customer.tags = [...customer.tags, "vip-reconciled"];
      customer.updatedAt = later;
      const product = [...shop.products.values()][2];
      product.title = "Renamed while webhooks were down";
      product.updatedAt = later;
      const order = [...shop.orders.values()][10];
      order.financialStatus = "VOIDED";
      order.cancelledAt = later;
      order.updatedAt = later;

      const results = await reconcile(deps, reconcileDomain);
      expect(results.map((r) => r.error)).toEqual([null, null, null]);
      // Only the changed rows (plus the watermark's own second) come back.
      expect(results.map((r) => r.linesProcessed).reduce((a, b) => a + b)).toBeLessThan(20);

      const key = (gid: string) => ({ shop_gid: { shop: reconcileDomain, gid } });
      expect((await db.prisma.customer.findUnique({ where: key(customer.id) }))!.tags).toContain("vip-reconciled");
      expect((await db.prisma.product.findUnique({ where: key(product.id) }))!.title).toBe(
        "Renamed while webhooks were down",
      );
      const row = (await db.prisma.order.findUnique({ where: key(order.id) }))!;
      expect(row.financialStatus).toBe("VOIDED");
      expect(row.cancelledAt?.toISOString()).toBe(later);
      expect(await counts(reconcileDomain)).toEqual(expectedCounts(shop));
    } finally {
      await own.store.close();
    }
  });

  it("reconciles from scratch through cursor pagination, staying inside the stand-in's rate limit", async () => {
    const pagedDomain = "reconcile-only.myshopify.com";
    const paged = await startGeneratedStore({ domain: pagedDomain, orders: 60, customers: 150, products: 12, seed: 3 });
    try {
      const waits: number[] = [];
      const { createAdminClient } = await import("~/shopify/admin-client.server");
      const client = createAdminClient({
        shop: pagedDomain,
        accessToken: "shpat_sync_test_token",
        baseUrl: paged.store.url,
        sleep: paged.sleep,
        now: paged.clock,
        log: (e) => e.type === "throttle-wait" && waits.push(e.ms),
      });
      const results = await reconcile({ prisma: db.prisma, client, sleep: paged.sleep }, pagedDomain);
      expect(results.map((r) => r.error)).toEqual([null, null, null]);
      expect(await counts(pagedDomain)).toEqual(expectedCounts(paged.shop));
      expect(waits.length).toBeGreaterThan(0);
    } finally {
      await paged.store.close();
    }
  });

  it("re-opens a download that breaks off and continues from the checkpoint", async () => {
    const flakyDomain = "bulk-flaky.myshopify.com";
    const flaky = await startGeneratedStore({ domain: flakyDomain, orders: 150, customers: 30, products: 8, seed: 9 });
    try {
      let cuts = 0;
      // The first three bulk downloads break off after 20, 40 and 60 KB.
      const cutting: typeof fetch = async (input, init) => {
        const response = await fetch(input, init);
        if (!String(input).includes("/bulk/") || cuts >= 3 || !response.body) return response;
        cuts++;
        const reader = response.body.getReader();
        let sent = 0;
        const body = new ReadableStream<Uint8Array>({
          async pull(controller) {
            const { done, value } = await reader.read();
            if (done) return controller.close();
            sent += value.byteLength;
            if (sent > 20_000 * cuts) {
              await reader.cancel();
              controller.error(new TypeError("terminated"));
              return;
            }
            controller.enqueue(value);
          },
        });
        return new Response(body, { status: response.status, headers: response.headers });
      };
      const deps: SyncDeps = {
        prisma: db.prisma,
        client: flaky.client,
        sleep: flaky.sleep,
        batchSize: 10,
        fetch: cutting,
      };
      const results = await runInitialSync(deps, flakyDomain);
      expect(results.map((r) => r.error)).toEqual([null, null, null]);
      expect(cuts).toBe(3);
      expect(await counts(flakyDomain)).toEqual(expectedCounts(flaky.shop));
      const run = (await getLatestSyncRun(db.prisma, flakyDomain, "orders", "BULK"))!;
      expect(run.rowsUpserted).toBe(150);
    } finally {
      await flaky.store.close();
    }
  });
});
