import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_ORIGINS } from "~/analytics/forecast";
import { MOVEMENT_DAYS, runScoring } from "~/services/scoring/run.server";
import { runInitialSync } from "~/services/sync/shop-sync.server";
import { createTestDatabase, testDbKinds, type TestDatabase } from "../../helpers/db";
import { noSleep, startGeneratedStore } from "../sync/helpers";

/** A scoring run over a synced shop persists scores, lists and a run record with its backtest. */
describe.each(testDbKinds)("runScoring on %s", (kind) => {
  const SHOP = `scoring-${kind}.myshopify.com`;
  let db: TestDatabase;
  let env: Awaited<ReturnType<typeof startGeneratedStore>>;
  let result: Awaited<ReturnType<typeof runScoring>>;

  beforeAll(async () => {
    db = await createTestDatabase(kind);
    env = await startGeneratedStore({ domain: SHOP, products: 30, customers: 200, orders: 1500 });
    await runInitialSync({ prisma: db.prisma, client: env.client, sleep: noSleep, pollIntervalMs: 1 }, SHOP);
    result = await runScoring({ prisma: db.prisma, now: () => new Date("2026-01-01T00:00:00Z") }, SHOP);
  });
  afterAll(async () => {
    await env?.store.close();
    await db?.drop();
  });

  it("scores every customer who ordered before as-of, with probabilities in [0, 1]", async () => {
    const buyers = await db.prisma.order.findMany({
      where: { shop: SHOP, cancelledAt: null },
      distinct: ["customerGid"],
      select: { customerGid: true },
    });
    const scores = await db.prisma.customerScore.findMany({ where: { shop: SHOP } });
    expect(scores.length).toBe(result.customers);
    expect(scores.length).toBeGreaterThan(0);
    expect(scores.length).toBeLessThanOrEqual(buyers.length);
    for (const s of scores) {
      for (const p of [s.pPurchase, s.pAlive, s.churnRisk]) {
        expect(p).toBeGreaterThanOrEqual(0);
        expect(p).toBeLessThanOrEqual(1);
      }
      expect(s.explanation.length).toBeGreaterThan(10);
      expect(s.clvLowMinor).toBeLessThanOrEqual(s.clvHighMinor);
    }
  });

  it("stores recommendation lists whose items are synced products, each with a reason", async () => {
    const lists = await db.prisma.recommendation.findMany({ where: { shop: SHOP } });
    expect(lists.length).toBe(result.lists);
    const products = new Set(
      (await db.prisma.product.findMany({ where: { shop: SHOP }, select: { gid: true } })).map((p) => p.gid),
    );
    const kinds = new Set(lists.map((l) => l.kind));
    expect(kinds).toEqual(new Set(["BOUGHT_TOGETHER", "ALSO_BOUGHT", "FOR_YOU", "DISCOVERY"]));
    for (const list of lists) {
      const items = list.items as { gid: string; reason: string }[];
      for (const item of items) {
        expect(products.has(item.gid)).toBe(true);
        expect(item.reason).not.toBe("");
        expect(item.reason).not.toMatch(/gid:\/\//);
      }
      if (list.kind === "BOUGHT_TOGETHER") expect(items.map((i) => i.gid)).not.toContain(list.subject);
    }
  });

  it("never recommends draft or gift-card products", async () => {
    const banned = new Set(
      (
        await db.prisma.product.findMany({
          where: { shop: SHOP, OR: [{ status: { not: "ACTIVE" } }, { isGiftCard: true }] },
          select: { gid: true },
        })
      ).map((p) => p.gid),
    );
    const lists = await db.prisma.recommendation.findMany({ where: { shop: SHOP } });
    for (const list of lists)
      for (const item of list.items as { gid: string }[]) expect(banned.has(item.gid)).toBe(false);
  });

  it("records a completed run with backtest metrics and the data-sufficiency meter", async () => {
    const run = await db.prisma.modelRun.findUniqueOrThrow({ where: { id: result.runId } });
    expect(run.status).toBe("COMPLETED");
    const metrics = run.metrics as { recommendations: { task: string; method: string; recall: number }[] };
    const methods = new Set(metrics.recommendations.map((r) => `${r.task}:${r.method}`));
    expect(methods.has("discovery:engine")).toBe(true);
    expect(methods.has("discovery:popularity-30d")).toBe(true);
    const sufficiency = run.sufficiency as { counts: { orders: number }; outputs: Record<string, { level: string }> };
    expect(sufficiency.counts.orders).toBeGreaterThan(100);
    expect(Object.keys(sufficiency.outputs)).toContain("churn");
  });

  it("stores the shop's forecast with its backtest: weekly revenue and orders, an 80 % band, top sellers", async () => {
    const run = await db.prisma.modelRun.findUniqueOrThrow({ where: { id: result.runId } });
    const { forecast } = run.metrics as unknown as {
      forecast: import("~/services/scoring/forecast.server").StoredForecast;
    };
    // A year of generated orders ending at as-of: enough for the full 12 weeks.
    expect(forecast.notEnoughData).toBeNull();
    expect(forecast.from).toBe(Date.UTC(2026, 0, 1));
    for (const series of [forecast.revenue!, forecast.orders!]) {
      expect(series.forecast).toHaveLength(12);
      expect(series.mase).toBeGreaterThan(0);
      expect(series.origins).toBe(DEFAULT_ORIGINS);
      for (const w of series.forecast) expect(w.low <= w.value && w.value <= w.high).toBe(true);
    }
    expect(forecast.products.length).toBeGreaterThan(0);
    for (const p of forecast.products) expect(forecast.titles[p.key]).toBeTruthy();
  });

  it("stores RFM movement over the last 90 days whose destination groups are exactly the stored segments", async () => {
    const run = await db.prisma.modelRun.findUniqueOrThrow({ where: { id: result.runId } });
    const { rfmMovement } = run.metrics as unknown as { rfmMovement: import("~/analytics/customers").RfmMovement };
    expect(rfmMovement.to - rfmMovement.from).toBe(MOVEMENT_DAYS * 86_400_000);
    const into = new Map<string, number>();
    for (const row of Object.values(rfmMovement.counts))
      for (const [to, n] of Object.entries(row)) into.set(to, (into.get(to) ?? 0) + n);
    const stored = await db.prisma.customerScore.groupBy({
      by: ["segment"],
      where: { shop: SHOP },
      _count: { _all: true },
    });
    expect(Object.fromEntries(into)).toEqual(Object.fromEntries(stored.map((s) => [s.segment, s._count._all])));
    // Someone was already a customer 90 days earlier, and someone arrived since.
    expect(Object.keys(rfmMovement.counts)).toContain("New since");
    expect(Object.keys(rfmMovement.counts).length).toBeGreaterThan(2);
  });

  it("a second run replaces the first run's scores instead of adding to them", async () => {
    const before = await db.prisma.customerScore.count({ where: { shop: SHOP } });
    const again = await runScoring({ prisma: db.prisma, now: () => new Date("2026-01-01T00:00:00Z") }, SHOP);
    expect(await db.prisma.customerScore.count({ where: { shop: SHOP } })).toBe(before);
    expect(await db.prisma.customerScore.count({ where: { shop: SHOP, runId: again.runId } })).toBe(before);
  });
});
