import type { SyncRun } from "@prisma/client";
import { recordAccessGap } from "~/models/shops.server";
import {
  createSyncRun,
  ensureShop,
  finishSyncRun,
  getLatestSyncRun,
  getSyncRun,
  SYNC_RESOURCES,
  updateSyncRun,
  type SyncResource,
} from "~/models/sync-runs.server";
import {
  BulkOperationFailedError,
  startBulkQuery,
  TruncatedBulkFileError,
  waitForBulkOperation,
} from "~/shopify/bulk.server";
import { ACCESS_SCOPES_QUERY } from "~/shopify/documents/sync";
import { importWithRetries } from "./bulk-import.server";
import { SPECS } from "./resources.server";
import { defaultSleep, describe, fail, now, type ResourceSyncResult, type SyncDeps } from "./run-state.server";

/**
 * The sync's entry point: initial import through bulk operations and crash-resume here, the
 * JSONL import in `bulk-import.server.ts`, per-resource specs in `resources.server.ts`, and the
 * periodic catch-up in `reconcile.server.ts`.
 *
 * Bulk import streams the JSONL result and reassembles each root object (product, customer,
 * order) from its own line plus its child lines (`__parentId`), wherever in the file Shopify put
 * them (ungrouped output, see `importJsonl`). Records are
 * upserted in batches; each batch's rows and the run's `linesProcessed` commit in one transaction,
 * so a crash loses at most one uncommitted batch and {@link resumeSync} continues at exactly the
 * next unprocessed line.
 */
export type { ResourceSyncResult, SyncDeps } from "./run-state.server";
export { reconcile, reconcileResource } from "./reconcile.server";
export { BulkOperationFailedError, TruncatedBulkFileError };

/** Full initial import: products → customers → orders, each through a bulk operation. */
export async function runInitialSync(deps: SyncDeps, shop: string): Promise<ResourceSyncResult[]> {
  const results: ResourceSyncResult[] = [];
  for (const resource of SYNC_RESOURCES) results.push(await runBulkSync(deps, shop, resource));
  return results;
}

/**
 * Starts a bulk operation for one resource and imports its result. Never throws for sync failures: the run records them.
 *
 * Degrades instead of failing when Shopify withholds access (docs/shopify/sync-and-auth.md,
 * "Protected customer data and the 60-day order window"): a bulk query that ends ACCESS_DENIED
 * (protected customer fields not approved) is run again without those fields and the shop's
 * `protected_customer_data` gap is recorded; an orders sync records `read_all_orders` when the
 * shop has not granted that scope (Shopify then exports only the last 60 days).
 */
export async function runBulkSync(deps: SyncDeps, shop: string, resource: SyncResource): Promise<ResourceSyncResult> {
  const spec = SPECS[resource];
  if (resource === "orders") await recordOrderHistoryAccess(deps, shop);
  const full = await runBulkQuery(deps, shop, resource, spec.bulkQuery);
  if (!spec.bulkQueryWithoutPii) return full;
  if (!full.accessDenied) {
    if (full.status === "COMPLETED") await recordAccessGap(deps.prisma, shop, "protected_customer_data", false);
    return full;
  }
  await recordAccessGap(deps.prisma, shop, "protected_customer_data", true);
  console.warn(
    `Bulk ${resource} sync for ${shop}: protected customer fields not approved (ACCESS_DENIED); importing without them`,
  );
  return runBulkQuery(deps, shop, resource, spec.bulkQueryWithoutPii);
}

/** `read_all_orders` is granted only after Shopify approved it; without it orders older than 60 days are invisible. */
async function recordOrderHistoryAccess(deps: SyncDeps, shop: string): Promise<void> {
  await ensureShop(deps.prisma, shop);
  try {
    const data = await deps.client.request<{ currentAppInstallation: { accessScopes: { handle: string }[] } | null }>(
      ACCESS_SCOPES_QUERY,
    );
    const handles = new Set((data.currentAppInstallation?.accessScopes ?? []).map((s) => s.handle));
    await recordAccessGap(deps.prisma, shop, "read_all_orders", !handles.has("read_all_orders"));
  } catch (error) {
    // Knowing the gap is worth a banner, not a failed sync: the orders export itself still runs.
    console.warn(`Access scopes for ${shop} could not be read: ${describe(error)}`);
  }
}

async function runBulkQuery(
  deps: SyncDeps,
  shop: string,
  resource: SyncResource,
  query: string,
): Promise<ResourceSyncResult> {
  const run = await createSyncRun(deps.prisma, shop, { resource, kind: "BULK", startedAt: now(deps) });
  try {
    const op = await startBulkQuery(deps.client, query, { sleep: deps.sleep ?? defaultSleep });
    await updateSyncRun(deps.prisma, shop, run.id, { bulkOperationId: op.id, status: "RUNNING" });
  } catch (error) {
    return fail(deps, shop, run, resource, error);
  }
  return continueRun(deps, shop, (await getSyncRun(deps.prisma, shop, run.id))!, resource);
}

/**
 * Continues an interrupted initial sync: for each resource whose latest bulk run did not succeed,
 * resume that run (poll its bulk operation if needed, then stream from the first uncommitted
 * line) — or start one if there is none. Resources already synced are left alone.
 */
export async function resumeSync(deps: SyncDeps, shop: string): Promise<ResourceSyncResult[]> {
  const results: ResourceSyncResult[] = [];
  for (const resource of SYNC_RESOURCES) {
    const latest = await getLatestSyncRun(deps.prisma, shop, resource, "BULK");
    if (latest?.status === "COMPLETED") continue;
    if (latest?.bulkOperationId) {
      const resumed = await continueRun(deps, shop, latest, resource);
      // Interrupted between an ACCESS_DENIED export and its fallback: run the resource again (with the fallback).
      results.push(resumed.accessDenied ? await runBulkSync(deps, shop, resource) : resumed);
    } else results.push(await runBulkSync(deps, shop, resource));
  }
  return results;
}

async function continueRun(
  deps: SyncDeps,
  shop: string,
  run: SyncRun,
  resource: SyncResource,
): Promise<ResourceSyncResult> {
  try {
    let url = run.resultUrl;
    let linesTotal = run.linesTotal;
    // linesTotal is set together with resultUrl once the operation completed (url stays null
    // when it matched nothing), so a run without it still has to wait for Shopify.
    if (!url && run.linesTotal === null) {
      await updateSyncRun(deps.prisma, shop, run.id, { status: "RUNNING", error: null });
      const op = await waitForBulkOperation(deps.client, run.bulkOperationId!, {
        sleep: deps.sleep ?? defaultSleep,
        initialIntervalMs: deps.pollIntervalMs,
      });
      url = op.url;
      linesTotal = op.objectCount;
      await updateSyncRun(deps.prisma, shop, run.id, { resultUrl: op.url, linesTotal: op.objectCount });
    }
    await updateSyncRun(deps.prisma, shop, run.id, { status: "IMPORTING", error: null, finishedAt: null });
    // A bulk query that matched nothing completes with url = null.
    if (url) await importWithRetries(deps, shop, { ...run, resultUrl: url, linesTotal }, resource, url);
    await finishSyncRun(deps.prisma, shop, run.id, { status: "COMPLETED", finishedAt: now(deps) });
    const done = (await getSyncRun(deps.prisma, shop, run.id))!;
    return {
      resource,
      runId: run.id,
      status: "COMPLETED",
      linesProcessed: done.linesProcessed,
      rowsUpserted: done.rowsUpserted,
      error: null,
    };
  } catch (error) {
    return fail(deps, shop, run, resource, error);
  }
}
