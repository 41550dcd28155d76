import { z } from "zod";
import type { BacktestRow } from "../analytics/eval/backtest";
import {
  getProductSummary,
  productTitles,
  recommendationCoverage,
  searchProducts,
} from "../models/admin-catalog.server";
import { getRecommendations } from "../models/recommendations.server";
import { getShop } from "../models/shops.server";
import type { AdminDeps } from "./deps.server";
import { humanizeReasons } from "./reasons.server";
import { getAssistedRevenue } from "../services/storefront/assisted-revenue.server";
import { loadRuns, parseMetrics, runStatusView } from "./runs.server";

/**
 * The recommendations page: product search → that product's bought-together / also-bought lists
 * with reasons; coverage; and the backtest of the current model on this shop's own history next
 * to the baselines it must beat (docs/contracts.md §5).
 */

export const RecsQuerySchema = z.object({
  q: z.string().max(100).catch(""),
  product: z
    .string()
    .regex(/^\d{1,20}$/)
    .optional()
    .catch(undefined),
});

const TASKS: { task: BacktestRow["task"]; label: string; what: string }[] = [
  {
    task: "completion",
    label: "Basket completion",
    what: "One item of each recent order with 2+ items is hidden: is it in the top 10, given the rest of the basket?",
  },
  {
    task: "discovery",
    label: "Discovery",
    what: "Products a customer bought for the first time in the last 30 days, ranked against the full catalogue (top 20)",
  },
  {
    task: "forYou",
    label: "For you",
    what: "Everything a customer bought in the last 30 days, repeats included (top 20)",
  },
];

/** Friendly names for the backtest methods. */
const METHOD_LABELS: Record<string, string> = {
  engine: "Growthpilot (current model)",
  "popularity-30d": "Best-sellers, last 30 days",
  "own-top-frequency": "Their own most-bought items",
  "itemknn-cosine": "Item-to-item similarity",
  ease: "EASE (linear autoencoder)",
  "ease-baskets": "EASE on baskets",
  "rules-max-confidence": "Association rules",
};

export async function getRecommendationsPage(deps: AdminDeps, shop: string, query: z.infer<typeof RecsQuerySchema>) {
  const { prisma } = deps;
  const now = deps.now();
  const [shopRow, runs, coverage, results, assisted] = await Promise.all([
    getShop(prisma, shop),
    loadRuns(prisma, shop),
    recommendationCoverage(prisma, shop),
    searchProducts(prisma, shop, query.q, 12),
    getAssistedRevenue(prisma, shop, now),
  ]);
  // With nothing picked yet, show the best-selling match so the page explains itself at once.
  const selectedGid = query.product ? `gid://shopify/Product/${query.product}` : (results[0]?.gid ?? null);
  let selected: Awaited<ReturnType<typeof productLists>> | null = null;
  if (selectedGid) {
    selected = await productLists(prisma, shop, selectedGid);
    if (!selected) throw new Response("Product not found", { status: 404 });
  }
  const metrics = parseMetrics(runs.completed?.metrics);
  return {
    currency: shopRow?.currencyCode ?? "USD",
    run: runStatusView(runs.completed),
    query: query.q,
    results: results.map((r) => ({ ...r, id: r.gid.slice(r.gid.lastIndexOf("/") + 1) })),
    selected,
    coverage,
    assisted,
    backtest: backtestView(metrics.recommendations),
  };
}

async function productLists(prisma: AdminDeps["prisma"], shop: string, gid: string) {
  const [product, together, also] = await Promise.all([
    getProductSummary(prisma, shop, gid),
    getRecommendations(prisma, shop, "BOUGHT_TOGETHER", [gid]),
    getRecommendations(prisma, shop, "ALSO_BOUGHT", [gid]),
  ]);
  if (!product) return null;
  const bt = await humanizeReasons(prisma, shop, (together.get(gid) ?? []).slice(0, 10));
  const ab = await humanizeReasons(prisma, shop, (also.get(gid) ?? []).slice(0, 10));
  const titles = await productTitles(
    prisma,
    shop,
    [...bt, ...ab].map((i) => i.gid),
  );
  const label = (items: typeof bt) =>
    items.map((i) => ({
      gid: i.gid,
      id: i.gid.slice(i.gid.lastIndexOf("/") + 1),
      title: titles.get(i.gid)?.title ?? "(product no longer in the catalogue)",
      reason: i.reason,
      score: i.score,
    }));
  return { product, boughtTogether: label(bt), alsoBought: label(ab) };
}

export interface BacktestTaskView {
  task: string;
  label: string;
  what: string;
  k: number;
  cases: number;
  rows: {
    method: string;
    label: string;
    recall: number;
    ndcg: number;
    hitRate: number;
    isEngine: boolean;
    isBaseline: boolean;
  }[];
  /** Engine hit rate ÷ popularity hit rate (null when either is missing or zero). */
  liftOverPopularity: number | null;
}

export function backtestView(rows: BacktestRow[]): BacktestTaskView[] {
  return TASKS.flatMap(({ task, label, what }) => {
    const taskRows = rows.filter((r) => r.task === task);
    if (taskRows.length === 0) return [];
    const engine = taskRows.find((r) => r.method === "engine");
    const popularity = taskRows.find((r) => r.method === "popularity-30d");
    const ordered = [...taskRows].sort((a, b) =>
      a.method === "engine"
        ? -1
        : b.method === "engine"
          ? 1
          : a.method === "popularity-30d"
            ? -1
            : b.method === "popularity-30d"
              ? 1
              : b.ndcg - a.ndcg,
    );
    return [
      {
        task,
        label,
        what,
        k: taskRows[0].k,
        cases: engine?.cases ?? taskRows[0].cases,
        rows: ordered.map((r) => ({
          method: r.method,
          label: METHOD_LABELS[r.method] ?? r.method,
          recall: r.recall,
          ndcg: r.ndcg,
          hitRate: r.hitRate,
          isEngine: r.method === "engine",
          isBaseline: r.method === "popularity-30d",
        })),
        liftOverPopularity: engine && popularity && popularity.hitRate > 0 ? engine.hitRate / popularity.hitRate : null,
      },
    ];
  });
}
