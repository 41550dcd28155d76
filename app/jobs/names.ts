import type { SegmentFilter } from "../models/admin-scores.server";

/**
 * Every background job of the app: name → data. The shop is not part of the data; it travels in
 * the enqueue options, because the queue serialises jobs per shop.
 */
export type AppJobs = {
  /** First full import of a shop (bulk operations); enqueued on install. */
  "sync.initial": Record<string, never>;
  /**
   * Incremental catch-up (updated_at since the last sync); scheduled per shop, also after outages.
   * `rescore`: continue with scoring and the metafield write ("Sync now").
   */
  "sync.reconcile": { rescore?: boolean };
  /**
   * A verified webhook, applied off the request path. Ids only: the body (customer PII) waits in
   * Postgres (`WebhookInbox`), never in Redis. `payload` is accepted for jobs enqueued before that.
   */
  "webhook.process": { topic: string; webhookId: string; eventId?: string; triggeredAt?: string; payload?: unknown };
  /** Refit scores and recommendations; `asOf` (ISO date) defaults to now. */
  "scoring.run": { asOf?: string };
  /**
   * One customer after a webhook (D36; job id `rescore-<shop>-<customer>`): with `forYouSince`
   * (ISO) their "for you" list and metafield follow the purchases since then (the score itself was
   * rescored inline); without it, the retry of a failed inline rescore — score, then list.
   */
  "scoring.customer": { customerGid: string; forYouSince?: string };
  /**
   * Scheduled every 15 minutes: enqueues `scoring.run` when the last completed run is a day old
   * or `REFIT_AFTER_NEW_ORDERS` orders arrived since (services/scoring/refit-due.server.ts).
   */
  "scoring.check": Record<string, never>;
  /** Push one scoring run's recommendations into app-owned metafields (resumable per run). */
  "metafields.write": { runId: string };
  /** Run one automation (or all enabled ones when no id is given). */
  "automation.run": { automationId?: string };
  /** "Tag these customers in Shopify": progress on SyncRun `runId`; the segment is re-listed by the job. */
  "customers.tag": { runId: string; filter: SegmentFilter; tag: string };
  /** Daily: forget webhook ids older than the dedupe window (services/shop/retention.server.ts). */
  "webhooks.prune": Record<string, never>;
  /** Daily: delete orders older than the merchant's `dataRetentionDays` (none when unset). */
  "data.retention": Record<string, never>;
};

export type AppJobName = keyof AppJobs;

export const APP_JOB_NAMES: readonly AppJobName[] = [
  "sync.initial",
  "sync.reconcile",
  "webhook.process",
  "scoring.run",
  "scoring.customer",
  "scoring.check",
  "metafields.write",
  "automation.run",
  "customers.tag",
  "webhooks.prune",
  "data.retention",
];
