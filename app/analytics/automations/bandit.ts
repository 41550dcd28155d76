import type { Rng } from "../types";
import type { ArmOutcome } from "./arm-measure";

/**
 * Learning what to offer (issue #18, D39): batch Thompson sampling over the posterior of margin
 * per treated customer of each arm, per segment with partial pooling. The holdout is outside the
 * bandit — its share is fixed — so only the treated customers' split between arms moves; each arm
 * keeps at least `floor` of it so a worse-looking arm can still prove otherwise.
 *
 * Posterior per (segment, arm): normal, centred on a precision-weighted blend of the segment's
 * weighted (Hájek) mean margin and the arm's mean over all segments, the latter acting as a prior
 * worth `priorCustomers` customers. A segment with little data therefore follows the pooled
 * answer; one with a lot follows its own. The allocation is P(arm is best), estimated from
 * `draws` posterior draws, mixed with the floor.
 */

export interface AllocationOptions {
  /** Minimum share of treated customers per arm (default 0.05). */
  floor?: number;
  /** Strength of the pooled prior, in customers (default 50). */
  priorCustomers?: number;
  /** Posterior draws for P(best) (default 4000). */
  draws?: number;
}

export interface Allocation {
  /** Share of treated customers per arm (same order as the arm keys), summing to 1. */
  pooled: number[];
  /** Per segment seen in the data; segments not listed use `pooled`. */
  bySegment: Record<string, number[]>;
  /** "equal" on the first run (no treated outcome yet), "learned" after. */
  source: "equal" | "learned";
}

interface Moments {
  mean: number;
  /** Variance of the weighted mean. */
  varMean: number;
  /** Kish effective sample size. */
  nEff: number;
}

/** Hájek mean of margin and its linearised variance. */
function moments(units: readonly ArmOutcome[]): Moments | null {
  if (units.length < 2) return null;
  let sw = 0;
  let swy = 0;
  let sw2 = 0;
  for (const u of units) {
    sw += u.weight;
    swy += u.weight * u.marginMinor;
    sw2 += u.weight * u.weight;
  }
  const mean = swy / sw;
  let v = 0;
  for (const u of units) v += u.weight * u.weight * (u.marginMinor - mean) ** 2;
  return { mean, varMean: Math.max(v / (sw * sw), 1e-6), nEff: (sw * sw) / sw2 };
}

/** A standard normal draw (Box–Muller) from the injected rng. */
function gaussian(rng: Rng): number {
  const u = Math.max(rng(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng());
}

/** P(best) per arm from normal posteriors, mixed with the floor. */
function thompsonShares(post: readonly { mean: number; sd: number }[], floor: number, draws: number, rng: Rng) {
  const wins = new Array<number>(post.length).fill(0);
  for (let d = 0; d < draws; d++) {
    let best = 0;
    let top = -Infinity;
    post.forEach((p, k) => {
      const v = p.mean + p.sd * gaussian(rng);
      if (v > top) {
        top = v;
        best = k;
      }
    });
    wins[best]++;
  }
  const f = Math.min(floor, 1 / post.length);
  return wins.map((w) => f + (1 - f * post.length) * (w / draws));
}

export function equalShares(arms: number): number[] {
  return new Array<number>(arms).fill(1 / arms);
}

/**
 * The next run's split of treated customers between `armKeys`, from the outcomes of earlier runs
 * (treated customers only; holdout rows are ignored). Equal while any arm has no outcome yet.
 */
export function allocateArms(
  units: readonly ArmOutcome[],
  armKeys: readonly string[],
  rng: Rng,
  opts: AllocationOptions = {},
): Allocation {
  const floor = opts.floor ?? 0.05;
  const prior = opts.priorCustomers ?? 50;
  const draws = opts.draws ?? 4000;
  const treated = units.filter((u) => u.arm === "TREATMENT");
  const pooledMoments = armKeys.map((k) => moments(treated.filter((u) => u.offerArm === k)));
  if (pooledMoments.some((m) => m === null))
    return { pooled: equalShares(armKeys.length), bySegment: {}, source: "equal" };
  const pooledPost = pooledMoments.map((m) => ({ mean: m!.mean, sd: Math.sqrt(m!.varMean) }));
  const bySegment: Record<string, number[]> = {};
  for (const segment of [...new Set(treated.map((u) => u.segment))].sort()) {
    const inSegment = treated.filter((u) => u.segment === segment);
    const post = armKeys.map((k, i) => {
      const pm = pooledMoments[i]!;
      // The prior: the arm's pooled mean, as uncertain as `prior` customers of its spread (plus its own error).
      const priorVar = (pm.varMean * pm.nEff) / prior + pm.varMean;
      const m = moments(inSegment.filter((u) => u.offerArm === k));
      if (!m) return { mean: pm.mean, sd: Math.sqrt(priorVar) };
      const precision = 1 / m.varMean + 1 / priorVar;
      return { mean: (m.mean / m.varMean + pm.mean / priorVar) / precision, sd: Math.sqrt(1 / precision) };
    });
    bySegment[segment] = thompsonShares(post, floor, draws, rng);
  }
  return { pooled: thompsonShares(pooledPost, floor, draws, rng), bySegment, source: "learned" };
}
