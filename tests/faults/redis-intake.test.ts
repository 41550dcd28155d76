import { createHmac, randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { orderPayload } from "../helpers/webhook-payloads";
import { countKeys, deleteKeys, killConnections, redisReachable, TEST_REDIS_URL, testPrefix } from "../jobs/helpers";
import { createTestDatabase, TEST_DATABASE_URL, type TestDatabase } from "../helpers/db";
import { waitFor } from "./helpers";
import type { JobQueue } from "~/jobs/types";
import type { AppJobs } from "~/jobs/names";

/**
 * Production webhook path with Redis: the real route (Shopify's HMAC check) → intake → BullMQ
 * (REDIS_URL set, so the web process only enqueues) → a consumer running the app's handlers →
 * Postgres. Every Redis connection of the web producer and the consumer is killed (`CLIENT KILL ID`
 * for the clients named with this test's prefix, as a Redis restart would) with jobs waiting:
 * every webhook accepted before and after the drop is applied exactly once.
 */
const reachable = await redisReachable();
if (!reachable) console.warn(`Skipping the Redis intake fault test: Redis is not reachable at ${TEST_REDIS_URL}`);

const SECRET = "redis-intake-secret";
const SHOP = "redis-intake.myshopify.com";
const prefix = testPrefix();
const dataDir = mkdtempSync(path.join(tmpdir(), "gp-redis-intake-"));

type Action = (args: { request: Request; params: Record<string, string>; context: unknown }) => Promise<Response>;

describe.skipIf(!reachable)("webhook intake through Redis survives dropped Redis connections", () => {
  let db: TestDatabase | undefined;
  let action: Action;
  let consumer: JobQueue<AppJobs>;
  let prisma: import("@prisma/client").PrismaClient;
  let closeJobQueue: () => Promise<void>;
  let closeDb: () => Promise<void>;

  beforeAll(async () => {
    if (TEST_DATABASE_URL) db = await createTestDatabase("postgres");
    process.env.SHOPIFY_API_SECRET = SECRET;
    process.env.SHOPIFY_API_KEY = "redis-intake-key";
    process.env.REDIS_URL = TEST_REDIS_URL;
    process.env.JOBS_PREFIX = prefix;
    process.env.DATA_DIR = dataDir;
    if (db) process.env.DATABASE_URL = db.url;
    else delete process.env.DATABASE_URL;
    delete process.env.DEMO_MODE;
    ({ action } = (await import("~/routes/webhooks")) as unknown as { action: Action });
    const dbModule = await import("~/db.server");
    closeDb = dbModule.closeDb;
    ({ prisma } = await dbModule.getDb());
    ({ closeJobQueue } = await import("~/jobs/queue.server"));
    // The worker side: what `npm run worker` does, in-process (tests/jobs covers the real process).
    const { BullJobQueue } = await import("~/jobs/bullmq-queue.server");
    const { registerAppHandlers } = await import("~/jobs/registry.server");
    // A job in flight when its connection drops loses its lock and comes back through BullMQ's
    // stalled-job check about `jobLockMs` later. With the 30 s default that recovery alone could use
    // the whole wait below whenever a slow (loaded) machine still had jobs active at the drop; a 5 s
    // lock keeps the recovery path under test and inside the wait.
    consumer = new BullJobQueue<AppJobs>({
      redisUrl: TEST_REDIS_URL!,
      prefix,
      concurrency: 4,
      backoffMs: 20,
      jobLockMs: 5_000,
    });
    registerAppHandlers(consumer, {
      prisma,
      adminFor: async () => {
        throw new Error("no Admin API in this test");
      },
    });
  });
  afterAll(async () => {
    await consumer?.close({ timeoutMs: 5_000 });
    await closeJobQueue?.();
    await closeDb?.();
    await db?.drop();
    rmSync(dataDir, { recursive: true, force: true });
    await deleteKeys(prefix);
    expect(await countKeys(prefix)).toBe(0);
  });

  /** An order without a customer (this suite is about delivery, not customers). */
  const order = (id: number) => ({ ...orderPayload(id), email: null, customer: null });

  async function deliver(id: number, webhookId = randomUUID()): Promise<number> {
    const body = JSON.stringify(order(id));
    const request = new Request("http://localhost:3000/webhooks", {
      method: "POST",
      body,
      headers: {
        "content-type": "application/json",
        "x-shopify-topic": "orders/create",
        "x-shopify-hmac-sha256": createHmac("sha256", SECRET).update(body).digest("base64"),
        "x-shopify-shop-domain": SHOP,
        "x-shopify-api-version": "2026-10",
        "x-shopify-webhook-id": webhookId,
        "x-shopify-event-id": randomUUID(),
        "x-shopify-triggered-at": new Date().toISOString(),
      },
    });
    try {
      return (await action({ request, params: {}, context: {} })).status;
    } catch (thrown) {
      if (thrown instanceof Response) return thrown.status;
      throw thrown;
    }
  }

  it("jobs enqueued before the drop and after it are all applied exactly once", async () => {
    // 20 deliveries (5 of them delivered twice) accepted while no consumer runs: they wait in Redis.
    const ids = Array.from({ length: 20 }, (_, i) => 5000 + i);
    const webhookIds = ids.map(() => randomUUID());
    for (const [i, id] of ids.entries()) expect(await deliver(id, webhookIds[i])).toBe(200);
    for (let i = 0; i < 5; i++) expect(await deliver(ids[i], webhookIds[i])).toBe(200);
    expect(await prisma.order.count({ where: { shop: SHOP } })).toBe(0);

    // Start consuming, then drop every Redis connection of the producer and the consumer.
    await consumer.start();
    const killed = await killConnections(prefix);
    expect(killed).toBeGreaterThanOrEqual(2);

    // The web process keeps accepting: its connection reconnects.
    const later = Array.from({ length: 10 }, (_, i) => 6000 + i);
    for (const id of later) expect(await deliver(id)).toBe(200);
    // A second drop while jobs are in flight.
    expect(await killConnections(prefix)).toBeGreaterThanOrEqual(2);

    await waitFor(
      async () => (await prisma.order.count({ where: { shop: SHOP } })) === 30,
      "all 30 orders to be applied",
      30_000,
    );
    await waitFor(async () => (await consumer.stats()).active === 0, "the queue to drain", 10_000);
    expect(await prisma.webhookEvent.count({ where: { shop: SHOP } })).toBe(30);
    expect(await prisma.orderLine.count({ where: { shop: SHOP } })).toBe(30);
    expect((await consumer.stats()).deadLettered).toBe(0);
  });
});
