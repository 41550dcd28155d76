/**
 * Per-shop choice of the purchase-propensity model by a temporal backtest (D34), the same rule as
 * the recommendation lists (D31, `recs/selection.ts`).
 *
 *   s₂ = asOf − 2h        s₁ = asOf − h        asOf         (h = the label window, H or shorter)
 *   backtest:   every candidate trains on s₂ (labels: ordered in [s₂, s₁)), is scored at s₁
 *               against [s₁, asOf); served = the simplest one whose AUC shortfall against the
 *               best has a 90 % paired-bootstrap interval reaching 0
 *   production: the served candidate retrains on s₁ (labels [s₁, asOf)) and predicts at asOf —
 *               with a longer window when the history has room for one snapshot of it but not two
 * Calibration (Platt, or isotonic when it is clearly better on the backtest) is fitted on
 * out-of-fold scores of the training snapshot, so the reliability table on the backtest is honest.
 */
import type { Order, Rng } from "../types";
import { shuffled } from "../rng";
import { sum } from "../stats";
import { DAY_MS } from "../time";
import { selectModel } from "../recs/selection";
import { fitBgNbd, probabilityOfPurchase, type BgNbdShape } from "./bgnbd";
import {
  applyCalibration,
  fitCalibration,
  reliabilityTable,
  type Calibration,
  type ReliabilityRow,
} from "./calibration";
import { CANDIDATES, rawScore, type Candidate, type PropensityParams } from "./candidates";
import { customerFeatures, RICH_FEATURES } from "./features";
import { classificationReport, type ClassificationReport } from "./metrics";
import { canTrainPropensity } from "./propensity";
import { round } from "./special";
import { buyersBetween, summarizeCustomers, WEEK_DAYS, type CustomerHistory } from "./summary";
import { fitDecisionTree, treeSegments, type TreeSegment } from "./tree";

/** Everything needed to score one customer later: plain JSON, see `predictPropensity`. */
export interface FittedPropensity {
  version: 1;
  model: string;
  params: PropensityParams;
  calibration: Calibration;
  /** The horizon predicted and the label window trained on (shorter on short histories). */
  horizonDays: number;
  windowDays: number;
  /** BG/NBD fitted at asOf: its features and, for a short window, the horizon stretch. */
  bgnbd: BgNbdShape;
  features: readonly string[];
}

export interface CandidateReport extends ClassificationReport {
  model: string;
  description: string;
  /** best − this candidate's AUC, 90 % paired bootstrap over customers. */
  vsBest: { mean: number; lo: number; hi: number };
}

export interface SelectionReport {
  /** Label window of the backtest, and of the production fit (longer when one snapshot fits but two do not). */
  windowDays: number;
  productionWindowDays: number;
  trainedAt: string;
  evaluatedAt: string;
  windowEnd: string;
  metric: "auc";
  level: number;
  best: string;
  chosen: string;
  /** Backtest of every candidate, simplest first (Brier after each one's own Platt calibration). */
  candidates: CandidateReport[];
  calibration: { kind: Calibration["kind"]; brierPlatt: number | null; brierIsotonic: number | null };
  /** The served model, calibrated, on the backtest: predicted vs actual by decile. */
  reliability: ReliabilityRow[];
  /** Leaves of the decision tree retrained on the latest window, rates measured there. */
  segments: TreeSegment[];
}

export interface PropensitySelection {
  fitted: FittedPropensity;
  report: SelectionReport;
}

const MIN_SHORT_WINDOW_DAYS = 14;
const FOLDS = 3;
/** Isotonic replaces Platt only when it lowers the backtest Brier score by more than this share. */
const ISOTONIC_MARGIN = 0.005;
const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);

interface Labelled {
  histories: CustomerHistory[];
  bg: BgNbdShape;
  X: number[][];
  y: number[];
}

function labelled(orders: readonly Order[], at: number, windowDays: number, warm?: BgNbdShape): Labelled {
  const histories = summarizeCustomers(orders, at);
  const bg = fitBgNbd(histories, warm);
  const buyers = buyersBetween(orders, at, at + windowDays * DAY_MS);
  return {
    histories,
    bg,
    X: histories.map((h) => customerFeatures(h, bg, windowDays)),
    y: histories.map((h) => (buyers.has(h.customer) ? 1 : 0)),
  };
}

/**
 * AUC as a mean over customers (DeLong's placement values): a buyer contributes the share of
 * non-buyers scored below it, a non-buyer the share of buyers scored above it, each class scaled
 * to half the total — so the mean is exactly the AUC and `pairedBootstrapDifference` can resample
 * customers, keeping each model's scores for the same customer paired.
 */
export function aucContributions(scores: readonly number[], labels: readonly number[]): Float64Array {
  const n = scores.length;
  const pos = labels.reduce((s, v) => s + (v > 0 ? 1 : 0), 0);
  const neg = n - pos;
  const out = new Float64Array(n).fill(NaN);
  if (pos === 0 || neg === 0) return out;
  const order = scores.map((_, i) => i).sort((a, b) => scores[a] - scores[b]);
  let posBelow = 0;
  let negBelow = 0;
  for (let i = 0; i < n;) {
    let j = i;
    while (j + 1 < n && scores[order[j + 1]] === scores[order[i]]) j++;
    let gp = 0;
    for (let k = i; k <= j; k++) if (labels[order[k]] > 0) gp++;
    const gn = j - i + 1 - gp;
    for (let k = i; k <= j; k++) {
      const idx = order[k];
      out[idx] =
        labels[idx] > 0
          ? ((negBelow + gn / 2) / neg) * (n / (2 * pos))
          : ((pos - posBelow - gp + gp / 2) / pos) * (n / (2 * neg));
    }
    posBelow += gp;
    negBelow += gn;
    i = j + 1;
  }
  return out;
}

/** Rng-assigned folds, shared by every candidate so their out-of-fold scores are paired. */
function foldsOf(n: number, rng: Rng): number[] {
  const fold = new Array<number>(n);
  shuffled(
    Array.from({ length: n }, (_, i) => i),
    rng,
  ).forEach((row, k) => (fold[row] = k % FOLDS));
  return fold;
}

/**
 * Out-of-fold log-odds scores of each candidate. Per fold the training rows are one array shared
 * by all candidates, so the blend reuses the logistic and boosted fits (`memoFit` in
 * candidates.ts) instead of refitting them.
 */
function outOfFold(cs: readonly Candidate[], X: readonly number[][], y: readonly number[], rng: Rng): number[][] {
  const n = X.length;
  const fold = foldsOf(n, rng);
  const out = cs.map(() => new Array<number>(n).fill(0));
  for (let f = 0; f < FOLDS; f++) {
    const rows = X.flatMap((_, i) => (fold[i] === f ? [] : [i]));
    const tx = rows.map((i) => X[i]);
    const ty = rows.map((i) => y[i]);
    const trainable = canTrainPropensity(ty);
    const rate = Math.min(0.999, Math.max(0.001, sum(ty) / Math.max(1, ty.length)));
    cs.forEach((c, k) => {
      const params = trainable ? c.fit(tx, ty) : null;
      for (let i = 0; i < n; i++)
        if (fold[i] === f) out[k][i] = params ? rawScore(params, X[i]) : Math.log(rate / (1 - rate));
    });
  }
  return out;
}

/** The longest label window (H, H/2, … ≥ 14 days) whose two snapshots both have trainable labels. */
function backtestPair(orders: readonly Order[], asOf: number, horizonDays: number, warm: BgNbdShape) {
  for (let h = horizonDays; h >= MIN_SHORT_WINDOW_DAYS; h = Math.floor(h / 2)) {
    const s1 = asOf - h * DAY_MS;
    const train = labelled(orders, s1 - h * DAY_MS, h, warm);
    if (train.histories.length < 20 || !canTrainPropensity(train.y)) continue;
    const evaluation = labelled(orders, s1, h, train.bg);
    if (!canTrainPropensity(evaluation.y)) continue;
    return { h, s1, train, evaluation };
  }
  return null;
}

/**
 * The production training snapshot: the longest window (H, H/2, … down to the backtest's) with
 * trainable labels at asOf − window. A backtest needs two windows of history, production one, so
 * a shop with less than 2H of history still trains on the longest label window it has.
 */
function latestSnapshot(
  orders: readonly Order[],
  asOf: number,
  horizonDays: number,
  pair: NonNullable<ReturnType<typeof backtestPair>>,
): { days: number; data: Labelled } {
  for (let d = horizonDays; d > pair.h; d = Math.floor(d / 2)) {
    const data = labelled(orders, asOf - d * DAY_MS, d, pair.evaluation.bg);
    if (data.histories.length >= 20 && canTrainPropensity(data.y)) return { days: d, data };
  }
  return { days: pair.h, data: pair.evaluation };
}

/**
 * Runs the backtest, picks and calibrates the model, retrains it on the latest window. Null when
 * no window has enough buyers and non-buyers at two snapshots (the caller keeps the older blend).
 */
export function selectPropensity(
  orders: readonly Order[],
  asOf: number,
  horizonDays: number,
  bgNow: BgNbdShape,
  rng: Rng,
): PropensitySelection | null {
  const pair = backtestPair(orders, asOf, horizonDays, bgNow);
  if (!pair) return null;
  const { h, s1, train, evaluation } = pair;
  const oofs = outOfFold(CANDIDATES, train.X, train.y, rng);
  const perCandidate = CANDIDATES.map((c, k) => {
    const params = c.fit(train.X, train.y);
    const scores = evaluation.X.map((x) => rawScore(params, x));
    const platt = fitCalibration("platt", oofs[k], train.y);
    return { c, scores, oof: oofs[k], platt };
  });
  const selection = selectModel(
    "auc",
    perCandidate.map((p) => [p.c.name, aucContributions(p.scores, evaluation.y)]),
    rng,
  );
  const winner = perCandidate.find((p) => p.c.name === selection.chosen)!;
  const isotonic = fitCalibration("isotonic", winner.oof, train.y);
  const calibrated = (cal: Calibration) => winner.scores.map((s) => applyCalibration(cal, s));
  const brierPlatt = classificationReport(calibrated(winner.platt), evaluation.y).brier;
  const brierIsotonic = classificationReport(calibrated(isotonic), evaluation.y).brier;
  const kind: Calibration["kind"] =
    brierPlatt !== null && brierIsotonic !== null && brierIsotonic < brierPlatt * (1 - ISOTONIC_MARGIN)
      ? "isotonic"
      : "platt";
  const backtestCalibration = kind === "platt" ? winner.platt : isotonic;

  const latest = latestSnapshot(orders, asOf, horizonDays, pair);
  const fitted = fitOnLatest(winner.c, kind, latest.data, horizonDays, latest.days, bgNow, rng);
  const tree = fitDecisionTree(latest.data.X, latest.data.y);
  const report: SelectionReport = {
    windowDays: h,
    productionWindowDays: latest.days,
    trainedAt: iso(s1 - h * DAY_MS),
    evaluatedAt: iso(s1),
    windowEnd: iso(asOf),
    metric: "auc",
    level: 0.9,
    best: selection.best,
    chosen: selection.chosen,
    candidates: perCandidate.map((p, i) => ({
      model: p.c.name,
      description: p.c.description,
      ...classificationReport(
        p.scores.map((s) => applyCalibration(p.platt, s)),
        evaluation.y,
      ),
      auc: round(sum(aucContributions(p.scores, evaluation.y)) / evaluation.y.length),
      vsBest: {
        mean: round(selection.candidates[i].vsBest.mean),
        lo: round(selection.candidates[i].vsBest.lo),
        hi: round(selection.candidates[i].vsBest.hi),
      },
    })),
    calibration: { kind, brierPlatt, brierIsotonic },
    reliability: reliabilityTable(calibrated(backtestCalibration), evaluation.y),
    segments: treeSegments(tree, RICH_FEATURES, latest.data.X, latest.data.y),
  };
  return { fitted, report };
}

/** Production fit: the candidate retrained on the latest window, calibrated out of fold. */
function fitOnLatest(
  c: Candidate,
  kind: Calibration["kind"],
  latest: Labelled,
  horizonDays: number,
  windowDays: number,
  bgNow: BgNbdShape,
  rng: Rng,
): FittedPropensity {
  return {
    version: 1,
    model: c.name,
    params: c.fit(latest.X, latest.y),
    calibration: fitCalibration(kind, outOfFold([c], latest.X, latest.y, rng)[0], latest.y),
    horizonDays,
    windowDays,
    bgnbd: { r: bgNow.r, alpha: bgNow.alpha, a: bgNow.a, b: bgNow.b },
    features: RICH_FEATURES.map((f) => f.name),
  };
}

/**
 * For the benchmark's held-out check: every candidate fitted exactly as production would fit it
 * (latest window, Platt out of fold), so each can be scored on what happened after asOf.
 */
export function fitAllCandidates(
  orders: readonly Order[],
  asOf: number,
  horizonDays: number,
  bgNow: BgNbdShape,
  rng: Rng,
): FittedPropensity[] {
  const pair = backtestPair(orders, asOf, horizonDays, bgNow);
  if (!pair) return [];
  const latest = latestSnapshot(orders, asOf, horizonDays, pair);
  return CANDIDATES.map((c) => fitOnLatest(c, "platt", latest.data, horizonDays, latest.days, bgNow, rng));
}

/**
 * Stretches P(≥1 order within h) to the horizon H with BG/NBD's per-customer horizon curve:
 * P(none in H) = P(none in h)^k, k = ln(1 − P_BG(H)) / ln(1 − P_BG(h)) (k = H/h, a constant hazard,
 * when BG/NBD gives no usable curve).
 */
export function stretchHorizon(p: number, pBgShort: number, pBgLong: number, ratio: number): number {
  const q = Math.min(Math.max(1 - p, 1e-12), 1);
  const short = Math.log1p(-Math.min(pBgShort, 1 - 1e-12));
  const long = Math.log1p(-Math.min(pBgLong, 1 - 1e-12));
  const k = short < -1e-12 && Number.isFinite(long) ? Math.max(1, long / short) : ratio;
  return 1 - Math.pow(q, k);
}

/**
 * P(order within the horizon) for one customer from stored parameters: their history summarised at
 * asOf (`summarizeCustomers` on that customer's orders alone gives the same row), nothing else.
 */
export function predictPropensity(fitted: FittedPropensity, history: CustomerHistory): number {
  const p = applyCalibration(
    fitted.calibration,
    rawScore(fitted.params, customerFeatures(history, fitted.bgnbd, fitted.windowDays)),
  );
  if (fitted.windowDays >= fitted.horizonDays) return p;
  const pShort = probabilityOfPurchase(fitted.bgnbd, history, fitted.windowDays / WEEK_DAYS);
  const pLong = probabilityOfPurchase(fitted.bgnbd, history, fitted.horizonDays / WEEK_DAYS);
  return stretchHorizon(p, pShort, pLong, fitted.horizonDays / fitted.windowDays);
}
