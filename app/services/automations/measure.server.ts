import type { AutomationAssignment, AutomationRun } from "@prisma/client";
import {
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
import { listAssignments, listRuns, ordersForOutcomes } from "../../models/automations";
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
  return { runs: out, pooled, pooledKnownCostShare: lines ? known / lines : 0, overTime };
}
