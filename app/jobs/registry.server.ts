import type { PrismaClient } from "@prisma/client";
import { runAutomations } from "../services/automations/issue.server";
import { syncRecommendationMetafields } from "../services/scoring/metafields.server";
import { refitDue } from "../services/scoring/refit-due.server";
import { refreshCustomerForYou, rescoreCustomerNow } from "../services/scoring/rescore-customer.server";
import { runScoring } from "../services/scoring/run.server";
import { tagSegmentCustomers } from "../services/segments/tagging.server";
import { applyDataRetention, pruneWebhookDedupe } from "../services/shop/retention.server";
import { reconcile, runInitialSync, type SyncDeps } from "../services/sync/shop-sync.server";
import { processWebhook } from "../services/webhooks/apply.server";
import type { AdminClient } from "../shopify/admin-client.server";
import type { AppJobName, AppJobs } from "./names";
import { PermanentJobError, type JobQueue } from "./types";

export type { AppJobs, AppJobName } from "./names";
export { APP_JOB_NAMES } from "./names";

/** What the app's handlers need; the worker and the in-process web server build it once. */
export interface AppHandlerDeps {
  prisma: PrismaClient;
  /** The Admin API client for a shop (its offline token); see `adminClientFor` in deps.server.ts. */
  adminFor(shop: string): Promise<AdminClient>;
  /** Bulk-operation polling for the sync jobs (tests pass an instant sleep). */
  sync?: Pick<SyncDeps, "sleep" | "pollIntervalMs">;
}

/**
 * The one sync → scores → storefront pipeline, in job names: a sync (first import, or a reconcile
 * asked to re-score) is followed by `scoring.run`, whose handler chains `metafields.write`. The
 * install, "Sync now", "Recompute" and the demo all go through it; the demo narrates these jobs.
 */
export const SYNC_PIPELINE: readonly AppJobName[] = [
  "sync.initial",
  "sync.reconcile",
  "scoring.run",
  "metafields.write",
];

/**
 * Enqueues the scoring step after a sync job. Keyed by the sync job's id so a re-run of that job
 * (a crash after the enqueue) cannot add a second one while the first waits; `rerunFinished`
 * because merchant actions reuse their job ids ("Sync now" twice a day scores twice).
 */
async function scoreAfterSync(queue: JobQueue<AppJobs>, shop: string, syncJobId: string) {
  await queue.enqueue("scoring.run", {}, { shop, jobId: `scoring-after-${syncJobId}`, rerunFinished: true });
}

/**
 * Registers the handler of every app job. Services are imported statically: the worker, the
 * one-process `npm start` (memory queue inside the Remix server bundle) and tests all run exactly
 * these functions. Handlers return nothing to the queue: results could carry customer data (a
 * `customers/data_request` webhook) and BullMQ would store them in Redis.
 */
export function registerAppHandlers(queue: JobQueue<AppJobs>, deps: AppHandlerDeps): void {
  const { prisma } = deps;
  const syncDeps = async (shop: string): Promise<SyncDeps> => ({
    ...deps.sync,
    prisma,
    client: await deps.adminFor(shop),
  });

  // The first sync is what a new install waits for: scoring follows it only once every resource
  // imported (scores from half a shop would be wrong), so install → sync → scores → storefront.
  queue.registerHandler("sync.initial", async (_data, ctx) => {
    const results = await runInitialSync(await syncDeps(ctx.shop), ctx.shop);
    if (results.every((r) => r.status === "COMPLETED")) await scoreAfterSync(queue, ctx.shop, ctx.id);
  });

  // Scheduled every 15 minutes without `rescore` (scoring has its own daily schedule).
  queue.registerHandler("sync.reconcile", async (data, ctx) => {
    await reconcile(await syncDeps(ctx.shop), ctx.shop);
    if (data?.rescore) await scoreAfterSync(queue, ctx.shop, ctx.id);
  });

  // No Admin client: compliance webhooks (shop/redact) arrive after uninstall, when the offline
  // token is already gone, and every webhook is applied from its payload.
  // `clientFor` is asked only for a rescored customer's for_you metafield (never for compliance topics).
  queue.registerHandler("webhook.process", async (data, ctx) => {
    await processWebhook({ prisma, queue, clientFor: deps.adminFor }, { shop: ctx.shop, ...data });
  });

  // After a webhook's inline rescore (D36): the customer's "for you" list and metafield, or the
  // retry of a rescore that failed inline (no `forYouSince`) — score first, then the list.
  queue.registerHandler("scoring.customer", async (data, ctx) => {
    if (!data.customerGid) throw new PermanentJobError("scoring.customer: customerGid is required");
    const rescoreDeps = { prisma, clientFor: () => deps.adminFor(ctx.shop) };
    let since = data.forYouSince ? new Date(data.forYouSince) : undefined;
    if (since && Number.isNaN(since.getTime())) throw new PermanentJobError("scoring.customer: invalid forYouSince");
    if (!since) since = (await rescoreCustomerNow(rescoreDeps, ctx.shop, data.customerGid)).forYouSince;
    if (since) await refreshCustomerForYou(rescoreDeps, ctx.shop, data.customerGid, since);
  });

  // Every 15 minutes: a full refit once the last run is a day old or enough orders arrived since.
  // Keyed per shop with rerunFinished: a check while a due run still waits adds nothing.
  queue.registerHandler("scoring.check", async (_data, ctx) => {
    if (!(await refitDue({ prisma }, ctx.shop)).due) return;
    await queue.enqueue("scoring.run", {}, { shop: ctx.shop, jobId: `scoring-due-${ctx.shop}`, rerunFinished: true });
  });

  // A finished run's recommendations go to the storefront next: metafields.write is chained here,
  // keyed by run id so a re-run of this job (or another producer) cannot enqueue it twice.
  queue.registerHandler("scoring.run", async (data, ctx) => {
    const asOf = data.asOf ? new Date(data.asOf) : undefined;
    if (asOf && Number.isNaN(asOf.getTime())) throw new PermanentJobError(`scoring.run: invalid asOf`);
    const { runId } = await runScoring({ prisma, now: asOf ? () => asOf : undefined }, ctx.shop);
    await queue.enqueue("metafields.write", { runId }, { shop: ctx.shop, jobId: `metafields-${runId}` });
  });

  queue.registerHandler("metafields.write", async (data, ctx) => {
    if (!data.runId) throw new PermanentJobError("metafields.write: runId is required");
    await syncRecommendationMetafields({ prisma: prisma, client: await deps.adminFor(ctx.shop) }, ctx.shop, data.runId);
  });

  queue.registerHandler("automation.run", async (data, ctx) => {
    await runAutomations({ prisma, client: await deps.adminFor(ctx.shop) }, ctx.shop, data);
  });

  queue.registerHandler("customers.tag", async (data, ctx) => {
    await tagSegmentCustomers({ prisma, client: await deps.adminFor(ctx.shop) }, ctx.shop, data);
  });

  queue.registerHandler("webhooks.prune", async (_data, ctx) => {
    await pruneWebhookDedupe({ prisma }, ctx.shop);
  });

  queue.registerHandler("data.retention", async (_data, ctx) => {
    await applyDataRetention({ prisma }, ctx.shop);
  });
}
