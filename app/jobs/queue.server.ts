import { getDb } from "../db.server";
import { env } from "../env.server";
import { listInstalledShops } from "../models/shops.server";
import { adminClientFor } from "./deps.server";
import { createJobQueue } from "./index.server";
import type { InMemoryJobQueue } from "./memory-queue";
import type { AppJobs } from "./names";
import { registerAppHandlers } from "./registry.server";
import { keepShopSchedulesInSync, type ShopScheduleKeeper } from "./schedules.server";
import type { CloseOptions, JobQueue } from "./types";

// On globalThis: this module is loaded twice in one process (server entry + Remix bundle), and
// two in-process queues would each run handlers, breaking per-shop serialisation.
const KEY = Symbol.for("growthpilot.jobQueue");
interface Opened {
  queue: JobQueue<AppJobs>;
  schedules?: ShopScheduleKeeper;
}
const holder = globalThis as { [KEY]?: Promise<Opened> };

/**
 * The web process's job queue, created once; every background job of the app — webhooks, the
 * install pipeline, admin actions, schedules — is enqueued here. With REDIS_URL it only produces
 * (the `npm run worker` processes consume and keep the schedules); without it, it is the
 * in-process queue and also runs the app's handlers and the per-shop schedules here, which is how
 * `npm start` works in one process.
 */
export async function getJobQueue(): Promise<JobQueue<AppJobs>> {
  holder[KEY] ??= (async () => {
    const queue = createJobQueue<AppJobs>({ redisUrl: env().REDIS_URL, prefix: env().JOBS_PREFIX });
    if (queue.kind !== "memory") return { queue };
    const { prisma } = await getDb();
    registerAppHandlers(queue, { prisma, adminFor: adminClientFor(prisma) });
    await queue.start();
    const schedules = await keepShopSchedulesInSync(queue, () => listInstalledShops(prisma));
    return { queue, schedules };
  })();
  return (await holder[KEY]).queue;
}

/**
 * Resolves once the in-process queue has nothing ready or running (see `whenIdle`), so tests can
 * wait for "Sync now" and its chain instead of sleeping. With Redis the jobs run in worker
 * processes; there is nothing in this process to wait for.
 */
export async function waitForJobsIdle(): Promise<void> {
  const opening = holder[KEY];
  if (!opening) return;
  const { queue } = await opening;
  // By `kind`, not instanceof: the Remix bundle has its own copy of the class (see KEY above).
  if (queue.kind === "memory") await (queue as InMemoryJobQueue<AppJobs>).whenIdle();
}

/** Closes the queue if it was opened (on shutdown, before `closeDb`: running jobs still need it). */
export async function closeJobQueue(opts?: CloseOptions): Promise<void> {
  const opening = holder[KEY];
  if (!opening) return;
  holder[KEY] = undefined;
  const { queue, schedules } = await opening;
  schedules?.stop();
  await queue.close(opts);
}
