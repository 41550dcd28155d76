import type { AutomationAssignment, AutomationRun } from "@prisma/client";
import { measureEffect, orderEconomics, type Measurement, type UnitOutcome } from "../../analytics/automations";
import { mulberry32 } from "../../analytics/rng";
import { listAssignments, listRuns, ordersForOutcomes } from "../../models/automations.server";
import type { Db } from "../../models/db-types.server";
import { getShopSettings } from "../../models/shops.server";
import { clock, seedFrom, type ReadDeps } from "./shared.server";

// ------------------------------------------------------------------------------------------------
// Measurement

export interface RunMeasurement {
  runId: string;
  startedAt: Date;
  measureUntil: Date;
  measurement: Measurement;
  /** Share of measured order lines whose cost was known (the rest use the margin setting). */
  knownCostShare: number;
}

/** Outcomes of one run's assigned customers, from synced orders in the run's window. */
async function runOutcomes(db: Db, shop: string, run: AutomationRun, assignments: AutomationAssignment[], marginShare: number) {
  const byCustomer = new Map(assignments.map((a) => [a.customerGid, a]));
  const orders = await ordersForOutcomes(db, shop, [...byCustomer.keys()], run.startedAt, run.measureUntil);
  const units = new Map<string, UnitOutcome>();
  for (const a of assignments) {
    units.set(a.customerGid, {
      arm: a.arm as UnitOutcome["arm"],
      stratum: a.stratum,
      orders: 0,
      revenueMinor: 0,
      marginMinor: 0,
      discountMinor: 0,
      redeemed: false,
      redeemedRevenueMinor: 0,
    });
  }
  let lines = 0;
  let known = 0;
  for (const o of orders) {
    const u = units.get(o.customerGid);
    const a = byCustomer.get(o.customerGid);
    if (!u || !a) continue;
    const econ = orderEconomics(o, marginShare);
    u.orders++;
    u.revenueMinor += econ.revenueMinor;
    u.marginMinor += econ.marginMinor;
    u.discountMinor += econ.discountMinor;
    // Redemption attributed by the customer's own code on the order (Shopify matches codes case-insensitively).
    if (a.code && o.discountCodes.some((c) => c.toLowerCase() === a.code!.toLowerCase())) {
      u.redeemed = true;
      u.redeemedRevenueMinor += econ.revenueMinor;
    }
    for (const l of o.lines) {
      lines++;
      if (l.unitCostMinor !== null) known++;
    }
  }
  return { units: [...units.values()], lines, known };
}

/**
 * Results of every run of an automation, and pooled over runs (each run is its own randomised
 * experiment; pooling sums customers). Intention to treat: a treated customer whose code failed
 * to issue still counts as treated, so failures cannot bias the comparison.
 */
export async function measureAutomation(
  deps: ReadDeps,
  shop: string,
  automationId: string,
  opts: { resamples?: number } = {},
): Promise<{ runs: RunMeasurement[]; pooled: Measurement | null; pooledKnownCostShare: number }> {
  const runs = (await listRuns(deps.prisma, shop, automationId)).filter((r) => (r.summary as { kind?: string }).kind === "offer");
  const settings = await getShopSettings(deps.prisma, shop);
  const now = clock(deps);
  const all = await listAssignments(deps.prisma, shop, runs.map((r) => r.id));
  const out: RunMeasurement[] = [];
  const pooledUnits: UnitOutcome[] = [];
  let lines = 0;
  let known = 0;
  for (const run of runs) {
    const marginShare = Number((run.summary as { marginShare?: number }).marginShare ?? settings.automation.defaultMarginShare);
    const assignments = all.filter((a) => a.runId === run.id && (a.arm === "TREATMENT" || a.arm === "HOLDOUT"));
    const r = await runOutcomes(deps.prisma, shop, run, assignments, marginShare);
    pooledUnits.push(...r.units);
    lines += r.lines;
    known += r.known;
    const open = run.measureUntil.getTime() > now.getTime() ? run.measureUntil.toISOString().slice(0, 10) : null;
    out.push({
      runId: run.id,
      startedAt: run.startedAt,
      measureUntil: run.measureUntil,
      measurement: measureEffect(r.units, { rng: mulberry32(run.seed ^ 0x5eed), windowOpenUntil: open, resamples: opts.resamples }),
      knownCostShare: r.lines ? r.known / r.lines : 0,
    });
  }
  const latestOpen = runs.filter((r) => r.measureUntil.getTime() > now.getTime()).map((r) => r.measureUntil.toISOString().slice(0, 10)).sort().pop() ?? null;
  const pooled = runs.length > 1
    ? measureEffect(pooledUnits, { rng: mulberry32(seedFrom(`pooled:${automationId}`)), windowOpenUntil: latestOpen, resamples: opts.resamples })
    : null;
  return { runs: out, pooled, pooledKnownCostShare: lines ? known / lines : 0 };
}
