import type { AppJobs } from "./names";
import type { JobQueue } from "./types";

/** Reconcile every 15 minutes: webhooks are at-least-once but not guaranteed; this catches misses. */
export const RECONCILE_EVERY_MS = 15 * 60_000;

/** Scheduler id of a shop's periodic reconcile. */
export const reconcileScheduleId = (shop: string) => `reconcile-${shop}`;

/**
 * Makes the set of reconcile schedules match the installed shops: adds missing ones, removes those
 * of uninstalled shops. Idempotent (a scheduler id is upserted, never duplicated), so every worker
 * process can run it at start-up and periodically without coordination.
 */
export async function syncReconcileSchedules(
  queue: JobQueue<AppJobs>,
  installedShops: string[],
  everyMs = RECONCILE_EVERY_MS,
): Promise<{ added: number; removed: number }> {
  const wanted = new Map(installedShops.map((shop) => [reconcileScheduleId(shop), shop]));
  const existing = (await queue.schedules()).filter((id) => id.startsWith("reconcile-"));
  let removed = 0;
  for (const id of existing) {
    if (!wanted.has(id) && (await queue.unschedule(id))) removed++;
  }
  let added = 0;
  for (const [id, shop] of wanted) {
    if (!existing.includes(id)) added++;
    // Upsert even when present so a changed interval takes effect.
    await queue.schedule("sync.reconcile", {}, { shop, jobId: id, every: everyMs });
  }
  return { added, removed };
}
