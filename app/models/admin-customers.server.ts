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
