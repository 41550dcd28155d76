import type { PrismaClient } from "@prisma/client";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { InMemoryJobQueue } from "~/jobs/memory-queue";
import { registerAppHandlers, type AppJobs } from "~/jobs/registry.server";
import { getShopSettings, recordInstall, saveShopSettings } from "~/models/shops.server";
import { applyDataRetention, pruneWebhookDedupe, WEBHOOK_DEDUPE_DAYS } from "~/services/shop/retention.server";
import type { AdminClient } from "~/shopify/admin-client.server";
import { createTestDatabase, testDbKinds, type TestDatabase } from "../../helpers/db";
import { nextEvent } from "../../jobs/helpers";

const DAY = 86_400_000;
const NOW = new Date("2026-12-01T00:00:00Z");
const daysAgo = (n: number) => new Date(NOW.getTime() - n * DAY);
const KEEP_YEAR = "keep-year.myshopify.com";
const OTHER = "other-shop.myshopify.com";
const KEEP_ALL = "keep-all.myshopify.com";

/** An order with one line; `processedAt: null` = only Shopify's creation date is known. */
async function addOrder(
  prisma: PrismaClient,
  shop: string,
  n: number,
  placed: { processedAt: Date | null; createdAt: Date },
) {
  const gid = `gid://shopify/Order/${n}`;
  await prisma.order.create({
    data: {
      shop,
      gid,
      name: `#${n}`,
      financialStatus: "PAID",
      currencyCode: "USD",
      subtotalMinor: 1000,
      totalMinor: 1000,
      shopifyCreated: placed.createdAt,
      shopifyUpdated: placed.createdAt,
      processedAt: placed.processedAt,
    },
  });
  await prisma.orderLine.create({
    data: {
      shop,
      gid: `gid://shopify/LineItem/${n}`,
      orderGid: gid,
      name: "Thing",
      quantity: 1,
      unitPriceMinor: 1000,
      totalMinor: 1000,
    },
  });
  return gid;
}

const orderGids = async (prisma: PrismaClient, shop: string) =>
  (await prisma.order.findMany({ where: { shop }, select: { gid: true }, orderBy: { gid: "asc" } })).map((o) => o.gid);

describe.each(testDbKinds)("data retention and webhook dedupe pruning (%s)", (kind) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase(kind);
    for (const shop of [KEEP_YEAR, OTHER, KEEP_ALL]) await recordInstall(db.prisma, shop);
    await saveShopSettings(db.prisma, KEEP_YEAR, {
      ...(await getShopSettings(db.prisma, KEEP_YEAR)),
      dataRetentionDays: 365,
    });
    await saveShopSettings(db.prisma, OTHER, { ...(await getShopSettings(db.prisma, OTHER)), dataRetentionDays: 365 });
  });
  afterAll(async () => db?.drop());
  // The shops and their settings are shared; the orders and webhook ids each test reads are its own.
  beforeEach(async () => {
    await db.prisma.orderLine.deleteMany();
    await db.prisma.order.deleteMany();
    await db.prisma.webhookEvent.deleteMany();
  });

  it("deletes a shop's orders (and their lines) placed before its retention window, and nothing else", async () => {
    const { prisma } = db;
    const old = await addOrder(prisma, KEEP_YEAR, 1, { processedAt: daysAgo(400), createdAt: daysAgo(400) });
    const oldByCreation = await addOrder(prisma, KEEP_YEAR, 2, { processedAt: null, createdAt: daysAgo(366) });
    const recent = await addOrder(prisma, KEEP_YEAR, 3, { processedAt: daysAgo(30), createdAt: daysAgo(30) });
    // Processed inside the window although created before it: processedAt decides.
    const processedLate = await addOrder(prisma, KEEP_YEAR, 4, { processedAt: daysAgo(100), createdAt: daysAgo(500) });
    const othersOld = await addOrder(prisma, OTHER, 5, { processedAt: daysAgo(800), createdAt: daysAgo(800) });
    const keepAllOld = await addOrder(prisma, KEEP_ALL, 6, { processedAt: daysAgo(3000), createdAt: daysAgo(3000) });

    expect(await applyDataRetention({ prisma, now: () => NOW }, KEEP_YEAR)).toEqual({ deletedOrders: 2 });
    expect(await orderGids(prisma, KEEP_YEAR)).toEqual([recent, processedLate].sort());
    expect(await prisma.orderLine.count({ where: { shop: KEEP_YEAR, orderGid: { in: [old, oldByCreation] } } })).toBe(
      0,
    );
    expect(await prisma.orderLine.count({ where: { shop: KEEP_YEAR } })).toBe(2);
    // Another shop's old orders wait for that shop's own run.
    expect(await orderGids(prisma, OTHER)).toEqual([othersOld]);

    // No retention setting (the default): everything is kept.
    expect((await getShopSettings(prisma, KEEP_ALL)).dataRetentionDays).toBeNull();
    expect(await applyDataRetention({ prisma, now: () => NOW }, KEEP_ALL)).toEqual({ deletedOrders: 0 });
    expect(await orderGids(prisma, KEEP_ALL)).toEqual([keepAllOld]);
  });

  it("forgets webhook ids older than the dedupe window, for the given shop only", async () => {
    const { prisma } = db;
    const at = (days: number) => daysAgo(days);
    await prisma.webhookEvent.createMany({
      data: [
        { shop: KEEP_YEAR, webhookId: "old", topic: "orders/create", receivedAt: at(WEBHOOK_DEDUPE_DAYS + 1) },
        { shop: KEEP_YEAR, webhookId: "within", topic: "orders/create", receivedAt: at(WEBHOOK_DEDUPE_DAYS - 1) },
        { shop: OTHER, webhookId: "old-other", topic: "orders/create", receivedAt: at(WEBHOOK_DEDUPE_DAYS + 1) },
      ],
    });
    expect(await pruneWebhookDedupe({ prisma, now: () => NOW }, KEEP_YEAR)).toEqual({ deleted: 1 });
    const left = await prisma.webhookEvent.findMany({
      select: { shop: true, webhookId: true },
      orderBy: { webhookId: "asc" },
    });
    expect(left).toEqual([
      { shop: OTHER, webhookId: "old-other" },
      { shop: KEEP_YEAR, webhookId: "within" },
    ]);
  });

  it("runs both as the shop's scheduled jobs", async () => {
    const { prisma } = db;
    // The jobs run on the real clock: ages relative to now.
    const ago = (days: number) => new Date(Date.now() - days * DAY);
    await addOrder(prisma, OTHER, 5, { processedAt: ago(800), createdAt: ago(800) });
    await addOrder(prisma, OTHER, 7, { processedAt: ago(30), createdAt: ago(30) });
    await prisma.webhookEvent.create({
      data: { shop: OTHER, webhookId: "old-other", topic: "orders/create", receivedAt: ago(WEBHOOK_DEDUPE_DAYS + 1) },
    });
    const queue = new InMemoryJobQueue<AppJobs>({ defaultAttempts: 1 });
    registerAppHandlers(queue, { prisma, adminFor: async () => ({}) as AdminClient });
    await queue.start();
    try {
      const retained = nextEvent(queue, "completed", (e) => e.name === "data.retention");
      await queue.enqueue("data.retention", {}, { shop: OTHER });
      await retained;
      expect(await orderGids(prisma, OTHER)).toEqual(["gid://shopify/Order/7"]);
      const pruned = nextEvent(queue, "completed", (e) => e.name === "webhooks.prune");
      await queue.enqueue("webhooks.prune", {}, { shop: OTHER });
      await pruned;
      expect(await prisma.webhookEvent.count({ where: { shop: OTHER } })).toBe(0);
    } finally {
      await queue.close();
    }
  });
});
