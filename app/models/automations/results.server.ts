import type { EconomicsLine } from "../../analytics/automations";
import type { Db } from "../db-types.server";

/** Read models for measuring a run: the outcome orders of its customers and which codes were redeemed. */

export interface OutcomeOrder {
  customerGid: string;
  at: Date;
  discountCodes: string[];
  discountMinor: number;
  lines: EconomicsLine[];
}

/**
 * Non-cancelled orders of the given customers created in [from, to), with each line's variant
 * cost (null where the merchant never entered one).
 */
export async function ordersForOutcomes(
  db: Db,
  shop: string,
  customerGids: string[],
  from: Date,
  to: Date,
): Promise<OutcomeOrder[]> {
  if (customerGids.length === 0) return [];
  const orders = await db.order.findMany({
    where: {
      shop,
      customerGid: { in: customerGids },
      shopifyCreated: { gte: from, lt: to },
      cancelledAt: null,
      financialStatus: { notIn: ["VOIDED"] },
    },
    select: {
      customerGid: true,
      shopifyCreated: true,
      discountCodes: true,
      discountMinor: true,
      lines: { select: { variantGid: true, quantity: true, refundedQty: true, unitPriceMinor: true } },
    },
  });
  const variantGids = [
    ...new Set(orders.flatMap((o) => o.lines.map((l) => l.variantGid).filter((v): v is string => !!v))),
  ];
  const variants = variantGids.length
    ? await db.variant.findMany({ where: { shop, gid: { in: variantGids } }, select: { gid: true, costMinor: true } })
    : [];
  const cost = new Map(variants.map((v) => [v.gid, v.costMinor]));
  return orders.map((o) => ({
    customerGid: o.customerGid!,
    at: o.shopifyCreated,
    discountCodes: o.discountCodes,
    discountMinor: o.discountMinor,
    lines: o.lines.map((l) => ({
      quantity: l.quantity,
      refundedQty: l.refundedQty,
      unitPriceMinor: l.unitPriceMinor,
      unitCostMinor: l.variantGid ? (cost.get(l.variantGid) ?? null) : null,
    })),
  }));
}

/** Which of these codes appear on a synced order (case-insensitive, as Shopify matches codes). */
export async function redeemedCodes(db: Db, shop: string, codes: string[]): Promise<Set<string>> {
  if (codes.length === 0) return new Set();
  const rows = await db.$queryRawUnsafe<{ code: string }[]>(
    `SELECT DISTINCT lower(c) AS code FROM "Order" o, unnest(o."discountCodes") AS c
     WHERE o.shop = $1 AND lower(c) = ANY($2::text[])`,
    shop,
    codes.map((c) => c.toLowerCase()),
  );
  return new Set(rows.map((r) => r.code));
}
