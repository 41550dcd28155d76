import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createTestDatabase, type TestDatabase } from "../helpers/db";
import { expectedCounts, startGeneratedStore } from "../services/sync/helpers";
import { databaseName, duplicateGids, TEST_DATABASE_URL, terminateBackends, waitFor, withAdminClient } from "./helpers";
import { countCatalog } from "~/models/catalog.server";
import { countCustomers } from "~/models/customers.server";
import { countOrders } from "~/models/orders.server";
import { getLatestSyncRun } from "~/models/sync-runs.server";
import { processWebhook } from "~/services/webhooks/apply.server";
import { resumeSync, runInitialSync, type ResourceSyncResult } from "~/services/sync/shop-sync.server";

/**
 * Postgres connections dropped under the app (`pg_terminate_backend`, what a failover, a restart
 * or an idle-connection reaper does): the pool must discard the dead connections without crashing
 * the process, the next operations must succeed on fresh ones, and a sync interrupted by the drop
 * must still end with exact counts.
 */
if (!TEST_DATABASE_URL) console.warn("Skipping the Postgres connection-drop tests: TEST_DATABASE_URL is not set");

describe.skipIf(!TEST_DATABASE_URL)("Postgres connection drop", () => {
  let db: TestDatabase;
  let name: string;
  beforeAll(async () => {
    // The pool logs each idle connection it loses; expected here by the hundred.
    const warn = console.warn.bind(console);
    vi.spyOn(console, "warn").mockImplementation((...args: unknown[]) => {
      if (!String(args[0]).startsWith("database: idle connection lost")) warn(...args);
    });
    db = await createTestDatabase("postgres");
    name = databaseName(db.url!);
  });
  afterAll(async () => db?.drop());

  /** Backends of the test database other than the admin one doing the asking. */
  const appBackends = () =>
    withAdminClient(async (c) =>
      Number((await c.query(`SELECT count(*) AS n FROM pg_stat_activity WHERE datname = $1`, [name])).rows[0].n),
    );

  it("idle pooled connections killed → the next queries and transactions succeed", async () => {
    // Open several pooled connections, then kill them all while idle.
    await Promise.all(
      Array.from({ length: 4 }, () =>
        db.prisma.$transaction(async (tx) => tx.$queryRawUnsafe("SELECT pg_sleep(0.05)::text")),
      ),
    );
    expect(await appBackends()).toBeGreaterThan(0);
    expect(await terminateBackends(name)).toBeGreaterThan(0);
    await waitFor(async () => (await appBackends()) === 0, "terminated backends to exit", 5_000);

    // The first query after the drop (this test's shop only: the other tests sync their own shops).
    expect(await db.prisma.order.count({ where: { shop: "drop.myshopify.com" } })).toBe(0);
    const out = await processWebhook(
      { prisma: db.prisma },
      {
        shop: "drop.myshopify.com",
        topic: "customers/create",
        webhookId: "after-drop",
        payload: {
          id: 1,
          admin_graphql_api_id: "gid://shopify/Customer/1",
          email: "a@example.com",
          created_at: "2026-01-01T00:00:00Z",
          updated_at: "2026-01-01T00:00:00Z",
          tags: "",
        },
      },
    );
    expect(out.status).toBe("processed");
    expect(await db.prisma.customer.count({ where: { shop: "drop.myshopify.com" } })).toBe(1);
  });

  it("connections killed between sync batches → the same run completes with exact counts", async () => {
    const domain = "drop-between.myshopify.com";
    const env = await startGeneratedStore({ domain, orders: 200, customers: 60, products: 15, seed: 41 });
    try {
      let kills = 0;
      let batches = 0;
      const results = await runInitialSync(
        {
          prisma: db.prisma,
          client: env.client,
          sleep: env.sleep,
          batchSize: 20,
          pollIntervalMs: 1,
          onBatch: async ({ resource }) => {
            // After every third batch of each resource: drop every connection of the pool.
            if (++batches % 3 === 0) {
              kills += await terminateBackends(name);
              await waitFor(async () => (await appBackends()) === 0, "terminated backends to exit", 5_000);
            }
            void resource;
          },
        },
        domain,
      );
      expect(kills).toBeGreaterThan(3);
      expect(results.map((r) => [r.resource, r.status, r.error])).toEqual([
        ["products", "COMPLETED", null],
        ["customers", "COMPLETED", null],
        ["orders", "COMPLETED", null],
      ]);
      expect(await counts(domain)).toEqual(expectedCounts(env.shop));
      expect((await getLatestSyncRun(db.prisma, domain, "orders", "BULK"))!.rowsUpserted).toBe(200);
    } finally {
      await env.store.close();
    }
  });

  // Regression: before app/db/client.server.ts released clients whose connection died mid-transaction,
  // the pool (4 connections here) ran dry after four such kills and this test hung forever.
  it("connections killed at arbitrary moments (mid-transaction too) → resume finishes with exact counts", async () => {
    const domain = "drop-anytime.myshopify.com";
    const env = await startGeneratedStore({ domain, orders: 300, customers: 60, products: 15, seed: 43 });
    let stop = false;
    let kills = 0;
    // A killer that drops every connection of the database whenever the orders checkpoint moves.
    const killer = (async () => {
      let seen = -1;
      while (!stop) {
        const run = await db.prisma.syncRun
          .findFirst({ where: { shop: domain, resource: "orders", kind: "BULK" } })
          .catch(() => null);
        if (run && run.linesProcessed !== seen && run.status === "IMPORTING") {
          seen = run.linesProcessed;
          kills += await terminateBackends(name);
        }
        await new Promise((r) => setTimeout(r, 5));
      }
    })();
    try {
      const deps = { prisma: db.prisma, client: env.client, sleep: env.sleep, batchSize: 10, pollIntervalMs: 1 };
      // A statement cut by the drop fails the sync: either recorded on the run (FAILED) or thrown
      // (when the failure hits the bookkeeping itself — the job queue would retry). Either way,
      // resuming continues at the last checkpoint, as a job retry does.
      const failed = [{ status: "FAILED" } as ResourceSyncResult];
      let results: ResourceSyncResult[] = await runInitialSync(deps, domain).catch(() => failed);
      let attempts = 0;
      while (results.some((r) => r.status !== "COMPLETED") && attempts++ < 30) {
        results = await resumeSync(deps, domain).catch(() => failed);
      }
      stop = true;
      await killer;
      expect(kills).toBeGreaterThan(0);
      const runs = await db.prisma.syncRun.findMany({ where: { shop: domain, kind: "BULK" } });
      expect(runs.every((r) => r.status === "COMPLETED" || r.status === "FAILED")).toBe(true);
      for (const resource of ["products", "customers", "orders"] as const) {
        expect((await getLatestSyncRun(db.prisma, domain, resource, "BULK"))!.status).toBe("COMPLETED");
      }
      expect(await counts(domain)).toEqual(expectedCounts(env.shop));
      expect(await duplicateGids(db.prisma, domain)).toBe(0);
    } finally {
      stop = true;
      await killer;
      await env.store.close();
    }
  });

  async function counts(shop: string) {
    const [catalog, customers, orders] = await Promise.all([
      countCatalog(db.prisma, shop),
      countCustomers(db.prisma, shop),
      countOrders(db.prisma, shop),
    ]);
    return { ...catalog, customers, ...orders };
  }
});
