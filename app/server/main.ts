/**
 * Process entry (`npm start`). In demo mode (the default outside production) it runs the whole
 * product on embedded defaults in one process — PGlite is single-process — : the Shopify stand-in
 * with a seeded demo shop, the app "installed" on it through the real token-exchange flow, the
 * initial bulk sync, live orders arriving as webhooks, and the embedded admin on PORT.
 * In production it only serves the app (jobs run in the worker; see docs/deployment.md).
 */
import { env } from "../env.server";

async function main() {
  const config = env();
  if (config.DEMO_MODE) {
    const { runDemo } = await import("./demo.server");
    await runDemo();
    return;
  }
  const { closeDb, getDb } = await import("../db.server");
  const { loadServerBuild, startHttpServer } = await import("./http.server");
  await getDb();
  const http = await startHttpServer({
    port: config.PORT,
    host: "0.0.0.0",
    build: await loadServerBuild(),
    mode: "production",
  });
  console.log(`Growthpilot listening on ${http.url}`);
  onShutdown(async () => {
    await http.close();
    // Jobs running in this process (in-process queue) still need the database: the queue closes first.
    const { closeJobQueue } = await import("../jobs/queue.server");
    await closeJobQueue();
    await closeDb();
  });
}

/** Runs `fn` once on SIGINT/SIGTERM, then exits. */
export function onShutdown(fn: () => Promise<void>) {
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    try {
      await fn();
    } finally {
      process.exit(0);
    }
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

main().catch(async (error) => {
  console.error(error instanceof Error ? error.message : error);
  // A start-up that failed after the job queue opened (the demo enqueues during install) still
  // releases it: in-process jobs stop, a Redis connection closes, before the process exits.
  const { closeJobQueue } = await import("../jobs/queue.server");
  await closeJobQueue({ timeoutMs: 5000 }).catch(() => {});
  process.exit(1);
});
