import type { Db } from "./db-types.server";

/** Orders deleted per statement: keeps each transaction (and PGlite's memory) small on big shops. */
const DELETE_BATCH = 1000;

/**
 * Deletes the shop's orders placed before `before` — by `processedAt`, or `shopifyCreated` when
 * Shopify gave no processing date (imported orders) — with their lines (`OrderLine` references
 * `Order` with ON DELETE CASCADE; the lines are deleted explicitly anyway, so the intent does not
 * hang on a migration detail). Nothing else references an order row: scores, recommendations and
 * automation measurements are recomputed from the orders that remain. Returns the orders deleted.
 */
export async function deleteOrdersPlacedBefore(db: Db, shop: string, before: Date): Promise<number> {
  const where = {
    shop,
    OR: [{ processedAt: { lt: before } }, { processedAt: null, shopifyCreated: { lt: before } }],
  };
  let deleted = 0;
  for (;;) {
    const batch = await db.order.findMany({
      where,
      select: { gid: true },
      orderBy: { gid: "asc" },
      take: DELETE_BATCH,
    });
    if (batch.length === 0) return deleted;
    const gids = batch.map((o) => o.gid);
    await db.orderLine.deleteMany({ where: { shop, orderGid: { in: gids } } });
    const { count } = await db.order.deleteMany({ where: { shop, gid: { in: gids } } });
    deleted += count;
  }
}
