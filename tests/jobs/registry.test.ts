import type { PrismaClient } from "@prisma/client";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { InMemoryJobQueue } from "~/jobs/memory-queue";
import { APP_JOB_NAMES, registerAppHandlers, type AppJobs } from "~/jobs/registry.server";
import { makeOrder } from "../../devstore/factories";
import { restOrder } from "../../devstore/webhook-payloads";
import type { AdminClient } from "~/shopify/admin-client.server";
import { createTestDatabase, type TestDatabase } from "../helpers/db";
import { startGeneratedStore } from "../services/sync/helpers";
import { nextEvent } from "./helpers";

const SHOP = "registry.myshopify.com";

describe("registerAppHandlers", () => {
  it("registers a handler for every app job name", () => {
    const names: string[] = [];
    const queue = { registerHandler: (name: string) => names.push(name) } as unknown as InMemoryJobQueue<AppJobs>;
    registerAppHandlers(queue, { prisma: {} as PrismaClient, adminFor: async () => ({}) as AdminClient });
    expect(names.sort()).toEqual([...APP_JOB_NAMES].sort());
  });
});

/**
 * The handlers over the real services: a PGlite database and a generated shop in the Shopify
 * stand-in (the only injected dependency is the Admin client for it, and instant bulk polling).
 */
describe("app jobs over the real services", () => {
  let db: TestDatabase;
  let env: Awaited<ReturnType<typeof startGeneratedStore>>;
  let queue: InMemoryJobQueue<AppJobs>;

  // A fresh database, stand-in and queue per test; each test runs the install pipeline it builds on.
  beforeEach(async () => {
    db = await createTestDatabase("pglite");
    env = await startGeneratedStore({ domain: SHOP, products: 12, customers: 40, orders: 160 });
    queue = new InMemoryJobQueue<AppJobs>({ backoffMs: 1, defaultAttempts: 2 });
    registerAppHandlers(queue, {
      prisma: db.prisma,
      adminFor: async () => env.client,
      sync: { sleep: env.sleep, pollIntervalMs: 1 },
    });
    await queue.start();
  });
  afterEach(async () => {
    await queue?.close();
    await env?.store.close();
    await db?.drop();
  });

  const metafieldsWritten = () => nextEvent(queue, "completed", (e) => e.name === "metafields.write", 60_000);
  const appMetafieldCount = () => [...env.shop.products.values()].reduce((n, p) => n + p.metafields.length, 0);
  const metafieldCheckpoint = (runId: string) =>
    db.prisma.syncRun.findFirst({
      where: { shop: SHOP, kind: "METAFIELDS", id: { contains: runId } },
      select: { status: true },
    });

  /** The install pipeline: first sync → scoring → storefront metafields; resolves with the last job. */
  async function install() {
    const done = metafieldsWritten();
    await queue.enqueue("sync.initial", {}, { shop: SHOP, jobId: "sync-initial-registry" });
    return done;
  }

  it("runs the install pipeline: first sync → scoring → storefront metafields", async () => {
    const written = await install();
    expect(written.id).toMatch(/^metafields-/);
    expect(await db.prisma.order.count({ where: { shop: SHOP } })).toBe(env.shop.orders.size);
    const run = await db.prisma.modelRun.findFirstOrThrow({ where: { shop: SHOP }, orderBy: { startedAt: "desc" } });
    expect(run.status).toBe("COMPLETED");
    expect(written.id).toBe(`metafields-${run.id}`);
    expect(await metafieldCheckpoint(run.id)).toEqual({ status: "COMPLETED" });
    expect(appMetafieldCount()).toBeGreaterThan(0);
  });

  it("continues a reconcile with scoring and metafields only when asked, every time it is asked", async () => {
    await install();
    const runs = () => db.prisma.modelRun.count({ where: { shop: SHOP } });
    const before = await runs();
    const plain = nextEvent(queue, "completed", (e) => e.name === "sync.reconcile");
    await queue.enqueue("sync.reconcile", {}, { shop: SHOP });
    await plain;
    await queue.whenIdle();
    expect(await runs()).toBe(before);

    // "Sync now" twice, one after the other, under the same job id: each ends with its own write.
    const opts = { shop: SHOP, jobId: "admin-sync-registry", rerunFinished: true };
    for (const expected of [before + 1, before + 2]) {
      const done = metafieldsWritten();
      await queue.enqueue("sync.reconcile", { rescore: true }, opts);
      const written = await done;
      expect(await runs()).toBe(expected);
      const latest = await db.prisma.modelRun.findFirstOrThrow({
        where: { shop: SHOP },
        orderBy: { startedAt: "desc" },
      });
      expect(written.id).toBe(`metafields-${latest.id}`);
    }
  });

  it("scores as of the job's date, and refuses a bad date or a metafield write without a run", async () => {
    await install();
    const done = metafieldsWritten();
    await queue.enqueue("scoring.run", { asOf: "2025-12-01T00:00:00.000Z" }, { shop: SHOP });
    await done;
    const run = await db.prisma.modelRun.findFirstOrThrow({ where: { shop: SHOP }, orderBy: { startedAt: "desc" } });
    expect(run.asOf.toISOString()).toBe("2025-12-01T00:00:00.000Z");

    const badDate = nextEvent(queue, "dead");
    await queue.enqueue("scoring.run", { asOf: "not a date" }, { shop: SHOP, attempts: 5 });
    expect(await badDate).toMatchObject({ attemptsMade: 1, error: expect.stringMatching(/invalid asOf/) });
    const noRun = nextEvent(queue, "dead");
    await queue.enqueue("metafields.write", {} as AppJobs["metafields.write"], { shop: SHOP, attempts: 5 });
    expect(await noRun).toMatchObject({ attemptsMade: 1, error: expect.stringMatching(/runId is required/) });
  });

  it("an order webhook job rescores the customer inline and chains scoring.customer for their for-you metafield", async () => {
    await install();
    const score = await db.prisma.customerScore.findFirstOrThrow({
      where: { shop: SHOP },
      orderBy: { customerGid: "asc" },
    });
    const customer = env.shop.customers.get(score.customerGid)!;
    const variant = [...env.shop.variants.values()].find((v) => !env.shop.products.get(v.productId)?.isGiftCard)!;
    const order = makeOrder(env.shop, {
      customer,
      lines: [{ variant, quantity: 1 }],
      // After the install's run (its asOf): an order that run could not have seen.
      createdAt: new Date(Date.now() - 5).toISOString(),
    });
    customer.metafields = [];
    const followed = nextEvent(queue, "completed", (e) => e.name === "scoring.customer");
    await queue.enqueue(
      "webhook.process",
      { topic: "orders/create", webhookId: "registry-order-1", payload: restOrder(env.shop, order) },
      { shop: SHOP },
    );
    expect((await followed).id).toBe(`rescore-${SHOP}-${score.customerGid}`);
    const after = await db.prisma.customerScore.findUniqueOrThrow({
      where: { shop_customerGid: { shop: SHOP, customerGid: score.customerGid } },
    });
    expect(after.scoredAt.getTime()).toBeGreaterThan(score.scoredAt.getTime());
    expect(after.explanation).toMatch(/today/);
    expect(customer.metafields.map((m) => m.key)).toEqual(["for_you"]);
  });
});
