/**
 * Scores one customer from the parameters a run stored (`ScoreCustomersResult.fitted`), without a
 * refit: the input is that customer's own orders and the moment to score at. Matches the batch
 * row for the same asOf (tests/analytics/customers/predict.test.ts). This file owns what the
 * per-shop selection (D34) decides — pPurchase, next order, spend per period, value at stake;
 * rescore.ts (D36) adds the rest of the row (RFM, cluster, CLV band, explanation) on top of it.
 */
import type { Order } from "../types";
import { expectedTransactions, pAlive, probabilityOfPurchase, type BgNbdShape } from "./bgnbd";
import { spendModel, type ClvInput } from "./clv";
import type { GammaGammaParams } from "./gammaGamma";
import { predictLogistic } from "./logistic";
import { predictPropensity, stretchHorizon, type FittedPropensity } from "./model-selection";
import { nextOrderDays, type TimingLevels } from "./next-order";
import { applyPlatt } from "./calibration";
import { blendScore, propensityFeatures, type PropensityModel } from "./propensity";
import { clamp01, round } from "./special";
import { summarizeCustomers, WEEK_DAYS, type CustomerHistory } from "./summary";
import { isLapsed, spendPerPeriod, valueAtStake, worthWinBack } from "./value-at-stake";

/** Score ≥ k (k = 2..5) iff the customer's keyed value is strictly above `above[k − 2]`. */
export interface RelativeThresholds {
  /** Everyone had the same value: the dimension was uninformative and scored 3. */
  uniform: boolean;
  above: number[];
}

/** One draw of the CLV band: BG/NBD shape and, when Gamma-Gamma was drawn, its parameters. */
export interface ClvDraw {
  bg: BgNbdShape;
  gg: Pick<GammaGammaParams, "p" | "q" | "gamma"> | null;
}

/**
 * Everything needed to score one customer as the run did: plain JSON, stored once per run as
 * `ModelRun.params.fitted`. One value serves both `predictCustomer` and `rescoreCustomer`.
 */
export interface FittedCustomerModels {
  version: 2;
  /** Epoch ms of the run's asOf (on the engine's clock, see docs/customer-models.md). */
  asOf: number;
  horizonDays: number;
  bgnbd: BgNbdShape;
  spend: { gg: Pick<GammaGammaParams, "p" | "q" | "gamma"> | null; shopMeanDayValue: number };
  /** The model the shop's backtest selected (D34); absent when the history was too short for it. */
  propensity?: FittedPropensity;
  /**
   * Only without a selection: the calibrated logistic/BG-NBD blend pPurchase came from. Absent
   * too when pPurchase was raw BG/NBD (too little data to train).
   */
  blend?: {
    model: Pick<PropensityModel, "means" | "sds" | "logistic" | "blendWeight" | "platt">;
    /** Label window the model was trained on; ≠ horizonDays → stretched with `bgShort`. */
    trainDays: number;
    bgShort?: BgNbdShape;
  };
  timing: TimingLevels;
  /** valueAtStake at or above this (80th percentile among lapsed repeat buyers) reads "worth a win-back". */
  winBackThreshold: number;
  clvDraws: ClvDraw[];
  /** R is keyed by the last purchase day (later is better), so it stays valid as days pass. */
  rfm: { lastDay: RelativeThresholds; orders: RelativeThresholds; spend: RelativeThresholds };
  clusters?: { means: number[]; sds: number[]; centroids: number[][] };
}

export interface CustomerPrediction {
  pPurchase: number;
  nextOrder: { days: number; lowDays: number; highDays: number; value: number };
  spendPerPeriod: number;
  valueAtStake: number;
  lapsed: boolean;
  worthWinBack: boolean;
}

/** The unrounded facts behind a prediction, which rescore.ts also builds the row from. */
export interface HistoryPrediction {
  p: number;
  pAlive: number;
  expected: number;
  next: { mid: number; low: number; high: number };
  nextValue: number;
  perPeriod: number;
  stake: number;
  lapsed: boolean;
  worthWinBack: boolean;
}

export function clvInputOf(h: CustomerHistory): ClvInput {
  return {
    x: h.x,
    tx: h.tx,
    T: h.T,
    meanRepeatValue: h.meanRepeatValue,
    meanDayValue: h.purchaseDays.length ? h.totalSpend / h.purchaseDays.length : 0,
    purchaseDays: h.purchaseDays.length,
  };
}

/** pPurchase as the full run chose it: the selected model, else the blend, else raw BG/NBD. */
function purchaseProbability(f: FittedCustomerModels, h: CustomerHistory, pBg: number, alive: number, exp: number) {
  if (f.propensity) return predictPropensity(f.propensity, h);
  if (!f.blend) return pBg;
  const { model, trainDays, bgShort } = f.blend;
  const predict = (pB: number, al: number, ex: number) => {
    const x = propensityFeatures(h, al, ex).map((v, j) => (v - model.means[j]) / model.sds[j]);
    return applyPlatt(model.platt, blendScore(model.blendWeight, predictLogistic(model.logistic, x), pB));
  };
  if (trainDays === f.horizonDays || !bgShort) return predict(pBg, alive, exp);
  const t = trainDays / WEEK_DAYS;
  const pShort = probabilityOfPurchase(bgShort, h, t);
  const short = predict(pShort, pAlive(bgShort, h), expectedTransactions(bgShort, h, t));
  return stretchHorizon(short, pShort, pBg, f.horizonDays / trainDays);
}

export function predictHistory(fitted: FittedCustomerModels, h: CustomerHistory): HistoryPrediction {
  const H = fitted.horizonDays;
  const t = H / WEEK_DAYS;
  const pBg = probabilityOfPurchase(fitted.bgnbd, h, t);
  const alive = pAlive(fitted.bgnbd, h);
  const expected = expectedTransactions(fitted.bgnbd, h, t);
  const p = clamp01(purchaseProbability(fitted, h, pBg, alive, expected));
  const spend = spendModel(fitted.spend.gg, fitted.spend.shopMeanDayValue);
  const perPeriod = spendPerPeriod(h, H);
  const stake = valueAtStake(perPeriod, p);
  return {
    p,
    pAlive: alive,
    expected,
    next: nextOrderDays(fitted.bgnbd, h, H, fitted.timing),
    nextValue: spend.expected(clvInputOf(h)),
    perPeriod,
    stake,
    lapsed: isLapsed(h, H),
    worthWinBack: worthWinBack(h, stake, fitted.winBackThreshold, H),
  };
}

/** Null when the customer has no order before asOf. */
export function predictCustomer(
  fitted: FittedCustomerModels,
  customerOrders: readonly Order[],
  asOf: number,
): CustomerPrediction | null {
  const [h] = summarizeCustomers(customerOrders, asOf);
  if (!h) return null;
  const r = predictHistory(fitted, h);
  return {
    pPurchase: round(r.p),
    nextOrder: { days: r.next.mid, lowDays: r.next.low, highDays: r.next.high, value: round(r.nextValue, 2) },
    spendPerPeriod: round(r.perPeriod, 2),
    valueAtStake: round(r.stake, 2),
    lapsed: r.lapsed,
    worthWinBack: r.worthWinBack,
  };
}
