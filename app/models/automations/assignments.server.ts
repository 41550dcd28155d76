import type { Db } from "../db-types.server";

/**
 * Per-customer assignments of a run (treatment, holdout or write-back) and their state machine
 * (PENDING → CODE_CREATED → ISSUED → REDEEMED/CLEANED): reads, updates, budget and cleanup queries.
 */

/** Assignment states (see the AutomationAssignment model). */
export const ASSIGNMENT = {
  PENDING: "PENDING",
  CODE_CREATED: "CODE_CREATED",
  ISSUED: "ISSUED",
  FAILED: "FAILED",
  HOLDOUT: "HOLDOUT",
  /** The code was used on an order (seen at cleanup). */
  REDEEMED: "REDEEMED",
  /** Expired unused: discount deleted, tag and metafields removed. */
  CLEANED: "CLEANED",
  WRITTEN: "WRITTEN",
} as const;

/** Assignments of a run still needing work with Shopify, in a stable order. */
export async function listOpenAssignments(db: Db, shop: string, runId: string, statuses: string[]) {
  return db.automationAssignment.findMany({
    where: { shop, runId, status: { in: statuses } },
    orderBy: { customerGid: "asc" },
  });
}

export async function listAssignments(db: Db, shop: string, runIds: string[]) {
  return db.automationAssignment.findMany({
    where: { shop, runId: { in: runIds } },
    orderBy: [{ runId: "asc" }, { customerGid: "asc" }],
  });
}

export async function updateAssignment(
  db: Db,
  shop: string,
  runId: string,
  customerGid: string,
  data: {
    status?: string;
    discountGid?: string | null;
    error?: string | null;
    attempts?: { increment: number };
    flowStatus?: string;
    flowError?: string | null;
  },
) {
  await db.automationAssignment.update({ where: { shop_runId_customerGid: { shop, runId, customerGid } }, data });
}

export async function countAssignmentsByStatus(db: Db, shop: string, runId: string): Promise<Record<string, number>> {
  const rows = await db.automationAssignment.groupBy({
    by: ["status"],
    where: { shop, runId },
    _count: { _all: true },
  });
  return Object.fromEntries(rows.map((r) => [r.status, r._count._all]));
}

/** Expected cost already committed to treated customers of runs started in [from, to). */
export async function committedCostBetween(db: Db, shop: string, from: Date, to: Date): Promise<number> {
  const result = await db.automationAssignment.aggregate({
    where: { shop, arm: "TREATMENT", createdAt: { gte: from, lt: to }, status: { not: ASSIGNMENT.FAILED } },
    _sum: { expectedCostMinor: true },
  });
  return result._sum.expectedCostMinor ?? 0;
}

/** Issued codes past their expiry (candidates for cleanup). */
export async function listExpiredIssued(db: Db, shop: string, now: Date, limit = 500) {
  return db.automationAssignment.findMany({
    where: {
      shop,
      status: { in: [ASSIGNMENT.ISSUED, ASSIGNMENT.CODE_CREATED, ASSIGNMENT.FAILED] },
      expiresAt: { lt: now },
      discountGid: { not: null },
    },
    orderBy: { expiresAt: "asc" },
    take: limit,
  });
}

/** Automations with a live (issued, unexpired) offer for the customer — cleanup keeps their tags. */
export async function liveOfferAutomationIds(db: Db, shop: string, customerGid: string, now: Date): Promise<string[]> {
  const rows = await db.automationAssignment.findMany({
    where: {
      shop,
      customerGid,
      arm: "TREATMENT",
      expiresAt: { gt: now },
      status: { in: [ASSIGNMENT.ISSUED, ASSIGNMENT.CODE_CREATED, ASSIGNMENT.PENDING] },
    },
    select: { automationId: true },
  });
  return [...new Set(rows.map((r) => r.automationId))];
}

/** Every treated customer of the given runs with code, expiry, segment and Flow delivery, for the CSV. */
export async function listIssuedCodes(db: Db, shop: string, runIds: string[]) {
  const rows = await db.automationAssignment.findMany({
    where: { shop, runId: { in: runIds }, arm: "TREATMENT", code: { not: null } },
    orderBy: [{ createdAt: "desc" }, { customerGid: "asc" }],
    select: { customerGid: true, code: true, expiresAt: true, stratum: true, status: true, flowStatus: true },
  });
  const customers = await db.customer.findMany({
    where: { shop, gid: { in: rows.map((r) => r.customerGid) } },
    select: { gid: true, firstName: true, lastName: true, email: true },
  });
  const byGid = new Map(customers.map((c) => [c.gid, c]));
  return rows.map((r) => ({ ...r, customer: byGid.get(r.customerGid) ?? null }));
}
