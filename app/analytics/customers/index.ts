/**
 * Customer models entry point: BG/NBD churn and expected orders, Gamma-Gamma spend and CLV, RFM
 * groups, k-means clusters, a logistic/BG-NBD blended purchase propensity with a per-shop backtest,
 * and a data-sufficiency meter. Pure: time (`asOf`) and randomness (`rng`) are parameters.
 */
import type { BgNbdParams, CustomerScore, Order, Rng } from "../types";
import { sum } from "../stats";
import { BGNBD_LOG_PRIOR_SD, type BgNbdFit } from "./bgnbd";
import { computeClv, spendModel, type ClvInput } from "./clv";
import { fitGammaGamma, type GammaGammaFit, type SpendHistory } from "./gammaGamma";
import { classificationReport, type ClassificationReport } from "./metrics";
import {
  applyPropensity,
  purchaseLabels,
  runBacktest,
  takeSnapshot,
  trainPropensity,
  type BacktestReport,
  type PlattScaling,
  type Snapshot,
} from "./propensity";
import { RFM_RULES, rfmGroup, rfmScores, type RfmGroup, type RfmRule } from "./rfm";
import {
  clusterCustomers,
  summarizeClusters,
  summarizeSegments,
  type ClusterSummary,
  type ClusteringModel,
  type SegmentSummary,
} from "./segments";
import { clamp01, round } from "./special";
import { assessSufficiency, type Sufficiency } from "./sufficiency";
import { buyersBetween, purchaseDaysBetween, WEEK_DAYS } from "./summary";
import { explainCustomer } from "./explain";
import type { FittedCustomerModels } from "./predict";
import { predictPropensity, selectPropensity, stretchHorizon, type SelectionReport } from "./model-selection";
import {
  fitTiming,
  nextOrderDays,
  firstOrderDays,
  timingReport,
  type TimingLevels,
  type TimingReport,
} from "./next-order";
import { spendPerPeriod, valueAtStake, winBackThreshold, worthWinBack } from "./value-at-stake";
import { fitCustomerParams, type ClvDraw, type FitState } from "./rescore";
import { DAY_MS } from "../time";

export {
  fitBgNbd,
  bgnbdLogLikelihood,
  bgnbdCustomerLogLikelihood,
  pAlive,
  expectedTransactions,
  expectedTransactionsNewCustomer,
  probabilityOfPurchase,
} from "./bgnbd";
export type { RepeatHistory, BgNbdFit, BgNbdShape } from "./bgnbd";
export { fitGammaGamma, expectedAverageSpend, gammaGammaLogLikelihood } from "./gammaGamma";
export type { GammaGammaFit, GammaGammaParams, SpendHistory } from "./gammaGamma";
export { rfmScores, rfmGroup, relativeScores, fmScore, RFM_GROUPS, RFM_RULES } from "./rfm";
export type { RfmGroup, RfmRule, RfmScore } from "./rfm";
export { kmeans, silhouette, chooseK } from "./kmeans";
export { fitLogistic, predictLogistic } from "./logistic";
export type { LogisticModel } from "./logistic";
export { auc, prAuc, brier, logLoss, classificationReport } from "./metrics";
export type { ClassificationReport } from "./metrics";
export { assessSufficiency } from "./sufficiency";
export type { Sufficiency, TrustLevel, OutputSufficiency } from "./sufficiency";
export { summarizeCustomers } from "./summary";
export { rfmGroupsAt, rfmMovement, NEW_SINCE, type RfmMovement } from "./movement";
export type { CustomerHistory } from "./summary";
export type { SegmentSummary, ClusterSummary, ClusteringModel } from "./segments";
export type { BacktestReport } from "./propensity";
export { predictCustomer } from "./predict";
export type { CustomerPrediction, FittedCustomerModels } from "./predict";
export { fitAllCandidates, predictPropensity, selectPropensity } from "./model-selection";
export type { FittedPropensity, SelectionReport, CandidateReport } from "./model-selection";
export type { TimingReport, TimingLevels } from "./next-order";
export type { ReliabilityRow } from "./calibration";
export type { TreeSegment } from "./tree";
export { rescoreCustomer } from "./rescore";

export interface ScoreCustomersOptions {
  /** Epoch ms; only orders strictly before it are used. */
  asOf: number;
  horizonDays: number;
  rng: Rng;
  /** Orders after asOf, used only to report what really happened (never to fit). */
  laterOrders?: Order[];
}

/** Everything the models learned, JSON-serialisable for model.json. */
export interface CustomerModel {
  asOf: string;
  horizonDays: number;
  bgnbd: BgNbdParams & { n: number; timeUnit: "weeks"; logPriorSd: number };
  gammaGamma?: Pick<GammaGammaFit, "p" | "q" | "gamma" | "logLikelihood" | "n" | "populationMeanSpend">;
  spendModel: "gamma-gamma" | "shrunken-mean";
  clv: { horizonDays: number; discountRate: 0; band: "central 80% over parameter uncertainty"; draws: number };
  logistic?: {
    trainedAt: string;
    trainingHorizonDays?: number;
    horizonTransfer?: string;
    features: readonly string[];
    means: number[];
    sds: number[];
    intercept: number;
    coefficients: number[];
    l2: number;
    trainingRows: number;
    trainingPositives: number;
  };
  blend?: { weightLogistic: number; calibration: "platt"; platt: PlattScaling; weightLogLoss: Record<string, number> };
  /**
   * What pPurchase is: the model the shop's backtest selected (D34), else the calibrated
   * logistic/BG-NBD blend, or raw BG/NBD when there was too little data to train.
   */
  pPurchaseSource: "selected" | "blend" | "bgnbd";
  /** The per-shop propensity selection: every candidate's backtest, calibration, reliability, segments. */
  selection?: SelectionReport;
  /** Next-order timing: the recalibrated quantile levels and their honest one-horizon-earlier check. */
  nextOrder: { levels: TimingLevels; backtest?: TimingReport & { evaluatedAt: string } };
  backtest?: BacktestReport;
  /** Only with laterOrders: the delivered pPurchase scored against what happened after asOf. */
  holdout?: {
    pPurchase: ClassificationReport;
    bgnbd: ClassificationReport;
    expectedPurchases: number;
    actualPurchases: number;
    nextOrder: TimingReport;
  };
  rfm: { rules: readonly RfmRule[] };
  clusters?: ClusteringModel;
}

export interface ScoreCustomersResult {
  customers: CustomerScore[];
  model: CustomerModel;
  segments: SegmentSummary[];
  clusters: ClusterSummary[];
  sufficiency: Sufficiency;
  /** What scoring one customer later needs (predict.ts, rescore.ts), as plain JSON (D34, D36). */
  fitted: FittedCustomerModels;
}

const CLV_DRAWS = 40;
/** Shortest label window tried when the horizon is too long for the history (see scoreCustomers). */
const MIN_SHORT_TRAINING_DAYS = 14;

const MIN_GAMMA_GAMMA_CUSTOMERS = 10;
const iso = (ms: number) => (Number.isFinite(ms) ? new Date(ms).toISOString().slice(0, 10) : "");

function bgnbdJson(fit: BgNbdFit): CustomerModel["bgnbd"] {
  return {
    r: fit.r,
    alpha: fit.alpha,
    a: fit.a,
    b: fit.b,
    logLikelihood: fit.logLikelihood,
    n: fit.n,
    timeUnit: "weeks",
    logPriorSd: BGNBD_LOG_PRIOR_SD,
  };
}

/**
 * Scores every customer with ≥ 1 order before `asOf`. Never throws on sparse or odd data: each
 * model steps down to a documented fallback (see `sufficiency` and docs/customer-models.md).
 */
export function scoreCustomers(orders: Order[], opts: ScoreCustomersOptions): ScoreCustomersResult {
  const { asOf, rng, laterOrders } = opts;
  const horizonDays = Number.isFinite(opts.horizonDays) && opts.horizonDays >= 1 ? opts.horizonDays : 90;
  const H = horizonDays * DAY_MS;
  const input = Array.isArray(orders) ? orders : [];
  const sufficiency = assessSufficiency(input, asOf, horizonDays);

  // 1. BG/NBD at asOf.
  const now: Snapshot = takeSnapshot(input, asOf, horizonDays);
  const histories = now.histories;

  // 2. Propensity: train at asOf − H (labels = bought in [asOf − H, asOf)), backtest one horizon earlier.
  let pPurchase = now.pBg;
  let pPurchaseSource: CustomerModel["pPurchaseSource"] = "bgnbd";
  let logisticJson: CustomerModel["logistic"];
  let blendJson: CustomerModel["blend"];
  let backtest: BacktestReport | undefined;
  let fittedPropensity: FitState["blend"];
  if (histories.length >= 20) {
    // Train with the full horizon when the history allows it; otherwise (a shop asking for a
    // horizon longer than half its history — e.g. 39 weeks on 12 months of orders) with the
    // longest shorter window that has enough labelled customers of both kinds, halving from H.
    // The short-window model predicts P(order within h); it is stretched to the horizon H per
    // customer with BG/NBD's own horizon curve: P(none in H) = P(none in h)^k with
    // k = ln(1 − P_BG(H)) / ln(1 − P_BG(h)). Without this step such shops got raw BG/NBD only.
    let trainDays = horizonDays;
    let train = takeSnapshot(input, asOf - H, horizonDays, now.bg);
    let labels = purchaseLabels(train, input, asOf - H, asOf);
    let model = trainPropensity(train, labels, rng);
    for (let h = Math.floor(horizonDays / 2); !model && h >= MIN_SHORT_TRAINING_DAYS; h = Math.floor(h / 2)) {
      const snap = takeSnapshot(input, asOf - h * DAY_MS, h, now.bg);
      const snapLabels = purchaseLabels(snap, input, asOf - h * DAY_MS, asOf);
      const shortModel = trainPropensity(snap, snapLabels, rng);
      if (shortModel) {
        trainDays = h;
        train = snap;
        labels = snapLabels;
        model = shortModel;
      }
    }
    if (model) {
      fittedPropensity = { model, trainDays };
      if (trainDays === horizonDays) {
        pPurchase = applyPropensity(model, now).blended;
      } else {
        const nowShort = takeSnapshot(input, asOf, trainDays, now.bg);
        fittedPropensity.bgShort = nowShort.bg;
        const short = applyPropensity(model, nowShort).blended;
        pPurchase = short.map((p, i) => stretchHorizon(p, nowShort.pBg[i], now.pBg[i], horizonDays / trainDays));
      }
      pPurchaseSource = "blend";
      logisticJson = {
        trainedAt: iso(asOf - trainDays * DAY_MS),
        ...(trainDays !== horizonDays
          ? { trainingHorizonDays: trainDays, horizonTransfer: "BG/NBD per-customer: P(none in H) = P(none in h)^k" }
          : {}),
        features: model.features,
        means: model.means.map((v) => round(v)),
        sds: model.sds.map((v) => round(v)),
        intercept: round(model.logistic.intercept),
        coefficients: model.logistic.coefficients.map((v) => round(v)),
        l2: model.logistic.l2,
        trainingRows: model.trainingRows,
        trainingPositives: model.trainingPositives,
      };
      blendJson = {
        weightLogistic: model.blendWeight,
        calibration: "platt",
        platt: { intercept: round(model.platt.intercept), slope: round(model.platt.slope) },
        weightLogLoss: model.weightLogLoss,
      };
      if (trainDays === horizonDays) {
        backtest =
          runBacktest(input, train, horizonDays, rng, (from, to) => purchaseDaysBetween(input, from, to)) ?? undefined;
      }
    }
  }

  // 3. Spend and CLV.
  const spendData: SpendHistory[] = histories
    .filter((h) => h.x > 0 && h.meanRepeatValue !== null && h.meanRepeatValue > 0)
    .map((h) => ({ x: h.x, meanValue: h.meanRepeatValue! }));
  // Gamma-Gamma needs repeat spend from enough customers; below that the shrunken-mean fallback is used.
  const gg = spendData.length >= MIN_GAMMA_GAMMA_CUSTOMERS ? fitGammaGamma(spendData) : null;
  const totalDays = histories.reduce((s, h) => s + h.purchaseDays.length, 0);
  const shopMeanDayValue = totalDays > 0 ? histories.reduce((s, h) => s + h.totalSpend, 0) / totalDays : 0;
  const clvInputs: ClvInput[] = histories.map((h) => ({
    x: h.x,
    tx: h.tx,
    T: h.T,
    meanRepeatValue: h.meanRepeatValue,
    meanDayValue: h.purchaseDays.length ? h.totalSpend / h.purchaseDays.length : 0,
    purchaseDays: h.purchaseDays.length,
  }));
  const useGg = gg && gg.q > 1 ? gg : null;
  const clvDraws: ClvDraw[] = [];
  const clv = computeClv(clvInputs, now.bg, now.expected, useGg ? { ...useGg, spendData } : null, shopMeanDayValue, {
    horizonWeeks: horizonDays / WEEK_DAYS,
    rng,
    draws: CLV_DRAWS,
    onDraw: (bg, drawnGg) => clvDraws.push({ bg, gg: drawnGg }),
  });

  // 4. RFM groups and clusters.
  const scores = rfmScores(histories);
  const groups: RfmGroup[] = histories.map((h, i) => rfmGroup(scores[i], h.orderCount));
  const clustering = clusterCustomers(histories, rng);

  // 5. Per-shop model selection (D34), after the rng draws of the older steps so their outputs
  // stay as they were: the backtest's choice replaces the blend when the history allows it.
  const selected = histories.length >= 20 ? selectPropensity(input, asOf, horizonDays, now.bg, rng) : null;
  if (selected) {
    pPurchase = histories.map((h) => predictPropensity(selected.fitted, h));
    pPurchaseSource = "selected";
  }
  const timing = fitTiming(input, asOf, horizonDays, now.bg);
  const spend = spendModel(useGg, shopMeanDayValue);
  const perPeriod = histories.map((h) => spendPerPeriod(h, horizonDays));
  const stakes = histories.map((_, i) => valueAtStake(perPeriod[i], clamp01(pPurchase[i])));
  const winBackBar = winBackThreshold(histories, stakes, horizonDays);

  // 6. Rows.
  const customers: CustomerScore[] = histories.map((h, i) => {
    const p = clamp01(pPurchase[i]);
    const next = nextOrderDays(now.bg, h, horizonDays, timing.levels);
    return {
      customer: h.customer,
      segment: groups[i],
      rfm: scores[i],
      cluster: clustering ? clustering.labels[i] : -1,
      pPurchase: round(p),
      expectedOrders: round(now.expected[i]),
      pAlive: round(clamp01(now.alive[i])),
      clv: round(clv[i].clv, 2),
      clvLow: round(clv[i].clvLow, 2),
      clvHigh: round(clv[i].clvHigh, 2),
      churnRisk: round(1 - p),
      explanation: explainCustomer(h, p, now.alive[i], horizonDays, {
        perPeriod: perPeriod[i],
        worthWinBack: worthWinBack(h, stakes[i], winBackBar, horizonDays),
      }),
      nextOrder: {
        days: next.mid,
        lowDays: next.low,
        highDays: next.high,
        value: round(spend.expected(clvInputs[i]), 2),
      },
      spendPerPeriod: round(perPeriod[i], 2),
      valueAtStake: round(stakes[i], 2),
    };
  });

  // 7. Summaries and, with later orders, what actually happened.
  const later = Array.isArray(laterOrders) ? laterOrders : undefined;
  const buyers = later ? buyersBetween(later, asOf, asOf + H) : null;
  const rows = histories.map((h, i) => ({
    history: h,
    pPurchase: customers[i].pPurchase,
    expectedOrders: now.expected[i],
    clv: clv[i].clv,
    bought: buyers ? buyers.has(h.customer) : undefined,
  }));
  let holdout: CustomerModel["holdout"];
  if (later && buyers) {
    const labels = histories.map((h) => (buyers.has(h.customer) ? 1 : 0));
    const counts = purchaseDaysBetween(later, asOf, asOf + H);
    holdout = {
      pPurchase: classificationReport(
        customers.map((c) => c.pPurchase),
        labels,
      ),
      bgnbd: classificationReport(now.pBg, labels),
      expectedPurchases: round(sum(now.expected), 2),
      actualPurchases: histories.reduce((s, h) => s + (counts.get(h.customer) ?? 0), 0),
      nextOrder: timingReport(now.bg, histories, firstOrderDays(later, asOf, horizonDays), horizonDays, timing.levels),
    };
  }

  const model: CustomerModel = {
    asOf: iso(asOf),
    horizonDays,
    bgnbd: bgnbdJson(now.bg),
    ...(gg
      ? {
          gammaGamma: {
            p: gg.p,
            q: gg.q,
            gamma: gg.gamma,
            logLikelihood: gg.logLikelihood,
            n: gg.n,
            populationMeanSpend: gg.populationMeanSpend,
          },
        }
      : {}),
    spendModel: useGg ? "gamma-gamma" : "shrunken-mean",
    clv: { horizonDays, discountRate: 0, band: "central 80% over parameter uncertainty", draws: CLV_DRAWS },
    ...(logisticJson ? { logistic: logisticJson } : {}),
    ...(blendJson ? { blend: blendJson } : {}),
    pPurchaseSource,
    ...(selected ? { selection: selected.report } : {}),
    nextOrder: timing,
    ...(backtest ? { backtest } : {}),
    ...(holdout ? { holdout } : {}),
    rfm: { rules: RFM_RULES },
    ...(clustering ? { clusters: clustering.model } : {}),
  };

  const fitted = fitCustomerParams({
    asOf,
    horizonDays,
    histories,
    bg: now.bg,
    gg: useGg,
    shopMeanDayValue,
    clvDraws,
    blend: fittedPropensity && !selected ? fittedPropensity : undefined,
    selected: selected?.fitted,
    timing: timing.levels,
    winBackThreshold: winBackBar,
    clusterLabels: clustering?.labels,
  });

  return {
    customers,
    model,
    fitted,
    segments: summarizeSegments(rows, groups, !!later),
    clusters: summarizeClusters(rows, clustering, !!later),
    sufficiency,
  };
}
