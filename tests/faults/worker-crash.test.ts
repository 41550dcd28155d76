import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateShop } from "../../devstore/generator";
import type { DsShop } from "../../devstore/model";
import { startDevStore, type DevStore } from "../../devstore/server";
import { createTestDatabase, type TestDatabase } from "../helpers/db";
import { expectedCounts } from "../services/sync/helpers";
import { duplicateGids, TEST_DATABASE_URL, waitFor } from "./helpers";
import { openDatabase } from "~/db/client.server";
import { countCatalog } from "~/models/catalog.server";
import { countCustomers } from "~/models/customers.server";
import { countOrders } from "~/models/orders.server";
import { getLatestSyncRun } from "~/models/sync-runs.server";
import { resumeSync } from "~/services/sync/shop-sync.server";
import { createAdminClient } from "~/shopify/admin-client.server";
import type { PrismaClient } from "@prisma/client";

/**
 * A sync process killed with SIGKILL in the middle of the orders import (no shutdown hook, no
 * rollback of anything but the open transaction) is resumed by another process: the counts equal
 * the stand-in's exactly and every order was upserted exactly once across both processes.
 */
const SHOP = "crash.myshopify.com";
const TOKEN = "shpat_crash_token";
const FIXTURE = path.join(__dirname, "fixtures", "sync-child.ts");
const BATCH = 10;

if (!TEST_DATABASE_URL)
  console.warn(
    "Skipping the Postgres crash test: TEST_DATABASE_URL is not set (CI sets postgresql://postgres@127.0.0.1:5432/postgres)",
  );

let store: DevStore;
let source: DsShop;

beforeAll(async () => {
  source = generateShop({
    domain: SHOP,
    seed: 17,
    products: 20,
    customers: 120,
    orders: 500,
    start: "2025-01-01T00:00:00Z",
    end: "2026-01-01T00:00:00Z",
  });
  source.accessTokens.add(TOKEN);
  // Real clock: the child process cannot share a virtual one.
  store = await startDevStore({
    port: 0,
    apiKey: "crash-key",
    apiSecret: "crash-secret",
    shops: [source],
    autoDeliverWebhooks: false,
    faults: { duplicateWebhookRate: 0 },
  });
});
afterAll(async () => {
  await store?.close();
});

interface Child {
  proc: ChildProcess;
  output: () => string;
  batches: () => { resource: string; linesProcessed: number }[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function startChild(env: Record<string, string>): Child {
  const childEnv: NodeJS.ProcessEnv = {
    ...process.env,
    ...env,
    STORE_URL: store.url,
    SHOP,
    TOKEN,
    BATCH_SIZE: String(BATCH),
    NODE_ENV: "test",
  };
  if (!env.DATABASE_URL) delete childEnv.DATABASE_URL;
  const proc = spawn(process.execPath, ["--import", "tsx", FIXTURE], {
    env: childEnv,
    stdio: ["ignore", "pipe", "pipe"],
    cwd: path.resolve(__dirname, "../.."),
  });
  let out = "";
  const batches: { resource: string; linesProcessed: number }[] = [];
  proc.stdout!.on("data", (chunk: Buffer) => {
    out += chunk.toString();
    for (const line of chunk.toString().split("\n")) {
      if (!line.startsWith("{")) continue;
      try {
        const msg = JSON.parse(line);
        if (msg.event === "batch") batches.push(msg);
      } catch {
        // a line split across chunks: the DB is the source of truth anyway
      }
    }
  });
  proc.stderr!.on("data", (chunk: Buffer) => (out += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    proc.on("exit", (code, signal) => resolve({ code, signal })),
  );
  return { proc, output: () => out, batches: () => batches, exited };
}

async function counts(prisma: PrismaClient) {
  const [catalog, customers, orders] = await Promise.all([
    countCatalog(prisma, SHOP),
    countCustomers(prisma, SHOP),
    countOrders(prisma, SHOP),
  ]);
  return { ...catalog, customers, ...orders };
}

async function resumeAndCheck(prisma: PrismaClient, committedBefore: number) {
  const client = createAdminClient({ shop: SHOP, accessToken: TOKEN, baseUrl: store.url });
  const resumed = await resumeSync({ prisma, client, batchSize: BATCH, pollIntervalMs: 10 }, SHOP);
  expect(resumed.map((r) => [r.resource, r.status, r.error])).toEqual([["orders", "COMPLETED", null]]);
  const run = (await getLatestSyncRun(prisma, SHOP, "orders", "BULK"))!;
  expect(run.linesProcessed).toBe(run.linesTotal);
  // Every order upserted exactly once across the killed process and the resuming one.
  expect(run.rowsUpserted).toBe(source.orders.size);
  expect(run.rowsUpserted).toBeGreaterThan(committedBefore);
  expect(await counts(prisma)).toEqual(expectedCounts(source));
  expect(await duplicateGids(prisma, SHOP)).toBe(0);
  // Lines of every order are whole (no order half-written by the killed transaction).
  const perOrder = await prisma.orderLine.groupBy({ by: ["orderGid"], where: { shop: SHOP }, _count: { _all: true } });
  for (const g of perOrder) expect(g._count._all).toBe(source.orders.get(g.orderGid)!.lineItems.length);
}

describe.skipIf(!TEST_DATABASE_URL)("sync process killed mid-import (Postgres)", () => {
  let db: TestDatabase;
  let child: Child | undefined;
  beforeAll(async () => {
    db = await createTestDatabase("postgres");
  });
  afterAll(async () => {
    if (child && child.proc.exitCode === null) child.proc.kill("SIGKILL");
    await db?.drop();
  });

  it("SIGKILL after some committed batches → resume gives exact counts, nothing twice", async () => {
    child = startChild({ DATABASE_URL: db.url! });
    // Watch the database, as an operator would: kill as soon as the orders import has committed
    // a few batches (it has ~45 to go, so the process is mid-run, usually mid-transaction).
    const committed = await waitFor(
      async () => {
        if (child!.proc.exitCode !== null) throw new Error(`child exited early:\n${child!.output()}`);
        const run = await db.prisma.syncRun.findFirst({ where: { shop: SHOP, resource: "orders", kind: "BULK" } });
        return run && run.linesProcessed > 0 && run.rowsUpserted >= 3 * BATCH ? run : null;
      },
      "orders batches to commit",
      60_000,
      10,
    );
    child.proc.kill("SIGKILL");
    expect(await child.exited).toMatchObject({ signal: "SIGKILL" });

    const killed = (await getLatestSyncRun(db.prisma, SHOP, "orders", "BULK"))!;
    // The killed process left the run unfinished, with a checkpoint at a record boundary.
    expect(killed.status).toBe("IMPORTING");
    expect(killed.linesProcessed).toBeGreaterThanOrEqual(committed.linesProcessed);
    expect(killed.linesProcessed).toBeLessThan(killed.linesTotal!);
    // Only committed batches are visible: rows = the checkpoint's count, never a partial batch.
    expect((await countOrders(db.prisma, SHOP)).orders).toBe(killed.rowsUpserted);
    await resumeAndCheck(db.prisma, killed.rowsUpserted);
  });
});

describe("sync process killed mid-import (PGlite data directory)", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "gp-crash-"));
  let child: Child | undefined;
  afterAll(() => {
    if (child && child.proc.exitCode === null) child.proc.kill("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  });

  it("SIGKILL after some committed batches → reopening the directory and resuming gives exact counts", async () => {
    child = startChild({ PGLITE_DIR: dir });
    // PGlite is single-process: progress comes from the child's per-batch lines instead of the DB.
    await waitFor(
      async () => {
        if (child!.proc.exitCode !== null) throw new Error(`child exited early:\n${child!.output()}`);
        return child!.batches().filter((b) => b.resource === "orders").length >= 3;
      },
      "orders batches to commit",
      60_000,
      10,
    );
    child.proc.kill("SIGKILL");
    await child.exited;
    const db = await openDatabase({ dataDir: dir });
    try {
      const killed = (await getLatestSyncRun(db.prisma, SHOP, "orders", "BULK"))!;
      expect(killed.status).toBe("IMPORTING");
      expect((await countOrders(db.prisma, SHOP)).orders).toBe(killed.rowsUpserted);
      await resumeAndCheck(db.prisma, 0);
    } finally {
      await db.close();
    }
  });
});
