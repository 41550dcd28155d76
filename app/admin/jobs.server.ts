import { getJobQueue } from "../jobs/queue.server";
import { findRecentRunningModelRun } from "../models/scores.server";
import { getSyncProgress } from "../models/sync-runs.server";
import type { AdminClient } from "../shopify/admin-client.server";
import { NoOfflineSessionError, offlineAdminClient } from "../shopify/offline-session.server";
import type { AdminDeps } from "./deps.server";

/**
 * Background work started from the admin ("Sync now", "Recompute", tagging, running an
 * automation): the request enqueues a named job on the app's job queue and returns at once — the
 * same queue and handlers in both modes (in-process without REDIS_URL, BullMQ and the worker
 * processes with it). Each action has a job id per shop (and automation), enqueued with
 * `rerunFinished`: a click while that job waits or runs adds nothing, one after it finished runs it
 * again. The pages show progress from the SyncRun / ModelRun rows the work writes, and ask the
 * queue whether the action's job is still pending.
 */
export const adminJobId = {
  sync: (shop: string) => `admin-sync-${shop}`,
  scoring: (shop: string) => `admin-scoring-${shop}`,
  tags: (shop: string) => `admin-tags-${shop}`,
  automation: (shop: string, automationId: string) => `admin-automation-${shop}-${automationId}`,
};

/** True while the admin action's job (by `adminJobId`) is waiting or running, in any process. */
export async function isAdminJobPending(jobId: string): Promise<boolean> {
  return (await getJobQueue()).isPending(jobId);
}

/** The Admin API client for a shop, through the library's offline-token refresh path. */
export async function adminClientForShop(shop: string): Promise<AdminClient> {
  try {
    return await offlineAdminClient(shop);
  } catch (error) {
    if (error instanceof NoOfflineSessionError)
      throw new Response("The app has no access token for this shop; reinstall it.", { status: 409 });
    throw error;
  }
}

/** A sync row that has not moved for this long is treated as abandoned (its process died). */
const STALE_MS = 10 * 60_000;

export type StartResult = { started: true; message: string } | { started: false; message: string };

/** True while a sync of any resource is under way (in this process or, recently, anywhere). */
export async function syncInProgress(deps: AdminDeps, shop: string): Promise<boolean> {
  if (await isAdminJobPending(adminJobId.sync(shop))) return true;
  const progress = await getSyncProgress(deps.prisma, shop);
  const recent = deps.now().getTime() - STALE_MS;
  return progress.some(
    (p) => ["PENDING", "RUNNING", "IMPORTING"].includes(p.status) && (p.startedAt?.getTime() ?? 0) > recent,
  );
}

/**
 * "Sync now": reconciles (or, if the shop never finished a sync, imports) products, customers and
 * orders, then re-scores and rewrites the storefront metafields — the pipeline of
 * jobs/registry.server.ts — so the admin's numbers and the storefront catch up with Shopify.
 */
export async function startSync(deps: AdminDeps, shop: string): Promise<StartResult> {
  if (await syncInProgress(deps, shop)) return { started: false, message: "A sync is already running." };
  const progress = await getSyncProgress(deps.prisma, shop);
  const initial = progress.some((p) => p.status === "NEVER" || (p.status === "FAILED" && p.kind === "BULK"));
  await adminClientForShop(shop); // no offline token: say so now, not in a failed job
  const queue = await getJobQueue();
  const opts = { shop, jobId: adminJobId.sync(shop), rerunFinished: true };
  if (initial) await queue.enqueue("sync.initial", {}, opts);
  else await queue.enqueue("sync.reconcile", { rescore: true }, opts);
  return { started: true, message: initial ? "Initial import started." : "Sync started." };
}

/** "Recompute": a scoring run on the data already synced, then the metafield write it chains. */
export async function startScoring(deps: AdminDeps, shop: string): Promise<StartResult> {
  const running = await findRecentRunningModelRun(deps.prisma, shop, new Date(deps.now().getTime() - STALE_MS));
  const jobId = adminJobId.scoring(shop);
  if (running || (await isAdminJobPending(jobId)))
    return { started: false, message: "Scores are already being recomputed." };
  await (await getJobQueue()).enqueue("scoring.run", {}, { shop, jobId, rerunFinished: true });
  return { started: true, message: "Recomputing scores and recommendations." };
}
