/**
 * The job interface shared by the BullMQ (Redis) and in-process implementations. Everything the
 * app does in the background — sync, webhook processing, scoring, metafield writes, automations —
 * goes through it, so `npm start` (one process, PGlite) and production (web + worker processes,
 * Postgres + Redis) run the same handlers with the same guarantees:
 * - retries with exponential backoff, then a dead-letter record carrying the error;
 * - per-shop concurrency of one: two jobs for the same shop never run at the same time;
 * - `jobId` dedupes: a job whose id is already known (waiting, running or recently finished) is
 *   not added again;
 * - repeatable schedules identified by a scheduler id (re-scheduling replaces, never duplicates).
 */

/** Job name → data type. */
export type JobMap = Record<string, unknown>;

export interface EnqueueOptions {
  /** The shop the job works on; jobs of one shop run one at a time. */
  shop: string;
  /** Dedupe key: enqueueing an id that is already known is a no-op. */
  jobId?: string;
  /** Run no earlier than this many milliseconds from now. */
  delayMs?: number;
  /** Total attempts including the first (default: the queue's `defaultAttempts`). */
  attempts?: number;
  /**
   * With `jobId`: a job of that id that already finished (completed or failed) is replaced by this
   * one instead of deduping it, while a waiting, delayed or running one still dedupes — one job
   * per id at a time. For merchant actions ("Sync now") that may run again once done.
   */
  rerunFinished?: boolean;
}

/** A repeatable schedule: a fixed interval, or a cron pattern (BullMQ only). */
export type ScheduleOptions = {
  shop: string;
  /** Scheduler id; scheduling the same id again replaces the schedule. */
  jobId: string;
  attempts?: number;
} & ({ every: number; cron?: never } | { cron: string; every?: never });

export interface JobContext {
  id: string;
  name: string;
  shop: string;
  /** 1-based attempt number. */
  attempt: number;
  maxAttempts: number;
  /**
   * Aborted when the job should stop early: shutdown timed out, or (BullMQ) the per-shop lock was
   * lost so another worker may start a job for the same shop. Long handlers should pass it on.
   */
  signal: AbortSignal;
}

export type JobHandler<D> = (data: D, ctx: JobContext) => Promise<unknown>;

export interface JobStats {
  /** Ready to run (includes jobs waiting for their shop's turn in the in-process queue). */
  waiting: number;
  active: number;
  /** Not yet due: `delayMs`, backoff before a retry, or (BullMQ) waiting for the shop lock. */
  delayed: number;
  completed: number;
  /** Exhausted all attempts (or failed permanently). */
  failed: number;
  /** Records in the dead-letter store (`growthpilot-dead` with BullMQ). */
  deadLettered: number;
}

/** A job that exhausted its attempts, kept with its error for inspection and replay. */
export interface DeadLetter {
  id: string;
  name: string;
  shop: string;
  data: unknown;
  error: string;
  attemptsMade: number;
  failedAt: string;
}

export interface JobInfo {
  id: string;
  name: string;
  shop: string;
}

export interface JobEvents {
  completed: JobInfo & { attempt: number };
  /** Every failed attempt; `final` = no retry follows (the job is dead-lettered). */
  failed: JobInfo & { attempt: number; error: string; final: boolean; retryInMs?: number };
  dead: DeadLetter;
}

export interface CloseOptions {
  /** Wait this long for running jobs, then abort their signals and stop (default 25 s). */
  timeoutMs?: number;
}

export interface JobQueue<M extends JobMap = JobMap> {
  readonly kind: "bullmq" | "memory";
  enqueue<N extends keyof M & string>(name: N, data: M[N], opts: EnqueueOptions): Promise<{ id: string }>;
  schedule<N extends keyof M & string>(name: N, data: M[N], opts: ScheduleOptions): Promise<void>;
  unschedule(jobId: string): Promise<boolean>;
  /** Scheduler ids currently registered. */
  schedules(): Promise<string[]>;
  /** True while a job with this id is waiting, delayed (incl. a retry's backoff) or running. */
  isPending(jobId: string): Promise<boolean>;
  registerHandler<N extends keyof M & string>(name: N, handler: JobHandler<M[N]>): void;
  /** Starts processing (a producer-only process, e.g. a web server with Redis, never calls it). */
  start(): Promise<void>;
  /** Stops taking jobs, waits for running ones (bounded), releases timers and connections. */
  close(opts?: CloseOptions): Promise<void>;
  stats(): Promise<JobStats>;
  /** Newest first. */
  deadLetters(limit?: number): Promise<DeadLetter[]>;
  /**
   * Enqueues a dead letter's job again (fresh id, full attempts) and removes the record; false if
   * no such record. For after the cause was fixed — an operator action, not an automatic retry.
   */
  replayDeadLetter(id: string): Promise<boolean>;
  /**
   * Removes the shop's jobs that are not running (waiting, delayed, completed, failed) and its dead
   * letters for which `match` holds — e.g. everything of a shop on shop/redact, or what mentions a
   * customer on customers/redact — so no redacted data lingers in the queue store. Returns the count.
   */
  removeShopJobs(shop: string, match?: (job: { name: string; data: unknown }) => boolean): Promise<number>;
  /** Subscribes to this process's job events; returns the unsubscribe function. */
  on<E extends keyof JobEvents>(event: E, listener: (payload: JobEvents[E]) => void): () => void;
}

/** Thrown by a handler (or the runner) for failures a retry cannot fix: dead-lettered at once. */
export class PermanentJobError extends Error {
  override name = "PermanentJobError";
}

/** Error text for logs and dead letters: the message only, never payloads. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
