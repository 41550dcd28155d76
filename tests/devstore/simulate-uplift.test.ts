import { describe, expect, it } from "vitest";
import { makeDiscountCode } from "../../devstore/factories";
import { generateShop } from "../../devstore/generator";
import { liveOrdersTick } from "../../devstore/live-orders";
import type { DsShop } from "../../devstore/model";
import { DEMO_TRUE_UPLIFT, decideBuyers, simulateUplift, type UpliftCustomer } from "../../devstore/simulate-uplift";
import { measureEffect, type UnitOutcome } from "~/analytics/automations";
import { mulberry32 } from "~/analytics/rng";
import { DAY_MS } from "~/analytics/time";

const END = "2026-01-01T00:00:00Z";
const shopOf = (seed: number, customers = 500, orders = 2500) =>
  generateShop({
    domain: `uplift-${seed}.myshopify.com`,
    seed,
    products: 30,
    customers,
    orders,
    start: "2025-01-01T00:00:00Z",
    end: END,
  });

/** An automation's assignment as the app would send it: buyers split 80/20 at random, treated with a 14-day code. */
function assign(shop: DsShop, seed: number): UpliftCustomer[] {
  const rng = mulberry32(seed);
  const buyers = new Set([...shop.orders.values()].map((o) => o.customerId!));
  return [...shop.customers.values()]
    .filter((c) => buyers.has(c.id))
    .map((c, i) => {
      if (rng() < 0.2) return { customerId: c.id, arm: "HOLDOUT" as const };
      const code = `GPWB-${seed}-${i}`;
      makeDiscountCode(shop, {
        code,
        percentage: 0.15,
        startsAt: END,
        endsAt: new Date(Date.parse(END) + 14 * DAY_MS).toISOString(),
        customerIds: [c.id],
        usageLimit: 1,
      });
      return { customerId: c.id, arm: "TREATMENT" as const, code };
    });
}

function measuredLift(shop: DsShop, seed: number) {
  const customers = assign(shop, seed);
  const fromMs = Date.parse(END) + 60_000;
  const before = new Set(shop.orders.keys());
  simulateUplift(shop, { fromMs, days: 30, seed, customers });
  const bought = new Set([...shop.orders.values()].filter((o) => !before.has(o.id)).map((o) => o.customerId));
  const units: UnitOutcome[] = customers.map((c) => ({
    arm: c.arm,
    stratum: "all",
    orders: bought.has(c.customerId) ? 1 : 0,
    revenueMinor: 0,
    marginMinor: 0,
    discountMinor: 0,
    redeemed: false,
    redeemedRevenueMinor: 0,
  }));
  return measureEffect(units, { rng: mulberry32(seed ^ 0x5eed), windowOpenUntil: null, resamples: 500 }).effect!
    .conversionLift;
}

describe("simulateUplift (the demo's known effect)", () => {
  it("treated buyers use their own code; holdout customers never get one; draws are per customer", () => {
    const shop = shopOf(7);
    const customers = assign(shop, 7);
    const a = decideBuyers(shop, { fromMs: Date.parse(END), days: 30, seed: 3, customers });
    const b = decideBuyers(shop, { fromMs: Date.parse(END), days: 30, seed: 3, customers: [...customers].reverse() });
    expect(b).toEqual(a);
    const before = new Set(shop.orders.keys());
    const r = simulateUplift(shop, { fromMs: Date.parse(END), days: 30, seed: 3, customers });
    const added = [...shop.orders.values()].filter((o) => !before.has(o.id));
    const codeOf = new Map(customers.map((c) => [c.customerId, c.code ?? null]));
    for (const o of added) {
      if (!codeOf.has(o.customerId!)) continue;
      expect(o.discountCodes).toEqual(codeOf.get(o.customerId!) ? [codeOf.get(o.customerId!)] : []);
    }
    // Assigned customers order exactly once each when they buy (the stand-in decided, not the organic model).
    const perAssigned = added.filter((o) => codeOf.has(o.customerId!));
    expect(perAssigned).toHaveLength(r.treatedBuyers + r.holdoutBuyers);
    expect(r.redeemed).toBe(r.treatedBuyers);
  });

  it(`90% intervals of the conversion lift cover the true +${DEMO_TRUE_UPLIFT * 100} pts in ≥ 85% of 60 simulated shops, and are positive`, () => {
    let covered = 0;
    let positive = 0;
    const SHOPS = 60;
    for (let seed = 1; seed <= SHOPS; seed++) {
      const lift = measuredLift(shopOf(seed, 300, 1500), seed);
      if (lift.low <= DEMO_TRUE_UPLIFT && DEMO_TRUE_UPLIFT <= lift.high) covered++;
      if (lift.low > 0) positive++;
    }
    console.info(
      `uplift coverage: ${covered}/${SHOPS} intervals cover +${DEMO_TRUE_UPLIFT}; ${positive}/${SHOPS} positive`,
    );
    expect(covered / SHOPS).toBeGreaterThanOrEqual(0.85);
    expect(positive / SHOPS).toBeGreaterThanOrEqual(0.95);
  }, 60_000);
});

describe("live demo orders", () => {
  it("keep arriving after 30 days were simulated ahead of the clock", () => {
    const shop = shopOf(9, 200, 1000);
    const now = Date.parse(END) + 60_000;
    simulateUplift(shop, { fromMs: now, days: 30, seed: 1, customers: [] });
    const tick = liveOrdersTick(shop, { nowMs: now + 30_000, tickMs: 30_000, seed: 2, count: 2 });
    expect(tick.length).toBeGreaterThan(0);
    const next = liveOrdersTick(shop, { nowMs: now + 60_000, tickMs: 30_000, seed: 3, count: 2 });
    expect(next.length).toBeGreaterThan(0);
    expect(next[0].createdAt > tick[tick.length - 1].createdAt).toBe(true);
  });
});
