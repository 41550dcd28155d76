import type { PrismaClient } from "@prisma/client";
import { DAY_MS } from "../../analytics/time";
import { countOrdersCreatedSince } from "../../models/orders.server";
import { findRecentRunningModelRun, lastCompletedRunAsOf } from "../../models/scores.server";

/** A full refit at least once a day… */
export const REFIT_EVERY_MS = DAY_MS;
/**
 * …and sooner once this many orders arrived since the last run's asOf. Between refits each
 * customer's own scores follow their orders at once (rescore-customer.server.ts); what drifts is
 * the population part (model parameters, RFM thresholds, centroids), which a few hundred new
 * orders move little on a shop large enough to have them (the demo gets ≈ 240 an hour).
 */
export const REFIT_AFTER_NEW_ORDERS = 500;
/** A run that started this long ago and is still RUNNING belongs to a dead process. */
const RUNNING_GRACE_MS = 60 * 60_000;

export type RefitDecision =
  | { due: true; reason: "never scored" | "a day old" | "new orders"; newOrders?: number }
  | { due: false; reason: "running" | "fresh"; newOrders?: number };

/**
 * Whether the shop needs a full refit now. Decided from the database, not from a timer's age: the
 * in-process queue's timers restart with the process (a demo restarted daily never reached its
 * first 24-hour tick), so `scoring.check` runs every 15 minutes and asks this.
 */
export async function refitDue(deps: { prisma: PrismaClient; now?: () => Date }, shop: string): Promise<RefitDecision> {
  const now = (deps.now ?? (() => new Date()))();
  if (await findRecentRunningModelRun(deps.prisma, shop, new Date(now.getTime() - RUNNING_GRACE_MS)))
    return { due: false, reason: "running" };
  const last = await lastCompletedRunAsOf(deps.prisma, shop);
  if (!last) return { due: true, reason: "never scored" };
  if (now.getTime() - last.getTime() >= REFIT_EVERY_MS) return { due: true, reason: "a day old" };
  const newOrders = await countOrdersCreatedSince(deps.prisma, shop, last);
  return newOrders >= REFIT_AFTER_NEW_ORDERS
    ? { due: true, reason: "new orders", newOrders }
    : { due: false, reason: "fresh", newOrders };
}
