/**
 * The in-process implementation of JobQueue (no REDIS_URL; docs/jobs.md). Longer than 300 lines
 * for the same reason as bullmq-queue.server.ts: one class, one interface, shared private state
 * (timers, the per-shop chains, dead letters); backoff, events and the clock are separate files.
 */
import { backoffDelay } from "./backoff";
import { systemClock, type Clock } from "./clock";
import { JobEventHub } from "./events";
import {
  errorMessage,
  PermanentJobError,
  type CloseOptions,
  type DeadLetter,
  type EnqueueOptions,
  type JobContext,
  type JobEvents,
  type JobHandler,
  type JobMap,
  type JobQueue,
  type JobStats,
  type ScheduleOptions,
} from "./types";

export interface MemoryQueueOptions {
  /** Jobs running at once across all shops (default 2). */
  concurrency?: number;
  defaultAttempts?: number;
  /** First retry delay; doubles per retry (default 1 s). */
  backoffMs?: number;
  clock?: Clock;
  /** Finished jobs remembered for `jobId` dedupe (default 10,000; oldest forgotten first). */
  keepFinished?: number;
  /** Dead letters kept (default 1,000). */
  keepDead?: number;
}

type State = "waiting" | "delayed" | "active" | "completed" | "failed";

interface MemoryJob {
  id: string;
  name: string;
  shop: string;
  data: unknown;
  attempts: number;
  attemptsMade: number;
  state: State;
  cancelTimer?: () => void;
}

/**
 * The job queue without Redis, for `npm start` (one process, PGlite). Same semantics as the BullMQ
 * queue, in memory: jobs do not survive a restart, which is acceptable there because the sync
 * reconciles on start-up and webhooks are re-delivered by Shopify when not acknowledged.
 *
 * Per-shop serialisation: the dispatcher takes the oldest ready job whose shop has nothing running,
 * so one shop's backlog never blocks other shops and each shop's jobs start in enqueue order.
 *
 * Over 300 lines on purpose: the job map, ready list, busy shops, timers and idle waiters are one
 * state machine that every method updates together; split up, each piece would need the others.
 */
export class InMemoryJobQueue<M extends JobMap = JobMap> implements JobQueue<M> {
  readonly kind = "memory" as const;
  private readonly concurrency: number;
  private readonly defaultAttempts: number;
  private readonly backoffMs: number;
  private readonly clock: Clock;
  private readonly keepFinished: number;
  private readonly keepDead: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- one map holds every job's handler; registerHandler types each entry.
  private readonly handlers = new Map<string, JobHandler<any>>();
  private readonly jobs = new Map<string, MemoryJob>();
  private readonly ready: MemoryJob[] = [];
  private readonly finishedOrder: string[] = [];
  private readonly dead: DeadLetter[] = [];
  private readonly busyShops = new Set<string>();
  private readonly running = new Map<string, AbortController>();
  private readonly scheduleTimers = new Map<string, () => void>();
  private readonly events = new JobEventHub();
  private counts = { completed: 0, failed: 0 };
  private nextId = 1;
  private started = false;
  private closing = false;
  private drained?: () => void;
  private readonly idleWaiters = new Set<() => void>();

  constructor(options: MemoryQueueOptions = {}) {
    this.concurrency = options.concurrency ?? 2;
    this.defaultAttempts = options.defaultAttempts ?? 5;
    this.backoffMs = options.backoffMs ?? 1000;
    this.clock = options.clock ?? systemClock;
    this.keepFinished = options.keepFinished ?? 10_000;
    this.keepDead = options.keepDead ?? 1000;
  }

  async enqueue<N extends keyof M & string>(name: N, data: M[N], opts: EnqueueOptions) {
    if (this.closing) throw new Error("Job queue is closed");
    const id = opts.jobId ?? `#${this.nextId++}`;
    const known = this.jobs.get(id);
    if (known && opts.rerunFinished && (known.state === "completed" || known.state === "failed")) this.forget(id);
    else if (known) return { id };
    const job: MemoryJob = {
      id,
      name,
      shop: opts.shop,
      data,
      attempts: Math.max(1, opts.attempts ?? this.defaultAttempts),
      attemptsMade: 0,
      state: "waiting",
    };
    this.jobs.set(id, job);
    if (opts.delayMs && opts.delayMs > 0) this.delay(job, opts.delayMs);
    else this.makeReady(job);
    return { id };
  }

  async schedule<N extends keyof M & string>(name: N, data: M[N], opts: ScheduleOptions) {
    if (this.closing) throw new Error("Job queue is closed");
    if (opts.cron !== undefined || !(opts.every! > 0)) {
      throw new Error("The in-process queue supports `every` schedules only; cron patterns need REDIS_URL (BullMQ)");
    }
    // No await before the timer is set: a close() in between would leave it running.
    this.scheduleTimers.get(opts.jobId)?.();
    // Each firing gets its own id (scheduler id + fire time, like BullMQ's `repeat:<id>:<ms>`), so
    // a firing while the previous run is still going is queued behind it rather than dropped.
    const fire = () => {
      if (this.closing) return;
      void this.enqueue(name, data, {
        shop: opts.shop,
        jobId: `${opts.jobId}@${this.clock.now()}`,
        attempts: opts.attempts,
      });
    };
    this.scheduleTimers.set(opts.jobId, this.clock.setInterval(fire, opts.every!));
  }

  async unschedule(jobId: string) {
    const cancel = this.scheduleTimers.get(jobId);
    cancel?.();
    return this.scheduleTimers.delete(jobId);
  }

  async schedules() {
    return [...this.scheduleTimers.keys()];
  }

  async isPending(jobId: string) {
    const state = this.jobs.get(jobId)?.state;
    return state === "waiting" || state === "delayed" || state === "active";
  }

  /**
   * Resolves once no job is ready or running (jobs chained by a handler are enqueued before it
   * finishes, so a whole sync → scoring → metafields chain counts). Delayed jobs (retry backoff,
   * `delayMs`) are not waited for, nor ready jobs of a queue that is not started or is closing
   * (nothing would run them). For tests and shutdown, in place of sleeping.
   */
  whenIdle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.add(resolve));
  }

  registerHandler<N extends keyof M & string>(name: N, handler: JobHandler<M[N]>) {
    this.handlers.set(name, handler);
  }

  async start() {
    this.started = true;
    this.pump();
  }

  async close(opts: CloseOptions = {}) {
    this.closing = true;
    for (const cancel of this.scheduleTimers.values()) cancel();
    this.scheduleTimers.clear();
    for (const job of this.jobs.values()) job.cancelTimer?.();
    if (this.running.size > 0) {
      const idle = new Promise<void>((resolve) => (this.drained = resolve));
      let cancelTimeout = () => {};
      const timedOut = new Promise<void>((resolve) => {
        cancelTimeout = this.clock.setTimeout(resolve, opts.timeoutMs ?? 25_000);
      });
      await Promise.race([idle, timedOut]);
      cancelTimeout();
      for (const controller of this.running.values()) controller.abort(new Error("job queue closing"));
    }
    this.notifyIdle();
  }

  async stats(): Promise<JobStats> {
    let delayed = 0;
    for (const job of this.jobs.values()) if (job.state === "delayed") delayed++;
    return {
      waiting: this.ready.length,
      active: this.running.size,
      delayed,
      completed: this.counts.completed,
      failed: this.counts.failed,
      deadLettered: this.dead.length,
    };
  }

  async deadLetters(limit = 100) {
    return this.dead.slice(-limit).reverse();
  }

  async replayDeadLetter(id: string) {
    const index = this.dead.findIndex((letter) => letter.id === id);
    if (index < 0) return false;
    const [letter] = this.dead.splice(index, 1);
    await this.enqueue(letter.name as keyof M & string, letter.data as M[keyof M & string], { shop: letter.shop });
    return true;
  }

  async removeShopJobs(shop: string, match: (job: { name: string; data: unknown }) => boolean = () => true) {
    let removed = 0;
    for (const [id, job] of this.jobs) {
      if (job.shop !== shop || job.state === "active" || !match(job)) continue;
      job.cancelTimer?.();
      const ready = this.ready.indexOf(job);
      if (ready >= 0) this.ready.splice(ready, 1);
      this.jobs.delete(id);
      removed++;
    }
    for (let i = this.dead.length - 1; i >= 0; i--) {
      if (this.dead[i].shop === shop && match(this.dead[i])) {
        this.dead.splice(i, 1);
        removed++;
      }
    }
    return removed;
  }

  on<E extends keyof JobEvents>(event: E, listener: (payload: JobEvents[E]) => void) {
    return this.events.on(event, listener);
  }

  private makeReady(job: MemoryJob) {
    job.cancelTimer = undefined;
    job.state = "waiting";
    this.ready.push(job);
    this.pump();
  }

  private delay(job: MemoryJob, ms: number) {
    job.state = "delayed";
    if (this.closing) return; // in-process jobs do not outlive the process
    job.cancelTimer = this.clock.setTimeout(() => this.makeReady(job), ms);
  }

  /** Starts ready jobs while there is capacity, skipping shops that already have one running. */
  private pump() {
    if (!this.started || this.closing) return;
    while (this.running.size < this.concurrency) {
      const index = this.ready.findIndex((job) => !this.busyShops.has(job.shop));
      if (index < 0) return;
      const [job] = this.ready.splice(index, 1);
      void this.run(job);
    }
  }

  private async run(job: MemoryJob) {
    const controller = new AbortController();
    job.state = "active";
    this.busyShops.add(job.shop);
    this.running.set(job.id, controller);
    const ctx: JobContext = {
      id: job.id,
      name: job.name,
      shop: job.shop,
      attempt: job.attemptsMade + 1,
      maxAttempts: job.attempts,
      signal: controller.signal,
    };
    try {
      // Let the dispatcher finish its loop before handler code runs.
      await Promise.resolve();
      const handler = this.handlers.get(job.name);
      if (!handler) throw new PermanentJobError(`No handler registered for job "${job.name}"`);
      await handler(job.data, ctx);
      this.finish(job, "completed");
      this.events.emit("completed", { id: job.id, name: job.name, shop: job.shop, attempt: ctx.attempt });
    } catch (error) {
      this.fail(job, error);
    } finally {
      this.running.delete(job.id);
      this.busyShops.delete(job.shop);
      if (this.running.size === 0) this.drained?.();
      this.pump();
      if (this.isIdle()) this.notifyIdle();
    }
  }

  private isIdle() {
    // Closing: nothing new starts, so only running jobs remain to finish.
    return this.running.size === 0 && (this.closing || !this.started || this.ready.length === 0);
  }

  private notifyIdle() {
    const waiters = [...this.idleWaiters];
    this.idleWaiters.clear();
    for (const resolve of waiters) resolve();
  }

  /** Drops a finished job's record (so its id can run again). */
  private forget(id: string) {
    this.jobs.delete(id);
    const index = this.finishedOrder.indexOf(id);
    if (index >= 0) this.finishedOrder.splice(index, 1);
  }

  private fail(job: MemoryJob, error: unknown) {
    job.attemptsMade++;
    const info = { id: job.id, name: job.name, shop: job.shop, attempt: job.attemptsMade, error: errorMessage(error) };
    const final = error instanceof PermanentJobError || job.attemptsMade >= job.attempts;
    if (!final) {
      const retryInMs = backoffDelay(this.backoffMs, job.attemptsMade);
      this.delay(job, retryInMs);
      this.events.emit("failed", { ...info, final, retryInMs });
      return;
    }
    this.finish(job, "failed");
    const letter: DeadLetter = {
      id: job.id,
      name: job.name,
      shop: job.shop,
      data: job.data,
      error: info.error,
      attemptsMade: job.attemptsMade,
      failedAt: new Date(this.clock.now()).toISOString(),
    };
    this.dead.push(letter);
    if (this.dead.length > this.keepDead) this.dead.shift();
    this.events.emit("failed", { ...info, final });
    this.events.emit("dead", letter);
  }

  /** Records the outcome; finished ids stay known (for dedupe) up to `keepFinished`. */
  private finish(job: MemoryJob, state: "completed" | "failed") {
    job.state = state;
    this.counts[state]++;
    this.finishedOrder.push(job.id);
    while (this.finishedOrder.length > this.keepFinished) this.jobs.delete(this.finishedOrder.shift()!);
  }
}
