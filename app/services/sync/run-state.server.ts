import type { PrismaClient, SyncRun } from "@prisma/client";
import { finishSyncRun, getSyncRun, type SyncResource } from "~/models/sync-runs.server";
import type { AdminClient } from "~/shopify/admin-client.server";
import { BulkOperationFailedError } from "~/shopify/bulk.server";

/** What every sync step receives and returns (bulk import, resume, reconcile). */
export interface SyncDeps {
  prisma: PrismaClient;
  client: AdminClient;
  now?: () => Date;
  sleep?: (ms: number) => Promise<void>;
  /** Fetch used to download bulk result files (default global fetch). */
  fetch?: typeof globalThis.fetch;
  /** Extra origins bulk files may come from (default: Shopify's storage, plus the stand-in the client talks to). */
  bulkHosts?: string[];
  /** Root records per transaction (default 500). */
  batchSize?: number;
  /** Bulk polling: first interval in ms (default 1000, doubling to 15 s). */
  pollIntervalMs?: number;
  /** Called after every committed batch (progress UIs, tests simulating a crash). */
  onBatch?: (info: {
    resource: SyncResource;
    runId: string;
    linesProcessed: number;
    linesTotal: number | null;
  }) => void | Promise<void>;
}

export interface ResourceSyncResult {
  resource: SyncResource;
  runId: string;
  status: "COMPLETED" | "FAILED";
  linesProcessed: number;
  rowsUpserted: number;
  error: string | null;
  /** The run failed because Shopify denied a field (bulk errorCode ACCESS_DENIED). */
  accessDenied?: boolean;
}

export const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export function now(deps: SyncDeps): Date {
  return deps.now ? deps.now() : new Date();
}

/** Sync errors are stored and shown to the merchant: messages carry no PII by construction. */
export function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function isAccessDenied(error: unknown): boolean {
  return error instanceof BulkOperationFailedError && error.errorCode === "ACCESS_DENIED";
}

/** Records a failed run (message only: no PII by construction) and returns its result. */
export async function fail(
  deps: SyncDeps,
  shop: string,
  run: SyncRun,
  resource: SyncResource,
  error: unknown,
): Promise<ResourceSyncResult> {
  const message = describe(error);
  await finishSyncRun(deps.prisma, shop, run.id, { status: "FAILED", error: message, finishedAt: now(deps) });
  const done = (await getSyncRun(deps.prisma, shop, run.id))!;
  return {
    resource,
    runId: run.id,
    status: "FAILED",
    linesProcessed: done.linesProcessed,
    rowsUpserted: done.rowsUpserted,
    error: message,
    accessDenied: isAccessDenied(error),
  };
}
