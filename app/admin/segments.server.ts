import { z } from "zod";
import { csvField } from "../csv/write";
import { fmScore } from "../analytics/customers/rfm";
import {
  countByRfm,
  countBySegment,
  countSegmentCustomers,
  listAllSegmentCustomers,
  listSegmentCustomers,
  type SegmentFilter,
} from "../models/admin-scores.server";
import { getShop } from "../models/shops.server";
import type { AdminDeps } from "./deps.server";
import { suggestedTag, getTagStatus } from "./tags.server";
import {
  clusterSlug,
  loadRuns,
  parseMetrics,
  parseSegmentSlug,
  RFM_GROUPS,
  RFM_RULES,
  runStatusView,
  segmentSlug,
  segmentWhy,
} from "./runs.server";

/** Segments overview and drill-down: RFM grid, the 11 groups, clusters and a segment's customers. */

export const PAGE_SIZE = 25;

/**
 * Groups of customers who stopped ordering: bare churn risk ties at ≈ 1 for all of them, so their
 * lists open sorted by value at stake (what they used to spend × chance they do not return).
 */
export const LAPSED_SEGMENTS: readonly string[] = ["At risk", "Almost lost", "Previously loyal", "Dormant"];

export const DrillQuerySchema = z.object({
  sort: z.enum(["churn", "clv", "value"]).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(10_000).catch(1),
});

export async function getSegmentsOverview(deps: AdminDeps, shop: string) {
  const { prisma } = deps;
  const [shopRow, runs, bySegment, rfm] = await Promise.all([
    getShop(prisma, shop),
    loadRuns(prisma, shop),
    countBySegment(prisma, shop),
    countByRfm(prisma, shop),
  ]);
  const metrics = parseMetrics(runs.completed?.metrics);
  const summaries = new Map(metrics.segments.map((s) => [s.segment as string, s]));
  const total = [...bySegment.values()].reduce((a, b) => a + b, 0);
  const groups = RFM_GROUPS.map((segment) => {
    const s = summaries.get(segment);
    const size = bySegment.get(segment) ?? 0;
    return {
      segment,
      slug: segmentSlug(segment),
      why: segmentWhy(segment),
      size,
      share: total ? size / total : 0,
      revenueShare: s?.revenueShare ?? 0,
      nextPeriodRate: size ? (s?.meanPPurchase ?? null) : null,
      expectedOrders: s?.expectedOrders ?? 0,
      clvMinor: Math.round((s?.clv ?? 0) * 100),
    };
  });
  // The grid: recency (rows, 5 = most recent) × combined frequency-monetary score (columns).
  const grid = new Map<string, number>();
  for (const cell of rfm) {
    const key = `${cell.r}:${fmScore(cell)}`;
    grid.set(key, (grid.get(key) ?? 0) + cell.count);
  }
  const cells: { r: number; fm: number; count: number; segment: string }[] = [];
  for (let r = 5; r >= 1; r--) {
    for (let fm = 1; fm <= 5; fm++) {
      const rule = RFM_RULES.find(
        (x) => x.orders !== "none" && r >= x.r[0] && r <= x.r[1] && fm >= x.fm[0] && fm <= x.fm[1],
      );
      cells.push({ r, fm, count: grid.get(`${r}:${fm}`) ?? 0, segment: rule?.group ?? "Dormant" });
    }
  }
  return {
    currency: shopRow?.currencyCode ?? "USD",
    run: runStatusView(runs.completed),
    total,
    groups,
    cells,
    clusters: metrics.clusters.map((c) => ({
      cluster: c.cluster,
      slug: clusterSlug(c.cluster),
      label: c.label,
      description: c.description,
      size: c.size,
      share: c.share,
      revenueShare: c.revenueShare,
      nextPeriodRate: c.meanPPurchase,
      medians: c.medians,
    })),
    churnBacktest: metrics.customers,
    modelSelection: metrics.selection,
    nextOrderCheck: metrics.nextOrderCheck,
  };
}

/** A segment's customers, one page, plus what the page needs to describe and act on it. */
export async function getSegmentDrill(
  deps: AdminDeps,
  shop: string,
  slug: string,
  query: z.infer<typeof DrillQuerySchema>,
) {
  const filter = parseSegmentSlug(slug);
  if (!filter) throw new Response("Unknown segment", { status: 404 });
  const { prisma } = deps;
  const [shopRow, runs, total] = await Promise.all([
    getShop(prisma, shop),
    loadRuns(prisma, shop),
    countSegmentCustomers(prisma, shop, filter),
  ]);
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const page = Math.min(query.page, pages);
  const sort = query.sort ?? defaultSort(filter);
  const customers = await listSegmentCustomers(prisma, shop, filter, {
    sort,
    skip: (page - 1) * PAGE_SIZE,
    take: PAGE_SIZE,
  });
  const metrics = parseMetrics(runs.completed?.metrics);
  const label = describe(filter, metrics.clusters);
  return {
    slug,
    label: label.title,
    description: label.description,
    suggestedTag: suggestedTag("segment" in filter ? filter.segment : `cluster-${filter.cluster}`),
    currency: shopRow?.currencyCode ?? "USD",
    timeZone: shopRow?.ianaTimezone ?? null,
    horizonDays: runs.completed?.horizonDays ?? 90,
    total,
    page,
    pages,
    sort,
    tagging: await getTagStatus(deps, shop),
    customers: customers.map((c) => ({
      ...c,
      lastOrderAt: c.lastOrderAt?.toISOString() ?? null,
      scoredAt: c.scoredAt.toISOString(),
      id: numericId(c.gid),
    })),
  };
}

export function defaultSort(filter: SegmentFilter): "churn" | "value" {
  return "segment" in filter && LAPSED_SEGMENTS.includes(filter.segment) ? "value" : "churn";
}

function describe(filter: SegmentFilter, clusters: ReturnType<typeof parseMetrics>["clusters"]) {
  if ("segment" in filter)
    return { title: filter.segment, description: `Customers with ${segmentWhy(filter.segment)}.` };
  const c = clusters.find((x) => x.cluster === filter.cluster);
  return {
    title: c ? `Cluster ${filter.cluster + 1}: ${c.label}` : `Cluster ${filter.cluster + 1}`,
    description: c?.description ?? "",
  };
}

/** The numeric tail of a GID (gid://shopify/Customer/123 → "123"), used in admin URLs. */
export function numericId(gid: string): string {
  return gid.slice(gid.lastIndexOf("/") + 1);
}

const CSV_COLUMNS = [
  "customer_id",
  "name",
  "email",
  "orders",
  "spent",
  "last_order",
  "segment",
  "cluster",
  "r",
  "f",
  "m",
  "p_purchase",
  "p_alive",
  "expected_orders",
  "churn_risk",
  "clv",
  "clv_low",
  "clv_high",
  "spend_per_period",
  "value_at_stake",
  "explanation",
];

/** CSV of every customer in a segment, in the list's default order. */
export async function exportSegmentCsv(
  deps: AdminDeps,
  shop: string,
  slug: string,
): Promise<{ filename: string; body: string }> {
  const filter = parseSegmentSlug(slug);
  if (!filter) throw new Response("Unknown segment", { status: 404 });
  const rows = await listAllSegmentCustomers(deps.prisma, shop, filter, defaultSort(filter));
  const lines = [CSV_COLUMNS.join(",")];
  for (const c of rows) {
    lines.push(
      [
        c.gid,
        c.name,
        c.email ?? "",
        c.orders,
        (c.spendMinor / 100).toFixed(2),
        c.lastOrderAt ? c.lastOrderAt.toISOString().slice(0, 10) : "",
        c.segment,
        c.cluster,
        c.rfm.r,
        c.rfm.f,
        c.rfm.m,
        c.pPurchase,
        c.pAlive,
        c.expectedOrders,
        c.churnRisk,
        (c.clvMinor / 100).toFixed(2),
        (c.clvLowMinor / 100).toFixed(2),
        (c.clvHighMinor / 100).toFixed(2),
        (c.spendPerPeriodMinor / 100).toFixed(2),
        (c.valueAtStakeMinor / 100).toFixed(2),
        c.explanation,
      ]
        .map(csvField)
        .join(","),
    );
  }
  return { filename: `growthpilot-${slug}.csv`, body: lines.join("\r\n") + "\r\n" };
}
