import { describe, expect, it } from "vitest";
import { ManualClock } from "~/jobs/clock";
import { createJobQueue } from "~/jobs/index.server";
import { InMemoryJobQueue } from "~/jobs/memory-queue";
import { jobQueueContract } from "./contract";
import { deferred, nextEvent, withTimeout } from "./helpers";

describe("in-process job queue: contract", () => {
  jobQueueContract({ create: (opts) => createJobQueue<Record<string, unknown>>(opts) });
});

describe("in-process job queue: time", () => {
  it("is what createJobQueue returns without a Redis URL", () => {
    expect(createJobQueue().kind).toBe("memory");
  });

  it("waits out each backoff on the injected clock", async () => {
    const clock = new ManualClock(1_000_000);
    const queue = new InMemoryJobQueue<Record<string, unknown>>({ clock, backoffMs: 1000 });
    const startedAt: number[] = [];
    queue.registerHandler("flaky", async () => {
      startedAt.push(clock.now());
      if (startedAt.length < 3) throw new Error("not yet");
    });
    // Move time exactly by the announced delay each time a retry is scheduled.
    queue.on("failed", (e) => queueMicrotask(() => clock.advance(e.retryInMs!)));
    await queue.start();
    const done = nextEvent(queue, "completed");
    await queue.enqueue("flaky", {}, { shop: "a.myshopify.com", attempts: 4 });
    await done;
    expect(startedAt.map((t) => t - 1_000_000)).toEqual([0, 1000, 3000]);
    await queue.close();
    expect(clock.pending).toBe(0);
  });

  it("holds a delayed job until its time", async () => {
    const clock = new ManualClock();
    const queue = new InMemoryJobQueue<Record<string, unknown>>({ clock });
    let ran = false;
    queue.registerHandler("later", async () => {
      ran = true;
    });
    await queue.start();
    await queue.enqueue("later", {}, { shop: "a.myshopify.com", delayMs: 5000 });
    clock.advance(4999);
    expect(await queue.stats()).toMatchObject({ delayed: 1, waiting: 0, active: 0 });
    const done = nextEvent(queue, "completed");
    clock.advance(1);
    await done;
    expect(ran).toBe(true);
  });

  it("fires repeatable schedules on the clock, replaces on re-schedule, stops on unschedule", async () => {
    const clock = new ManualClock();
    const queue = new InMemoryJobQueue<{ tick: { v: number } }>({ clock });
    const runs: string[] = [];
    queue.registerHandler("tick", async (data, ctx) => {
      runs.push(`${ctx.shop}:${data.v}`);
    });
    await queue.start();
    await queue.schedule("tick", { v: 1 }, { shop: "a.myshopify.com", jobId: "tick-a", every: 60_000 });
    expect(await queue.schedules()).toEqual(["tick-a"]);
    clock.advance(59_999);
    expect(runs).toEqual([]);
    let done = nextEvent(queue, "completed");
    clock.advance(1);
    await done;
    expect(runs).toEqual(["a.myshopify.com:1"]);

    await queue.schedule("tick", { v: 2 }, { shop: "a.myshopify.com", jobId: "tick-a", every: 60_000 });
    expect(await queue.schedules()).toEqual(["tick-a"]);
    done = nextEvent(queue, "completed");
    clock.advance(60_000);
    await done;
    expect(runs).toEqual(["a.myshopify.com:1", "a.myshopify.com:2"]);

    expect(await queue.unschedule("tick-a")).toBe(true);
    clock.advance(600_000);
    expect(await queue.stats()).toMatchObject({ waiting: 0, active: 0, completed: 2 });
    await expect(
      queue.schedule("tick", { v: 3 }, { shop: "a.myshopify.com", jobId: "c", cron: "*/5 * * * *" }),
    ).rejects.toThrow(/cron/);
    await queue.close();
  });

  it("queues a firing behind a still-running run of the same shop instead of overlapping", async () => {
    const clock = new ManualClock();
    const queue = new InMemoryJobQueue<Record<string, unknown>>({ clock });
    const release = deferred();
    let active = 0;
    let maxActive = 0;
    let runs = 0;
    queue.registerHandler("slow", async () => {
      maxActive = Math.max(maxActive, ++active);
      runs++;
      if (runs === 1) await withTimeout(release.promise, 5000, "release");
      active--;
    });
    await queue.start();
    await queue.schedule("slow", {}, { shop: "a.myshopify.com", jobId: "slow", every: 1000 });
    clock.advance(1000);
    clock.advance(1000); // second firing while the first still runs
    expect(await queue.stats()).toMatchObject({ active: 1, waiting: 1 });
    const second = nextEvent(queue, "completed", (e) => e.id === "slow@2000");
    release.resolve();
    await second;
    expect(maxActive).toBe(1);
    await queue.close();
  });

  it("close() gives up after its timeout and aborts the running job's signal", async () => {
    const clock = new ManualClock();
    const queue = new InMemoryJobQueue<Record<string, unknown>>({ clock });
    const started = deferred();
    const aborted = deferred();
    queue.registerHandler("stuck", async (_d, ctx) => {
      ctx.signal.addEventListener("abort", () => aborted.resolve());
      started.resolve();
      await aborted.promise;
    });
    await queue.start();
    await queue.enqueue("stuck", {}, { shop: "a.myshopify.com" });
    await started.promise;
    const closing = queue.close({ timeoutMs: 1000 });
    clock.advance(1000);
    await closing;
    await withTimeout(aborted.promise, 1000, "abort");
    await expect(queue.enqueue("stuck", {}, { shop: "a.myshopify.com" })).rejects.toThrow(/closed/);
  });
});
