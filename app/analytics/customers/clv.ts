/**
 * Customer lifetime value over the scoring horizon = E[orders in horizon] (BG/NBD) × E[spend per
 * order] (Gamma-Gamma), FHL 2005 "RFM and CLV". Undiscounted: the horizon is a few months, where a
 * typical 10 %/year discount rate changes values by ~2 %, less than the model's own uncertainty.
 *
 * The band (clvLow, clvHigh) is the central 80 % interval over parameter uncertainty: log-parameters
 * of both fits are drawn from their Laplace approximations with the injected rng and each
 * customer's CLV is recomputed per draw. It answers "how sure is the model about this customer's
 * expected value", not "how much could this customer spend" (individual outcomes vary far more).
 */
import type { Rng } from "../types";
import { bgnbdObjective, expectedTransactions, type BgNbdShape, type RepeatHistory } from "./bgnbd";
import {
  expectedAverageSpend,
  gammaGammaObjective,
  usableSpendHistories,
  type GammaGammaParams,
  type SpendHistory,
} from "./gammaGamma";
import { drawLogParameters, laplaceApproximation } from "./uncertainty";

export interface ClvInput extends RepeatHistory {
  /** Mean value of repeat purchase days (major units) or null. */
  meanRepeatValue: number | null;
  /** Mean value over all purchase days, major units (used by the fallback spend model). */
  meanDayValue: number;
  purchaseDays: number;
}

export interface ClvResult {
  expectedSpend: number;
  clv: number;
  clvLow: number;
  clvHigh: number;
}

export interface SpendModel {
  kind: "gamma-gamma" | "shrunken-mean";
  expected(c: ClvInput): number;
}

/**
 * Gamma-Gamma when it was fitted with a finite population mean; otherwise an explicit fallback:
 * the customer's own mean purchase value shrunk towards the shop mean with weight n/(n+2) (n =
 * purchase days), so a single big order does not dominate.
 */
export function spendModel(
  gg: Pick<GammaGammaParams, "p" | "q" | "gamma"> | null,
  shopMeanDayValue: number,
): SpendModel {
  if (gg && gg.q > 1) {
    return { kind: "gamma-gamma", expected: (c) => expectedAverageSpend(gg, { x: c.x, meanValue: c.meanRepeatValue }) };
  }
  return {
    kind: "shrunken-mean",
    expected: (c) => (c.purchaseDays * c.meanDayValue + 2 * shopMeanDayValue) / (c.purchaseDays + 2),
  };
}

export interface ClvBandOptions {
  horizonWeeks: number;
  rng: Rng;
  /** Parameter draws for the band; 40 keeps 4k customers well under a second. */
  draws?: number;
  /** Receives each parameter draw, so one customer can be re-scored with the same band (rescore.ts). */
  onDraw?: (bg: BgNbdShape, gg: Pick<GammaGammaParams, "p" | "q" | "gamma"> | null) => void;
}

export function computeClv(
  customers: readonly ClvInput[],
  bg: BgNbdShape,
  expectedOrders: readonly number[],
  gg: (Pick<GammaGammaParams, "p" | "q" | "gamma"> & { spendData: SpendHistory[] }) | null,
  shopMeanDayValue: number,
  options: ClvBandOptions,
): ClvResult[] {
  const { horizonWeeks, rng, draws = 40 } = options;
  const spend = spendModel(gg, shopMeanDayValue);
  const point = customers.map((c, i) => {
    const s = spend.expected(c);
    return { expectedSpend: s, clv: expectedOrders[i] * s };
  });
  if (customers.length === 0) return [];
  const bgDist = laplaceApproximation(bgnbdObjective(customers), [
    Math.log(bg.r),
    Math.log(bg.alpha),
    Math.log(bg.a),
    Math.log(bg.b),
  ]);
  const ggData = gg ? usableSpendHistories(gg.spendData) : [];
  const ggDist =
    gg && spend.kind === "gamma-gamma" && ggData.length >= 2
      ? laplaceApproximation(gammaGammaObjective(ggData), [Math.log(gg.p), Math.log(gg.q), Math.log(gg.gamma)])
      : null;
  const samples: Float64Array[] = customers.map(() => new Float64Array(draws));
  for (let d = 0; d < draws; d++) {
    const v = drawLogParameters(bgDist, rng);
    const bgDraw: BgNbdShape = { r: Math.exp(v[0]), alpha: Math.exp(v[1]), a: Math.exp(v[2]), b: Math.exp(v[3]) };
    let spendDraw = spend;
    let ggDraw: Pick<GammaGammaParams, "p" | "q" | "gamma"> | null = null;
    if (ggDist) {
      const w = drawLogParameters(ggDist, rng);
      ggDraw = { p: Math.exp(w[0]), q: Math.exp(w[1]), gamma: Math.exp(w[2]) };
      spendDraw = spendModel(ggDraw, shopMeanDayValue);
      if (spendDraw.kind !== "gamma-gamma") spendDraw = spend;
    }
    options.onDraw?.(bgDraw, ggDraw);
    for (let i = 0; i < customers.length; i++) {
      const value = expectedTransactions(bgDraw, customers[i], horizonWeeks) * spendDraw.expected(customers[i]);
      samples[i][d] = Number.isFinite(value) ? value : point[i].clv;
    }
  }
  return point.map((pt, i) => {
    const sorted = Array.from(samples[i]).sort((p, q) => p - q);
    const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.round(q * (sorted.length - 1))))];
    return {
      expectedSpend: pt.expectedSpend,
      clv: pt.clv,
      clvLow: Math.min(pt.clv, at(0.1)),
      clvHigh: Math.max(pt.clv, at(0.9)),
    };
  });
}
