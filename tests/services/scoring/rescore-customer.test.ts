import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeOrder } from "../../../devstore/factories";
import { restCustomer, restOrder } from "../../../devstore/webhook-payloads";
import { processWebhook } from "~/services/webhooks/apply.server";
import { rescoreCustomerNow } from "~/services/scoring/rescore-customer.server";
import { runScoring } from "~/services/scoring/run.server";
import { runInitialSync } from "~/services/sync/shop-sync.server";
import { createTestDatabase, testDbKinds, type TestDatabase } from "../../helpers/db";
import { noSleep, startGeneratedStore } from "../sync/helpers";

const RUN_AT = new Date("2026-01-01T00:00:00Z");

/** After a run, one customer's webhooks rescore them from the run's fitted models (D36). */
describe.each(testDbKinds)("rescoreCustomerNow on %s", (kind) => {
  const SHOP = `rescore-${kind}.myshopify.com`;
  let db: TestDatabase;
  let env: Awaited<ReturnType<typeof startGeneratedStore>>;
  let runId: string;

  beforeAll(async () => {
    db = await createTestDatabase(kind);
    env = await startGeneratedStore({ domain: SHOP, products: 30, customers: 200, orders: 1500 });
    await runInitialSync({ prisma: db.prisma, client: env.client, sleep: noSleep, pollIntervalMs: 1 }, SHOP);
    ({ runId } = await runScoring({ prisma: db.prisma, now: () => RUN_AT }, SHOP));
  });
  afterAll(async () => {
    await env?.store.close();
    await db?.drop();
  });

  const score = (gid: string) =>
    db.prisma.customerScore.findUniqueOrThrow({ where: { shop_customerGid: { shop: SHOP, customerGid: gid } } });

  it("at the run's asOf reproduces the stored rows from the stored params, through the database", async () => {
    const rows = await db.prisma.customerScore.findMany({ where: { shop: SHOP }, orderBy: { customerGid: "asc" } });
    expect(rows.length).toBeGreaterThan(50);
    // The merged run's own columns (D34) are part of what must be reproduced, not all empty.
    const sample = rows.slice(0, 40);
    expect(sample.some((r) => r.nextOrderAt !== null && r.valueAtStakeMinor > 0 && r.spendPerPeriodMinor > 0)).toBe(
      true,
    );
    for (const before of sample) {
      const outcome = await rescoreCustomerNow({ prisma: db.prisma, now: () => RUN_AT }, SHOP, before.customerGid);
      expect(outcome.status).toBe("scored");
      const { scoredAt, ...after } = await score(before.customerGid);
      const { scoredAt: runScoredAt, ...expected } = before;
      expect(after).toEqual(expected);
      expect(scoredAt).toEqual(runScoredAt);
      expect(runScoredAt).toEqual(RUN_AT);
    }
  });

  it("an orders/create webhook makes a lapsed customer recent at once, with a new for-you list and metafield", async () => {
    const lapsed = await db.prisma.customerScore.findFirstOrThrow({
      where: { shop: SHOP, rfmR: 1, explanation: { contains: "days since the last order" } },
      orderBy: { customerGid: "asc" },
    });
    const customer = env.shop.customers.get(lapsed.customerGid)!;
    const variant = [...env.shop.variants.values()][0];
    const now = new Date("2026-01-02T15:00:00Z");
    const order = makeOrder(env.shop, {
      customer,
      lines: [{ variant, quantity: 1 }],
      createdAt: "2026-01-02T14:59:00Z",
    });
    const outcome = await processWebhook(
      { prisma: db.prisma, now: () => now, clientFor: async () => env.client },
      { shop: SHOP, topic: "orders/create", webhookId: `rescore-${kind}-1`, payload: restOrder(env.shop, order) },
    );
    expect(outcome.status).toBe("processed");
    expect(outcome.rescore).toMatchObject({ status: "scored", runId, forYou: "updated", metafield: "written" });
    const after = await score(lapsed.customerGid);
    expect(after.scoredAt).toEqual(now);
    expect(after.runId).toBe(runId);
    expect(after.rfmR).toBe(5);
    expect(after.explanation).toContain("ordered today");
    expect(after.explanation).not.toContain("lapsed");
    expect(after.pPurchase).toBeGreaterThan(lapsed.pPurchase);
    const forYou = await db.prisma.recommendation.findUniqueOrThrow({
      where: { shop_kind_subject: { shop: SHOP, kind: "FOR_YOU", subject: lapsed.customerGid } },
    });
    const items = forYou.items as { gid: string }[];
    expect(items.length).toBeGreaterThan(0);
    expect(items.map((i) => i.gid)).not.toContain(variant.productId);
    // The stand-in executed the metafieldsSet: the customer's $app.for_you holds the new list's products.
    const metafield = customer.metafields.find((m) => m.key === "for_you");
    expect(metafield).toBeDefined();
    expect(JSON.parse(metafield!.value)[0]).toBe(items[0].gid);

    // A customers/update for the same customer rescores again but leaves the list alone.
    const later = new Date("2026-01-02T15:05:00Z");
    const update = await processWebhook(
      { prisma: db.prisma, now: () => later },
      {
        shop: SHOP,
        topic: "customers/update",
        webhookId: `rescore-${kind}-2`,
        payload: { ...restCustomer(customer), updated_at: "2026-01-02T15:04:00Z" },
      },
    );
    expect(update.rescore).toEqual({ status: "scored", runId });
    expect((await score(lapsed.customerGid)).scoredAt).toEqual(later);
  });

  it("with a queue, the score is stored inline and the for-you list follows as a scoring.customer job", async () => {
    const row = await db.prisma.customerScore.findFirstOrThrow({
      where: { shop: SHOP, rfmR: 2 },
      orderBy: { customerGid: "asc" },
    });
    const customer = env.shop.customers.get(row.customerGid)!;
    const variant = [...env.shop.variants.values()][1];
    const now = new Date("2026-01-04T10:00:00Z");
    const order = makeOrder(env.shop, {
      customer,
      lines: [{ variant, quantity: 1 }],
      createdAt: "2026-01-04T09:59:00Z",
    });
    const enqueued: unknown[] = [];
    const queue = {
      removeShopJobs: async () => 0,
      enqueue: (async (name: string, data: unknown, opts: { jobId?: string }) => {
        enqueued.push({ name, data, jobId: opts.jobId });
        return { id: opts.jobId ?? "x", name };
      }) as never,
    };
    const outcome = await processWebhook(
      { prisma: db.prisma, now: () => now, queue },
      { shop: SHOP, topic: "orders/create", webhookId: `rescore-${kind}-3`, payload: restOrder(env.shop, order) },
    );
    expect(outcome.rescore).toMatchObject({ status: "scored", forYou: "queued" });
    expect((await score(row.customerGid)).scoredAt).toEqual(now);
    expect(enqueued).toEqual([
      {
        name: "scoring.customer",
        data: { customerGid: row.customerGid, forYouSince: RUN_AT.toISOString() },
        jobId: `rescore-${SHOP}-${row.customerGid}`,
      },
    ]);
  });

  it("never lets an older rescore overwrite a newer row", async () => {
    const row = await db.prisma.customerScore.findFirstOrThrow({
      where: { shop: SHOP },
      orderBy: { customerGid: "desc" },
    });
    const newer = new Date("2026-01-03T00:00:00Z");
    await rescoreCustomerNow({ prisma: db.prisma, now: () => newer }, SHOP, row.customerGid);
    const outcome = await rescoreCustomerNow({ prisma: db.prisma, now: () => RUN_AT }, SHOP, row.customerGid);
    expect(outcome.status).toBe("kept");
    expect((await score(row.customerGid)).scoredAt).toEqual(newer);
  });

  it("does nothing for a shop that was never scored", async () => {
    expect(
      await rescoreCustomerNow({ prisma: db.prisma }, "other-shop.myshopify.com", "gid://shopify/Customer/1"),
    ).toEqual({
      status: "no-run",
    });
  });
});
