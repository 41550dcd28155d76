import type { Db } from "./db-types.server";

/**
 * Checkpoints of the recommendation-metafield sync: one `SyncRun` row per scoring run, so a sync
 * interrupted mid-way resumes after the last batch Shopify accepted.
 */

export const METAFIELD_SYNC_RESOURCE = "recommendation_metafields";

function checkpointId(shop: string, runId: string) {
  return `metafields:${shop}:${runId}`;
}

export interface MetafieldSyncCheckpoint {
  id: string;
  status: string;
  /** Lists (in `listRunRecommendations` order) already written to Shopify. */
  processed: number;
  total: number | null;
  written: number;
}

/** The checkpoint of a run's metafield sync, created (PENDING, 0 processed) on first call. */
export async function openMetafieldSyncCheckpoint(
  db: Db,
  shop: string,
  runId: string,
  total: number,
): Promise<MetafieldSyncCheckpoint> {
  const row = await db.syncRun.upsert({
    where: { id: checkpointId(shop, runId) },
    create: {
      id: checkpointId(shop, runId),
      shop,
      resource: METAFIELD_SYNC_RESOURCE,
      kind: "METAFIELDS",
      status: "RUNNING",
      linesTotal: total,
    },
    update: { linesTotal: total, error: null },
  });
  return {
    id: row.id,
    status: row.status,
    processed: row.linesProcessed,
    total: row.linesTotal,
    written: row.rowsUpserted,
  };
}

/** Records progress after a batch succeeded on Shopify. */
export async function advanceMetafieldSyncCheckpoint(
  db: Db,
  shop: string,
  runId: string,
  processed: number,
  written: number,
) {
  await db.syncRun.updateMany({
    where: { id: checkpointId(shop, runId), shop },
    data: { linesProcessed: processed, rowsUpserted: written, status: "RUNNING" },
  });
}

export async function finishMetafieldSyncCheckpoint(
  db: Db,
  shop: string,
  runId: string,
  status: "COMPLETED" | "FAILED",
  error?: string,
) {
  await db.syncRun.updateMany({
    where: { id: checkpointId(shop, runId), shop },
    data: { status, error: error ?? null, finishedAt: new Date() },
  });
}
