import type { AutomationTagOperation, PrismaClient } from "@prisma/client";
import type { Db } from "./db-types.server";

/**
 * Offer tags of a run (D33): one tagsAdd bulk mutation over every issued customer, recorded on
 * the run (AutomationTagOperation: the bulk operation id, counts) and on each assignment
 * (`tagLine`, `tagStatus`, `tagError`). Kept apart from automations.server.ts on purpose: only
 * the tag phase reads or writes these columns.
 */

export const TAG_OPERATION = {
  /** Lines numbered on the assignments; no bulk operation started yet. */
  STARTING: "STARTING",
  /** The bulk operation id is stored: a resumed run polls it. */
  RUNNING: "RUNNING",
  COMPLETED: "COMPLETED",
  /** Failed operation or unreadable result: nothing recorded per customer; the next resume starts anew. */
  FAILED: "FAILED",
} as const;

export const TAG_STATUS = { APPLIED: "APPLIED", FAILED: "FAILED" } as const;

/** Issued statuses whose customers carry the offer tags (a code redeemed before tagging still gets them). */
const TAGGED_STATUSES = ["ISSUED", "REDEEMED"];

export async function getTagOperation(db: Db, shop: string, runId: string): Promise<AutomationTagOperation | null> {
  return db.automationTagOperation.findFirst({ where: { shop, runId } });
}

/**
 * Numbers the run's issued, not yet tagged customers 0..n-1 (by customer id) as the lines of a
 * new upload, and marks the run's tag operation STARTING with no operation id — one transaction.
 * Returns the customers in line order.
 */
export async function beginTagOperation(prisma: PrismaClient, shop: string, runId: string): Promise<string[]> {
  return prisma.$transaction(async (tx) => {
    const rows = await tx.automationAssignment.findMany({
      where: { shop, runId, arm: "TREATMENT", status: { in: TAGGED_STATUSES }, tagStatus: null },
      orderBy: { customerGid: "asc" },
      select: { customerGid: true },
    });
    const gids = rows.map((r) => r.customerGid);
    await tx.automationAssignment.updateMany({ where: { shop, runId }, data: { tagLine: null } });
    for (const [line, customerGid] of gids.entries())
      await tx.automationAssignment.update({
        where: { shop_runId_customerGid: { shop, runId, customerGid } },
        data: { tagLine: line },
      });
    const data = { status: TAG_OPERATION.STARTING, operationId: null, lines: gids.length, error: null };
    await tx.automationTagOperation.upsert({
      where: { runId },
      create: { runId, shop, ...data },
      update: data,
    });
    return gids;
  });
}

/** Stores the started bulk operation's id (before any poll). */
export async function markTagOperationRunning(db: Db, shop: string, runId: string, operationId: string) {
  await db.automationTagOperation.updateMany({
    where: { shop, runId },
    data: { status: TAG_OPERATION.RUNNING, operationId },
  });
}

export async function markTagOperationFailed(db: Db, shop: string, runId: string, error: string, at: Date) {
  await db.automationTagOperation.updateMany({
    where: { shop, runId },
    data: { status: TAG_OPERATION.FAILED, error, finishedAt: at },
  });
}

/** The customers of the current upload, by line. */
export async function listTagLines(db: Db, shop: string, runId: string): Promise<Map<number, string>> {
  const rows = await db.automationAssignment.findMany({
    where: { shop, runId, tagLine: { not: null } },
    select: { customerGid: true, tagLine: true },
  });
  return new Map(rows.map((r) => [r.tagLine!, r.customerGid]));
}

/** Records every line's outcome (failure message or applied) and the counts, in one transaction. */
export async function recordTagResults(
  prisma: PrismaClient,
  shop: string,
  runId: string,
  outcomes: { customerGid: string; error: string | null }[],
  at: Date,
) {
  const failed = outcomes.filter((o) => o.error !== null);
  await prisma.$transaction(async (tx) => {
    await tx.automationAssignment.updateMany({
      where: { shop, runId, customerGid: { in: outcomes.filter((o) => o.error === null).map((o) => o.customerGid) } },
      data: { tagStatus: TAG_STATUS.APPLIED, tagError: null },
    });
    for (const o of failed)
      await tx.automationAssignment.update({
        where: { shop_runId_customerGid: { shop, runId, customerGid: o.customerGid } },
        data: { tagStatus: TAG_STATUS.FAILED, tagError: o.error },
      });
    const counts = await tx.automationAssignment.groupBy({
      by: ["tagStatus"],
      where: { shop, runId, tagStatus: { not: null } },
      _count: { _all: true },
    });
    const n = (s: string) => counts.find((c) => c.tagStatus === s)?._count._all ?? 0;
    await tx.automationTagOperation.updateMany({
      where: { shop, runId },
      data: {
        status: TAG_OPERATION.COMPLETED,
        applied: n(TAG_STATUS.APPLIED),
        failed: n(TAG_STATUS.FAILED),
        error: null,
        finishedAt: at,
      },
    });
  });
}

/** What the automation page says about the tags of a run ("tags: N applied, M failed"). */
export interface TagSummary {
  status: string;
  applied: number;
  failed: number;
  error: string | null;
}

export async function getTagSummary(db: Db, shop: string, runId: string): Promise<TagSummary | null> {
  const op = await getTagOperation(db, shop, runId);
  return op ? { status: op.status, applied: op.applied, failed: op.failed, error: op.error } : null;
}
