import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { BullJobQueue, bullJobId, DEAD_QUEUE_NAME, QUEUE_NAME } from "~/jobs/bullmq-queue.server";
import { createJobQueue } from "~/jobs/index.server";
import type { JobQueue } from "~/jobs/types";
import { jobQueueContract } from "./contract";
import {
  completions,
  countKeys,
  deferred,
  deleteKeys,
  killConnections,
  nextEvent,
  redisReachable,
  TEST_REDIS_URL,
  testPrefix,
  withTimeout,
} from "./helpers";

const reachable = await redisReachable();
if (!reachable)
  console.warn(`Skipping BullMQ job tests: Redis is not reachable at ${TEST_REDIS_URL} (set TEST_REDIS_URL)`);

type TestJobs = Record<string, unknown>;
const prefixes = new Set<string>();

/** Each queue gets its own key prefix; all of them are deleted (and checked gone) at the end. */
function bullQueue(
  opts: {
    prefix?: string;
    concurrency?: number;
    defaultAttempts?: number;
    backoffMs?: number;
    jobLockMs?: number;
    shopLockTtlMs?: number;
  } = {},
) {
  const prefix = opts.prefix ?? testPrefix();
  prefixes.add(prefix);
  return new BullJobQueue<TestJobs>({ redisUrl: TEST_REDIS_URL, backoffMs: 5, ...opts, prefix });
}

afterAll(async () => {
  for (const prefix of prefixes) {
    await deleteKeys(prefix);
    expect(await countKeys(prefix)).toBe(0);
  }
});

describe.skipIf(!reachable)("BullMQ job queue: contract", () => {
  jobQueueContract({ create: (opts) => bullQueue(opts) });
});

describe.skipIf(!reachable)("BullMQ job queue", () => {
  const open: JobQueue<TestJobs>[] = [];
  const track = <Q extends JobQueue<TestJobs>>(q: Q) => (open.push(q), q);
  afterEach(async () => {
    await Promise.all(open.splice(0).map((q) => q.close({ timeoutMs: 2000 })));
  });

  it("is what createJobQueue returns with a Redis URL", async () => {
    const prefix = testPrefix();
    prefixes.add(prefix);
    const queue = track(createJobQueue<TestJobs>({ redisUrl: TEST_REDIS_URL, prefix }));
    expect(queue.kind).toBe("bullmq");
  });

  it("escapes caller job ids into ids BullMQ accepts", () => {
    expect(bullJobId("webhook:abc:def")).toBe("webhook%3Aabc%3Adef");
    expect(bullJobId("12345")).toBe("id-12345");
    expect(bullJobId("100%")).toBe("100%25");
  });

  it("keeps one job per shop across two worker processes sharing Redis", async () => {
    const prefix = testPrefix();
    const workers = [bullQueue({ prefix, concurrency: 3 }), bullQueue({ prefix, concurrency: 3 })].map(track);
    const active = new Map<string, number>();
    const maxActive = new Map<string, number>();
    let overlapAcrossShops = 0;
    let started = deferred();
    for (const queue of workers) {
      queue.registerHandler("work", async (_d, ctx) => {
        const now = (active.get(ctx.shop) ?? 0) + 1;
        active.set(ctx.shop, now);
        maxActive.set(ctx.shop, Math.max(maxActive.get(ctx.shop) ?? 0, now));
        if ([...active.values()].filter((n) => n > 0).length > 1) overlapAcrossShops++;
        const mine = started;
        started = deferred();
        mine.resolve();
        // Hold the shop until another job starts (or briefly): the window in which a broken lock
        // would let a second job of the same shop in. The assertion itself counts, it never times.
        await Promise.race([started.promise, new Promise((r) => setTimeout(r, 100))]);
        active.set(ctx.shop, active.get(ctx.shop)! - 1);
      });
    }
    let completed = 0;
    const allDone = deferred();
    for (const queue of workers) queue.on("completed", () => ++completed === 15 && allDone.resolve());
    const shops = ["a.myshopify.com", "b.myshopify.com", "c.myshopify.com"];
    for (let i = 0; i < 5; i++) for (const shop of shops) await workers[0].enqueue("work", { i }, { shop });
    await Promise.all(workers.map((q) => q.start()));
    await withTimeout(allDone.promise, 20_000, "15 jobs");
    for (const shop of shops) expect(maxActive.get(shop)).toBe(1);
    expect(overlapAcrossShops).toBeGreaterThan(0);
    expect(await workers[0].stats()).toMatchObject({ completed: 15, failed: 0, active: 0, waiting: 0, delayed: 0 });
  });

  it("moves exhausted jobs to the growthpilot-dead queue", async () => {
    const queue = track(bullQueue());
    queue.registerHandler("doomed", async () => {
      throw new Error("still broken");
    });
    await queue.start();
    const dead = nextEvent(queue, "dead");
    await queue.enqueue("doomed", { x: 1 }, { shop: "a.myshopify.com", attempts: 2, jobId: "doomed:1" });
    await dead;
    const prefix = [...prefixes].at(-1)!;
    const connection = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
    const raw = new Queue(DEAD_QUEUE_NAME, { connection, prefix });
    try {
      const [job] = await raw.getJobs(["waiting"]);
      expect(job.id).toBe("dead-doomed%3A1");
      expect(job.data).toMatchObject({ name: "doomed", shop: "a.myshopify.com", data: { x: 1 }, attemptsMade: 2 });
      expect(job.data.error).toMatch(/still broken/);
    } finally {
      await raw.close();
      connection.disconnect();
    }
  });

  it("registers a repeatable schedule that fires, and removes it", async () => {
    const queue = track(bullQueue());
    const fired = deferred<{ shop: string; data: unknown }>();
    queue.registerHandler("sync.reconcile", async (data, ctx) => fired.resolve({ shop: ctx.shop, data }));
    await queue.schedule(
      "sync.reconcile",
      { full: false },
      { shop: "a.myshopify.com", jobId: "reconcile-a.myshopify.com", every: 60_000 },
    );
    await queue.schedule(
      "sync.reconcile",
      { full: false },
      { shop: "a.myshopify.com", jobId: "reconcile-a.myshopify.com", every: 60_000 },
    );
    await queue.schedule("sync.reconcile", {}, { shop: "b.myshopify.com", jobId: "nightly-b", cron: "0 3 * * *" });
    expect((await queue.schedules()).sort()).toEqual(["nightly-b", "reconcile-a.myshopify.com"]);
    await queue.start();
    // An `every` scheduler's first job is due at once; the cron one only at 03:00.
    expect(await withTimeout(fired.promise, 10_000, "scheduled job")).toEqual({
      shop: "a.myshopify.com",
      data: { full: false },
    });
    expect(await queue.unschedule("reconcile-a.myshopify.com")).toBe(true);
    expect(await queue.unschedule("nightly-b")).toBe(true);
    expect(await queue.schedules()).toEqual([]);
  });

  it("waits for a shop lock left by a crashed worker to expire", async () => {
    const prefix = testPrefix();
    const queue = track(bullQueue({ prefix }));
    const redis = new Redis(TEST_REDIS_URL);
    try {
      // A dead worker's lock: nobody renews it, so it lapses after its TTL.
      await redis.set(`${prefix}:${QUEUE_NAME}:shop-lock:a.myshopify.com`, "dead-worker:1", "PX", 300);
      let ran = 0;
      queue.registerHandler("work", async () => {
        ran++;
      });
      await queue.start();
      const done = nextEvent(queue, "completed");
      await queue.enqueue("work", {}, { shop: "a.myshopify.com" });
      await done;
      expect(ran).toBe(1);
      expect(await redis.exists(`${prefix}:${QUEUE_NAME}:shop-lock:a.myshopify.com`)).toBe(0);
    } finally {
      redis.disconnect();
    }
  });

  it("re-runs a job whose worker died mid-job on another worker", async () => {
    const prefix = testPrefix();
    const locks = { jobLockMs: 800, shopLockTtlMs: 800 };
    const dying = bullQueue({ prefix, ...locks });
    const survivor = track(bullQueue({ prefix, ...locks }));
    const hang = deferred();
    const startedOnDying = deferred();
    dying.registerHandler("sync", async () => {
      startedOnDying.resolve();
      await hang.promise; // never finishes by itself: the process "dies" with the job in hand
    });
    const ranOnSurvivor = deferred<number>();
    survivor.registerHandler("sync", async (_d, ctx) => ranOnSurvivor.resolve(ctx.attempt));
    try {
      await dying.start();
      await dying.enqueue("sync", {}, { shop: "a.myshopify.com", jobId: "initial-a" });
      await withTimeout(startedOnDying.promise, 10_000, "job start");
      // Shutdown that times out = what a crash leaves behind: the job active in Redis with a lapsing
      // BullMQ lock, and the shop lock no longer renewed.
      await dying.close({ timeoutMs: 10 });
      await survivor.start();
      // Stalled: the job lock lapses; the retry is not a failed attempt.
      expect(await withTimeout(ranOnSurvivor.promise, 15_000, "job re-run on the survivor")).toBe(1);
    } finally {
      hang.resolve();
    }
  });

  it("recovers when Redis drops its connections mid-job", async () => {
    const prefix = testPrefix();
    const queue = track(bullQueue({ prefix, concurrency: 2 }));
    const gate = deferred();
    const firstStarted = deferred();
    let runs = 0;
    queue.registerHandler("work", async (payload) => {
      const data = payload as { i: number };
      runs++;
      if (data.i === 0) {
        firstStarted.resolve();
        await gate.promise;
      }
    });
    queue.on("failed", () => {});
    const errors = console.error;
    console.error = () => {}; // the worker reports the dropped connection; expected here
    try {
      await queue.start();
      const all = completions(queue, 6, 20_000);
      await queue.enqueue("work", { i: 0 }, { shop: "a.myshopify.com" });
      await withTimeout(firstStarted.promise, 10_000, "first job");
      expect(await killConnections(prefix)).toBeGreaterThanOrEqual(2);
      for (let i = 1; i < 6; i++)
        await queue.enqueue("work", { i }, { shop: i % 2 ? "b.myshopify.com" : "a.myshopify.com" });
      gate.resolve();
      expect(await all).toHaveLength(6);
      expect(runs).toBe(6);
    } finally {
      console.error = errors;
    }
  });
});
