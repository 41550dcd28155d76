/**
 * The BullMQ implementation of JobQueue (docs/jobs.md). Longer than 300 lines on purpose: it is one
 * class implementing one interface, and its retry, per-shop lock, dead-letter and shutdown paths
 * share private state (the running map, the locks); split across files they would need that state
 * made public. The pure pieces (backoff, events, shop locks) already live in their own files.
 */
import { randomUUID } from "node:crypto";
import { DelayedError, Queue, UnrecoverableError, Worker, type Job } from "bullmq";
import { Redis } from "ioredis";
import { backoffDelay } from "./backoff";
import { JobEventHub } from "./events";
import { ShopLocks, type HeldShopLock } from "./shop-lock.server";
import {
  errorMessage,
  PermanentJobError,
  type CloseOptions,
  type DeadLetter,
  type EnqueueOptions,
  type JobEvents,
  type JobHandler,
  type JobMap,
  type JobQueue,
  type JobStats,
  type ScheduleOptions,
} from "./types";

export const QUEUE_NAME = "growthpilot";
export const DEAD_QUEUE_NAME = "growthpilot-dead";

export interface BullQueueOptions {
  redisUrl: string;
  /** Redis key prefix for every key this queue creates (default "gp"); tests use a random one. */
  prefix?: string;
  /** Jobs one worker process runs at once, across shops (default 4). */
  concurrency?: number;
  defaultAttempts?: number;
  /** First retry delay; doubles per retry (default 1 s). */
  backoffMs?: number;
  /** Per-shop lock TTL; a crashed worker's shop unblocks after this (default 30 s). */
  shopLockTtlMs?: number;
  /** First re-check delay for a job whose shop is busy; doubles per bounce up to 2 s (default 50 ms). */
  shopBusyRetryMs?: number;
  /**
   * BullMQ job lock: a job whose worker stops renewing it (crash, kill -9) is put back in the queue
   * by another worker's stalled-job check after about this long (default 30 s).
   */
  jobLockMs?: number;
}

/** What a BullMQ job carries: the shop travels with the data so workers can serialise on it. */
interface Envelope {
  shop: string;
  data: unknown;
}

/**
 * BullMQ job ids may not contain ":" (it separates key parts) nor look like integers (those are
 * BullMQ's own ids), so caller ids are escaped.
 */
export function bullJobId(id: string): string {
  const escaped = id.replace(/%/g, "%25").replace(/:/g, "%3A");
  return /^\d+$/.test(escaped) ? `id-${escaped}` : escaped;
}

/**
 * The production job queue: one BullMQ queue ("growthpilot") for every job of every shop, consumed
 * by any number of worker processes, plus a "growthpilot-dead" queue (no consumer) holding jobs
 * that exhausted their attempts. See docs/jobs.md for the design.
 *
 * Per-shop concurrency of one (BullMQ groups are a Pro feature): a worker that picks up a job first
 * takes the shop's Redis lock; if another job of that shop holds it, the job is moved back to
 * "delayed" for a short, growing, jittered interval without spending an attempt.
 */
export class BullJobQueue<M extends JobMap = JobMap> implements JobQueue<M> {
  readonly kind = "bullmq" as const;
  private readonly opts: Required<Omit<BullQueueOptions, "redisUrl">>;
  private readonly connection: Redis;
  private readonly queue: Queue;
  private readonly dead: Queue;
  private readonly locks: ShopLocks;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- one map holds every job's handler; registerHandler types each entry.
  private readonly handlers = new Map<string, JobHandler<any>>();
  private readonly running = new Map<string, { controller: AbortController; lock: HeldShopLock }>();
  private readonly idleWaiters = new Set<() => void>();
  private readonly events = new JobEventHub();
  private readonly workerId = randomUUID();
  private worker?: Worker;

  constructor(options: BullQueueOptions) {
    this.opts = {
      prefix: options.prefix ?? "gp",
      concurrency: options.concurrency ?? 4,
      defaultAttempts: options.defaultAttempts ?? 5,
      backoffMs: options.backoffMs ?? 1000,
      shopLockTtlMs: options.shopLockTtlMs ?? 30_000,
      shopBusyRetryMs: options.shopBusyRetryMs ?? 50,
      jobLockMs: options.jobLockMs ?? 30_000,
    };
    const { prefix } = this.opts;
    // maxRetriesPerRequest: null — commands wait through a reconnect instead of failing (BullMQ
    // requires it for workers); the connection name lets operators (and tests) find our clients.
    this.connection = new Redis(options.redisUrl, { maxRetriesPerRequest: null, connectionName: `${prefix}:jobs` });
    this.connection.on("error", () => {}); // reconnects on its own; BullMQ reports through the worker
    this.queue = new Queue(QUEUE_NAME, {
      connection: this.connection,
      prefix,
      defaultJobOptions: {
        attempts: this.opts.defaultAttempts,
        backoff: { type: "exponential", delay: this.opts.backoffMs },
        // Finished jobs are kept an hour: their ids dedupe bursts of re-deliveries, while lasting
        // webhook dedupe is the database's job (webhook ids are recorded with the writes). Failed
        // ones a day (final failures are dead-lettered anyway). Job data carries ids only —
        // webhook bodies wait in Postgres (WebhookInbox) — and redaction removes a shop's jobs.
        removeOnComplete: { age: 3600, count: 50_000 },
        removeOnFail: { age: 24 * 3600 },
      },
    });
    this.dead = new Queue(DEAD_QUEUE_NAME, { connection: this.connection, prefix });
    this.locks = new ShopLocks(this.connection, `${prefix}:${QUEUE_NAME}`, this.opts.shopLockTtlMs);
  }

  async enqueue<N extends keyof M & string>(name: N, data: M[N], opts: EnqueueOptions) {
    const envelope: Envelope = { shop: opts.shop, data };
    const jobId = opts.jobId === undefined ? undefined : bullJobId(opts.jobId);
    if (jobId && opts.rerunFinished) {
      // A finished job of this id is kept (retention above) and would dedupe the add: drop it.
      // Not atomic with the add, which is fine: `add` itself still dedupes a concurrent one.
      const state = await this.queue.getJobState(jobId);
      if (state === "completed" || state === "failed") await this.queue.remove(jobId).catch(() => 0);
    }
    const job = await this.queue.add(name, envelope, {
      jobId,
      delay: opts.delayMs,
      attempts: opts.attempts,
    });
    return { id: job.id! };
  }

  async schedule<N extends keyof M & string>(name: N, data: M[N], opts: ScheduleOptions) {
    const envelope: Envelope = { shop: opts.shop, data };
    await this.queue.upsertJobScheduler(
      bullJobId(opts.jobId),
      opts.cron !== undefined ? { pattern: opts.cron } : { every: opts.every },
      { name, data: envelope, opts: opts.attempts ? { attempts: opts.attempts } : {} },
    );
  }

  async unschedule(jobId: string) {
    return this.queue.removeJobScheduler(bullJobId(jobId));
  }

  async schedules() {
    const all = await this.queue.getJobSchedulers(0, -1, true);
    return all.map((s) => unescapeId(s.key));
  }

  async isPending(jobId: string) {
    const state = await this.queue.getJobState(bullJobId(jobId));
    return state !== "completed" && state !== "failed" && state !== "unknown";
  }

  registerHandler<N extends keyof M & string>(name: N, handler: JobHandler<M[N]>) {
    this.handlers.set(name, handler);
  }

  async start() {
    if (this.worker) return;
    this.worker = new Worker(QUEUE_NAME, (job, token) => this.process(job, token), {
      connection: this.connection,
      prefix: this.opts.prefix,
      concurrency: this.opts.concurrency,
      lockDuration: this.opts.jobLockMs,
      stalledInterval: this.opts.jobLockMs,
      name: this.workerId.slice(0, 8),
    });
    this.worker.on("error", (error) => console.error(`jobs: worker error: ${errorMessage(error)}`));
    this.worker.on("completed", (job) =>
      this.events.emit("completed", { ...this.info(job), attempt: job.attemptsMade }),
    );
    this.worker.on("failed", (job, error) => {
      if (!job) return;
      const final = isUnrecoverable(error) || job.attemptsMade >= (job.opts.attempts ?? 1);
      const retryInMs = final ? undefined : backoffDelay(this.opts.backoffMs, job.attemptsMade);
      this.events.emit("failed", {
        ...this.info(job),
        attempt: job.attemptsMade,
        error: errorMessage(error),
        final,
        retryInMs,
      });
      // Jobs that stalled too often fail without passing through `process`: dead-letter them here.
      if (final && /stalled/i.test(error.message)) void this.deadLetter(job, error).catch(() => {});
    });
    await this.worker.waitUntilReady();
  }

  async close(opts: CloseOptions = {}) {
    const worker = this.worker;
    if (worker) {
      // Stop fetching, then wait (bounded) for our running handlers. Not `worker.close()` with a
      // race: a graceful close cannot be turned into a forced one later in BullMQ 5.
      await worker.pause(true);
      const drained = await this.whenIdle(opts.timeoutMs ?? 25_000);
      if (!drained) {
        // Abandoned jobs are left exactly as a crash would leave them: their BullMQ lock and shop
        // lock lapse, another worker's stalled-job check re-queues them, and they run again.
        for (const { controller, lock } of this.running.values()) {
          lock.abandon();
          controller.abort(new Error("worker shutting down"));
        }
      }
      // Graceful close only waits for the completion writes of jobs that just finished.
      await worker.close(!drained);
    }
    await this.queue.close();
    await this.dead.close();
    await this.connection.quit().catch(() => this.connection.disconnect());
  }

  /** Resolves true once no handler runs, false after `timeoutMs`. */
  private whenIdle(timeoutMs: number): Promise<boolean> {
    if (this.running.size === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.idleWaiters.delete(check);
        resolve(false);
      }, timeoutMs);
      const check = () => {
        if (this.running.size > 0) return;
        clearTimeout(timer);
        this.idleWaiters.delete(check);
        resolve(true);
      };
      this.idleWaiters.add(check);
    });
  }

  async stats(): Promise<JobStats> {
    const c = await this.queue.getJobCounts(
      "wait",
      "paused",
      "prioritized",
      "active",
      "delayed",
      "completed",
      "failed",
    );
    return {
      waiting: c.wait + c.paused + c.prioritized,
      active: c.active,
      delayed: c.delayed,
      completed: c.completed,
      failed: c.failed,
      deadLettered: await this.dead.getWaitingCount(),
    };
  }

  async deadLetters(limit = 100): Promise<DeadLetter[]> {
    const jobs = await this.dead.getJobs(["waiting"], 0, limit - 1, false);
    return jobs.map((job) => job.data as DeadLetter);
  }

  async replayDeadLetter(id: string) {
    const record = await this.dead.getJob(deadLetterId(id));
    if (!record) return false;
    const letter = record.data as DeadLetter;
    // A fresh id: the original still sits in BullMQ's failed set and would dedupe a re-add.
    await this.queue.add(letter.name, { shop: letter.shop, data: letter.data } satisfies Envelope);
    await record.remove();
    return true;
  }

  async removeShopJobs(shop: string, match: (job: { name: string; data: unknown }) => boolean = () => true) {
    let removed = 0;
    // A scan of the queue: redactions are rare, and the queue is kept short by the retention above.
    for (const job of await this.queue.getJobs([
      "waiting",
      "delayed",
      "prioritized",
      "paused",
      "completed",
      "failed",
    ])) {
      const envelope = job?.data as Envelope | undefined;
      if (!job || envelope?.shop !== shop || !match({ name: job.name, data: envelope.data })) continue;
      try {
        await job.remove();
        removed++;
      } catch {
        // Became active meanwhile (locked): it finishes and expires with the retention above.
      }
    }
    for (const record of await this.dead.getJobs(["waiting"])) {
      const letter = record?.data as DeadLetter | undefined;
      if (!record || letter?.shop !== shop || !match({ name: letter.name, data: letter.data })) continue;
      await record.remove();
      removed++;
    }
    return removed;
  }

  on<E extends keyof JobEvents>(event: E, listener: (payload: JobEvents[E]) => void) {
    return this.events.on(event, listener);
  }

  private info(job: Job) {
    return { id: job.id!, name: job.name, shop: (job.data as Envelope).shop };
  }

  private async process(job: Job, token?: string) {
    const { shop, data } = job.data as Envelope;
    let lock: HeldShopLock | null;
    try {
      lock = await this.locks.acquire(shop, `${this.workerId}:${job.id}`);
    } catch (error) {
      return this.failAttempt(job, error);
    }
    if (!lock) return this.waitForShop(job, token);

    const controller = new AbortController();
    lock.onLost(() => controller.abort(new Error(`lost the lock for ${shop}`)));
    this.running.set(job.id!, { controller, lock });
    try {
      const handler = this.handlers.get(job.name);
      if (!handler) throw new PermanentJobError(`No handler registered for job "${job.name}"`);
      // The result is not returned to BullMQ, which would store it in Redis (see registry).
      await handler(data, {
        id: job.id!,
        name: job.name,
        shop,
        attempt: job.attemptsMade + 1,
        maxAttempts: job.opts.attempts ?? 1,
        signal: controller.signal,
      });
    } catch (error) {
      // `return await`, not `return`: the finally block below awaits, and an un-awaited rejected
      // promise would sit unobserved meanwhile (Node reports it as an unhandled rejection).
      return await this.failAttempt(job, error);
    } finally {
      this.running.delete(job.id!);
      await release(lock);
      for (const check of [...this.idleWaiters]) check();
    }
  }

  /** Dead-letters the job if this was its last attempt, then throws for BullMQ to record. */
  private async failAttempt(job: Job, error: unknown): Promise<never> {
    const err = error instanceof Error ? error : new Error(String(error));
    const permanent = err instanceof PermanentJobError;
    if (permanent || job.attemptsMade + 1 >= (job.opts.attempts ?? 1)) {
      // Written before BullMQ marks the job failed: a crash in between re-runs the job rather
      // than losing the record (the dead letter's id is derived from the job's, so no duplicate).
      await this.deadLetter(job, err, job.attemptsMade + 1);
    }
    throw permanent ? new UnrecoverableError(err.message) : err;
  }

  /** Re-queues a job whose shop is busy, without spending an attempt. */
  private async waitForShop(job: Job, token?: string): Promise<never> {
    const bounces = Math.max(0, job.attemptsStarted - job.attemptsMade - 1);
    const base = Math.min(2000, this.opts.shopBusyRetryMs * 2 ** Math.min(bounces, 10));
    const delay = Math.round(base * (0.5 + Math.random()));
    await job.moveToDelayed(Date.now() + delay, token);
    throw new DelayedError();
  }

  private async deadLetter(job: Job, error: Error, attemptsMade = job.attemptsMade) {
    const { shop, data } = job.data as Envelope;
    const letter: DeadLetter = {
      id: job.id!,
      name: job.name,
      shop,
      data,
      error: errorMessage(error),
      attemptsMade,
      failedAt: new Date().toISOString(),
    };
    await this.dead.add(job.name, letter, { jobId: deadLetterId(job.id!) });
    this.events.emit("dead", letter);
  }
}

/** Derived from the job's id, so recording the same failure twice keeps one record. */
function deadLetterId(jobId: string) {
  return `dead-${jobId.replace(/:/g, "|")}`;
}

/** Scheduler keys we created are `bullJobId`-escaped; anything else is shown as stored. */
function unescapeId(key: string) {
  try {
    return decodeURIComponent(key.replace(/^id-(?=\d+$)/, ""));
  } catch {
    return key;
  }
}

function isUnrecoverable(error: Error) {
  return error instanceof UnrecoverableError || error.name === "UnrecoverableError";
}

/** A failed release is harmless: the lock expires on its own after its TTL. */
async function release(lock: HeldShopLock) {
  await lock.release().catch(() => {});
}
