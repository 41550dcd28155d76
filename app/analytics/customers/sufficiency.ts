/**
 * Data-sufficiency meter: how far each output can be trusted for this shop, with the missing
 * requirement in words. Thresholds are rules of thumb from the estimation literature (a BG/NBD fit
 * needs dozens of repeat buyers to pin down the drop-out Beta; Gamma-Gamma needs repeat spend;
 * a backtest needs two horizons of history and enough buyers in each window), kept deliberately
 * simple so a merchant can act on them ("needs ≥ 50 repeat buyers; you have 12").
 */
import type { Order } from "../types";
import { dayIndex, lastObservedDay } from "./summary";

export type TrustLevel = "ok" | "limited" | "insufficient";

export interface OutputSufficiency {
  level: TrustLevel;
  /** Plain-language reasons; empty when level is "ok". */
  missing: string[];
  /** What the engine does instead when the level is not ok. */
  fallback?: string;
}

export interface Sufficiency {
  counts: {
    orders: number;
    customers: number;
    repeatBuyers: number;
    historySpanDays: number;
    skusWithSales: number;
  };
  outputs: {
    recommendations: OutputSufficiency;
    segments: OutputSufficiency;
    churn: OutputSufficiency;
    clv: OutputSufficiency;
    propensity: OutputSufficiency;
    backtest: OutputSufficiency;
  };
}

interface Requirement {
  label: string;
  have: number;
  ok: number;
  limited: number;
  unit?: string;
}

function judge(requirements: Requirement[], fallback?: string): OutputSufficiency {
  let level: TrustLevel = "ok";
  const missing: string[] = [];
  for (const req of requirements) {
    const unit = req.unit ? ` ${req.unit}` : "";
    if (req.have < req.limited) {
      level = "insufficient";
      missing.push(`needs ≥ ${req.limited}${unit} ${req.label}; you have ${req.have}`);
    } else if (req.have < req.ok) {
      if (level === "ok") level = "limited";
      missing.push(`works best with ≥ ${req.ok}${unit} ${req.label}; you have ${req.have}`);
    }
  }
  return level === "ok" ? { level, missing } : { level, missing, ...(fallback ? { fallback } : {}) };
}

/**
 * Counts are over orders strictly before `asOf`; a repeat buyer has purchases on ≥ 2 distinct
 * days (same-day orders are one transaction, as in the models).
 */
export function assessSufficiency(orders: readonly Order[], asOf: number, horizonDays = 90): Sufficiency {
  const days = new Map<string, Set<number>>();
  const skus = new Set<string>();
  let count = 0;
  let firstAt = Infinity;
  for (const o of orders ?? []) {
    if (!o || !Number.isFinite(o.at) || o.at >= asOf || !o.customer) continue;
    count++;
    firstAt = Math.min(firstAt, o.at);
    let s = days.get(o.customer);
    if (!s) days.set(o.customer, (s = new Set()));
    s.add(dayIndex(o.at));
    for (const line of o.lines ?? []) if (line && line.sku && line.quantity > 0) skus.add(line.sku);
  }
  let repeatBuyers = 0;
  for (const s of days.values()) if (s.size >= 2) repeatBuyers++;
  const span = count > 0 ? Math.max(0, lastObservedDay(asOf) - dayIndex(firstAt)) : 0;
  const h = Math.max(1, Math.round(horizonDays));
  const counts = { orders: count, customers: days.size, repeatBuyers, historySpanDays: span, skusWithSales: skus.size };

  const days_ = "days of order history";
  return {
    counts,
    outputs: {
      recommendations: judge(
        [
          { label: "orders", have: count, ok: 200, limited: 10 },
          { label: "products with sales", have: skus.size, ok: 10, limited: 2 },
        ],
        "best-sellers and the customer's own past purchases carry more weight than co-purchase patterns",
      ),
      segments: judge(
        [{ label: "customers", have: days.size, ok: 50, limited: 5 }],
        "RFM scores are relative to very few customers; clusters are skipped below 10 customers",
      ),
      churn: judge(
        [
          { label: "repeat buyers", have: repeatBuyers, ok: 50, limited: 5 },
          { label: days_, have: span, ok: h * 2, limited: Math.min(h, 30) },
        ],
        "BG/NBD is fitted with a weak prior that dominates the data; treat probabilities as rough",
      ),
      clv: judge(
        [{ label: "repeat buyers", have: repeatBuyers, ok: 50, limited: 10 }],
        "spend per order is the customer's own average shrunk towards the shop average instead of Gamma-Gamma",
      ),
      propensity: judge(
        [
          { label: "repeat buyers", have: repeatBuyers, ok: 100, limited: 10 },
          { label: days_, have: span, ok: h * 2, limited: h + 30 },
        ],
        "purchase probabilities come from BG/NBD alone (no trained, calibrated blend)",
      ),
      backtest: judge(
        [
          { label: "repeat buyers", have: repeatBuyers, ok: 200, limited: 20 },
          { label: days_, have: span, ok: h * 4, limited: h * 2 + 30 },
        ],
        "no backtest numbers are reported",
      ),
    },
  };
}
