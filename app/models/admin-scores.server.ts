import type { Db } from "./db-types.server";

/**
 * Read model over the latest `CustomerScore` rows for the admin: counts per RFM group and grid
 * cell, and pages of a segment's customers joined with their contact details (no Prisma relation
 * links the two tables, so the join is two indexed queries).
 */

/** A segment filter: one of Shopify's RFM group names, or a k-means cluster index. */
export type SegmentFilter = { segment: string } | { cluster: number };

export type CustomerSort = "churn" | "clv" | "value";

export interface SegmentCustomerRow {
  gid: string;
  name: string;
  email: string | null;
  tags: string[];
  segment: string;
  cluster: number;
  rfm: { r: number; f: number; m: number };
  pPurchase: number;
  pAlive: number;
  expectedOrders: number;
  churnRisk: number;
  clvMinor: number;
  clvLowMinor: number;
  clvHighMinor: number;
  explanation: string;
  /** What they used to spend per horizon-length period, and × (1 − pPurchase) (D34). */
  spendPerPeriodMinor: number;
  valueAtStakeMinor: number;
  /** The score's own "as of" (its run's asOf, or a one-customer rescore, D36). */
  scoredAt: Date;
  orders: number;
  spendMinor: number;
  lastOrderAt: Date | null;
}

function whereOf(shop: string, filter: SegmentFilter) {
  return "segment" in filter ? { shop, segment: filter.segment } : { shop, cluster: filter.cluster };
}

/** Customers per RFM group in the latest run. */
export async function countBySegment(db: Db, shop: string): Promise<Map<string, number>> {
  const rows = await db.customerScore.groupBy({ by: ["segment"], where: { shop }, _count: { _all: true } });
  return new Map(rows.map((r) => [r.segment, r._count._all]));
}

/** Customers per (R, F, M) score triple — the segments page folds F and M into its grid. */
export async function countByRfm(db: Db, shop: string): Promise<{ r: number; f: number; m: number; count: number }[]> {
  const rows = await db.customerScore.groupBy({
    by: ["rfmR", "rfmF", "rfmM"],
    where: { shop },
    _count: { _all: true },
  });
  return rows.map((r) => ({ r: r.rfmR, f: r.rfmF, m: r.rfmM, count: r._count._all }));
}

export async function countSegmentCustomers(db: Db, shop: string, filter: SegmentFilter): Promise<number> {
  return db.customerScore.count({ where: whereOf(shop, filter) });
}

/**
 * One page of a segment's customers: riskiest, highest CLV, or most value at stake first (the
 * lapsed groups' default: bare churn risk ties at ≈ 1 for all of them); ties broken by GID.
 */
export async function listSegmentCustomers(
  db: Db,
  shop: string,
  filter: SegmentFilter,
  opts: { sort: CustomerSort; skip: number; take: number },
): Promise<SegmentCustomerRow[]> {
  const scores = await db.customerScore.findMany({
    where: whereOf(shop, filter),
    // Ties (common: many lapsed customers share churn risk ≈ 1) go to the bigger spenders first.
    orderBy:
      opts.sort === "clv"
        ? [{ clvMinor: "desc" }, { customerGid: "asc" }]
        : opts.sort === "value"
          ? [{ valueAtStakeMinor: "desc" }, { customerGid: "asc" }]
          : [{ churnRisk: "desc" }, { rfmM: "desc" }, { rfmF: "desc" }, { customerGid: "asc" }],
    skip: opts.skip,
    take: opts.take,
  });
  return joinContacts(db, shop, scores);
}

/** Every customer of a segment (CSV export, tagging), in the same order as the first sort. */
export async function listAllSegmentCustomers(
  db: Db,
  shop: string,
  filter: SegmentFilter,
  sort: CustomerSort = "churn",
) {
  return listSegmentCustomers(db, shop, filter, { sort, skip: 0, take: 100_000 });
}

/** GIDs only — for write-backs that need nothing else. */
export async function listSegmentCustomerGids(db: Db, shop: string, filter: SegmentFilter): Promise<string[]> {
  const rows = await db.customerScore.findMany({
    where: whereOf(shop, filter),
    select: { customerGid: true },
    orderBy: { customerGid: "asc" },
  });
  return rows.map((r) => r.customerGid);
}

export async function getCustomerScore(db: Db, shop: string, customerGid: string) {
  return db.customerScore.findUnique({ where: { shop_customerGid: { shop, customerGid } } });
}

type ScoreRow = Awaited<ReturnType<Db["customerScore"]["findMany"]>>[number];

async function joinContacts(db: Db, shop: string, scores: ScoreRow[]): Promise<SegmentCustomerRow[]> {
  if (scores.length === 0) return [];
  const customers = await db.customer.findMany({
    where: { shop, gid: { in: scores.map((s) => s.customerGid) } },
    select: { gid: true, firstName: true, lastName: true, email: true, tags: true, redactedAt: true },
  });
  const byGid = new Map(customers.map((c) => [c.gid, c]));
  const facts = await orderFacts(
    db,
    shop,
    scores.map((s) => s.customerGid),
  );
  return scores.map((s) => {
    const c = byGid.get(s.customerGid);
    const redacted = !c || c.redactedAt !== null;
    return {
      gid: s.customerGid,
      name: redacted ? "(unknown customer)" : displayName(c),
      email: redacted ? null : c.email,
      tags: c?.tags ?? [],
      segment: s.segment,
      cluster: s.cluster,
      rfm: { r: s.rfmR, f: s.rfmF, m: s.rfmM },
      pPurchase: s.pPurchase,
      pAlive: s.pAlive,
      expectedOrders: s.expectedOrders,
      churnRisk: s.churnRisk,
      clvMinor: s.clvMinor,
      clvLowMinor: s.clvLowMinor,
      clvHighMinor: s.clvHighMinor,
      explanation: s.explanation,
      spendPerPeriodMinor: s.spendPerPeriodMinor,
      valueAtStakeMinor: s.valueAtStakeMinor,
      scoredAt: s.scoredAt,
      orders: facts.get(s.customerGid)?.orders ?? 0,
      spendMinor: facts.get(s.customerGid)?.spend ?? 0,
      lastOrderAt: facts.get(s.customerGid)?.last ?? null,
    };
  });
}

/** Orders, net spend and last order date of the given customers (cancelled orders excluded). */
async function orderFacts(db: Db, shop: string, gids: string[]) {
  const rows = await db.$queryRawUnsafe<{ c: string; orders: number; spend: number; last: Date }[]>(
    `SELECT "customerGid" AS c, count(*)::int AS orders, sum("totalMinor" - "refundedMinor")::float8 AS spend, max("shopifyCreated") AS last
       FROM "Order" WHERE shop = $1 AND "customerGid" = ANY($2::text[]) AND "cancelledAt" IS NULL
      GROUP BY "customerGid"`,
    shop,
    gids,
  );
  return new Map(
    rows.map((r) => [r.c, { orders: Number(r.orders), spend: Math.round(Number(r.spend)), last: new Date(r.last) }]),
  );
}

/** "First Last", falling back to the email's local part, then a placeholder. */
export function displayName(c: { firstName: string | null; lastName: string | null; email: string | null }): string {
  const name = [c.firstName, c.lastName].filter(Boolean).join(" ").trim();
  if (name) return name;
  if (c.email) return c.email.split("@")[0];
  return "(no name)";
}
