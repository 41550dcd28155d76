/**
 * Segment (RFM group) and cluster summaries, and the k-means feature space with human labels.
 */
import type { Rng } from "../types";
import { chooseK, kmeans, strideSample, type ChooseKResult } from "./kmeans";
import { standardization, standardize } from "./logistic";
import { RFM_GROUPS, type RfmGroup } from "./rfm";
import { median } from "../stats";
import { round } from "./special";
import type { CustomerHistory } from "./summary";

export const CLUSTER_FEATURES = [
  "log1p(recency days)",
  "log1p(orders)",
  "log1p(total spend)",
  "log1p(tenure days)",
] as const;

export function clusterFeatures(h: CustomerHistory): number[] {
  return [Math.log1p(h.recencyDays), Math.log1p(h.orderCount), Math.log1p(h.totalSpend), Math.log1p(h.tenureDays)];
}

export interface ClusterSummary {
  cluster: number;
  /** Short human label, e.g. "frequent high spenders, recent". */
  label: string;
  /** Medians in plain units. */
  description: string;
  size: number;
  share: number;
  revenueShare: number;
  medians: { recencyDays: number; orders: number; totalSpend: number; tenureDays: number };
  meanPPurchase: number;
  /** Share of the cluster that ordered in (asOf, asOf + horizon], only with later orders. */
  nextPeriodPurchaseRate?: number;
}

export interface SegmentSummary {
  segment: RfmGroup;
  size: number;
  share: number;
  revenueShare: number;
  meanPPurchase: number;
  expectedOrders: number;
  clv: number;
  nextPeriodPurchaseRate?: number;
}

export interface ClusteringModel {
  k: number;
  silhouette: number;
  silhouetteByK: Record<number, number>;
  features: readonly string[];
  means: number[];
  sds: number[];
  /** Centroids in standardised feature space. */
  centroids: number[][];
}

export interface Clustering {
  labels: number[];
  model: ClusteringModel;
}

/** Standardised log features → k-means with k chosen by silhouette. Null below 10 customers. */
export function clusterCustomers(histories: readonly CustomerHistory[], rng: Rng): Clustering | null {
  if (histories.length < 10) return null;
  const raw = histories.map(clusterFeatures);
  const scale = standardization(raw);
  const X = standardize(raw, scale);
  // k is chosen on an evenly spaced sample (≤ 1000 customers); the chosen k is then fitted on all.
  const sample = strideSample(X.length, 1000);
  const choice: ChooseKResult | null = chooseK(
    sample.map((i) => X[i]),
    rng,
    { kMin: 2, kMax: 8, sampleSize: 800 },
  );
  if (!choice) return null;
  const fit = sample.length === X.length ? choice : { ...choice, ...kmeans(X, choice.k, rng) };
  return {
    labels: fit.labels,
    model: {
      k: fit.k,
      silhouette: round(fit.silhouette),
      silhouetteByK: Object.fromEntries(Object.entries(fit.silhouetteByK).map(([k, v]) => [k, round(v)])),
      features: CLUSTER_FEATURES,
      means: scale.means.map((v) => round(v)),
      sds: scale.sds.map((v) => round(v)),
      centroids: fit.centroids.map((c) => c.map((v) => round(v))),
    },
  };
}

/** Words for a standardised centroid: recency, frequency and spend relative to the shop. */
export function describeCentroid(z: readonly number[], medianOrders: number): string {
  const [recency, orders, spend, tenure] = z;
  const frequency = medianOrders <= 1 ? "one-time buyers" : orders > 0.5 ? "frequent buyers" : "occasional buyers";
  const spendWord = spend > 0.5 ? "high-spending" : spend < -0.5 ? "low-spending" : "mid-spending";
  const parts = [`${spendWord} ${frequency}`];
  if (recency < -0.5) parts.push("bought recently");
  else if (recency > 0.5) parts.push("lapsed");
  if (tenure < -0.7) parts.push("new");
  else if (tenure > 0.7) parts.push("long-standing");
  return parts.join(", ");
}

interface Row {
  history: CustomerHistory;
  pPurchase: number;
  expectedOrders: number;
  clv: number;
  bought?: boolean;
}

function shareOf(part: number, whole: number): number {
  return whole > 0 ? round(part / whole, 4) : 0;
}

export function summarizeClusters(
  rows: readonly Row[],
  clustering: Clustering | null,
  withLater: boolean,
): ClusterSummary[] {
  if (!clustering) return [];
  const totalRevenue = rows.reduce((s, r) => s + r.history.totalSpend, 0);
  const out: ClusterSummary[] = [];
  const seen = new Map<string, number>();
  for (let c = 0; c < clustering.model.k; c++) {
    const members = rows.filter((_, i) => clustering.labels[i] === c);
    if (members.length === 0) continue;
    const medians = {
      recencyDays: median(members.map((m) => m.history.recencyDays)),
      orders: median(members.map((m) => m.history.orderCount)),
      totalSpend: round(median(members.map((m) => m.history.totalSpend)), 2),
      tenureDays: median(members.map((m) => m.history.tenureDays)),
    };
    let label = describeCentroid(clustering.model.centroids[c], medians.orders);
    const dup = (seen.get(label) ?? 0) + 1;
    seen.set(label, dup);
    if (dup > 1) label = `${label} (${dup})`;
    const summary: ClusterSummary = {
      cluster: c,
      label,
      description: `${members.length} customers; median ${medians.orders} orders, ${medians.totalSpend} spent, last order ${medians.recencyDays} days ago, customer for ${medians.tenureDays} days`,
      size: members.length,
      share: shareOf(members.length, rows.length),
      revenueShare: shareOf(
        members.reduce((s, m) => s + m.history.totalSpend, 0),
        totalRevenue,
      ),
      medians,
      meanPPurchase: round(members.reduce((s, m) => s + m.pPurchase, 0) / members.length, 4),
    };
    if (withLater) summary.nextPeriodPurchaseRate = shareOf(members.filter((m) => m.bought).length, members.length);
    out.push(summary);
  }
  return out;
}

/** One row per RFM group (all 11, in Shopify's order, empty ones included for a stable UI). */
export function summarizeSegments(
  rows: readonly Row[],
  groups: readonly RfmGroup[],
  withLater: boolean,
): SegmentSummary[] {
  const totalRevenue = rows.reduce((s, r) => s + r.history.totalSpend, 0);
  return RFM_GROUPS.map((segment) => {
    const members = rows.filter((_, i) => groups[i] === segment);
    const n = members.length;
    const summary: SegmentSummary = {
      segment,
      size: n,
      share: shareOf(n, rows.length),
      revenueShare: shareOf(
        members.reduce((s, m) => s + m.history.totalSpend, 0),
        totalRevenue,
      ),
      meanPPurchase: n ? round(members.reduce((s, m) => s + m.pPurchase, 0) / n, 4) : 0,
      expectedOrders: round(
        members.reduce((s, m) => s + m.expectedOrders, 0),
        2,
      ),
      clv: round(
        members.reduce((s, m) => s + m.clv, 0),
        2,
      ),
    };
    if (withLater) summary.nextPeriodPurchaseRate = n ? shareOf(members.filter((m) => m.bought).length, n) : 0;
    return summary;
  });
}
