import { getDb } from "../db.server";
import { countShopData } from "../models/shops.server";
import { getSyncProgress } from "../models/sync-runs.server";

/** Data for the admin home: sync progress per resource and synced counts. */
export async function getDashboard(shop: string) {
  const { prisma } = await getDb();
  const [counts, progress] = await Promise.all([countShopData(prisma, shop), getSyncProgress(prisma, shop)]);
  const sync = progress.map((p) => ({
    resource: p.resource,
    status: p.status,
    rowsUpserted: p.rowsUpserted,
    error: p.error ?? null,
    percent: percentDone(p.status, p.linesProcessed, p.linesTotal ?? null),
  }));
  return { shop, counts, sync };
}

function percentDone(status: string, done: number, total: number | null): number {
  if (status === "COMPLETED") return 100;
  if (!total) return 0;
  return Math.min(100, Math.round((done / total) * 100));
}
