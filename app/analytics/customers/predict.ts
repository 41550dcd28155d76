/**
 * Scores one customer from the parameters a run stored (`ScoreCustomersResult.fitted`), without a
 * refit: the input is that customer's own orders and the moment to score at. Matches the batch
 * row for the same asOf (tests/analytics/customers/predict.test.ts).
 */
import type { Order } from "../types";
import { probabilityOfPurchase, type BgNbdShape } from "./bgnbd";
import { spendModel } from "./clv";
import { predictPropensity, type FittedPropensity } from "./model-selection";
import { nextOrderDays, type TimingLevels } from "./next-order";
import { clamp01, round } from "./special";
import { summarizeCustomers, WEEK_DAYS } from "./summary";
import { isLapsed, spendPerPeriod, valueAtStake, worthWinBack } from "./value-at-stake";

/** Plain-JSON parameters that score one customer from their own orders; stored with the run. */
export interface FittedCustomerModels {
  asOf: string;
  horizonDays: number;
  /** Absent when the shop had too little history for the selection (pPurchase is then the blend/BG-NBD). */
  propensity?: FittedPropensity;
  bgnbd: BgNbdShape;
  timing: TimingLevels;
  spend:
    { kind: "gamma-gamma"; p: number; q: number; gamma: number } | { kind: "shrunken-mean"; shopMeanDayValue: number };
  /** valueAtStake at or above this (80th percentile among lapsed repeat buyers) reads "worth a win-back". */
  winBackThreshold: number;
}

export interface CustomerPrediction {
  pPurchase: number;
  nextOrder: { days: number; lowDays: number; highDays: number; value: number };
  spendPerPeriod: number;
  valueAtStake: number;
  lapsed: boolean;
  worthWinBack: boolean;
}

/** Null when the customer has no order before asOf. */
export function predictCustomer(
  fitted: FittedCustomerModels,
  customerOrders: readonly Order[],
  asOf: number,
): CustomerPrediction | null {
  const [h] = summarizeCustomers(customerOrders, asOf);
  if (!h) return null;
  const H = fitted.horizonDays;
  const p = clamp01(
    fitted.propensity ? predictPropensity(fitted.propensity, h) : probabilityOfPurchase(fitted.bgnbd, h, H / WEEK_DAYS),
  );
  const next = nextOrderDays(fitted.bgnbd, h, H, fitted.timing);
  const spend = spendModel(
    fitted.spend.kind === "gamma-gamma" ? fitted.spend : null,
    fitted.spend.kind === "shrunken-mean" ? fitted.spend.shopMeanDayValue : 0,
  );
  const perPeriod = spendPerPeriod(h, H);
  const stake = valueAtStake(perPeriod, p);
  const lapsed = isLapsed(h, H);
  const value = spend.expected({
    x: h.x,
    tx: h.tx,
    T: h.T,
    meanRepeatValue: h.meanRepeatValue,
    meanDayValue: h.purchaseDays.length ? h.totalSpend / h.purchaseDays.length : 0,
    purchaseDays: h.purchaseDays.length,
  });
  return {
    pPurchase: round(p),
    nextOrder: { days: next.mid, lowDays: next.low, highDays: next.high, value: round(value, 2) },
    spendPerPeriod: round(perPeriod, 2),
    valueAtStake: round(stake, 2),
    lapsed,
    worthWinBack: worthWinBack(h, stake, fitted.winBackThreshold, H),
  };
}
