import { z } from "zod";
import { homeAggregates, windowEndingAt } from "../models/admin-kpis.server";
import { recommendationCoverage } from "../models/admin-catalog.server";
import { countBySegment } from "../models/admin-scores.server";
import { getShop, countShopData } from "../models/shops.server";
import { ACCESS_GAPS, isAccessGap } from "../models/access-gaps";
import { getSyncProgress } from "../models/sync-runs.server";
import type { AdminDeps } from "./deps.server";
import { getTagStatus } from "./tags.server";
import { forecastView, getSalesTrend } from "./insights.server";
import { atRiskAudience, audienceFacts, secondOrderAudience, winBackAudience, type Audience } from "./audiences.server";
import { getAssistedRevenue } from "../services/storefront/assisted-revenue.server";
import {
  loadRuns,
  parseMetrics,
  parseSufficiency,
  RFM_GROUPS,
  runStatusView,
  segmentSlug,
  sufficiencyView,
} from "./runs.server";

/** KPI periods the home page offers, in days. */
export const PERIODS = [7, 30, 90, 365] as const;
export const PeriodSchema = z.coerce
  .number()
  .refine((v) => (PERIODS as readonly number[]).includes(v))
  .catch(30);

/** Likely churner: P(no order in the horizon) at or above this. */
export const CHURN_THRESHOLD = 0.7;

export interface DoThisNow {
  id: string;
  /** The audience size the title states, equal to what `href` opens shows (D37); null for non-audience steps. */
  count: number | null;
  title: string;
  effect: string;
  cta: string;
  href: string;
  tone: "critical" | "warning" | "info" | "success";
}

/**
 * Everything the admin home shows: sync progress, the latest scoring run and its data-sufficiency
 * meter, KPIs for the chosen period (with the previous period for comparison), customers per
 * segment and a short list of concrete next steps.
 */
export async function getDashboard(deps: AdminDeps, shop: string, opts: { periodDays?: number } = {}) {
  const { prisma } = deps;
  const now = deps.now();
  const periodDays = PeriodSchema.parse(opts.periodDays);
  const current = windowEndingAt(now, periodDays);
  const [shopRow, counts, progress, runs, aggregates, bySegment, coverage, tagging, assisted, audiences, trend] =
    await Promise.all([
      getShop(prisma, shop),
      countShopData(prisma, shop),
      getSyncProgress(prisma, shop),
      loadRuns(prisma, shop),
      homeAggregates(prisma, shop, { asOf: now, periodDays, churnThreshold: CHURN_THRESHOLD }),
      countBySegment(prisma, shop),
      recommendationCoverage(prisma, shop),
      getTagStatus(deps, shop),
      // Always 30 days whatever the period picker says: the same number as the recommendations page.
      getAssistedRevenue(prisma, shop, now),
      loadAudiences(deps, shop),
      getSalesTrend(deps, shop, periodDays),
    ]);

  const { current: kpis, previous: prevKpis, signals } = aggregates;
  const sync = progress.map((p) => ({
    resource: p.resource,
    kind: p.kind,
    status: p.status,
    rowsUpserted: p.rowsUpserted,
    error: p.error ?? null,
    percent: percentDone(p.status, p.linesProcessed, p.linesTotal ?? null),
    finishedAt: p.finishedAt?.toISOString() ?? null,
  }));
  const metrics = parseMetrics(runs.completed?.metrics);
  const segmentSummaries = new Map(metrics.segments.map((s) => [s.segment as string, s]));
  const segments = RFM_GROUPS.map((segment) => ({
    segment,
    count: bySegment.get(segment) ?? 0,
    revenueShare: segmentSummaries.get(segment)?.revenueShare ?? null,
    href: `/app/segments/${segmentSlug(segment)}`,
  })).filter((s) => s.count > 0);

  const scoredCustomers = [...bySegment.values()].reduce((a, b) => a + b, 0);
  const repeatRate = kpis.activeCustomers ? kpis.repeatCustomers / kpis.activeCustomers : null;
  const prevRepeatRate = prevKpis.activeCustomers ? prevKpis.repeatCustomers / prevKpis.activeCustomers : null;

  return {
    shop,
    shopName: shopRow?.name ?? shop,
    currency: shopRow?.currencyCode ?? "USD",
    counts,
    sync,
    accessGaps: accessGapsView(shopRow?.accessGaps ?? []),
    syncing: progress.some((p) => ["PENDING", "RUNNING", "IMPORTING"].includes(p.status)),
    run: runStatusView(runs.latest),
    lastCompletedRun: runStatusView(runs.completed),
    sufficiency: sufficiencyView(parseSufficiency(runs.completed?.sufficiency)),
    tagging,
    periods: [...PERIODS],
    period: { days: periodDays, from: current.from.toISOString(), to: current.to.toISOString() },
    kpis: {
      revenueMinor: kpis.revenueMinor,
      orders: kpis.orders,
      activeCustomers: kpis.activeCustomers,
      repeatRate,
      revenueAtRiskMinor: signals.likelyChurners.revenueAtRiskMinor,
      likelyChurners: signals.likelyChurners.customers,
      previous: {
        revenueMinor: prevKpis.revenueMinor,
        orders: prevKpis.orders,
        activeCustomers: prevKpis.activeCustomers,
        repeatRate: prevRepeatRate,
      },
    },
    assisted,
    trend,
    forecast: forecastView(metrics.forecast),
    segments,
    scoredCustomers,
    actions: doThisNow({
      hasRun: runs.completed !== null,
      synced: counts.orders > 0,
      audiences,
      newRate: segmentSummaries.get("New")?.meanPPurchase ?? null,
      coverage,
      currency: shopRow?.currencyCode ?? "USD",
      horizonDays: runs.completed?.horizonDays ?? 90,
      insufficient:
        sufficiencyView(parseSufficiency(runs.completed?.sufficiency))?.outputs.filter(
          (o) => o.level === "insufficient",
        ) ?? [],
    }),
  };
}

/** The "Do this now" audiences, one function each (D37), over one load of the customer facts. */
async function loadAudiences(deps: AdminDeps, shop: string) {
  const facts = audienceFacts(deps, shop);
  const [winBack, atRisk, secondOrder] = await Promise.all([
    winBackAudience(deps, shop, facts),
    atRiskAudience(deps, shop),
    secondOrderAudience(deps, shop, facts),
  ]);
  return { winBack, atRisk, secondOrder };
}

/** What Shopify withholds from the app, with what it costs and who must do what (models/access-gaps.ts). */
export function accessGapsView(gaps: readonly string[]) {
  return gaps.filter(isAccessGap).map((gap) => ({ gap, ...ACCESS_GAPS[gap] }));
}

function percentDone(status: string, done: number, total: number | null): number {
  if (status === "COMPLETED") return 100;
  if (!total) return 0;
  return Math.min(100, Math.round((done / total) * 100));
}

const money = (minor: number, currency: string) =>
  new Intl.NumberFormat("en-US", { style: "currency", currency, maximumFractionDigits: 0 }).format(minor / 100);
const pct = (v: number) => `${Math.round(v * 100)}%`;
const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString("en-US")} ${n === 1 ? one : many}`;

/**
 * The "Do this now" list: at most four concrete steps, each with the evidence behind it and a link
 * to where it is done. Ordered by how much money is at stake; data problems come first because
 * nothing else is trustworthy until they are fixed.
 */
export function doThisNow(input: {
  hasRun: boolean;
  synced: boolean;
  audiences: { winBack: Audience; atRisk: Audience; secondOrder: Audience };
  newRate: number | null;
  coverage: Awaited<ReturnType<typeof recommendationCoverage>>;
  currency: string;
  horizonDays: number;
  insufficient: { label: string; missing: string[] }[];
}): DoThisNow[] {
  const out: DoThisNow[] = [];
  if (!input.synced) {
    out.push({
      id: "sync",
      count: null,
      title: "No orders have been imported yet",
      effect: "Every prediction starts from your order history. Run a sync, then come back here.",
      cta: "Sync now",
      href: "/app/settings#sync",
      tone: "critical",
    });
    return out;
  }
  if (!input.hasRun) {
    out.push({
      id: "score",
      count: null,
      title: "Scores have not been computed yet",
      effect: "Segments, churn risk and recommendations appear after the first scoring run (a minute or two).",
      cta: "Recompute now",
      href: "/app/settings#sync",
      tone: "warning",
    });
  }
  for (const o of input.insufficient.slice(0, 1)) {
    out.push({
      id: `data-${o.label}`,
      count: null,
      title: `${o.label}: not enough data yet`,
      effect: `${o.missing[0] ?? "More orders are needed"}. Keep the app installed; the numbers firm up as orders arrive.`,
      cta: "See what is missing",
      href: "/app#sufficiency",
      tone: "warning",
    });
  }
  const { winBack, atRisk, secondOrder } = input.audiences;
  if (winBack.count > 0) {
    const aov = winBack.avgOrderMinor ?? 0;
    out.push({
      id: "win-back",
      count: winBack.count,
      title: `${plural(winBack.count, "lapsing customer qualifies", "lapsing customers qualify")} for a win-back offer`,
      effect: `Their churn risk is high but they may still be reachable; they usually spend ${money(aov, input.currency)} per order — up to ${money(aov * winBack.count, input.currency)} if all come back. The automation measures the real lift against a holdout.`,
      cta: "Start the win-back automation",
      href: winBack.href,
      tone: "critical",
    });
  }
  if (atRisk.count > 0) {
    out.push({
      id: "at-risk",
      count: atRisk.count,
      title: `${plural(atRisk.count, "valuable customer has", "valuable customers have")} not ordered in a while`,
      effect:
        "“At risk” customers bought often and spent well, but not recently. Tag them in Shopify to reach them from Shopify Email or Flow.",
      cta: "Review and tag them",
      href: atRisk.href,
      tone: "warning",
    });
  }
  if (secondOrder.count > 0) {
    out.push({
      id: "second-order",
      count: secondOrder.count,
      title: `${plural(secondOrder.count, "first-time buyer is", "first-time buyers are")} due for a second order`,
      effect:
        input.newRate !== null
          ? `They ordered once, about as long ago as your customers usually take to order again. Only ${pct(input.newRate)} of “New” customers are expected to order again within ${input.horizonDays} days; a second-order offer is the cheapest way to build repeat buyers.`
          : "They ordered once, about as long ago as your customers usually take to order again. A second-order offer is the cheapest way to build repeat buyers.",
      cta: "Start the second-order automation",
      href: secondOrder.href,
      tone: "info",
    });
  }
  const { activeProducts, productsWithLists } = input.coverage;
  if (activeProducts > 0 && productsWithLists > 0) {
    out.push({
      id: "recs",
      count: null,
      title: `Bought-together lists are ready for ${pct(productsWithLists / activeProducts)} of your products`,
      effect:
        "Add the Growthpilot blocks to your product and cart pages; they render from metafields and cost the storefront nothing.",
      cta: "Check the recommendations",
      href: "/app/recommendations",
      tone: "success",
    });
  }
  return out.slice(0, 4);
}
