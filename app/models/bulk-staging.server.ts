import type { Db } from "./db-types.server";

/**
 * Bulk JSONL child lines staged per sync run (see `BulkStagedChild` in schema.prisma). With
 * `groupObjects: false` — the default since 2026-01 — Shopify may write a child line far from
 * its parent, so the importer keeps only one batch in memory and parks the rest here, inside the
 * batch's transaction: memory stays flat and a resumed import stays exact.
 */

export interface StagedChild {
  parentGid: string;
  /** 1-based JSONL line number. */
  line: number;
  data: Record<string, unknown>;
}

export async function stageChildren(prisma: Db, shop: string, runId: string, children: StagedChild[]): Promise<void> {
  if (children.length === 0) return;
  await prisma.bulkStagedChild.createMany({
    data: children.map((c) => ({ shop, runId, parentGid: c.parentGid, line: c.line, data: c.data as object })),
  });
}

/** Removes and returns the staged children of these parents, in file order. */
export async function takeStagedChildren(
  prisma: Db,
  shop: string,
  runId: string,
  parentGids: string[],
): Promise<StagedChild[]> {
  if (parentGids.length === 0) return [];
  const rows = await prisma.bulkStagedChild.findMany({
    where: { shop, runId, parentGid: { in: parentGids } },
    orderBy: { line: "asc" },
  });
  return remove(prisma, rows);
}

/** Removes and returns up to `limit` staged children of the run (oldest lines first). */
export async function takeStagedChunk(prisma: Db, shop: string, runId: string, limit: number): Promise<StagedChild[]> {
  const rows = await prisma.bulkStagedChild.findMany({ where: { shop, runId }, orderBy: { line: "asc" }, take: limit });
  return remove(prisma, rows);
}

async function remove(
  prisma: Db,
  rows: { id: number; parentGid: string; line: number; data: unknown }[],
): Promise<StagedChild[]> {
  if (rows.length > 0) await prisma.bulkStagedChild.deleteMany({ where: { id: { in: rows.map((r) => r.id) } } });
  return rows.map((r) => ({ parentGid: r.parentGid, line: r.line, data: r.data as Record<string, unknown> }));
}

/** Adds children that met no parent to the run's report. */
export async function addOrphanChildren(prisma: Db, shop: string, runId: string, count: number): Promise<void> {
  if (count === 0) return;
  await prisma.syncRun.updateMany({ where: { shop, id: runId }, data: { orphanChildren: { increment: count } } });
}
