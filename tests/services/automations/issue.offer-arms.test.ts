import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { simulateUplift } from "../../../devstore/simulate-uplift";
import { setupAutomationEnv } from "./helpers";
import { stratumSegment } from "~/analytics/automations";
import { createAutomation, listAssignments, listRuns, updateAutomation } from "~/models/automations";
import { runAutomation } from "~/services/automations/issue.server";
import { measureAutomation } from "~/services/automations/measure.server";
import { previewAutomation } from "~/services/automations/plan.server";
import { reconcile } from "~/services/sync/shop-sync.server";

const DAY = 86_400_000;

/**
 * An offer test end to end (issue #18, D39): arms recorded before any code, each code created in
 * the stand-in with its arm's discount, outcomes from synced orders measured per arm, and the
 * second run's split learned from the first run's outcomes.
 */
describe("offer test through the stand-in (pglite)", () => {
  const domain = "offer-arms.myshopify.com";
  let s: Awaited<ReturnType<typeof setupAutomationEnv>>;
  beforeAll(async () => {
    s = await setupAutomationEnv("pglite", { domain, customers: 500, orders: 1800, seed: 8 });
  }, 90_000);
  afterAll(async () => {
    await s?.close();
  });

  it("refuses arms deeper than the merchant's maximum before planning anything", async () => {
    const a = await createAutomation(s.db.prisma, domain, { type: "WIN_BACK", name: "Too deep" });
    await updateAutomation(s.db.prisma, domain, a.id, {
      config: {
        ...(a.config as object),
        arms: [
          { kind: "PERCENTAGE", value: 0.1 },
          { kind: "PERCENTAGE", value: 0.4 },
        ],
        maxDiscountShare: 0.3,
      },
    });
    expect((await previewAutomation(s.deps, domain, a.id)).notEnoughData).toMatch(/deeper than the maximum/);
    await expect(runAutomation(s.deps, domain, a.id)).rejects.toThrow(/deeper than the maximum/);
    expect(await listRuns(s.db.prisma, domain, a.id)).toHaveLength(0);
  });

  it("issues each arm's own discount, measures per arm, and learns the next split", async () => {
    const a = await createAutomation(s.db.prisma, domain, { type: "WIN_BACK", name: "Offer test" });
    await updateAutomation(s.db.prisma, domain, a.id, {
      config: {
        ...(a.config as object),
        sendsMessages: false,
        budgetPerRunMinor: null,
        budgetPerMonthMinor: null,
        suppressionDays: 0,
        arms: [
          { kind: "PERCENTAGE", value: 0.1 },
          { kind: "PERCENTAGE", value: 0.2 },
        ],
      },
    });
    const first = await runAutomation(s.deps, domain, a.id);
    expect(first.status).toBe("COMPLETED");
    const rows = await listAssignments(s.db.prisma, domain, [first.runId]);
    const treated = rows.filter((r) => r.arm === "TREATMENT");
    expect(treated.length).toBeGreaterThan(60);
    expect(rows.filter((r) => r.arm === "HOLDOUT").every((r) => r.offerArm === null && r.armProbability === 0.2)).toBe(
      true,
    );
    // First run: equal split of the treated 80%.
    expect(treated.every((r) => r.armProbability === 0.4 && (r.offerArm === "pct-10" || r.offerArm === "pct-20"))).toBe(
      true,
    );
    // The stand-in holds each customer's code with its arm's percentage.
    for (const r of treated) {
      const code = [...s.env.shop.discountCodes.values()].find((c) => c.code === r.code)!;
      const value = s.env.shop.discounts.get(code.discountId)!.value as { percentage: number };
      expect(value.percentage).toBe(r.offerArm === "pct-10" ? 0.1 : 0.2);
    }
    const [run] = await listRuns(s.db.prisma, domain, a.id);
    expect((run.summary as { allocation: { source: string } }).allocation.source).toBe("equal");

    // 30 days in which the stand-in answers each segment by its response curve (the demo's truth).
    simulateUplift(s.env.shop, {
      fromMs: s.env.clock() + 60_000,
      days: 30,
      seed: 3,
      customers: rows.map((r) => ({
        customerId: r.customerGid,
        arm: r.arm as "TREATMENT" | "HOLDOUT",
        code: r.code,
        segment: stratumSegment(r.stratum),
      })),
    });
    await s.env.sleep(31 * DAY);
    await reconcile({ prisma: s.db.prisma, client: s.env.client, sleep: s.env.sleep }, domain);

    const measured = await measureAutomation(s.deps, domain, a.id, { resamples: 300 });
    const test = measured.offerTest!;
    expect(test.arms.map((x) => x.key)).toEqual(["pct-10", "pct-20"]);
    expect(test.comparison.arms.map((x) => x.summary.customers).reduce((x, y) => x + y, 0)).toBe(treated.length);
    const bought = test.comparison.arms.reduce((t, x) => t + x.summary.converters, 0);
    expect(bought).toBeGreaterThan(0);
    // Buyers on the deeper arm got twice the discount share of revenue.
    const disc = test.comparison.arms.map(
      (x) =>
        x.summary.discountPerCustomerMinor /
        Math.max(1, x.summary.revenuePerCustomerMinor + x.summary.discountPerCustomerMinor),
    );
    expect(disc[1]).toBeGreaterThan(disc[0]);
    expect(test.recommendation.bySegment.length).toBeGreaterThan(0);

    const second = await runAutomation(s.deps, domain, a.id);
    expect(second.runId).not.toBe(first.runId);
    const [latest] = await listRuns(s.db.prisma, domain, a.id);
    expect((latest.summary as { allocation: { source: string } }).allocation.source).toBe("learned");
    const secondRows = await listAssignments(s.db.prisma, domain, [second.runId]);
    // The holdout share never moves; the arms' probabilities now differ from the equal 0.4.
    expect(secondRows.filter((r) => r.arm === "HOLDOUT").every((r) => r.armProbability === 0.2)).toBe(true);
    expect(secondRows.some((r) => r.arm === "TREATMENT" && Math.abs(r.armProbability! - 0.4) > 1e-6)).toBe(true);
  }, 240_000);
});
