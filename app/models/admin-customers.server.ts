import type { Db } from "./db-types.server";

/** Read model for the admin's customer page: the contact row and the order timeline. */

export async function getCustomerContact(db: Db, shop: string, gid: string) {
  return db.customer.findUnique({
    where: { shop_gid: { shop, gid } },
    select: {
      gid: true,
      firstName: true,
      lastName: true,
      email: true,
      tags: true,
      marketingState: true,
      shopifyCreated: true,
      redactedAt: true,
    },
  });
}

export interface TimelineOrder {
  gid: string;
  name: string;
  createdAt: Date;
  totalMinor: number;
  refundedMinor: number;
  cancelled: boolean;
  financialStatus: string;
  discountCodes: string[];
  lines: { name: string; quantity: number; productGid: string | null }[];
}

/** The customer's orders, newest first (at most `take`), with their line names. */
export async function listCustomerOrders(
  db: Db,
  shop: string,
  customerGid: string,
  take = 50,
): Promise<{ orders: TimelineOrder[]; total: number }> {
  const [rows, total] = await Promise.all([
    db.order.findMany({
      where: { shop, customerGid },
      orderBy: { shopifyCreated: "desc" },
      take,
      select: {
        gid: true,
        name: true,
        shopifyCreated: true,
        totalMinor: true,
        refundedMinor: true,
        cancelledAt: true,
        financialStatus: true,
        discountCodes: true,
        lines: { select: { name: true, quantity: true, productGid: true } },
      },
    }),
    db.order.count({ where: { shop, customerGid } }),
  ]);
  return {
    total,
    orders: rows.map((o) => ({
      gid: o.gid,
      name: o.name,
      createdAt: o.shopifyCreated,
      totalMinor: o.totalMinor,
      refundedMinor: o.refundedMinor,
      cancelled: o.cancelledAt !== null,
      financialStatus: o.financialStatus,
      discountCodes: o.discountCodes,
      lines: o.lines,
    })),
  };
}

/** Purchase facts the models used, recomputed for the page's explanations (cancelled orders excluded). */
export async function customerPurchaseFacts(db: Db, shop: string, customerGid: string, before: Date) {
  const rows = await db.$queryRawUnsafe<
    { days: number; orders: number; spend: number; first: Date | null; last: Date | null }[]
  >(
    `SELECT count(DISTINCT date_trunc('day', "shopifyCreated"))::int AS days, count(*)::int AS orders,
            coalesce(sum("totalMinor" - "refundedMinor"), 0)::float8 AS spend,
            min("shopifyCreated") AS first, max("shopifyCreated") AS last
       FROM "Order"
      WHERE shop = $1 AND "customerGid" = $2 AND "cancelledAt" IS NULL AND "shopifyCreated" < $3::timestamp(3)`,
    shop,
    customerGid,
    before.toISOString(),
  );
  const r = rows[0];
  return {
    purchaseDays: Number(r?.days ?? 0),
    orders: Number(r?.orders ?? 0),
    spendMinor: Math.round(Number(r?.spend ?? 0)),
    firstOrderAt: r?.first ? new Date(r.first) : null,
    lastOrderAt: r?.last ? new Date(r.last) : null,
  };
}
