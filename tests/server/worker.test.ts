import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { BullJobQueue } from "~/jobs/bullmq-queue.server";
import type { AppJobs } from "~/jobs/names";
import { countKeys, deleteKeys, redisReachable, TEST_REDIS_URL, testPrefix, withTimeout } from "../jobs/helpers";

const reachable = await redisReachable();
if (!reachable) console.warn(`Skipping the worker process test: Redis is not reachable at ${TEST_REDIS_URL}`);

/**
 * `npm run worker` end to end: a real process (tsx, embedded PGlite in a temp dir) consumes jobs a
 * producer enqueues, dead-letters a bad one through the app's registry, and exits 0 on SIGTERM.
 */
describe.skipIf(!reachable)("worker process", () => {
  const prefix = testPrefix();
  const dataDir = mkdtempSync(path.join(tmpdir(), "gp-worker-"));
  let child: ChildProcess | undefined;

  afterAll(async () => {
    if (child && child.exitCode === null) child.kill("SIGKILL");
    rmSync(dataDir, { recursive: true, force: true });
    await deleteKeys(prefix);
    expect(await countKeys(prefix)).toBe(0);
  });

  it("consumes jobs, dead-letters failures and shuts down cleanly on SIGTERM", async () => {
    const env: NodeJS.ProcessEnv = { ...process.env, REDIS_URL: TEST_REDIS_URL, DATA_DIR: dataDir, NODE_ENV: "test" };
    delete env.DATABASE_URL; // embedded PGlite in dataDir
    delete env.DEVSTORE_URL;
    child = spawn(process.execPath, ["--import", "tsx", "app/server/worker.ts", "--prefix", prefix], {
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    const ready = new Promise<void>((resolve, reject) => {
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes("consuming jobs")) resolve();
      };
      child!.stdout!.on("data", onData);
      child!.stderr!.on("data", onData);
      child!.on("exit", (code) => reject(new Error(`worker exited early (${code}):\n${output}`)));
    });
    await withTimeout(ready, 30_000, "worker start");

    const producer = new BullJobQueue<AppJobs>({ redisUrl: TEST_REDIS_URL, prefix });
    try {
      // Observed through the dead-letter store, which the producer can read like an operator would.
      await producer.enqueue("metafields.write", {} as AppJobs["metafields.write"], {
        shop: "a.myshopify.com",
        jobId: "no-run-id",
      });
      await expect.poll(() => producer.deadLetters(), { timeout: 15_000, interval: 100 }).toHaveLength(1);
      const [letter] = await producer.deadLetters();
      expect(letter).toMatchObject({ name: "metafields.write", shop: "a.myshopify.com", attemptsMade: 1 });
      expect(letter.error).toMatch(/runId is required/);
      // The dead letter is written before the worker logs the failure: wait for the line to arrive.
      await expect
        .poll(() => output, { timeout: 15_000, interval: 100 })
        .toMatch(
          /job metafields\.write no-run-id shop=a\.myshopify\.com attempt 1 failed: .*runId is required \(dead-lettered\)/,
        );
    } finally {
      await producer.close();
    }

    const exited = new Promise<number | null>((resolve) => child!.on("exit", (code) => resolve(code)));
    child.kill("SIGTERM");
    expect(await withTimeout(exited, 30_000, "worker exit")).toBe(0);
    expect(output).toContain("worker: SIGTERM");
  });
});
