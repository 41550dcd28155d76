import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_TRUE_UPLIFT, simulateUplift } from "../../../devstore/simulate-uplift";
import { setupAutomationEnv } from "./helpers";
import { createAutomation, listAssignments, updateAutomation } from "~/models/automations";
import { runAutomation } from "~/services/automations/issue.server";
import { measureAutomation } from "~/services/automations/measure.server";
import { reconcile } from "~/services/sync/shop-sync.server";
import { runScoring } from "~/services/scoring/run.server";

const DAY = 86_400_000;

/**
 * The demo's promise on a demo-sized shop (DEMO_SHOP_SIZE: 3,000 customers, 20,000 orders): a win-back run, the
 * stand-in's 30 simulated days with the known true effect, a sync, and the measured conversion
 * lift is positive and covers +25 pts; the series and readiness come with it. The automation id and
 * the run's start instant are fixed and the clock virtual, so this is one fixed draw (the coverage
 * rate over many draws is tests/devstore/simulate-uplift.test.ts).
 */
describe("demo results prove the known effect (pglite, demo shop size)", () => {
  const domain = "results-e2e.myshopify.com";
  let s: Awaited<ReturnType<typeof setupAutomationEnv>>;
  beforeAll(async () => {
    s = await setupAutomationEnv("pglite", { domain, customers: 3000, orders: 20000, seed: 20261122 });
  }, 300_000);
  afterAll(async () => {
    await s?.close();
  });

  it("positive 90% interval covering +25 pts after 30 simulated days", async () => {
    const created = await createAutomation(s.db.prisma, domain, { type: "WIN_BACK", name: "Win-back" });
    const automation = await s.db.prisma.automation.update({
      where: { id: created.id },
      data: { id: "results-e2e-win-back" },
    });
    await updateAutomation(s.db.prisma, domain, automation.id, {
      config: { ...(automation.config as object), budgetPerRunMinor: null, budgetPerMonthMinor: null },
    });
    // Scores (who qualifies) and the run's seed (the holdout draw) both depend on "now"; how much
    // virtual time the setup's bulk polling used depends on real time, so score and start the run at
    // a fixed instant: the next virtual midnight. Qualifiers, holdout, simulation and bootstrap are
    // then the same draw every run.
    await s.env.sleep(DAY - (s.env.clock() % DAY));
    const startedAt = new Date(s.env.clock()).toISOString();
    await runScoring({ prisma: s.db.prisma, now: () => new Date(startedAt) }, domain);
    const run = await runAutomation(s.deps, domain, automation.id);
    const rows = await listAssignments(s.db.prisma, domain, [run.runId]);
    const early = await measureAutomation(s.deps, domain, automation.id, { overTime: true, resamples: 200 });
    expect(early.runs[0].measurement.status).toBe("INSUFFICIENT");
    expect(early.overTime!.readiness.status).not.toBe("READY");

    simulateUplift(s.env.shop, {
      fromMs: s.env.clock() + 60_000,
      days: 30,
      seed: 7,
      customers: rows
        .filter((r) => r.arm === "TREATMENT" || r.arm === "HOLDOUT")
        .map((r) => ({
          customerId: r.customerGid,
          arm: r.arm as "TREATMENT" | "HOLDOUT",
          code: r.arm === "TREATMENT" ? r.code : null,
        })),
    });
    await s.env.sleep(31 * DAY);
    await reconcile({ prisma: s.db.prisma, client: s.env.client, sleep: s.env.sleep }, domain);

    const { runs, overTime } = await measureAutomation(s.deps, domain, automation.id, { overTime: true });
    const m = runs[0].measurement;
    const lift = m.effect!.conversionLift;
    console.info(
      `results e2e (run at ${startedAt}): treated ${m.treatment.customers}, holdout ${m.holdout.customers}; lift ${lift.estimate.toFixed(3)} [${lift.low.toFixed(3)}, ${lift.high.toFixed(3)}] vs true ${DEMO_TRUE_UPLIFT}`,
    );
    expect(m.holdout.customers).toBeGreaterThanOrEqual(50);
    expect(lift.low).toBeGreaterThan(0);
    expect(lift.low).toBeLessThanOrEqual(DEMO_TRUE_UPLIFT);
    expect(lift.high).toBeGreaterThanOrEqual(DEMO_TRUE_UPLIFT);
    expect(overTime!.readiness).toEqual({ status: "READY" });
    const last = overTime!.points[overTime!.points.length - 1];
    expect(overTime!.points.length).toBeGreaterThan(20);
    expect(last.conversionLift!.estimate).toBeCloseTo(lift.estimate, 9);
  }, 300_000);
});
