import type { PrismaClient } from "@prisma/client";
import type { AdminClient } from "../shopify/admin-client.server";
import type { AppJobs } from "./names";
import { PermanentJobError, type JobQueue } from "./types";

export type { AppJobs, AppJobName } from "./names";
export { APP_JOB_NAMES } from "./names";

/** What the app's handlers need; the worker and the in-process web server build it once. */
export interface AppHandlerDeps {
  prisma: PrismaClient;
  /** The Admin API client for a shop (its offline token); see `adminClientFor` in deps.server.ts. */
  adminFor(shop: string): Promise<AdminClient>;
  /** Loads a service module; tests inject fakes. Default: dynamic import of app/services/*. */
  load?: ServiceLoader;
}

export type ServiceModule = "sync" | "webhooks" | "scoring" | "metafields" | "automations";
export type ServiceLoader = (module: ServiceModule) => Promise<Record<string, unknown>>;

/** Where each service lives (relative to this file), for loading and for error messages. */
export const SERVICE_PATHS: Record<ServiceModule, string> = {
  sync: "../services/sync/shop-sync.server",
  webhooks: "../services/webhooks/apply.server",
  scoring: "../services/scoring/run.server",
  metafields: "../services/scoring/metafields.server",
  automations: "../services/automations.server",
};

/**
 * Services are imported when a job first runs, not at module load: tests register fakes without
 * pulling in Prisma/Shopify code, and a service that is not built yet fails its jobs with a clear
 * error instead of breaking the worker's start-up.
 */
const defaultLoad: ServiceLoader = async (module) => {
  switch (module) {
    case "sync":
      return import("../services/sync/shop-sync.server");
    case "webhooks":
      return import("../services/webhooks/apply.server");
    case "metafields":
      return import("../services/scoring/metafields.server");
    case "scoring":
      return import("../services/scoring/run.server");
    default: {
      // Not typed: this module may not exist yet. Resolved relative to this file at run time, so
      // it works from source (tsx, vitest); switch to a literal import once the module lands so
      // a bundled server build resolves it too.
      const path = SERVICE_PATHS[module];
      return import(/* @vite-ignore */ path);
    }
  }
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the default for service<F>(); callers name the real signature.
type AnyFn = (...args: any[]) => Promise<unknown>;

/** One exported function of a service module, or a permanent job failure saying what is missing. */
async function service<F = AnyFn>(load: ServiceLoader, module: ServiceModule, exportName: string, job: string): Promise<F> {
  let mod: Record<string, unknown>;
  try {
    mod = await load(module);
  } catch (error) {
    const reason = error instanceof Error ? error.message.split("\n")[0] : String(error);
    throw new PermanentJobError(`${job}: cannot load ${SERVICE_PATHS[module]} (${reason})`);
  }
  const fn = mod[exportName];
  if (typeof fn !== "function") {
    throw new PermanentJobError(`${job}: ${SERVICE_PATHS[module]} has no exported function ${exportName}()`);
  }
  return fn as F;
}

type SyncModule = typeof import("../services/sync/shop-sync.server");
type WebhooksModule = typeof import("../services/webhooks/apply.server");
type MetafieldsModule = typeof import("../services/scoring/metafields.server");
type ScoringModule = typeof import("../services/scoring/run.server");

/**
 * Registers the handler of every app job. Handlers return nothing to the queue: results could
 * carry customer data (a `customers/data_request` webhook) and BullMQ would store them in Redis.
 */
export function registerAppHandlers(queue: JobQueue<AppJobs>, deps: AppHandlerDeps): void {
  const load = deps.load ?? defaultLoad;
  const { prisma } = deps;

  // The first sync is what a new install waits for: scoring follows it (and its handler chains
  // the metafield write), so install → sync → scores → storefront lists is one pipeline.
  queue.registerHandler("sync.initial", async (_data, ctx) => {
    const run = await service<SyncModule["runInitialSync"]>(load, "sync", "runInitialSync", ctx.name);
    const results = await run({ prisma, client: await deps.adminFor(ctx.shop) }, ctx.shop);
    if (results.every((r) => r.status === "COMPLETED")) {
      await queue.enqueue("scoring.run", {}, { shop: ctx.shop, jobId: `scoring-after-${ctx.id}` });
    }
  });

  queue.registerHandler("sync.reconcile", async (_data, ctx) => {
    const run = await service<SyncModule["reconcile"]>(load, "sync", "reconcile", ctx.name);
    await run({ prisma, client: await deps.adminFor(ctx.shop) }, ctx.shop);
  });

  // No Admin client: compliance webhooks (shop/redact) arrive after uninstall, when the offline
  // token is already gone, and every webhook is applied from its payload.
  queue.registerHandler("webhook.process", async (data, ctx) => {
    const process = await service<WebhooksModule["processWebhook"]>(load, "webhooks", "processWebhook", ctx.name);
    await process({ prisma, queue }, { shop: ctx.shop, ...data });
  });

  // A finished run's recommendations go to the storefront next: metafields.write is chained here,
  // keyed by run id so a re-run of this job (or another producer) cannot enqueue it twice.
  queue.registerHandler("scoring.run", async (data, ctx) => {
    const run = await service<ScoringModule["runScoring"]>(load, "scoring", "runScoring", ctx.name);
    const asOf = data.asOf ? new Date(data.asOf) : undefined;
    if (asOf && Number.isNaN(asOf.getTime())) throw new PermanentJobError(`scoring.run: invalid asOf`);
    const { runId } = await run({ prisma, now: asOf ? () => asOf : undefined }, ctx.shop);
    await queue.enqueue("metafields.write", { runId }, { shop: ctx.shop, jobId: `metafields-${runId}` });
  });

  queue.registerHandler("metafields.write", async (data, ctx) => {
    if (!data.runId) throw new PermanentJobError("metafields.write: runId is required");
    const write = await service<MetafieldsModule["syncRecommendationMetafields"]>(
      load,
      "metafields",
      "syncRecommendationMetafields",
      ctx.name,
    );
    await write({ db: prisma, client: await deps.adminFor(ctx.shop) }, ctx.shop, data.runId);
  });

  queue.registerHandler("automation.run", async (data, ctx) => {
    const run = await service(load, "automations", "runAutomations", ctx.name);
    await run({ prisma, db: prisma, client: await deps.adminFor(ctx.shop) }, ctx.shop, data);
  });
}
