import { pairedBootstrapDifference, type DifferenceInterval } from "../stats";
import type { Rng } from "../types";

/**
 * Per-shop model selection for one list (D31): every candidate — the tuned blend and each simple
 * model on its own — has a score per validation case; the one served is the *simplest* candidate
 * whose shortfall against the best is inside a paired bootstrap interval. A blend that wins by
 * noise on a few hundred cases therefore does not displace a simpler model that generalises as
 * well, and a clearly better blend is still served.
 */
export interface CandidateScore {
  model: string;
  /** Mean validation metric over the cases (the tuned blend's out of fold, see validation.ts). */
  score: number;
  /** best − this candidate, per case, with its paired bootstrap interval (zero for the best). */
  vsBest: DifferenceInterval;
}

export interface ListSelection {
  metric: string;
  cases: number;
  /** Highest mean validation score. */
  best: string;
  /** The model served: the simplest candidate not significantly worse than `best`. */
  chosen: string;
  /** Simplest first. */
  candidates: CandidateScore[];
}

/** Interval level of the selection rule (two-sided; a one-sided 5 % test that the best is better). */
export const SELECTION_LEVEL = 0.9;
export const SELECTION_RESAMPLES = 1000;

/**
 * `perCase` maps each candidate (in simplicity order, simplest first) to its per-case metric;
 * cases where any candidate is not finite (no truth for that case) are dropped for all.
 */
export function selectModel(metric: string, perCase: [string, ArrayLike<number>][], rng: Rng): ListSelection {
  const kept = finiteCases(perCase.map(([, v]) => v));
  const columns = perCase.map(([model, v]) => ({ model, values: Float64Array.from(kept, (i) => v[i]) }));
  const means = columns.map((c) => meanOf(c.values));
  let bestIndex = 0;
  // Strictly better to take the lead, so among exact ties the simpler model is the best.
  means.forEach((m, i) => {
    if (m > means[bestIndex] + 1e-12) bestIndex = i;
  });
  const best = columns[bestIndex];
  const candidates = columns.map((c, i) => ({
    model: c.model,
    score: means[i],
    vsBest:
      i === bestIndex
        ? { mean: 0, lo: 0, hi: 0, level: SELECTION_LEVEL, resamples: 0 }
        : pairedBootstrapDifference(best.values, c.values, rng, {
            level: SELECTION_LEVEL,
            resamples: SELECTION_RESAMPLES,
          }),
  }));
  const chosen = candidates.find((c) => !(c.vsBest.lo > 0)) ?? candidates[bestIndex];
  return { metric, cases: kept.length, best: best.model, chosen: chosen.model, candidates };
}

function finiteCases(columns: ArrayLike<number>[]): number[] {
  const n = Math.min(...columns.map((c) => c.length));
  const kept: number[] = [];
  for (let i = 0; i < n; i++) if (columns.every((c) => Number.isFinite(c[i]))) kept.push(i);
  return kept;
}

function meanOf(values: Float64Array): number {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i];
  return values.length > 0 ? s / values.length : 0;
}
