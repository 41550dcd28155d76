import type { AppJobs } from "./names";
import type { JobQueue } from "./types";

/** Reconcile every 15 minutes: webhooks are at-least-once but not guaranteed; this catches misses. */
export const RECONCILE_EVERY_MS = 15 * 60_000;

/** A periodic per-shop job. */
export interface ShopSchedule {
  /** Scheduler id prefix; the id is `${prefix}-${shop}`. */
  prefix: string;
  name: "sync.reconcile" | "scoring.run" | "automation.run";
  everyMs: number;
}

/**
 * What every installed shop runs periodically: reconciliation; a daily scoring run (scores and
 * recommendations follow the newest orders; its handler chains the metafield write); an hourly
 * automation check (each automation decides whether its daily/weekly period is due).
 */
export const SHOP_SCHEDULES: readonly ShopSchedule[] = [
  { prefix: "reconcile", name: "sync.reconcile", everyMs: RECONCILE_EVERY_MS },
  { prefix: "scoring", name: "scoring.run", everyMs: 24 * 60 * 60_000 },
  { prefix: "automations", name: "automation.run", everyMs: 60 * 60_000 },
];

/** Scheduler id of a shop's periodic reconcile. */
export const reconcileScheduleId = (shop: string) => `reconcile-${shop}`;

/**
 * Makes the set of schedules match the installed shops: adds missing ones, removes those of
 * uninstalled shops. Idempotent (a scheduler id is upserted, never duplicated), so every worker
 * process can run it at start-up and periodically without coordination.
 */
export async function syncShopSchedules(
  queue: JobQueue<AppJobs>,
  installedShops: string[],
  schedules: readonly ShopSchedule[] = SHOP_SCHEDULES,
): Promise<{ added: number; removed: number }> {
  let added = 0;
  let removed = 0;
  const all = await queue.schedules();
  for (const spec of schedules) {
    const id = (shop: string) => `${spec.prefix}-${shop}`;
    const wanted = new Map(installedShops.map((shop) => [id(shop), shop]));
    const existing = all.filter((s) => s.startsWith(`${spec.prefix}-`));
    for (const s of existing) {
      if (!wanted.has(s) && (await queue.unschedule(s))) removed++;
    }
    for (const [jobId, shop] of wanted) {
      if (!existing.includes(jobId)) added++;
      // Upsert even when present so a changed interval takes effect.
      await queue.schedule(spec.name, {}, { shop, jobId, every: spec.everyMs });
    }
  }
  return { added, removed };
}

/** Reconciliation schedules only (kept for callers that want just the catch-up pass). */
export function syncReconcileSchedules(queue: JobQueue<AppJobs>, installedShops: string[], everyMs = RECONCILE_EVERY_MS) {
  return syncShopSchedules(queue, installedShops, [{ prefix: "reconcile", name: "sync.reconcile", everyMs }]);
}
