import type { AutomationAssignment, AutomationRun } from "@prisma/client";
import {
  compareArms,
  recommendArms,
  stratumSegment,
  toArms,
  type ArmComparison,
  type ArmOutcome,
  type OfferArm,
  type Recommendation,
  measureEffect,
  orderEconomics,
  resultsReadiness,
  resultsSeries,
  type Measurement,
  type Readiness,
  type SeriesPoint,
  type TimedUnit,
  type UnitOutcome,
} from "../../analytics/automations";
import { mulberry32 } from "../../analytics/rng";
import { listAssignments, listRuns, ordersForOutcomes, parseAutomationConfig } from "../../models/automations";
import type { Db } from "../../models/db-types.server";
import { getShopSettings } from "../../models/shops.server";
import { clock, DAY_MS, seedFrom, type ReadDeps } from "./shared.server";

// ------------------------------------------------------------------------------------------------
// Measurement

/** The headline result over time (pooled runs, else the latest) and when it will be enough. */
export interface ResultsOverTime {
  /** Day 0 = run start; a single run also has its start date for labels. */
  startedAt: Date | null;
  windowDays: number;
  points: SeriesPoint[];
  readiness: Readiness;
}

export interface RunMeasurement {
  runId: string;
  startedAt: Date;
  measureUntil: Date;
  measurement: Measurement;
  /** Share of measured order lines whose cost was known (the rest use the margin setting). */
  knownCostShare: number;
}

/** An offer test's results (D39): every arm against the holdout, and what to offer per segment. */
export interface OfferTestResults {
  arms: OfferArm[];
  comparison: ArmComparison;
  recommendation: { level: number; overall: Recommendation; bySegment: Recommendation[] };
  /** The latest run's split of treated customers between arms, and whether it was learned. */
  allocation: { pooled: number[]; bySegment: Record<string, number[]>; source: string } | null;
}

/** Customers of armed runs as the per-arm estimator and the bandit read them (weight = 1 / P(slot)). */
function armOutcomes(assignments: AutomationAssignment[], units: UnitOutcome[]): ArmOutcome[] {
  const out: ArmOutcome[] = [];
  assignments.forEach((a, i) => {
    if (a.armProbability === null || a.armProbability <= 0) return;
    out.push({ ...units[i], offerArm: a.offerArm, weight: 1 / a.armProbability, segment: stratumSegment(a.stratum) });
  });
  return out;
}

/** Outcomes so far of every armed run of an automation: what the bandit learns the next split from. */
export async function offerArmOutcomes(deps: ReadDeps, shop: string, automationId: string): Promise<ArmOutcome[]> {
  const runs = (await listRuns(deps.prisma, shop, automationId)).filter(
    (r) => (r.summary as { kind?: string }).kind === "offer",
  );
  const settings = await getShopSettings(deps.prisma, shop);
  const all = await listAssignments(
    deps.prisma,
    shop,
    runs.map((r) => r.id),
  );
  const out: ArmOutcome[] = [];
  for (const run of runs) {
    const assignments = all.filter((a) => a.runId === run.id && a.armProbability !== null);
    if (!assignments.length) continue;
    const marginShare = Number(
      (run.summary as { marginShare?: number }).marginShare ?? settings.automation.defaultMarginShare,
    );
    const r = await runOutcomes(deps.prisma, shop, run, assignments, marginShare, clock(deps));
    out.push(...armOutcomes(assignments, r.units));
  }
  return out;
}

/** Outcomes of one run's assigned customers, from synced orders in the run's window. */
async function runOutcomes(
  db: Db,
  shop: string,
  run: AutomationRun,
  assignments: AutomationAssignment[],
  marginShare: number,
  now: Date,
) {
  const byCustomer = new Map(assignments.map((a) => [a.customerGid, a]));
  const orders = await ordersForOutcomes(db, shop, [...byCustomer.keys()], run.startedAt, run.measureUntil);
  const units = new Map<string, UnitOutcome>();
  const timed = new Map<string, TimedUnit & { orders: TimedUnit["orders"][number][] }>();
  const start = run.startedAt.getTime();
  const windowMs = run.measureUntil.getTime() - start;
  // Observed up to now — or to the latest synced order, which the demo dates ahead of the clock.
  const latest = Math.max(now.getTime(), ...orders.map((o) => o.at.getTime() + 1));
  const observedMs = Math.min(windowMs, Math.max(0, latest - start));
  for (const a of assignments) {
    timed.set(a.customerGid, { arm: a.arm as TimedUnit["arm"], stratum: a.stratum, observedMs, orders: [] });
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
    const ownCode = !!a.code && o.discountCodes.some((c) => c.toLowerCase() === a.code!.toLowerCase());
    timed.get(o.customerGid)!.orders.push({ offsetMs: o.at.getTime() - start, ...econ, redeemed: ownCode });
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
  return { units: [...units.values()], timed: [...timed.values()], windowMs, lines, known };
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
  opts: { resamples?: number; overTime?: boolean } = {},
): Promise<{
  runs: RunMeasurement[];
  pooled: Measurement | null;
  pooledKnownCostShare: number;
  overTime: ResultsOverTime | null;
  offerTest: OfferTestResults | null;
}> {
  const runs = (await listRuns(deps.prisma, shop, automationId)).filter(
    (r) => (r.summary as { kind?: string }).kind === "offer",
  );
  const settings = await getShopSettings(deps.prisma, shop);
  const now = clock(deps);
  const all = await listAssignments(
    deps.prisma,
    shop,
    runs.map((r) => r.id),
  );
  const out: RunMeasurement[] = [];
  const pooledUnits: UnitOutcome[] = [];
  const pooledTimed: TimedUnit[] = [];
  const armUnits: ArmOutcome[] = [];
  let windowMs = 0;
  let lines = 0;
  let known = 0;
  for (const run of runs) {
    const marginShare = Number(
      (run.summary as { marginShare?: number }).marginShare ?? settings.automation.defaultMarginShare,
    );
    const assignments = all.filter((a) => a.runId === run.id && (a.arm === "TREATMENT" || a.arm === "HOLDOUT"));
    const r = await runOutcomes(deps.prisma, shop, run, assignments, marginShare, now);
    pooledUnits.push(...r.units);
    armUnits.push(...armOutcomes(assignments, r.units));
    pooledTimed.push(...r.timed);
    windowMs = Math.max(windowMs, r.windowMs);
    lines += r.lines;
    known += r.known;
    const open = run.measureUntil.getTime() > now.getTime() ? run.measureUntil.toISOString().slice(0, 10) : null;
    out.push({
      runId: run.id,
      startedAt: run.startedAt,
      measureUntil: run.measureUntil,
      measurement: measureEffect(r.units, {
        rng: mulberry32(run.seed ^ 0x5eed),
        windowOpenUntil: open,
        resamples: opts.resamples,
      }),
      knownCostShare: r.lines ? r.known / r.lines : 0,
    });
  }
  const latestOpen =
    runs
      .filter((r) => r.measureUntil.getTime() > now.getTime())
      .map((r) => r.measureUntil.toISOString().slice(0, 10))
      .sort()
      .pop() ?? null;
  const pooled =
    runs.length > 1
      ? measureEffect(pooledUnits, {
          rng: mulberry32(seedFrom(`pooled:${automationId}`)),
          windowOpenUntil: latestOpen,
          resamples: opts.resamples,
        })
      : null;
  // The page's headline: every run pooled (one run alone is its own pool).
  const headline = pooledTimed;
  const overTime =
    opts.overTime && runs.length
      ? {
          startedAt: runs.length === 1 ? runs[0].startedAt : null,
          windowDays: windowMs / DAY_MS,
          points: resultsSeries(headline, { rng: mulberry32(seedFrom(`series:${automationId}`)), windowMs }),
          readiness: resultsReadiness(headline, { windowMs }),
        }
      : null;
  return {
    runs: out,
    pooled,
    pooledKnownCostShare: lines ? known / lines : 0,
    overTime,
    offerTest: offerTestResults(runs, armUnits, automationId, opts.resamples),
  };
}

/** Per-arm comparison and recommendation over the armed runs, keyed by the latest armed run's arms. */
function offerTestResults(
  runs: AutomationRun[],
  units: ArmOutcome[],
  automationId: string,
  resamples?: number,
): OfferTestResults | null {
  // Runs are newest first.
  const latest = runs.find((r) => parseAutomationConfig(r.config).arms.length > 0);
  if (!latest || !units.length) return null;
  const arms = toArms(parseAutomationConfig(latest.config).arms);
  const keys = arms.map((a) => a.key);
  const summary = latest.summary as { allocation?: OfferTestResults["allocation"] };
  return {
    arms,
    comparison: compareArms(units, keys, { rng: mulberry32(seedFrom(`arms:${automationId}`)), resamples }),
    recommendation: recommendArms(units, keys, { rng: mulberry32(seedFrom(`recommend:${automationId}`)), resamples }),
    allocation: summary.allocation ?? null,
  };
}
