import type { PrismaClient } from "@prisma/client";
import { afterEach, describe, expect, it } from "vitest";
import { InMemoryJobQueue } from "~/jobs/memory-queue";
import { APP_JOB_NAMES, registerAppHandlers, type AppJobs, type ServiceLoader } from "~/jobs/registry.server";
import { reconcileScheduleId, SHOP_SCHEDULES, syncReconcileSchedules, syncShopSchedules } from "~/jobs/schedules.server";
import type { AdminClient } from "~/shopify/admin-client.server";
import { nextEvent } from "./helpers";

const prisma = { fake: "prisma" } as unknown as PrismaClient;
const clientFor = (shop: string) => ({ fake: "client", shop }) as unknown as AdminClient;
const SHOP = "a.myshopify.com";

describe("registerAppHandlers", () => {
  const queues: InMemoryJobQueue<AppJobs>[] = [];
  afterEach(async () => {
    await Promise.all(queues.splice(0).map((q) => q.close()));
  });

  /** A queue with the app's handlers over fake services; `calls` records what they received. */
  async function setup(services: Partial<Record<Parameters<ServiceLoader>[0], Record<string, unknown>>>) {
    const calls: Array<{ fn: string; args: unknown[] }> = [];
    const record = (fn: string, result?: unknown) => async (...args: unknown[]) => {
      calls.push({ fn, args });
      return result;
    };
    const loaded: Record<string, Record<string, unknown>> = {
      // A first sync that failed: nothing is chained after it (the chain has its own test).
      sync: { runInitialSync: record("runInitialSync", [{ resource: "orders", status: "FAILED" }]), reconcile: record("reconcile") },
      webhooks: { processWebhook: record("processWebhook") },
      metafields: { syncRecommendationMetafields: record("syncRecommendationMetafields") },
      scoring: { runScoring: record("runScoring", { runId: "run-7", customers: 3, lists: 9 }) },
      automations: { runAutomations: record("runAutomations") },
      ...services,
    };
    const queue = new InMemoryJobQueue<AppJobs>({ backoffMs: 1, defaultAttempts: 2 });
    queues.push(queue);
    registerAppHandlers(queue, {
      prisma,
      adminFor: async (shop) => clientFor(shop),
      load: async (module) => {
        const mod = loaded[module];
        if (!mod) throw Object.assign(new Error(`Cannot find module '${module}'`), { code: "ERR_MODULE_NOT_FOUND" });
        return mod;
      },
    });
    await queue.start();
    return { queue, calls };
  }

  async function runOne<N extends keyof AppJobs>(queue: InMemoryJobQueue<AppJobs>, name: N, data: AppJobs[N]) {
    const done = nextEvent(queue, "completed");
    await queue.enqueue(name, data, { shop: SHOP });
    return done;
  }

  it("passes each service the shop and the deps it needs", async () => {
    const { queue, calls } = await setup({});
    await runOne(queue, "sync.initial", {});
    await runOne(queue, "sync.reconcile", {});
    await runOne(queue, "webhook.process", { topic: "orders/create", webhookId: "w1", eventId: "e1" });
    const chained = nextEvent(queue, "completed", (e) => e.name === "metafields.write");
    await runOne(queue, "scoring.run", { asOf: "2026-11-01T00:00:00.000Z" });
    expect((await chained).id).toBe("metafields-run-7");
    await runOne(queue, "automation.run", { automationId: "auto-1" });
    const client = clientFor(SHOP);
    expect(calls).toEqual([
      { fn: "runInitialSync", args: [{ prisma, client }, SHOP] },
      { fn: "reconcile", args: [{ prisma, client }, SHOP] },
      // Ids only (the body waits in Postgres); the queue, to purge jobs after a redaction.
      { fn: "processWebhook", args: [{ prisma, queue }, { shop: SHOP, topic: "orders/create", webhookId: "w1", eventId: "e1" }] },
      { fn: "runScoring", args: [{ prisma, now: expect.any(Function) }, SHOP] },
      { fn: "syncRecommendationMetafields", args: [{ db: prisma, client }, SHOP, "run-7"] },
      { fn: "runAutomations", args: [{ prisma, db: prisma, client }, SHOP, { automationId: "auto-1" }] },
    ]);
    const scoringDeps = calls[3].args[0] as { now: () => Date };
    expect(scoringDeps.now().toISOString()).toBe("2026-11-01T00:00:00.000Z");
  });

  it("chains scoring (and so the metafield write) after a first sync that completed", async () => {
    const completed = [{ resource: "products", status: "COMPLETED" }, { resource: "orders", status: "COMPLETED" }];
    const { queue, calls } = await setup({ sync: { runInitialSync: async () => completed, reconcile: async () => [] } });
    const metafields = nextEvent(queue, "completed", (e) => e.name === "metafields.write");
    const first = await queue.enqueue("sync.initial", {}, { shop: SHOP, jobId: "sync-initial-x" });
    expect((await metafields).id).toBe("metafields-run-7");
    expect(calls.map((c) => c.fn)).toEqual(["runScoring", "syncRecommendationMetafields"]);
    expect(first.id).toBe("sync-initial-x");
  });

  it("registers a handler for every app job name", async () => {
    const names: string[] = [];
    const queue = { registerHandler: (name: string) => names.push(name) } as unknown as InMemoryJobQueue<AppJobs>;
    registerAppHandlers(queue, { prisma, adminFor: async (s) => clientFor(s) });
    expect(names.sort()).toEqual([...APP_JOB_NAMES].sort());
  });

  it("fails a job at once, with a clear error, when its service module is missing", async () => {
    const { queue } = await setup({ scoring: undefined });
    const dead = nextEvent(queue, "dead");
    await queue.enqueue("scoring.run", {}, { shop: SHOP, attempts: 5 });
    const letter = await dead;
    expect(letter.attemptsMade).toBe(1);
    expect(letter.error).toMatch(/scoring\.run: cannot load \.\.\/services\/scoring\/run\.server \(Cannot find module 'scoring'\)/);
  });

  it("fails a job at once when the module lacks the expected export", async () => {
    const { queue } = await setup({ automations: { somethingElse: () => {} } });
    const dead = nextEvent(queue, "dead");
    await queue.enqueue("automation.run", {}, { shop: SHOP, attempts: 5 });
    expect((await dead).error).toMatch(/automations\.server has no exported function runAutomations\(\)/);
  });

  it("refuses metafields.write without a run id", async () => {
    const { queue } = await setup({});
    const dead = nextEvent(queue, "dead");
    await queue.enqueue("metafields.write", {} as AppJobs["metafields.write"], { shop: SHOP, attempts: 5 });
    expect((await dead).error).toMatch(/runId is required/);
  });
});

describe("syncReconcileSchedules", () => {
  it("adds schedules for installed shops and removes those of uninstalled ones", async () => {
    const queue = new InMemoryJobQueue<AppJobs>();
    try {
      await queue.schedule("sync.reconcile", {}, { shop: "gone.myshopify.com", jobId: reconcileScheduleId("gone.myshopify.com"), every: 1000 });
      await queue.schedule("scoring.run", {}, { shop: "gone.myshopify.com", jobId: "nightly-scoring", every: 1000 });
      expect(await syncReconcileSchedules(queue, ["a.myshopify.com", "b.myshopify.com"], 60_000)).toEqual({ added: 2, removed: 1 });
      expect((await queue.schedules()).sort()).toEqual(["nightly-scoring", "reconcile-a.myshopify.com", "reconcile-b.myshopify.com"]);
      expect(await syncReconcileSchedules(queue, ["a.myshopify.com", "b.myshopify.com"], 60_000)).toEqual({ added: 0, removed: 0 });
    } finally {
      await queue.close();
    }
  });
});

describe("syncShopSchedules", () => {
  it("gives every installed shop its reconcile, scoring and automation schedules, idempotently", async () => {
    const queue = new InMemoryJobQueue<AppJobs>();
    try {
      await queue.schedule("scoring.run", {}, { shop: "gone.myshopify.com", jobId: "scoring-gone.myshopify.com", every: 1000 });
      expect(await syncShopSchedules(queue, ["a.myshopify.com"])).toEqual({ added: SHOP_SCHEDULES.length, removed: 1 });
      expect((await queue.schedules()).sort()).toEqual(["automations-a.myshopify.com", "reconcile-a.myshopify.com", "scoring-a.myshopify.com"]);
      expect(await syncShopSchedules(queue, ["a.myshopify.com"])).toEqual({ added: 0, removed: 0 });
    } finally {
      await queue.close();
    }
  });
});
