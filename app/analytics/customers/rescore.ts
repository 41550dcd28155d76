/**
 * Scoring one customer from a run's fitted parameters, without refitting (D36): a new order (or a
 * refund) changes that customer's history, and their score can follow within a second while the
 * full refit stays scheduled. `fitCustomerParams` captures, as plain JSON, everything the full run
 * used to score a customer; `rescoreCustomer` applies it to one customer's orders.
 *
 * At the run's own asOf, rescoring a customer of the run reproduces the run's row exactly (the
 * test in tests/analytics/customers/rescore.test.ts checks every customer of a generated shop).
 * Later, it approximates a refit: the population-relative parts (RFM thresholds, cluster
 * centroids and scaling, model parameters) stay those of the run; only this customer's facts move.
 */
import { expectedTransactions, type BgNbdShape } from "./bgnbd";
import { spendModel, type ClvInput } from "./clv";
import { explainCustomer } from "./explain";
import type { GammaGammaParams } from "./gammaGamma";
import type { FittedPropensity } from "./model-selection";
import type { TimingLevels } from "./next-order";
import {
  clvInputOf,
  predictHistory,
  type ClvDraw,
  type FittedCustomerModels,
  type RelativeThresholds,
} from "./predict";
import type { PropensityModel } from "./propensity";
import { rfmGroup, type RfmScore } from "./rfm";
import { clusterFeatures } from "./segments";
import { clamp01, round } from "./special";
import { summarizeCustomers, WEEK_DAYS, type CustomerHistory } from "./summary";
import type { CustomerScore, Order } from "../types";

export type { ClvDraw, RelativeThresholds } from "./predict";

/** What `scoreCustomers` hands over after its fits (internal state, not the reported model JSON). */
export interface FitState {
  asOf: number;
  horizonDays: number;
  histories: readonly CustomerHistory[];
  bg: BgNbdShape;
  gg: Pick<GammaGammaParams, "p" | "q" | "gamma"> | null;
  shopMeanDayValue: number;
  clvDraws: ClvDraw[];
  /** The blend pPurchase came from, only when there was no selection (D34). */
  blend?: { model: PropensityModel; trainDays: number; bgShort?: BgNbdShape };
  selected?: FittedPropensity;
  timing: TimingLevels;
  winBackThreshold: number;
  clusterLabels?: readonly number[];
}

const shape = (b: BgNbdShape): BgNbdShape => ({ r: b.r, alpha: b.alpha, a: b.a, b: b.b });

/**
 * The thresholds `relativeScores` implies: a value's score is 1 + ⌊5c/n⌋ (c = customers strictly
 * worse), so score ≥ k iff c ≥ ⌈(k−1)n/5⌉ iff the value is above the ⌈(k−1)n/5⌉-th smallest.
 */
export function relativeThresholds(values: readonly number[], higherIsBetter: boolean): RelativeThresholds {
  const keyed = values.map((v) => keyOf(v, higherIsBetter)).sort((p, q) => p - q);
  const n = keyed.length;
  if (n === 0 || keyed[0] === keyed[n - 1]) return { uniform: true, above: [] };
  const above = [2, 3, 4, 5].map((k) => keyed[Math.ceil(((k - 1) * n) / 5) - 1]);
  return { uniform: false, above };
}

function keyOf(v: number, higherIsBetter: boolean): number {
  return Number.isFinite(v) ? (higherIsBetter ? v : -v) : -Infinity;
}

export function relativeScore(t: RelativeThresholds, value: number, higherIsBetter = true): number {
  if (t.uniform) return 3;
  const v = keyOf(value, higherIsBetter);
  return 1 + t.above.filter((edge) => v > edge).length;
}

function lastDayOf(h: CustomerHistory): number {
  return h.purchaseDays[h.purchaseDays.length - 1];
}

/** Captures the run's fitted state as {@link FittedCustomerModels}. */
export function fitCustomerParams(s: FitState): FittedCustomerModels {
  const { histories } = s;
  return {
    version: 2,
    asOf: s.asOf,
    horizonDays: s.horizonDays,
    bgnbd: shape(s.bg),
    spend: { gg: s.gg ? { p: s.gg.p, q: s.gg.q, gamma: s.gg.gamma } : null, shopMeanDayValue: s.shopMeanDayValue },
    ...(s.selected ? { propensity: s.selected } : {}),
    ...(s.blend
      ? {
          blend: {
            model: {
              means: s.blend.model.means,
              sds: s.blend.model.sds,
              logistic: s.blend.model.logistic,
              blendWeight: s.blend.model.blendWeight,
              platt: s.blend.model.platt,
            },
            trainDays: s.blend.trainDays,
            ...(s.blend.bgShort ? { bgShort: shape(s.blend.bgShort) } : {}),
          },
        }
      : {}),
    timing: s.timing,
    winBackThreshold: s.winBackThreshold,
    clvDraws: s.clvDraws,
    rfm: {
      lastDay: relativeThresholds(histories.map(lastDayOf), true),
      orders: relativeThresholds(
        histories.map((h) => h.orderCount),
        true,
      ),
      spend: relativeThresholds(
        histories.map((h) => h.totalSpend),
        true,
      ),
    },
    ...(s.clusterLabels ? { clusters: clusterSpace(histories, s.clusterLabels) } : {}),
  };
}

/**
 * The k-means feature scaling and the centroids of the final assignment. Lloyd's loop stops when
 * no label changes, so the centroids it ends with are these member means, computed here in the
 * same order; an empty cluster (rare after k-means++) is left out — nobody was nearest to it.
 */
function clusterSpace(histories: readonly CustomerHistory[], labels: readonly number[]) {
  const raw = histories.map(clusterFeatures);
  const d = raw[0]?.length ?? 0;
  const means = new Array<number>(d).fill(0);
  const sds = new Array<number>(d).fill(0);
  for (const row of raw) for (let j = 0; j < d; j++) means[j] += row[j] / raw.length;
  for (const row of raw) for (let j = 0; j < d; j++) sds[j] += (row[j] - means[j]) ** 2 / raw.length;
  const scale = { means, sds: sds.map((v) => (v > 1e-12 ? Math.sqrt(v) : 1)) };
  const k = Math.max(...labels) + 1;
  const sums = Array.from({ length: k }, () => new Array<number>(d).fill(0));
  const counts = new Array<number>(k).fill(0);
  raw.forEach((row, i) => {
    counts[labels[i]]++;
    for (let j = 0; j < d; j++) sums[labels[i]][j] += (row[j] - scale.means[j]) / scale.sds[j];
  });
  const centroids = sums.map((s, c) => (counts[c] > 0 ? s.map((v) => v / counts[c]) : []));
  return { ...scale, centroids };
}

function nearestCentroid(c: NonNullable<FittedCustomerModels["clusters"]>, h: CustomerHistory): number {
  const z = clusterFeatures(h).map((v, j) => (v - c.means[j]) / c.sds[j]);
  let best = -1;
  let bestD = Infinity;
  c.centroids.forEach((centre, i) => {
    if (centre.length === 0) return;
    let dist = 0;
    for (let j = 0; j < z.length; j++) dist += (z[j] - centre[j]) ** 2;
    if (dist < bestD) {
      bestD = dist;
      best = i;
    }
  });
  return best;
}

function clvBand(f: FittedCustomerModels, c: ClvInput, expected: number, horizonWeeks: number) {
  const spend = spendModel(f.spend.gg, f.spend.shopMeanDayValue);
  const clv = expected * spend.expected(c);
  const samples = f.clvDraws.map((d) => {
    let s = spend;
    if (d.gg) {
      const drawn = spendModel(d.gg, f.spend.shopMeanDayValue);
      if (drawn.kind === "gamma-gamma") s = drawn;
    }
    const value = expectedTransactions(d.bg, c, horizonWeeks) * s.expected(c);
    return Number.isFinite(value) ? value : clv;
  });
  samples.sort((p, q) => p - q);
  const at = (q: number) => samples[Math.min(samples.length - 1, Math.max(0, Math.round(q * (samples.length - 1))))];
  return samples.length
    ? { clv, clvLow: Math.min(clv, at(0.1)), clvHigh: Math.max(clv, at(0.9)) }
    : { clv, clvLow: clv, clvHigh: clv };
}

/**
 * One customer's score record from fitted parameters: the same record `scoreCustomers` produces.
 * `orders` are this customer's orders (others are ignored); only those before `asOf` count. Null
 * when the customer has no order before `asOf` (the full run has no row for them either).
 */
export function rescoreCustomer(
  fitted: FittedCustomerModels,
  customer: string,
  orders: readonly Order[],
  asOf: number,
): CustomerScore | null {
  const own = orders.filter((o) => o.customer === customer);
  const h = summarizeCustomers(own, asOf)[0];
  if (!h) return null;
  // pPurchase, next order and value at stake come from predict.ts, the same code predictCustomer
  // runs, so the two never disagree; this adds the population-relative parts of the row.
  const r = predictHistory(fitted, h);
  const band = clvBand(fitted, clvInputOf(h), r.expected, fitted.horizonDays / WEEK_DAYS);
  const rfm: RfmScore = {
    r: relativeScore(fitted.rfm.lastDay, lastDayOf(h)),
    f: relativeScore(fitted.rfm.orders, h.orderCount),
    m: relativeScore(fitted.rfm.spend, h.totalSpend),
  };
  return {
    customer,
    segment: rfmGroup(rfm, h.orderCount),
    rfm,
    cluster: fitted.clusters ? nearestCentroid(fitted.clusters, h) : -1,
    pPurchase: round(r.p),
    expectedOrders: round(r.expected),
    pAlive: round(clamp01(r.pAlive)),
    clv: round(band.clv, 2),
    clvLow: round(band.clvLow, 2),
    clvHigh: round(band.clvHigh, 2),
    churnRisk: round(1 - r.p),
    explanation: explainCustomer(h, r.p, r.pAlive, fitted.horizonDays, {
      perPeriod: r.perPeriod,
      worthWinBack: r.worthWinBack,
    }),
    nextOrder: { days: r.next.mid, lowDays: r.next.low, highDays: r.next.high, value: round(r.nextValue, 2) },
    spendPerPeriod: round(r.perPeriod, 2),
    valueAtStake: round(r.stake, 2),
  };
}
