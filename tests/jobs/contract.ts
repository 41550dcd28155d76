import { afterEach, expect, it } from "vitest";
import type { JobQueue } from "~/jobs/types";
import { PermanentJobError } from "~/jobs/types";
import { completions, deferred, nextEvent, withTimeout, yieldToOthers } from "./helpers";

/** Test jobs: any name, any data. */
type TestJobs = Record<string, unknown>;

export interface QueueFactory {
  /** A started-or-not queue with a fast backoff (base `backoffMs`). */
  create(opts: { concurrency?: number; defaultAttempts?: number; backoffMs: number }): JobQueue<TestJobs>;
}

/**
 * The behaviour both implementations promise (types.ts). Every wait is on an event or a promise
 * the handlers resolve, bounded by a timeout — never a sleep.
 */
export function jobQueueContract(factory: QueueFactory) {
  const open: JobQueue<TestJobs>[] = [];
  const make = (opts: { concurrency?: number; defaultAttempts?: number; backoffMs?: number } = {}) => {
    const queue = factory.create({ backoffMs: 5, ...opts });
    open.push(queue);
    return queue;
  };
  afterEach(async () => {
    await Promise.all(open.splice(0).map((q) => q.close({ timeoutMs: 2000 })));
  });

  it("retries with exponential backoff, then succeeds", async () => {
    const queue = make({ backoffMs: 5 });
    let calls = 0;
    const attempts: number[] = [];
    queue.registerHandler("flaky", async (_data, ctx) => {
      attempts.push(ctx.attempt);
      if (++calls < 3) throw new Error(`transient ${calls}`);
    });
    const failures: Array<{ attempt: number; final: boolean; retryInMs?: number }> = [];
    queue.on("failed", (e) => failures.push({ attempt: e.attempt, final: e.final, retryInMs: e.retryInMs }));
    await queue.start();
    const done = nextEvent(queue, "completed");
    await queue.enqueue("flaky", { n: 1 }, { shop: "a.myshopify.com", attempts: 5 });
    expect((await done).attempt).toBe(3);
    expect(attempts).toEqual([1, 2, 3]);
    expect(failures).toEqual([
      { attempt: 1, final: false, retryInMs: 5 },
      { attempt: 2, final: false, retryInMs: 10 },
    ]);
    const stats = await queue.stats();
    expect(stats).toMatchObject({ completed: 1, failed: 0, deadLettered: 0 });
  });

  it("dead-letters a job that exhausts its attempts, with its error", async () => {
    const queue = make();
    let calls = 0;
    queue.registerHandler("doomed", async () => {
      calls++;
      throw new Error("upstream said no");
    });
    await queue.start();
    const dead = nextEvent(queue, "dead");
    const { id } = await queue.enqueue("doomed", { orderId: 7 }, { shop: "a.myshopify.com", attempts: 3 });
    const letter = await dead;
    expect(calls).toBe(3);
    expect(letter).toMatchObject({
      id,
      name: "doomed",
      shop: "a.myshopify.com",
      data: { orderId: 7 },
      attemptsMade: 3,
    });
    expect(letter.error).toMatch(/upstream said no/);
    expect(Number.isNaN(Date.parse(letter.failedAt))).toBe(false);
    const letters = await queue.deadLetters();
    expect(letters).toHaveLength(1);
    expect(letters[0]).toMatchObject({ id, error: letter.error });
    await expect.poll(() => queue.stats(), { timeout: 5000 }).toMatchObject({ failed: 1, deadLettered: 1, active: 0 });
  });

  it("replays a dead letter once the cause is fixed", async () => {
    const queue = make();
    let broken = true;
    const seen: unknown[] = [];
    queue.registerHandler("fixable", async (data) => {
      if (broken) throw new Error("bug");
      seen.push(data);
    });
    await queue.start();
    const dead = nextEvent(queue, "dead");
    await queue.enqueue("fixable", { order: 9 }, { shop: "a.myshopify.com", attempts: 1, jobId: "fixable-9" });
    const letter = await dead;
    broken = false;
    const done = nextEvent(queue, "completed");
    expect(await queue.replayDeadLetter(letter.id)).toBe(true);
    expect((await done).shop).toBe("a.myshopify.com");
    expect(seen).toEqual([{ order: 9 }]);
    expect(await queue.deadLetters()).toEqual([]);
    expect(await queue.replayDeadLetter(letter.id)).toBe(false);
  });

  it("does not retry a PermanentJobError, nor a job without a handler", async () => {
    const queue = make();
    let calls = 0;
    queue.registerHandler("bad-input", async () => {
      calls++;
      throw new PermanentJobError("payload is not an order");
    });
    await queue.start();
    const first = nextEvent(queue, "dead", (d) => d.name === "bad-input");
    await queue.enqueue("bad-input", {}, { shop: "a.myshopify.com", attempts: 5 });
    expect((await first).error).toMatch(/payload is not an order/);
    expect(calls).toBe(1);
    const second = nextEvent(queue, "dead", (d) => d.name === "nobody-handles-this");
    await queue.enqueue("nobody-handles-this", {}, { shop: "a.myshopify.com", attempts: 5 });
    const letter = await second;
    expect(letter.error).toMatch(/No handler registered for job "nobody-handles-this"/);
    expect(letter.attemptsMade).toBe(1);
  });

  it("runs one job at a time per shop while other shops run in parallel", async () => {
    const queue = make({ concurrency: 4 });
    const active = new Map<string, number>();
    const maxActive = new Map<string, number>();
    let sawOtherShopInParallel = false;
    const bRanWhileABusy = deferred();
    queue.registerHandler("work", async (_data, ctx) => {
      const now = (active.get(ctx.shop) ?? 0) + 1;
      active.set(ctx.shop, now);
      maxActive.set(ctx.shop, Math.max(maxActive.get(ctx.shop) ?? 0, now));
      try {
        if (ctx.shop === "b.myshopify.com" && (active.get("a.myshopify.com") ?? 0) > 0) {
          sawOtherShopInParallel = true;
          bRanWhileABusy.resolve();
        }
        // A's first job holds its shop until a B job has run alongside it: with a global
        // concurrency of one this would never happen and the test would time out.
        if (ctx.shop === "a.myshopify.com")
          await withTimeout(bRanWhileABusy.promise, 10_000, "a job of shop B while A runs");
        for (let i = 0; i < 5; i++) await yieldToOthers();
      } finally {
        active.set(ctx.shop, active.get(ctx.shop)! - 1);
      }
    });
    const all = completions(queue, 9);
    for (let i = 0; i < 6; i++) await queue.enqueue("work", { i }, { shop: "a.myshopify.com" });
    for (let i = 0; i < 3; i++) await queue.enqueue("work", { i }, { shop: "b.myshopify.com" });
    await queue.start();
    expect(await all).toHaveLength(9);
    expect(maxActive.get("a.myshopify.com")).toBe(1);
    expect(maxActive.get("b.myshopify.com")).toBe(1);
    expect(sawOtherShopInParallel).toBe(true);
  });

  it("runs a job once when the same jobId is enqueued twice, even after it completed", async () => {
    const queue = make();
    let runs = 0;
    queue.registerHandler("webhook", async () => {
      runs++;
    });
    const a = await queue.enqueue("webhook", { v: 1 }, { shop: "a.myshopify.com", jobId: "webhook:abc-123" });
    const b = await queue.enqueue("webhook", { v: 2 }, { shop: "a.myshopify.com", jobId: "webhook:abc-123" });
    expect(b.id).toBe(a.id);
    const done = nextEvent(queue, "completed");
    await queue.start();
    await done;
    await queue.enqueue("webhook", { v: 3 }, { shop: "a.myshopify.com", jobId: "webhook:abc-123" });
    // Had the re-delivery been added it would now be waiting, active or completed.
    const stats = await queue.stats();
    expect(stats.waiting + stats.active + stats.delayed).toBe(0);
    expect(stats.completed).toBe(1);
    expect(runs).toBe(1);
  });

  it("close() waits for running jobs to finish", async () => {
    const queue = make();
    const release = deferred();
    const started = deferred();
    let finished = false;
    queue.registerHandler("long", async () => {
      started.resolve();
      await release.promise;
      finished = true;
    });
    await queue.start();
    await queue.enqueue("long", {}, { shop: "a.myshopify.com" });
    await withTimeout(started.promise, 10_000, "job start");
    let closed = false;
    const closing = queue.close({ timeoutMs: 10_000 }).then(() => (closed = true));
    for (let i = 0; i < 20; i++) await yieldToOthers();
    expect(closed).toBe(false);
    release.resolve();
    await closing;
    expect(finished).toBe(true);
  });

  it("reports a job as pending while it waits or runs, and reruns a finished id only when asked", async () => {
    const queue = make();
    const release = deferred();
    let runs = 0;
    queue.registerHandler("action", async () => {
      runs++;
      await release.promise;
    });
    await queue.start();
    expect(await queue.isPending("action-a")).toBe(false);
    const first = nextEvent(queue, "completed");
    await queue.enqueue("action", {}, { shop: "a.myshopify.com", jobId: "action-a", rerunFinished: true });
    expect(await queue.isPending("action-a")).toBe(true);
    // One job per id at a time: a second click while the first is pending is not added.
    await queue.enqueue("action", {}, { shop: "a.myshopify.com", jobId: "action-a", rerunFinished: true });
    release.resolve();
    await first;
    expect(await queue.isPending("action-a")).toBe(false);
    // Without the option a finished id still dedupes (webhook re-deliveries rely on that)…
    await queue.enqueue("action", {}, { shop: "a.myshopify.com", jobId: "action-a" });
    expect(await queue.isPending("action-a")).toBe(false);
    // …with it, the id runs again.
    const second = nextEvent(queue, "completed");
    await queue.enqueue("action", {}, { shop: "a.myshopify.com", jobId: "action-a", rerunFinished: true });
    await second;
    expect(runs).toBe(2);
  });
}
