import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { simulateOrders } from "../../../devstore/simulate";
import { setupAutomationEnv } from "./helpers";
import { createAutomation, listAssignments, updateAutomation } from "~/models/automations";
import { runAutomation } from "~/services/automations/issue.server";
import { measureAutomation } from "~/services/automations/measure.server";
import { reconcile } from "~/services/sync/shop-sync.server";

const DAY = 86_400_000;

/**
 * The "done when", end to end: run a win-back automation, let simulated customers use
 * their codes with a known probability in later orders, sync those orders, and measure.
 */
describe("measurement from synced orders (pglite)", () => {
  const domain = "measure-e2e.myshopify.com";
  let s: Awaited<ReturnType<typeof setupAutomationEnv>>;
  beforeAll(async () => {
    s = await setupAutomationEnv("pglite", { domain, customers: 400, orders: 1400, seed: 5 });
  }, 60_000);
  afterAll(async () => {
    await s?.close();
  });

  it("attributes redemptions by code and estimates the incremental effect against the holdout", async () => {
    const automation = await createAutomation(s.db.prisma, domain, { type: "WIN_BACK", name: "Win-back" });
    // No messages (codes shown at checkout by another channel): no consent filter, no budget cap — a bigger experiment.
    await updateAutomation(s.db.prisma, domain, automation.id, {
      config: {
        ...(automation.config as object),
        sendsMessages: false,
        budgetPerRunMinor: null,
        budgetPerMonthMinor: null,
      },
    });
    const run = await runAutomation(s.deps, domain, automation.id);
    const rows = await listAssignments(s.db.prisma, domain, [run.runId]);
    const treated = rows.filter((r) => r.arm === "TREATMENT");
    const holdout = rows.filter((r) => r.arm === "HOLDOUT");
    expect(holdout.length).toBeGreaterThanOrEqual(20);

    const early = await measureAutomation(s.deps, domain, automation.id, { resamples: 300 });
    expect(early.runs[0].measurement.status).toBe("INSUFFICIENT");

    // Each treated customer uses their code with probability 0.5 within its 14 days.
    const REDEEM_P = 0.5;
    const from = new Date(s.env.clock() + 60_000).toISOString();
    const to = new Date(s.env.clock() + 30 * DAY).toISOString();
    simulateOrders(s.env.shop, {
      from,
      to,
      seed: 42,
      redeemCodes: treated.map((r) => ({ code: r.code!, customerId: r.customerGid, probability: REDEEM_P })),
    });
    await s.env.sleep(31 * DAY);
    await reconcile({ prisma: s.db.prisma, client: s.env.client, sleep: s.env.sleep }, domain);

    const { runs } = await measureAutomation(s.deps, domain, automation.id, { resamples: 1000 });
    const m = runs[0].measurement;
    expect(m.status).toBe("FINAL");
    // Redemptions are exactly the synced orders carrying a treated customer's own code.
    const codes = new Set(treated.map((r) => r.code!.toLowerCase()));
    const withCode = await s.db.prisma.order.findMany({
      where: { shop: domain, shopifyCreated: { gte: new Date(from) } },
      select: { customerGid: true, discountCodes: true },
    });
    const redeemers = new Set(
      withCode.filter((o) => o.discountCodes.some((c) => codes.has(c.toLowerCase()))).map((o) => o.customerGid),
    );
    expect(m.redemptions.count).toBe(redeemers.size);
    expect(m.redemptions.rate).toBeGreaterThan(0.35);
    expect(m.redemptions.attributedRevenueMinor).toBeGreaterThan(0);

    // Known effect: a treated customer buys with the code w.p. 0.5 on top of organic buying, so the
    // conversion lift is 0.5 × (1 − organic rate); the holdout estimates the organic rate.
    const expectedLift = REDEEM_P * (1 - m.holdout.conversionRate);
    const e = m.effect!;
    console.info(
      `e2e: treated ${m.treatment.customers}, holdout ${m.holdout.customers}; conversion ${m.treatment.conversionRate.toFixed(3)} vs ${m.holdout.conversionRate.toFixed(3)}; ` +
        `lift ${e.conversionLift.estimate.toFixed(3)} [${e.conversionLift.low.toFixed(3)}, ${e.conversionLift.high.toFixed(3)}] (design ≈ ${expectedLift.toFixed(3)}); ` +
        `margin/customer ${(e.marginPerCustomerMinor.estimate / 100).toFixed(2)} [${(e.marginPerCustomerMinor.low / 100).toFixed(2)}, ${(e.marginPerCustomerMinor.high / 100).toFixed(2)}]; ` +
        `total ${(e.totalIncrementalMarginMinor.estimate / 100).toFixed(2)}; attributed revenue ${(m.redemptions.attributedRevenueMinor / 100).toFixed(2)}`,
    );
    expect(e.conversionLift.low).toBeGreaterThan(0);
    expect(e.conversionLift.low).toBeLessThanOrEqual(expectedLift + 0.05);
    expect(e.conversionLift.high).toBeGreaterThanOrEqual(expectedLift - 0.05);
    // Margin after discount: the treated pay 15% less per order, which the margin reflects.
    expect(m.treatment.discountPerCustomerMinor).toBeGreaterThan(m.holdout.discountPerCustomerMinor);
    expect(e.totalIncrementalMarginMinor.estimate).toBeCloseTo(e.marginPerCustomerMinor.estimate * treated.length, 3);
  });
});
