import type { PrismaClient } from "@prisma/client";
import { rescoreCustomer, type FittedCustomerModels } from "../../analytics/customers";
import { updateForYou, type ScoredItem } from "../../analytics/recs/for-you-update";
import { shopClock } from "../../analytics/time";
import type { Order } from "../../analytics/types";
import {
  getRecommendations,
  getRecommendationsByKind,
  setRecommendationList,
} from "../../models/recommendations.server";
import {
  customerScoredAt,
  deleteCustomerScore,
  latestCompletedRun,
  runFittedParams,
  upsertCustomerScore,
} from "../../models/scores.server";
import { listCustomerOrdersForScoring } from "../../models/scoring-input.server";
import type { AdminClient } from "../../shopify/admin-client.server";
import { writeCustomerForYouMetafield } from "./metafields.server";
import { onShopClock } from "./run.server";

export interface RescoreDeps {
  prisma: PrismaClient;
  now?: () => Date;
  /** With a client the customer's `$app.for_you` metafield follows the new list (asked for only then). */
  clientFor?: () => Promise<AdminClient>;
}

export interface RescoreOutcome {
  /** "scored": row written; "removed": no scorable order left; "no-run": nothing fitted yet; "kept": a newer row exists. */
  status: "scored" | "removed" | "no-run" | "kept";
  runId?: string;
  /**
   * Set when the customer bought something the previous score had not seen: their "for you" list
   * should follow from this instant (`refreshCustomerForYou`).
   */
  forYouSince?: Date;
}

/** Same length as the run's stored lists (shop-run.ts `listLength`). */
const LIST_LENGTH = 20;

/** Parsed fitted params per run: a run's params never change once it completed. */
const fittedCache = new Map<string, FittedCustomerModels & { timeZone?: string | null }>();
const CACHE_RUNS = 64;

/**
 * Re-scores one customer from the newest completed run's fitted parameters (no refit, D36): their
 * CustomerScore row, stamped `scoredAt` = now. The full refit stays scheduled (`scoring.check`).
 * Idempotent: a re-run recomputes the same row from the same orders. The "for you" list is a
 * separate step (`refreshCustomerForYou`), so the score — what the pages show — is stored first.
 */
export async function rescoreCustomerNow(
  deps: RescoreDeps,
  shop: string,
  customerGid: string,
): Promise<RescoreOutcome> {
  const now = (deps.now ?? (() => new Date()))();
  const run = await latestCompletedRun(deps.prisma, shop);
  const fitted = run ? await fittedOf(deps.prisma, shop, run.id) : null;
  if (!run || !fitted) return { status: "no-run" };
  const [orders, previousAt] = await Promise.all([
    listCustomerOrdersForScoring(deps.prisma, shop, customerGid, now),
    customerScoredAt(deps.prisma, shop, customerGid),
  ]);
  const clock = shopClock(fitted.timeZone);
  const engineNow = clock(now.getTime());
  const score = rescoreCustomer(fitted, customerGid, onShopClock(orders, clock), engineNow);
  if (!score) {
    await deleteCustomerScore(deps.prisma, shop, customerGid);
    return { status: "removed", runId: run.id };
  }
  if (!(await upsertCustomerScore(deps.prisma, shop, run.id, score, now, engineNow)))
    return { status: "kept", runId: run.id };
  // Orders the previous score had not seen (all since the run for a customer it never scored), by
  // creation time: an order created just before a score but delivered after it (webhook delay,
  // seconds) counts for the score at once, for the list only at the next refit.
  const since = previousAt ?? run.asOf;
  const bought = productsBoughtSince(orders, since.getTime()).length > 0;
  return { status: "scored", runId: run.id, ...(bought ? { forYouSince: since } : {}) };
}

/**
 * The customer's "for you" list after purchases since `since` (see `updateForYou`), and with a
 * client their `$app.for_you` metafield. Returns what it did, for the caller's summary.
 */
export async function refreshCustomerForYou(
  deps: RescoreDeps,
  shop: string,
  customerGid: string,
  since: Date,
): Promise<{ forYou: "updated" | "unchanged"; metafield?: "written" | "deleted" | "skipped" | "failed" }> {
  const run = await latestCompletedRun(deps.prisma, shop);
  if (!run) return { forYou: "unchanged" };
  const now = (deps.now ?? (() => new Date()))();
  const orders = await listCustomerOrdersForScoring(deps.prisma, shop, customerGid, now);
  const newlyBought = productsBoughtSince(orders, since.getTime());
  if (newlyBought.length === 0) return { forYou: "unchanged" };
  await refreshForYou(deps.prisma, shop, run.id, customerGid, newlyBought);
  const metafield = deps.clientFor ? await forYouMetafield(deps, shop, customerGid) : undefined;
  return { forYou: "updated", ...(metafield ? { metafield } : {}) };
}

/**
 * The metafield is best-effort here: the score and list are stored, and the run's own
 * `metafields.write` rewrites every list at the next refit. A failure (no offline session after an
 * uninstall, throttling) is reported, never thrown, so it cannot undo or retry a stored rescore.
 */
async function forYouMetafield(deps: RescoreDeps, shop: string, customerGid: string) {
  try {
    return await writeCustomerForYouMetafield(
      { prisma: deps.prisma, client: await deps.clientFor!() },
      shop,
      customerGid,
    );
  } catch (error) {
    console.error(`scoring: for_you metafield not written for ${shop}: ${(error as Error).message}`);
    return "failed" as const;
  }
}

async function fittedOf(prisma: PrismaClient, shop: string, runId: string) {
  const cached = fittedCache.get(runId);
  if (cached) return cached;
  const f = (await runFittedParams(prisma, shop, runId)) as
    (FittedCustomerModels & { timeZone?: string | null }) | null;
  // Runs stored before D36 have no fitted params, and version-1 params (before the D34 merge) lack
  // the selected model and next-order timing: nothing to rescore from until the next refit.
  if (!f || f.version !== 2) return null;
  if (fittedCache.size >= CACHE_RUNS) fittedCache.delete(fittedCache.keys().next().value!);
  fittedCache.set(runId, f);
  return f;
}

/** Distinct products of orders created at or after `since`, newest order first. */
export function productsBoughtSince(orders: readonly Order[], since: number): string[] {
  const out: string[] = [];
  for (const o of [...orders].sort((p, q) => q.at - p.at)) {
    if (o.at < since) break;
    for (const line of o.lines) if (!out.includes(line.sku)) out.push(line.sku);
  }
  return out;
}

async function refreshForYou(prisma: PrismaClient, shop: string, runId: string, customerGid: string, newly: string[]) {
  const [previous, lists] = await Promise.all([
    getRecommendations(prisma, shop, "FOR_YOU", [customerGid]),
    getRecommendationsByKind(prisma, shop, ["ALSO_BOUGHT", "BOUGHT_TOGETHER"], newly),
  ]);
  // A product's neighbours: both stored lists, the better score per item.
  const neighbours = new Map<string, ScoredItem[]>();
  for (const product of newly) {
    const best = new Map<string, ScoredItem>();
    for (const kind of ["ALSO_BOUGHT", "BOUGHT_TOGETHER"] as const) {
      for (const item of lists.get(kind)?.get(product) ?? []) {
        if ((best.get(item.gid)?.score ?? -1) < item.score) best.set(item.gid, item);
      }
    }
    neighbours.set(
      product,
      [...best.values()].sort((p, q) => q.score - p.score),
    );
  }
  const items = updateForYou({
    previous: previous.get(customerGid) ?? [],
    newlyBought: newly,
    neighbours,
    k: LIST_LENGTH,
  });
  await setRecommendationList(prisma, shop, runId, { kind: "FOR_YOU", subject: customerGid, items });
}
