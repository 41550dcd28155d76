import type { OrderLineRecord, OrderRecord } from "~/shopify/records/orders";
import type { RefundRecord } from "~/shopify/records/refunds";
import { newestPerGid, type UpsertResult } from "./catalog.server";
import type { Db } from "./db-types.server";

/**
 * Orders with their line items. Conditional on Shopify's `updatedAt` like every synced aggregate;
 * an order's lines are (re)written only when the order row itself was written, so lines never
 * mix two versions of an order. Refunds arrive as `refundedMinor` on the order and `refundedQty`
 * per line. The email of an order placed by a redacted customer stays erased.
 */
export async function upsertOrders(prisma: Db, shop: string, records: OrderRecord[]): Promise<UpsertResult> {
  if (records.length === 0) return { written: 0, skipped: 0 };
  const orders = newestPerGid(records);
  const input = orders.map(({ lines: _lines, linesComplete: _complete, ...o }) => ({
    ...o,
    refundGids: o.refundGids ?? null,
  }));
  const rows = await prisma.$queryRawUnsafe<{ gid: string }[]>(
    `INSERT INTO "Order" AS o (shop, gid, name, "customerGid", email, "financialStatus", "currencyCode",
       "subtotalMinor", "discountMinor", "shippingMinor", "taxMinor", "totalMinor", "refundedMinor",
       "discountCodes", attributes, "shopifyCreated", "shopifyUpdated", "processedAt", "cancelledAt", "refundGids", "syncedAt")
     SELECT $1, x.gid, x.name, x."customerGid",
       CASE WHEN EXISTS (SELECT 1 FROM "Customer" c WHERE c.shop = $1 AND c.gid = x."customerGid" AND c."redactedAt" IS NOT NULL)
            THEN NULL ELSE x.email END,
       x."financialStatus", x."currencyCode", x."subtotalMinor", x."discountMinor", x."shippingMinor", x."taxMinor",
       x."totalMinor", x."refundedMinor", x."discountCodes",
       -- A redacted customer's note attributes (free text) stay erased, like the email.
       CASE WHEN EXISTS (SELECT 1 FROM "Customer" c WHERE c.shop = $1 AND c.gid = x."customerGid" AND c."redactedAt" IS NOT NULL)
            THEN '[]'::jsonb ELSE COALESCE(x.attributes, '[]'::jsonb) END,
       x."shopifyCreated", x."shopifyUpdated", x."processedAt", x."cancelledAt", COALESCE(x."refundGids", '{}'), now()
     FROM jsonb_to_recordset($2::jsonb) AS x(gid text, name text, "customerGid" text, email text, "financialStatus" text,
       "currencyCode" text, "subtotalMinor" int, "discountMinor" int, "shippingMinor" int, "taxMinor" int,
       "totalMinor" int, "refundedMinor" int, "discountCodes" text[], attributes jsonb,
       "shopifyCreated" timestamp(3), "shopifyUpdated" timestamp(3), "processedAt" timestamp(3), "cancelledAt" timestamp(3),
       "refundGids" text[])
     ON CONFLICT (shop, gid) DO UPDATE SET
       name = EXCLUDED.name, "customerGid" = EXCLUDED."customerGid", email = EXCLUDED.email,
       "financialStatus" = EXCLUDED."financialStatus", "currencyCode" = EXCLUDED."currencyCode",
       "subtotalMinor" = EXCLUDED."subtotalMinor", "discountMinor" = EXCLUDED."discountMinor",
       "shippingMinor" = EXCLUDED."shippingMinor", "taxMinor" = EXCLUDED."taxMinor",
       "totalMinor" = EXCLUDED."totalMinor", "refundedMinor" = EXCLUDED."refundedMinor",
       "discountCodes" = EXCLUDED."discountCodes", attributes = EXCLUDED.attributes,
       "shopifyCreated" = EXCLUDED."shopifyCreated", "shopifyUpdated" = EXCLUDED."shopifyUpdated",
       "processedAt" = EXCLUDED."processedAt", "cancelledAt" = EXCLUDED."cancelledAt",
       -- Sources that list the order's refunds (REST webhooks) replace the set; others keep it.
       "refundGids" = CASE WHEN $3::boolean THEN EXCLUDED."refundGids" ELSE o."refundGids" END,
       "syncedAt" = now()
     WHERE o."shopifyUpdated" <= EXCLUDED."shopifyUpdated"
     RETURNING gid`,
    shop,
    JSON.stringify(input),
    orders.every((o) => o.refundGids !== undefined),
  );
  const written = new Set(rows.map((r) => r.gid));
  const accepted = orders.filter((o) => written.has(o.gid));
  await writeLines(prisma, shop, accepted);
  return { written: written.size, skipped: records.length - written.size };
}

async function writeLines(prisma: Db, shop: string, orders: OrderRecord[]) {
  const complete = orders
    .filter((o) => o.linesComplete)
    .map((o) => ({ orderGid: o.gid, keep: o.lines.map((l) => l.gid) }));
  if (complete.length > 0) {
    // Lines removed by an order edit disappear from the order's full list.
    await prisma.$executeRawUnsafe(
      `DELETE FROM "OrderLine" l USING jsonb_to_recordset($2::jsonb) AS x("orderGid" text, keep text[])
       WHERE l.shop = $1 AND l."orderGid" = x."orderGid" AND NOT (l.gid = ANY(x.keep))`,
      shop,
      JSON.stringify(complete),
    );
  }
  await upsertOrderLines(
    prisma,
    shop,
    orders.flatMap((o) => o.lines.map((l) => ({ ...l, orderGid: o.gid }))),
  );
}

/**
 * Writes lines of orders already stored (a bulk line-item line that arrived after its order was
 * written). Callers make sure each `orderGid` exists (foreign key).
 */
export async function upsertOrderLines(prisma: Db, shop: string, lines: (OrderLineRecord & { orderGid: string })[]) {
  if (lines.length === 0) return;
  await prisma.$executeRawUnsafe(
    `INSERT INTO "OrderLine" AS l (shop, gid, "orderGid", "productGid", "variantGid", sku, name, quantity,
       "unitPriceMinor", "totalMinor", "refundedQty", properties)
     SELECT $1, gid, "orderGid", "productGid", "variantGid", sku, name, quantity, "unitPriceMinor", "totalMinor",
       "refundedQty",
       -- Line properties (engravings, gift notes) of a redacted customer's order stay erased.
       CASE WHEN EXISTS (SELECT 1 FROM "Order" o JOIN "Customer" c ON c.shop = o.shop AND c.gid = o."customerGid"
                         WHERE o.shop = $1 AND o.gid = x."orderGid" AND c."redactedAt" IS NOT NULL)
            THEN '[]'::jsonb ELSE COALESCE(properties, '[]'::jsonb) END
     FROM jsonb_to_recordset($2::jsonb) AS x(gid text, "orderGid" text, "productGid" text, "variantGid" text, sku text,
       name text, quantity int, "unitPriceMinor" int, "totalMinor" int, "refundedQty" int, properties jsonb)
     ON CONFLICT (shop, gid) DO UPDATE SET
       "orderGid" = EXCLUDED."orderGid", "productGid" = EXCLUDED."productGid", "variantGid" = EXCLUDED."variantGid",
       sku = EXCLUDED.sku, name = EXCLUDED.name, quantity = EXCLUDED.quantity,
       "unitPriceMinor" = EXCLUDED."unitPriceMinor", "totalMinor" = EXCLUDED."totalMinor",
       "refundedQty" = EXCLUDED."refundedQty", properties = EXCLUDED.properties`,
    shop,
    JSON.stringify(lines),
  );
}

/** Which of these order gids are stored for the shop. */
export async function existingOrderGids(prisma: Db, shop: string, gids: string[]): Promise<Set<string>> {
  if (gids.length === 0) return new Set();
  const rows = await prisma.order.findMany({ where: { shop, gid: { in: gids } }, select: { gid: true } });
  return new Set(rows.map((r) => r.gid));
}

/** Order and line counts for the admin and tests. */
export async function countOrders(prisma: Db, shop: string): Promise<{ orders: number; lines: number }> {
  const [orders, lines] = await Promise.all([
    prisma.order.count({ where: { shop } }),
    prisma.orderLine.count({ where: { shop } }),
  ]);
  return { orders, lines };
}

/** One order with its lines (tests, data requests). */
/** The customer a stored order belongs to (null: no such order, or a guest order). */
export async function orderCustomerGid(prisma: Db, shop: string, gid: string): Promise<string | null> {
  const row = await prisma.order.findUnique({ where: { shop_gid: { shop, gid } }, select: { customerGid: true } });
  return row?.customerGid ?? null;
}

export async function getOrder(prisma: Db, shop: string, gid: string) {
  return prisma.order.findUnique({
    where: { shop_gid: { shop, gid } },
    include: { lines: { orderBy: { gid: "asc" } } },
  });
}

/**
 * Applies a refunds/create payload to the stored order. The order row's `shopifyUpdated` tells
 * whether the stored version already includes this refund: Shopify bumps the order's
 * `updated_at` when a refund is created, so a stored order updated after the refund's creation
 * already counts it (and is left alone). Timestamps have one-second precision, so at the *same*
 * second the refund ids decide: a stored order whose `refunds` listed this refund (`refundGids`,
 * from REST payloads) counts it; otherwise it is added (Shopify's own refunds/create sample has
 * the same timestamp as its order sample, whose `refunds` is empty). Otherwise the refund is added and
 * `shopifyUpdated` moves to the refund's time, so a replay, or an orders/updated from before the
 * refund, cannot count it twice or roll it back — and the next newer orders/updated overwrites
 * everything with Shopify's totals. Returns false when the order is unknown or already counts it.
 */
export async function applyRefund(prisma: Db, shop: string, refund: RefundRecord): Promise<boolean> {
  const rows = await prisma.$queryRawUnsafe<{ gid: string }[]>(
    `UPDATE "Order" SET "refundedMinor" = "refundedMinor" + $3, "shopifyUpdated" = $4::timestamp(3), "syncedAt" = now(),
       "refundGids" = CASE WHEN $5::text IS NULL THEN "refundGids" ELSE array_append("refundGids", $5::text) END
     WHERE shop = $1 AND gid = $2 AND "shopifyUpdated" <= $4::timestamp(3) AND NOT (COALESCE($5::text, '') = ANY(COALESCE("refundGids", '{}')))
     RETURNING gid`,
    shop,
    refund.orderGid,
    refund.amountMinor,
    refund.createdAt,
    refund.refundGid,
  );
  if (rows.length === 0) return false;
  if (refund.lines.length > 0) {
    await prisma.$executeRawUnsafe(
      `UPDATE "OrderLine" l SET "refundedQty" = LEAST(l.quantity, l."refundedQty" + x.quantity)
       FROM jsonb_to_recordset($3::jsonb) AS x("lineGid" text, quantity int)
       WHERE l.shop = $1 AND l."orderGid" = $2 AND l.gid = x."lineGid"`,
      shop,
      refund.orderGid,
      JSON.stringify(refund.lines),
    );
  }
  return true;
}

/** Orders created at or after `since` (the refit check: how many arrived since the last run's asOf). */
export async function countOrdersCreatedSince(prisma: Db, shop: string, since: Date): Promise<number> {
  return prisma.order.count({ where: { shop, shopifyCreated: { gte: since } } });
}
