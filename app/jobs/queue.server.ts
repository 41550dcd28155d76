import { getDb } from "../db.server";
import { env } from "../env.server";
import { adminClientFor } from "./deps.server";
import { createJobQueue } from "./index.server";
import type { AppJobs } from "./names";
import { registerAppHandlers } from "./registry.server";
import type { CloseOptions, JobQueue } from "./types";

// On globalThis: this module is loaded twice in one process (server entry + Remix bundle), and
// two in-process queues would each run handlers, breaking per-shop serialisation.
const KEY = Symbol.for("growthpilot.jobQueue");
const holder = globalThis as { [KEY]?: Promise<JobQueue<AppJobs>> };

/**
 * The web process's job queue, created once. With REDIS_URL it only produces (the `npm run worker`
 * processes consume); without it, it is the in-process queue and also runs the app's handlers here,
 * which is how `npm start` works in one process.
 */
export function getJobQueue(): Promise<JobQueue<AppJobs>> {
  holder[KEY] ??= (async () => {
    const queue = createJobQueue<AppJobs>({ redisUrl: env().REDIS_URL, prefix: env().JOBS_PREFIX });
    if (queue.kind === "memory") {
      const { prisma } = await getDb();
      registerAppHandlers(queue, { prisma, adminFor: adminClientFor(prisma) });
      await queue.start();
    }
    return queue;
  })();
  return holder[KEY];
}

/** Closes the queue if it was opened (on shutdown, before `closeDb`: running jobs still need it). */
export async function closeJobQueue(opts?: CloseOptions): Promise<void> {
  const opening = holder[KEY];
  if (!opening) return;
  holder[KEY] = undefined;
  const queue = await opening;
  await queue.close(opts);
}
