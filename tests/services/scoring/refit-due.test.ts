import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InMemoryJobQueue } from "~/jobs/memory-queue";
import type { AppJobs } from "~/jobs/names";
import { registerAppHandlers } from "~/jobs/registry.server";
import { REFIT_AFTER_NEW_ORDERS, REFIT_EVERY_MS, refitDue } from "~/services/scoring/refit-due.server";
import { createTestDatabase, type TestDatabase } from "../../helpers/db";

const NOW = new Date("2026-06-01T12:00:00Z");

/** The full refit is due after a day or after REFIT_AFTER_NEW_ORDERS new orders, decided from the database. */
describe("refitDue", () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase("pglite");
  });
  afterAll(async () => {
    await db?.drop();
  });

  const completedRun = (shop: string, asOf: Date) =>
    db.prisma.modelRun.create({ data: { shop, asOf, status: "COMPLETED", startedAt: asOf, finishedAt: asOf } });
  const orders = (shop: string, n: number, at: Date) =>
    db.prisma.order.createMany({
      data: Array.from({ length: n }, (_, i) => ({
        shop,
        gid: `gid://shopify/Order/${i + 1}`,
        name: `#${i + 1}`,
        financialStatus: "PAID",
        currencyCode: "USD",
        subtotalMinor: 1000,
        totalMinor: 1000,
        discountCodes: [],
        shopifyCreated: at,
        shopifyUpdated: at,
      })),
    });

  it("is due for a shop never scored, and for one whose last run is a day old", async () => {
    expect(await refitDue({ prisma: db.prisma, now: () => NOW }, "never.myshopify.com")).toMatchObject({
      due: true,
      reason: "never scored",
    });
    await completedRun("daily.myshopify.com", new Date(NOW.getTime() - REFIT_EVERY_MS));
    expect(await refitDue({ prisma: db.prisma, now: () => NOW }, "daily.myshopify.com")).toMatchObject({
      due: true,
      reason: "a day old",
    });
  });

  it("waits while fresh, and is due once enough orders arrived since the run's asOf", async () => {
    const shop = "busy.myshopify.com";
    const asOf = new Date(NOW.getTime() - 3600_000);
    await completedRun(shop, asOf);
    await orders(shop, REFIT_AFTER_NEW_ORDERS - 1, new Date(asOf.getTime() + 60_000));
    expect(await refitDue({ prisma: db.prisma, now: () => NOW }, shop)).toEqual({
      due: false,
      reason: "fresh",
      newOrders: REFIT_AFTER_NEW_ORDERS - 1,
    });
    await db.prisma.order.create({
      data: {
        shop,
        gid: "gid://shopify/Order/last",
        name: "#last",
        financialStatus: "PAID",
        currencyCode: "USD",
        subtotalMinor: 1,
        totalMinor: 1,
        discountCodes: [],
        shopifyCreated: NOW,
        shopifyUpdated: NOW,
      },
    });
    expect(await refitDue({ prisma: db.prisma, now: () => NOW }, shop)).toMatchObject({
      due: true,
      reason: "new orders",
    });
  });

  it("is not due while a run is in progress", async () => {
    const shop = "running.myshopify.com";
    await db.prisma.modelRun.create({ data: { shop, asOf: NOW, status: "RUNNING", startedAt: new Date() } });
    expect(await refitDue({ prisma: db.prisma, now: () => NOW }, shop)).toMatchObject({
      due: false,
      reason: "running",
    });
  });

  it("scoring.check enqueues one scoring.run when due and none when fresh", async () => {
    const queue = new InMemoryJobQueue<AppJobs>();
    const runs: string[] = [];
    registerAppHandlers(queue, { prisma: db.prisma, adminFor: async () => Promise.reject(new Error("no client")) });
    // Observe the refit instead of running it (a scoring run of an empty shop is not the point here).
    queue.registerHandler("scoring.run", async (_d, ctx) => {
      runs.push(ctx.shop);
    });
    await queue.start();
    await completedRun("fresh.myshopify.com", new Date());
    await queue.enqueue("scoring.check", {}, { shop: "fresh.myshopify.com" });
    await queue.enqueue("scoring.check", {}, { shop: "never2.myshopify.com" });
    await queue.whenIdle();
    expect(runs).toEqual(["never2.myshopify.com"]);
    await queue.close();
  });
});
