import type { PrismaClient } from "@prisma/client";
import { getDb } from "../db.server";
import { env } from "../env.server";
import { getSyncProgress } from "../models/sync-runs.server";
import type { AdminClient } from "../shopify/admin-client.server";
import { NoOfflineSessionError, offlineAdminClient } from "../shopify/offline-session.server";
import { runScoring } from "../services/scoring/run.server";
import { reconcile, runInitialSync } from "../services/sync/shop-sync.server";

/**
 * Background work started from the admin ("Sync now", "Recompute", tagging): the request returns
 * at once and the pages show progress from the SyncRun / ModelRun rows the work writes.
 *
 * With REDIS_URL the work goes to the job queue (the worker processes run it). Without it — the
 * one-process `npm start` — it runs here, one task per key at a time. The in-process job queue
 * (app/jobs/queue.server.ts) is not used for that yet because its handlers load services by a path
 * relative to the source tree, which does not exist inside the Remix server bundle.
 */

const KEY = Symbol.for("growthpilot.admin-background");
type Holder = { [KEY]?: Map<string, Promise<void>> };

function tasks(): Map<string, Promise<void>> {
  const holder = globalThis as Holder;
  holder[KEY] ??= new Map();
  return holder[KEY];
}

/**
 * Runs `work` in the background under `key` unless a task with that key is already running.
 * Failures are logged by key and message only (no payloads, tokens or PII) — the work itself
 * records its failure on its own status row.
 */
export function runInBackground(key: string, work: () => Promise<unknown>): boolean {
  const running = tasks();
  if (running.has(key)) return false;
  const task = (async () => {
    try {
      await work();
    } catch (error) {
      console.error(`[admin] background task ${key.split(":")[0]} failed: ${(error as Error).message}`);
    } finally {
      running.delete(key);
    }
  })();
  running.set(key, task);
  return true;
}

export function isRunningInBackground(key: string): boolean {
  return tasks().has(key);
}

/** Resolves when every in-process background task has finished (tests, shutdown). */
export async function waitForBackgroundTasks(): Promise<void> {
  while (tasks().size > 0) await Promise.allSettled([...tasks().values()]);
}

/** The Admin API client for a shop, through the library's offline-token refresh path. */
export async function adminClientForShop(shop: string): Promise<AdminClient> {
  try {
    return await offlineAdminClient(shop);
  } catch (error) {
    if (error instanceof NoOfflineSessionError) throw new Response("The app has no access token for this shop; reinstall it.", { status: 409 });
    throw error;
  }
}

/** A sync row that has not moved for this long is treated as abandoned (its process died). */
const STALE_MS = 10 * 60_000;

export type StartResult = { started: true; message: string } | { started: false; message: string };

/** True while a sync of any resource is under way (in this process or, recently, anywhere). */
export async function syncInProgress(prisma: PrismaClient, shop: string): Promise<boolean> {
  if (isRunningInBackground(`sync:${shop}`)) return true;
  const progress = await getSyncProgress(prisma, shop);
  const recent = Date.now() - STALE_MS;
  return progress.some((p) => ["PENDING", "RUNNING", "IMPORTING"].includes(p.status) && (p.startedAt?.getTime() ?? 0) > recent);
}

/**
 * "Sync now": reconciles (or, if the shop never finished a sync, imports) products, customers and
 * orders, then re-scores — so the admin's numbers catch up with Shopify.
 */
export async function startSync(shop: string): Promise<StartResult> {
  const { prisma } = await getDb();
  if (await syncInProgress(prisma, shop)) return { started: false, message: "A sync is already running." };
  const progress = await getSyncProgress(prisma, shop);
  const initial = progress.some((p) => p.status === "NEVER" || (p.status === "FAILED" && p.kind === "BULK"));
  if (env().REDIS_URL) {
    const { getJobQueue } = await import("../jobs/queue.server");
    const queue = await getJobQueue();
    await queue.enqueue(initial ? "sync.initial" : "sync.reconcile", {}, { shop });
    await queue.enqueue("scoring.run", {}, { shop });
    return { started: true, message: "Sync queued." };
  }
  const client = await adminClientForShop(shop);
  runInBackground(`sync:${shop}`, async () => {
    await (initial ? runInitialSync : reconcile)({ prisma, client }, shop);
    await runScoring({ prisma }, shop);
  });
  return { started: true, message: initial ? "Initial import started." : "Sync started." };
}

/** "Recompute": a scoring run on the data already synced. */
export async function startScoring(shop: string): Promise<StartResult> {
  const { prisma } = await getDb();
  const running = await prisma.modelRun.findFirst({
    where: { shop, status: "RUNNING", startedAt: { gt: new Date(Date.now() - STALE_MS) } },
    select: { id: true },
  });
  if (running || isRunningInBackground(`scoring:${shop}`)) return { started: false, message: "Scores are already being recomputed." };
  if (env().REDIS_URL) {
    const { getJobQueue } = await import("../jobs/queue.server");
    await (await getJobQueue()).enqueue("scoring.run", {}, { shop });
    return { started: true, message: "Recompute queued." };
  }
  runInBackground(`scoring:${shop}`, () => runScoring({ prisma }, shop));
  return { started: true, message: "Recomputing scores and recommendations." };
}
