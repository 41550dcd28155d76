import { systemClock, type Clock } from "./clock";
import type { AppJobs } from "./names";
import { errorMessage, type JobQueue } from "./types";

/** Reconcile every 15 minutes: webhooks are at-least-once but not guaranteed; this catches misses. */
export const RECONCILE_EVERY_MS = 15 * 60_000;

/** A periodic per-shop job. */
export interface ShopSchedule {
  /** Scheduler id prefix; the id is `${prefix}-${shop}`. */
  prefix: string;
  name: "sync.reconcile" | "scoring.check" | "automation.run" | "webhooks.prune" | "data.retention";
  everyMs: number;
}

const DAY_MS = 24 * 60 * 60_000;

/**
 * What every installed shop runs periodically, in both modes (the Redis worker and the one-process
 * `npm start`): reconciliation; a refit check every 15 minutes (`scoring.check`: a full scoring run
 * once the last one is a day old or enough orders arrived since — decided from the database, so a
 * restarted process does not wait a fresh day; each customer's own scores follow their webhooks at
 * once, D36; the run's handler chains the metafield write); an hourly automation check (each automation
 * decides whether its daily/weekly period is due); daily housekeeping — webhook dedupe records
 * past their window, and orders past the merchant's retention setting.
 */
export const SHOP_SCHEDULES: readonly ShopSchedule[] = [
  { prefix: "reconcile", name: "sync.reconcile", everyMs: RECONCILE_EVERY_MS },
  { prefix: "scoring", name: "scoring.check", everyMs: 15 * 60_000 },
  { prefix: "automations", name: "automation.run", everyMs: 60 * 60_000 },
  { prefix: "webhooks-prune", name: "webhooks.prune", everyMs: DAY_MS },
  { prefix: "retention", name: "data.retention", everyMs: DAY_MS },
];

/** How often the schedules are matched to the installed shops again (installs, uninstalls). */
export const RESCHEDULE_EVERY_MS = 10 * 60_000;

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

export interface ShopScheduleKeeper {
  /** Stops the periodic re-matching (the queue's own schedules are cleared by its `close()`). */
  stop(): void;
}

/**
 * Matches the schedules to the installed shops now and then every `everyMs`, on `clock` (timers
 * are unref'd: they never keep the process alive). The worker and the in-process queue both run
 * this, so `npm start` gets the same schedules as production. Failures are logged (message only)
 * and retried on the next tick.
 */
export async function keepShopSchedulesInSync(
  queue: JobQueue<AppJobs>,
  listShops: () => Promise<string[]>,
  opts: { clock?: Clock; everyMs?: number; log?: (line: string) => void } = {},
): Promise<ShopScheduleKeeper> {
  const log = opts.log ?? ((line: string) => console.log(line));
  let stopped = false;
  let passing = false;
  const reschedule = async () => {
    // One pass at a time: a slow database must not pile passes up (skipped ticks catch up next time).
    if (stopped || passing) return;
    passing = true;
    try {
      const { added, removed } = await syncShopSchedules(queue, await listShops());
      if (added || removed) log(`jobs: shop schedules +${added} -${removed}`);
    } catch (error) {
      // After stop() the queue may be closing under an in-flight pass: nothing to report.
      if (!stopped) log(`jobs: could not update shop schedules: ${errorMessage(error)}`);
    } finally {
      passing = false;
    }
  };
  await reschedule();
  const cancel = (opts.clock ?? systemClock).setInterval(() => void reschedule(), opts.everyMs ?? RESCHEDULE_EVERY_MS);
  return {
    stop() {
      stopped = true;
      cancel();
    },
  };
}
