import type { Prisma, PrismaClient } from "@prisma/client";
import { runShopScoring, type ShopRunOutput } from "../../analytics/shop-run";
import { rfmMovement } from "../../analytics/customers";
import { DAY_MS, shopClock } from "../../analytics/time";
import type { Order, RankedList } from "../../analytics/types";
import { replaceRecommendations, type RecommendationList } from "../../models/recommendations.server";
import { completeModelRun, failModelRun, startModelRun } from "../../models/scores.server";
import { listOrdersForScoring, listProductsForScoring } from "../../models/scoring-input.server";
import { getShop, getShopSettings } from "../../models/shops.server";
import { computeForecast } from "./forecast.server";

export interface ScoringDeps {
  prisma: PrismaClient;
  /** Injected clock: the run's as-of time. */
  now?: () => Date;
}

/** The RFM-movement window: a quarter, long enough for groups to change, short enough to act on. */
export const MOVEMENT_DAYS = 90;

/** Fixed seed so a re-run on unchanged data gives identical clusters and CLV bands. */
const SEED = 20261122;

/**
 * A scoring run for one shop: reads synced orders and the catalogue, runs the pure engine, and
 * writes customer scores, recommendation lists and a ModelRun with backtest metrics atomically.
 */
export async function runScoring(
  deps: ScoringDeps,
  shop: string,
): Promise<{ runId: string; customers: number; lists: number }> {
  const asOf = (deps.now ?? (() => new Date()))();
  const [settings, shopRow] = await Promise.all([getShopSettings(deps.prisma, shop), getShop(deps.prisma, shop)]);
  const run = await startModelRun(deps.prisma, shop, asOf, settings.churnHorizonDays);
  try {
    const [orders, products, forecast] = await Promise.all([
      listOrdersForScoring(deps.prisma, shop, asOf),
      listProductsForScoring(deps.prisma, shop),
      computeForecast(deps.prisma, shop, asOf),
    ]);
    // The engine counts UTC days of what it is given: on the shop's wall clock those are the
    // shop's calendar days, the one day count of every page (D36, analytics/time.ts).
    const clock = shopClock(shopRow?.ianaTimezone);
    const shopOrders = onShopClock(orders, clock);
    const engineAsOf = clock(asOf.getTime());
    const output = runShopScoring({
      orders: shopOrders,
      products,
      filters: settings.recommendationFilters,
      asOf: engineAsOf,
      horizonDays: settings.churnHorizonDays,
      seed: SEED,
    });
    const titles = new Map(products.map((p) => [p.sku, p.title]));
    const lists = toRecommendationLists(output, titles);
    await completeModelRun(
      deps.prisma,
      shop,
      run.id,
      {
        engineAsOf,
        customers: output.customers.customers,
        params: {
          recommender: output.recommender,
          customers: output.customers.model,
          // Plain-JSON parameters that score one customer without a refit — predictCustomer (D34)
          // and rescoreCustomer (D36, rescore-customer.server.ts) — on the same clock.
          fitted: { ...output.customers.fitted, timeZone: shopRow?.ianaTimezone ?? null },
        } as unknown as Prisma.InputJsonValue,
        metrics: {
          recommendations: output.backtest,
          customers: output.customers.model.backtest ?? null,
          selection: output.customers.model.selection ?? null,
          nextOrder: output.customers.model.nextOrder,
          segments: output.customers.segments,
          clusters: output.customers.clusters,
          forecast,
          // How customers moved between RFM groups over the last MOVEMENT_DAYS (the retention page).
          // On the shop's clock like the scores, so a group's day counts match the customer pages.
          rfmMovement: rfmMovement(shopOrders, engineAsOf - MOVEMENT_DAYS * DAY_MS, engineAsOf),
        } as unknown as Prisma.InputJsonValue,
        sufficiency: output.customers.sufficiency as unknown as Prisma.InputJsonValue,
        scoredAt: asOf,
      },
      async (tx) => {
        await replaceRecommendations(tx, shop, run.id, lists);
      },
    );
    return { runId: run.id, customers: output.customers.customers.length, lists: lists.length };
  } catch (error) {
    await failModelRun(deps.prisma, shop, run.id, (error as Error).message);
    throw error;
  }
}

/** Orders with their timestamps read on the shop's wall clock (see `shopClock`). */
export function onShopClock(orders: readonly Order[], clock: (ms: number) => number): Order[] {
  return orders.map((o) => ({ ...o, at: clock(o.at) }));
}

const PRODUCT_GID = /gid:\/\/[\w-]+\/Product\/[\w%.-]+/g;

/**
 * The engine keys products by GID, so its reasons name GIDs ("bought together with gid://…");
 * stored reasons — which the storefront shows as they are — name the product instead.
 */
export function readableReason(reason: string, titles: ReadonlyMap<string, string>): string {
  return reason.replace(PRODUCT_GID, (gid) => {
    const title = titles.get(gid);
    return title ? `“${title}”` : "a product no longer in the catalogue";
  });
}

/** Engine lists → stored lists; the score is rank-based (1 for the first item, falling linearly). */
function toRecommendationLists(output: ShopRunOutput, titles: ReadonlyMap<string, string>): RecommendationList[] {
  const lists: RecommendationList[] = [];
  const push = (kind: RecommendationList["kind"], subject: string, list: RankedList) => {
    if (list.items.length === 0) return;
    lists.push({
      kind,
      subject,
      items: list.items.map((gid, i) => ({
        gid,
        score: 1 - i / list.items.length,
        reason: readableReason(list.reasons[i] ?? "", titles),
      })),
    });
  };
  for (const p of output.productLists) {
    push("BOUGHT_TOGETHER", p.subject, p.boughtTogether);
    push("ALSO_BOUGHT", p.subject, p.alsoBought);
  }
  for (const c of output.customerLists) {
    push("FOR_YOU", c.subject, c.forYou);
    push("DISCOVERY", c.subject, c.discovery);
  }
  return lists;
}
