/**
 * Worker process (`npm run worker`): consumes the BullMQ job queue. Run as many as needed, on any
 * machines that reach the same Postgres and Redis; per-shop serialisation holds across all of them.
 * It needs REDIS_URL — without Redis, jobs run inside the web process (`npm start`) instead.
 *
 * On start: open the database, register the app's handlers, start consuming, and make the per-shop
 * schedules (SHOP_SCHEDULES) match the installed shops — again every RESCHEDULE_EVERY_MS, so shops
 * installed or uninstalled meanwhile are picked up; the one-process `npm start` runs the same code
 * (jobs/queue.server.ts). SIGTERM/SIGINT: stop taking jobs, let running ones finish (bounded),
 * close Redis and the database, exit 0.
 */
import { parseArgs } from "node:util";
import { closeDb, getDb } from "../db.server";
import { env } from "../env.server";
import { adminClientFor } from "../jobs/deps.server";
import { createJobQueue, errorMessage, type AppJobs, type JobQueue } from "../jobs/index.server";
import { registerAppHandlers } from "../jobs/registry.server";
import { closeJobQueue } from "../jobs/queue.server";
import { keepShopSchedulesInSync } from "../jobs/schedules.server";
import { listInstalledShops } from "../models/shops.server";

/** Below the usual 30 s between SIGTERM and SIGKILL (Docker, Kubernetes, Fly). */
const SHUTDOWN_TIMEOUT_MS = 25_000;
const CONCURRENCY = 4;

async function main() {
  const config = env();
  if (!config.REDIS_URL) {
    throw new Error("REDIS_URL is required for the worker (without Redis, jobs run in the web process)");
  }
  // `--prefix`: Redis key prefix (default JOBS_PREFIX, else "gp"); lets tests and side-by-side
  // deployments isolate keys. The web processes enqueue under JOBS_PREFIX, so keep them equal.
  const { values: args } = parseArgs({ options: { prefix: { type: "string" } } });
  const { prisma } = await getDb();
  const queue = createJobQueue<AppJobs>({
    redisUrl: config.REDIS_URL,
    prefix: args.prefix ?? config.JOBS_PREFIX,
    concurrency: CONCURRENCY,
  });
  registerAppHandlers(queue, { prisma, adminFor: adminClientFor(prisma) });
  logEvents(queue);
  await queue.start();

  const schedules = await keepShopSchedulesInSync(queue, () => listInstalledShops(prisma), {
    log: (line) => console.log(`worker: ${line}`),
  });
  console.log(`worker: consuming jobs (concurrency ${CONCURRENCY})`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`worker: ${signal}, finishing running jobs…`);
    schedules.stop();
    let code = 0;
    try {
      await queue.close({ timeoutMs: SHUTDOWN_TIMEOUT_MS });
      // A producer opened by getJobQueue() in this process, if any module asked for one.
      await closeJobQueue({ timeoutMs: SHUTDOWN_TIMEOUT_MS });
      await closeDb();
    } catch (error) {
      console.error(`worker: shutdown error: ${errorMessage(error)}`);
      code = 1;
    }
    process.exit(code);
  };
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));
}

/** One line per finished job; ids, names and shops only — never job data (it can hold PII). */
function logEvents(queue: JobQueue<AppJobs>) {
  queue.on("completed", (e) => console.log(`job ${e.name} ${e.id} shop=${e.shop} completed (attempt ${e.attempt})`));
  queue.on("failed", (e) =>
    console.warn(
      `job ${e.name} ${e.id} shop=${e.shop} attempt ${e.attempt} failed: ${e.error}${e.final ? " (dead-lettered)" : ` (retry in ${e.retryInMs} ms)`}`,
    ),
  );
}

main().catch((error) => {
  console.error(`worker: ${errorMessage(error)}`);
  process.exit(1);
});
