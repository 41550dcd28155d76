/**
 * Purchase propensity: BG/NBD, an L2 logistic regression on log-RFM features, and a per-shop blend
 * of the two, all judged on time-based snapshots (docs/contracts.md §5).
 *
 * Snapshots (H = horizon):   s₂ = asOf − 2H        s₁ = asOf − H          asOf
 *   backtest:   train on s₂ (labels: bought in [s₂, s₁)), predict at s₁, score vs [s₁, asOf)
 *   production: train on s₁ (labels: bought in [s₁, asOf)), predict at asOf
 * At each training snapshot the blend weight w and a Platt calibration are chosen on out-of-fold
 * logistic predictions, so the weight never sees the rows it is judged on.
 */
import type { Order, Rng } from "../types";
import { shuffled } from "../rng";
import { sum } from "../stats";
import { expectedTransactions, fitBgNbd, pAlive, probabilityOfPurchase, type BgNbdFit, type BgNbdShape } from "./bgnbd";
import { classificationReport, logLoss, type ClassificationReport } from "./metrics";
import { fitLogistic, predictLogistic, standardization, standardize, type LogisticModel } from "./logistic";
export type { PlattScaling } from "./calibration";
import { applyPlatt, fitPlatt, type PlattScaling } from "./calibration";
import { logit } from "./special";
import { buyersBetween, summarizeCustomers, WEEK_DAYS, type CustomerHistory } from "./summary";
import { DAY_MS } from "../time";

/** A scored cross-section of the customer base at one point in time. */
export interface Snapshot {
  at: number;
  histories: CustomerHistory[];
  bg: BgNbdFit;
  /** BG/NBD P(≥1 purchase within the horizon), P(alive), E[purchases in horizon]. */
  pBg: number[];
  alive: number[];
  expected: number[];
  features: number[][];
}

export const PROPENSITY_FEATURES = [
  "log1p(recency days)",
  "log1p(repeat purchase days)",
  "log1p(orders)",
  "log1p(mean purchase value)",
  "log1p(tenure days)",
  "log1p(mean gap days)",
  "log((recency+1)/(mean gap+1))",
  "one-time buyer",
  "logit(BG/NBD P(alive))",
  "log1p(BG/NBD expected purchases)",
] as const;

/** Feature row for one customer; see PROPENSITY_FEATURES for the meaning of each column. */
export function propensityFeatures(h: CustomerHistory, alive: number, expected: number): number[] {
  const days = h.purchaseDays.length;
  const meanValue = days > 0 ? h.totalSpend / days : 0;
  const gap = h.meanGapDays;
  return [
    Math.log1p(h.recencyDays),
    Math.log1p(h.x),
    Math.log1p(h.orderCount),
    Math.log1p(meanValue),
    Math.log1p(h.tenureDays),
    gap === null ? 0 : Math.log1p(gap),
    gap === null ? 0 : Math.log((h.recencyDays + 1) / (gap + 1)),
    gap === null ? 1 : 0,
    logit(alive),
    Math.log1p(expected),
  ];
}

/** Summaries, BG/NBD fit and features for all customers with an order before `at`. */
export function takeSnapshot(
  orders: readonly Order[],
  at: number,
  horizonDays: number,
  warmStart?: BgNbdShape,
): Snapshot {
  const histories = summarizeCustomers(orders, at);
  const bg = fitBgNbd(histories, warmStart);
  const t = horizonDays / WEEK_DAYS;
  const pBg = histories.map((h) => probabilityOfPurchase(bg, h, t));
  const alive = histories.map((h) => pAlive(bg, h));
  const expected = histories.map((h) => expectedTransactions(bg, h, t));
  const features = histories.map((h, i) => propensityFeatures(h, alive[i], expected[i]));
  return { at, histories, bg, pBg, alive, expected, features };
}

/** 1 when the customer bought in [from, to), else 0, aligned with the snapshot's histories. */
export function purchaseLabels(snap: Snapshot, orders: readonly Order[], from: number, to: number): number[] {
  const buyers = buyersBetween(orders, from, to);
  return snap.histories.map((h) => (buyers.has(h.customer) ? 1 : 0));
}

export interface PropensityModel {
  features: readonly string[];
  means: number[];
  sds: number[];
  logistic: Pick<LogisticModel, "intercept" | "coefficients" | "l2" | "converged">;
  /** Weight of the logistic score in the blend (1 − w on BG/NBD), in logit space. */
  blendWeight: number;
  platt: PlattScaling;
  trainingRows: number;
  trainingPositives: number;
  /** Out-of-fold log-loss of each candidate weight, for transparency in model.json. */
  weightLogLoss: Record<string, number>;
}

/** Ridge strength on standardised features; mild, mostly to keep tiny shops from separating. */
export const PROPENSITY_L2 = 1;
const MIN_CLASS_ROWS = 5;
const MIN_TRAINING_ROWS = 20;

export function canTrainPropensity(labels: readonly number[]): boolean {
  const positives = sum(labels);
  return (
    labels.length >= MIN_TRAINING_ROWS && positives >= MIN_CLASS_ROWS && labels.length - positives >= MIN_CLASS_ROWS
  );
}

export function blendScore(w: number, pLogistic: number, pBg: number): number {
  return w * logit(pLogistic) + (1 - w) * logit(pBg);
}

/**
 * Fits the logistic model on a training snapshot and picks the blend weight w ∈ {0, 0.1, …, 1} by
 * Platt-calibrated log-loss of out-of-fold (5-fold, rng-assigned) logistic scores blended with the
 * label-free BG/NBD probabilities. Returns null when the snapshot has too few of either class.
 */
export function trainPropensity(snap: Snapshot, labels: readonly number[], rng: Rng): PropensityModel | null {
  if (!canTrainPropensity(labels)) return null;
  const scale = standardization(snap.features);
  const X = standardize(snap.features, scale);
  const n = X.length;
  const folds = 5;
  const foldOf = new Array<number>(n);
  shuffled(
    X.map((_, i) => i),
    rng,
  ).forEach((row, k) => (foldOf[row] = k % folds));
  const oof = new Array<number>(n).fill(0.5);
  for (let f = 0; f < folds; f++) {
    const trainRows = X.flatMap((_, i) => (foldOf[i] === f ? [] : [i]));
    const trainLabels = trainRows.map((i) => labels[i]);
    if (!canTrainPropensity(trainLabels)) {
      for (let i = 0; i < n; i++) if (foldOf[i] === f) oof[i] = sum(trainLabels) / Math.max(1, trainLabels.length);
      continue;
    }
    const m = fitLogistic(
      trainRows.map((i) => X[i]),
      trainLabels,
      { l2: PROPENSITY_L2 },
    );
    for (let i = 0; i < n; i++) if (foldOf[i] === f) oof[i] = predictLogistic(m, X[i]);
  }
  const weightLogLoss: Record<string, number> = {};
  let bestW = 0;
  let bestLoss = Infinity;
  for (let step = 0; step <= 10; step++) {
    const w = step / 10;
    const scores = oof.map((p, i) => blendScore(w, p, snap.pBg[i]));
    const platt = fitPlatt(scores, labels);
    const loss = logLoss(
      scores.map((s) => applyPlatt(platt, s)),
      labels,
    );
    weightLogLoss[w.toFixed(1)] = Math.round(loss * 1e6) / 1e6;
    if (loss < bestLoss - 1e-9) {
      bestLoss = loss;
      bestW = w;
    }
  }
  const logistic = fitLogistic(X, labels, { l2: PROPENSITY_L2 });
  const platt = fitPlatt(
    oof.map((p, i) => blendScore(bestW, p, snap.pBg[i])),
    labels,
  );
  return {
    features: PROPENSITY_FEATURES,
    means: scale.means,
    sds: scale.sds,
    logistic: {
      intercept: logistic.intercept,
      coefficients: logistic.coefficients,
      l2: logistic.l2,
      converged: logistic.converged,
    },
    blendWeight: bestW,
    platt,
    trainingRows: n,
    trainingPositives: sum(labels),
    weightLogLoss,
  };
}

export interface PropensityPredictions {
  logistic: number[];
  blended: number[];
}

export function applyPropensity(model: PropensityModel, snap: Snapshot): PropensityPredictions {
  const X = standardize(snap.features, model);
  const logistic = X.map((row) => predictLogistic(model.logistic, row));
  const blended = logistic.map((p, i) => applyPlatt(model.platt, blendScore(model.blendWeight, p, snap.pBg[i])));
  return { logistic, blended };
}

export interface BacktestReport {
  /** ISO dates of the training snapshot, the evaluation snapshot and the end of its window. */
  trainedAt: string;
  evaluatedAt: string;
  windowEnd: string;
  horizonDays: number;
  blendWeight: number;
  bgnbd: ClassificationReport;
  logistic: ClassificationReport;
  blend: ClassificationReport;
  /** Sum of BG/NBD expected purchase days vs actual purchase days in the window. */
  expectedPurchases: number;
  actualPurchases: number;
}

/**
 * The honest per-shop backtest: everything is fitted with data before s₁ (labels up to s₁) and
 * scored on who bought in [s₁, asOf). `evaluation` is the snapshot at s₁, reused by the caller as
 * the production training snapshot.
 */
export function runBacktest(
  orders: readonly Order[],
  evaluation: Snapshot,
  horizonDays: number,
  rng: Rng,
  actualPurchaseDays: (from: number, to: number) => Map<string, number>,
): BacktestReport | null {
  const H = horizonDays * DAY_MS;
  const s1 = evaluation.at;
  const s2 = s1 - H;
  const train = takeSnapshot(orders, s2, horizonDays, evaluation.bg);
  const trainLabels = purchaseLabels(train, orders, s2, s1);
  const model = trainPropensity(train, trainLabels, rng);
  if (!model) return null;
  const evalLabels = purchaseLabels(evaluation, orders, s1, s1 + H);
  if (evalLabels.length < MIN_TRAINING_ROWS) return null;
  const predictions = applyPropensity(model, evaluation);
  const counts = actualPurchaseDays(s1, s1 + H);
  let actual = 0;
  for (const h of evaluation.histories) actual += counts.get(h.customer) ?? 0;
  const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  return {
    trainedAt: iso(s2),
    evaluatedAt: iso(s1),
    windowEnd: iso(s1 + H),
    horizonDays,
    blendWeight: model.blendWeight,
    bgnbd: classificationReport(evaluation.pBg, evalLabels),
    logistic: classificationReport(predictions.logistic, evalLabels),
    blend: classificationReport(predictions.blended, evalLabels),
    expectedPurchases: Math.round(sum(evaluation.expected) * 100) / 100,
    actualPurchases: actual,
  };
}
