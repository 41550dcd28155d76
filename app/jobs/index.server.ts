import { BullJobQueue } from "./bullmq-queue.server";
import type { Clock } from "./clock";
import { InMemoryJobQueue } from "./memory-queue";
import type { AppJobs } from "./names";
import type { JobMap, JobQueue } from "./types";

export * from "./types";
export type { AppJobs, AppJobName } from "./names";

export interface CreateJobQueueOptions {
  /** Redis URL: BullMQ when set, the in-process queue otherwise. */
  redisUrl?: string;
  /** Redis key prefix (BullMQ only; default "gp"). */
  prefix?: string;
  /** Jobs run at once by this process, across shops. */
  concurrency?: number;
  defaultAttempts?: number;
  backoffMs?: number;
  /** In-process queue only: injected time for tests. */
  clock?: Clock;
}

/**
 * The job queue for this process: BullMQ when REDIS_URL is configured (web processes enqueue,
 * `npm run worker` processes consume), otherwise the in-process queue that `npm start` runs next
 * to the web server. Callers pass `env().REDIS_URL`; nothing here reads the environment.
 */
export function createJobQueue<M extends JobMap = AppJobs>(options: CreateJobQueueOptions = {}): JobQueue<M> {
  const { redisUrl, prefix, concurrency, defaultAttempts, backoffMs, clock } = options;
  if (redisUrl) return new BullJobQueue<M>({ redisUrl, prefix, concurrency, defaultAttempts, backoffMs });
  return new InMemoryJobQueue<M>({ concurrency, defaultAttempts, backoffMs, clock });
}
