import type { SyncRun } from "@prisma/client";
import type { Db } from "./db-types.server";

/**
 * Sync runs: one per resource and pass (bulk import or reconciliation). `linesProcessed` is
 * advanced only by {@link checkpointSyncRun}, inside the transaction that wrote the rows those
 * lines produced — so after a crash, skipping `linesProcessed` JSONL lines resumes exactly.
 */

export const SYNC_RESOURCES = ["products", "customers", "orders"] as const;
export type SyncResource = (typeof SYNC_RESOURCES)[number];
export type SyncKind = "BULK" | "RECONCILE";
/** PENDING → RUNNING (bulk operation running at Shopify) → IMPORTING (streaming) → COMPLETED | FAILED. */
export type SyncStatus = "PENDING" | "RUNNING" | "IMPORTING" | "COMPLETED" | "FAILED";

/** Creates the Shop row on first contact (SyncRun references it). */
export async function ensureShop(prisma: Db, shop: string): Promise<void> {
  await prisma.shop.upsert({ where: { shop }, create: { shop }, update: {} });
}

export async function createSyncRun(
  prisma: Db,
  shop: string,
  data: { resource: SyncResource; kind: SyncKind; status?: SyncStatus; startedAt?: Date },
): Promise<SyncRun> {
  await ensureShop(prisma, shop);
  return prisma.syncRun.create({
    data: {
      shop,
      resource: data.resource,
      kind: data.kind,
      status: data.status ?? "PENDING",
      startedAt: data.startedAt,
    },
  });
}

export async function getSyncRun(prisma: Db, shop: string, id: string): Promise<SyncRun | null> {
  return prisma.syncRun.findFirst({ where: { shop, id } });
}

/** Latest run of a resource (optionally of one kind). */
export async function getLatestSyncRun(
  prisma: Db,
  shop: string,
  resource: SyncResource,
  kind?: SyncKind,
): Promise<SyncRun | null> {
  return prisma.syncRun.findFirst({
    where: { shop, resource, ...(kind ? { kind } : {}) },
    orderBy: [{ startedAt: "desc" }, { id: "desc" }],
  });
}

/** Updates status/bookkeeping of a run (not `linesProcessed`: that moves only with rows). */
export async function updateSyncRun(
  prisma: Db,
  shop: string,
  id: string,
  data: Partial<Pick<SyncRun, "status" | "bulkOperationId" | "resultUrl" | "linesTotal" | "error" | "finishedAt">>,
): Promise<void> {
  await prisma.syncRun.updateMany({ where: { shop, id }, data });
}

/**
 * Advances a run after a batch: `linesProcessed` to the absolute line count covered, rows added,
 * watermark raised. Call inside the batch's transaction.
 */
export async function checkpointSyncRun(
  prisma: Db,
  shop: string,
  id: string,
  batch: { linesProcessed: number; rowsUpserted: number; watermark: Date | null },
): Promise<void> {
  await prisma.$executeRawUnsafe(
    `UPDATE "SyncRun" SET "linesProcessed" = $3, "rowsUpserted" = "rowsUpserted" + $4,
       watermark = CASE WHEN $5::timestamp(3) IS NULL THEN watermark ELSE GREATEST(watermark, $5::timestamp(3)) END,
       "updatedAt" = now()
     WHERE shop = $1 AND id = $2`,
    shop,
    id,
    batch.linesProcessed,
    batch.rowsUpserted,
    batch.watermark ? batch.watermark.toISOString() : null,
  );
}

export async function finishSyncRun(
  prisma: Db,
  shop: string,
  id: string,
  result: { status: "COMPLETED" | "FAILED"; error?: string | null; finishedAt: Date },
): Promise<void> {
  await prisma.syncRun.updateMany({
    where: { shop, id },
    data: { status: result.status, error: result.error ?? null, finishedAt: result.finishedAt },
  });
}

/**
 * Where reconciliation starts: the highest `updatedAt` covered by a successful run of this
 * resource (bulk or reconcile). Null before the first successful sync.
 */
export async function getWatermark(prisma: Db, shop: string, resource: SyncResource): Promise<Date | null> {
  const row = await prisma.syncRun.aggregate({
    where: { shop, resource, status: "COMPLETED", watermark: { not: null } },
    _max: { watermark: true },
  });
  return row._max.watermark;
}

export interface ResourceProgress {
  resource: SyncResource;
  /** Latest run; null when the resource was never synced (status "NEVER"). */
  runId: string | null;
  kind: string | null;
  status: SyncStatus | "NEVER";
  linesProcessed: number;
  linesTotal: number | null;
  rowsUpserted: number;
  startedAt: Date | null;
  finishedAt: Date | null;
  /** Failure reason (no PII: sync errors carry only counts, codes and line numbers). */
  error: string | null;
}

/** Latest run per resource (products, customers, orders — in that order), for the admin's progress bar. */
export async function getSyncProgress(prisma: Db, shop: string): Promise<ResourceProgress[]> {
  return Promise.all(
    SYNC_RESOURCES.map(async (resource): Promise<ResourceProgress> => {
      const run = await getLatestSyncRun(prisma, shop, resource);
      if (!run) {
        return {
          resource,
          runId: null,
          kind: null,
          status: "NEVER",
          linesProcessed: 0,
          linesTotal: null,
          rowsUpserted: 0,
          startedAt: null,
          finishedAt: null,
          error: null,
        };
      }
      return {
        resource,
        runId: run.id,
        kind: run.kind,
        status: run.status as SyncStatus,
        linesProcessed: run.linesProcessed,
        linesTotal: run.linesTotal,
        rowsUpserted: run.rowsUpserted,
        startedAt: run.startedAt,
        finishedAt: run.finishedAt,
        error: run.error,
      };
    }),
  );
}
