import type { ModelRun, PrismaClient } from "@prisma/client";
import type { BacktestRow } from "../analytics/eval/backtest";
import type {
  BacktestReport,
  ClusterSummary,
  RfmMovement,
  SegmentSummary,
  SelectionReport,
  Sufficiency,
  TimingReport,
  TrustLevel,
} from "../analytics/customers";
import type { StoredForecast } from "../services/scoring/forecast.server";
import { RFM_GROUPS, RFM_RULES } from "../analytics/customers";
import { slugify } from "../analytics/slug";
import { latestModelRun } from "../models/scores.server";

/**
 * The admin's view of scoring runs: the latest completed run's JSON (metrics, sufficiency) parsed
 * into typed shapes, tolerant of older runs that lack a field, plus segment naming helpers shared
 * by the pages.
 */

export interface RunMetrics {
  recommendations: BacktestRow[];
  customers: BacktestReport | null;
  segments: SegmentSummary[];
  clusters: ClusterSummary[];
  /** The per-shop propensity selection (D34); null on runs before it or with too little history. */
  selection: SelectionReport | null;
  /** The next-order timing check one horizon back, when the history had room for it. */
  nextOrderCheck: (TimingReport & { evaluatedAt: string }) | null;
  /** Absent on runs before the forecast existed. */
  forecast: StoredForecast | null;
  rfmMovement: RfmMovement | null;
}

export function parseMetrics(json: unknown): RunMetrics {
  const m = (json && typeof json === "object" ? json : {}) as Partial<RunMetrics>;
  return {
    recommendations: Array.isArray(m.recommendations) ? m.recommendations : [],
    customers: m.customers && typeof m.customers === "object" ? m.customers : null,
    segments: Array.isArray(m.segments) ? m.segments : [],
    clusters: Array.isArray(m.clusters) ? m.clusters : [],
    selection:
      m.selection && typeof m.selection === "object" && Array.isArray(m.selection.candidates) ? m.selection : null,
    nextOrderCheck: nextOrderCheck(json),
    forecast: m.forecast && typeof m.forecast === "object" && "weeks" in m.forecast ? m.forecast : null,
    rfmMovement: m.rfmMovement && typeof m.rfmMovement === "object" && "counts" in m.rfmMovement ? m.rfmMovement : null,
  };
}

function nextOrderCheck(json: unknown): RunMetrics["nextOrderCheck"] {
  const n = (json as { nextOrder?: { backtest?: RunMetrics["nextOrderCheck"] } } | null)?.nextOrder;
  return n?.backtest && typeof n.backtest.buyers === "number" ? n.backtest : null;
}

export function parseSufficiency(json: unknown): Sufficiency | null {
  const s = json as Partial<Sufficiency> | null;
  return s && s.counts && s.outputs ? (s as Sufficiency) : null;
}

/** The latest completed run and the latest run of any status (which may be running or failed). */
export async function loadRuns(
  prisma: PrismaClient,
  shop: string,
): Promise<{ completed: ModelRun | null; latest: ModelRun | null }> {
  const [completed, latest] = await Promise.all([
    latestModelRun(prisma, shop, "COMPLETED"),
    latestModelRun(prisma, shop),
  ]);
  return { completed, latest };
}

export interface RunStatusView {
  status: string;
  startedAt: string;
  finishedAt: string | null;
  asOf: string;
  horizonDays: number;
  error: string | null;
}

export function runStatusView(run: ModelRun | null): RunStatusView | null {
  if (!run) return null;
  return {
    status: run.status,
    startedAt: run.startedAt.toISOString(),
    finishedAt: run.finishedAt?.toISOString() ?? null,
    asOf: run.asOf.toISOString(),
    horizonDays: run.horizonDays,
    error: run.error,
  };
}

export const OUTPUT_LABELS: Record<keyof Sufficiency["outputs"], { label: string; what: string }> = {
  recommendations: { label: "Product recommendations", what: "bought-together, also-bought and “for you” lists" },
  segments: { label: "Segments", what: "RFM groups and customer clusters" },
  churn: { label: "Churn risk", what: "who is likely to stop buying (BG/NBD)" },
  clv: { label: "Customer lifetime value", what: "expected revenue per customer with a range" },
  propensity: { label: "Purchase probability", what: "chance of an order in the horizon (trained blend)" },
  backtest: { label: "Quality numbers", what: "backtests of the models on your own history" },
};

export interface SufficiencyView {
  counts: Sufficiency["counts"];
  /** Outputs at "ok" out of all outputs. */
  okShare: number;
  outputs: {
    key: string;
    label: string;
    what: string;
    level: TrustLevel;
    missing: string[];
    fallback: string | null;
  }[];
}

export function sufficiencyView(s: Sufficiency | null): SufficiencyView | null {
  if (!s) return null;
  const outputs = (Object.keys(OUTPUT_LABELS) as (keyof Sufficiency["outputs"])[])
    .filter((key) => s.outputs[key])
    .map((key) => ({
      key,
      ...OUTPUT_LABELS[key],
      level: s.outputs[key].level,
      missing: s.outputs[key].missing,
      fallback: s.outputs[key].fallback ?? null,
    }));
  const ok = outputs.filter((o) => o.level === "ok").length;
  return { counts: s.counts, okShare: outputs.length ? ok / outputs.length : 0, outputs };
}

/** URL slug of a segment: "at-risk", "needs-attention", "cluster-2". */
export function segmentSlug(segment: string): string {
  return slugify(segment);
}

export const clusterSlug = (cluster: number) => `cluster-${cluster}`;

/** Slug → filter; null for anything that is not one of the 11 groups or a cluster. */
export function parseSegmentSlug(slug: string): { segment: string } | { cluster: number } | null {
  const cluster = /^cluster-(\d{1,3})$/.exec(slug);
  if (cluster) return { cluster: Number(cluster[1]) };
  const group = RFM_GROUPS.find((g) => segmentSlug(g) === slug);
  return group ? { segment: group } : null;
}

/** Why a customer is in an RFM group, in words (from the rule table). */
export function segmentWhy(segment: string): string {
  return RFM_RULES.find((r) => r.group === segment)?.why ?? "";
}

export { RFM_GROUPS, RFM_RULES };
