import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dailySales, topProductUnits } from "~/models/sales-series.server";
import { createTestDatabase, testDbKinds, type TestDatabase } from "../helpers/db";

const DAY = 86_400_000;
const SHOP = "series.myshopify.com";
const OTHER = "other-series.myshopify.com";
const D0 = Date.UTC(2026, 0, 10);

/** Daily sales and top sellers: zero-filled complete UTC days, cancelled excluded, refunds netted, scoped by shop. */
describe.each(testDbKinds)("sales series on %s", (kind) => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase(kind);
    const order = (shop: string, gid: string, at: number, total: number, extra: Record<string, unknown> = {}) => ({
      shop,
      gid,
      name: gid,
      financialStatus: "PAID",
      currencyCode: "USD",
      subtotalMinor: total,
      totalMinor: total,
      discountCodes: [],
      shopifyCreated: new Date(at),
      shopifyUpdated: new Date(at),
      ...extra,
    });
    await db.prisma.order.createMany({
      data: [
        order(SHOP, "o1", D0 + 3_600_000, 1000),
        order(SHOP, "o2", D0 + 5_000_000, 500, { refundedMinor: 200 }),
        order(SHOP, "o3", D0 + 2 * DAY + 10, 700),
        order(SHOP, "cancelled", D0 + 2 * DAY + 20, 9999, { cancelledAt: new Date(D0 + 2 * DAY + 30) }),
        // The as-of day itself is incomplete and never counted.
        order(SHOP, "today", D0 + 3 * DAY + 10, 123),
        order(OTHER, "x1", D0 + DAY, 5555),
      ],
    });
    await db.prisma.product.create({
      data: {
        shop: SHOP,
        gid: "gid://shopify/Product/1",
        title: "Tea",
        handle: "tea",
        tags: [],
        collections: [],
        status: "ACTIVE",
        shopifyCreated: new Date(D0),
        shopifyUpdated: new Date(D0),
        variants: {
          create: [
            { gid: "v1", title: "a", priceMinor: 100, inventoryQty: 30, shopifyUpdated: new Date(D0) },
            { gid: "v2", title: "b", priceMinor: 100, inventoryQty: -4, shopifyUpdated: new Date(D0) },
          ],
        },
      },
    });
    const line = (gid: string, orderGid: string, quantity: number, refundedQty = 0) => ({
      shop: SHOP,
      gid,
      orderGid,
      productGid: "gid://shopify/Product/1",
      name: "Tea",
      quantity,
      unitPriceMinor: 100,
      totalMinor: 100 * quantity,
      refundedQty,
    });
    await db.prisma.orderLine.createMany({
      data: [line("l1", "o1", 2), line("l2", "o2", 3, 1), line("l3", "o3", 1), line("l4", "cancelled", 50)],
    });
  });
  afterAll(async () => db?.drop());

  it("one value per complete day from the first order, zero-filled, net of refunds, without cancelled orders", async () => {
    const s = await dailySales(db.prisma, SHOP, new Date(D0 + 3 * DAY + 50_000), 400);
    expect(s.startDay).toBe(D0);
    expect(s.revenueMinor).toEqual([1300, 0, 700]);
    expect(s.orders).toEqual([2, 0, 1]);
    const none = await dailySales(db.prisma, "nobody.myshopify.com", new Date(D0), 400);
    expect(none.orders).toEqual([]);
  });

  it("top sellers' daily units net of refunds; stock summed over DENY variants, negatives as zero", async () => {
    const [p] = await topProductUnits(db.prisma, SHOP, { startDay: D0, days: 3 }, { top: 5, recentDays: 90 });
    expect(p).toEqual({ productGid: "gid://shopify/Product/1", title: "Tea", inventory: 30, units: [4, 0, 1] });
    await db.prisma.variant.update({
      where: { shop_gid: { shop: SHOP, gid: "v2" } },
      data: { inventoryPolicy: "CONTINUE" },
    });
    const [q] = await topProductUnits(db.prisma, SHOP, { startDay: D0, days: 3 }, { top: 5, recentDays: 90 });
    // A variant that sells past zero makes the count meaningless for "stock lasts N days".
    expect(q.inventory).toBeNull();
  });
});
