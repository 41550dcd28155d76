import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ATTRIBUTION_BASIS,
  attributeOrders,
  parseClicks,
  recommendationAssistedRevenue,
} from "~/services/storefront/attribution.server";
import { getAssistedRevenue } from "~/services/storefront/assisted-revenue.server";
import { createTestDatabase, testDbKinds, type TestDatabase } from "../../helpers/db";
import { pid, SHOP } from "./helpers";

/** Click-attributed recommendation revenue from line properties and the clicks cart attribute. */

describe("parseClicks", () => {
  it("reads block:productId entries, last click wins, ignores junk", () => {
    expect([...parseClicks("also:1,fbt:2, also:2 ,<script>:3,bad")]).toEqual([
      ["1", "also"],
      ["2", "also"],
    ]);
    expect(parseClicks(undefined).size).toBe(0);
  });
});

describe.each(testDbKinds)("recommendationAssistedRevenue (%s)", (kind) => {
  let db: TestDatabase;
  const at = (d: string) => new Date(`2026-11-${d}T10:00:00Z`);

  async function order(
    gid: number,
    created: Date,
    lines: { p: number; total: number; qty?: number; refunded?: number; rec?: string }[],
    extra: { clicks?: string; cancelled?: boolean; currency?: string } = {},
  ) {
    await db.prisma.order.create({
      data: {
        shop: SHOP,
        gid: `gid://shopify/Order/${gid}`,
        name: `#${gid}`,
        financialStatus: "PAID",
        currencyCode: extra.currency ?? "USD",
        subtotalMinor: lines.reduce((s, l) => s + l.total, 0),
        totalMinor: lines.reduce((s, l) => s + l.total, 0),
        attributes: extra.clicks ? [{ key: "_gp_clicks", value: extra.clicks }] : [],
        cancelledAt: extra.cancelled ? created : null,
        shopifyCreated: created,
        shopifyUpdated: created,
        lines: {
          create: lines.map((l, i) => ({
            gid: `gid://shopify/LineItem/${gid * 10 + i}`,
            productGid: pid(l.p),
            name: `P${l.p}`,
            quantity: l.qty ?? 1,
            unitPriceMinor: l.total / (l.qty ?? 1),
            totalMinor: l.total,
            refundedQty: l.refunded ?? 0,
            properties: l.rec ? [{ name: "_gp_rec", value: l.rec }] : [],
          })),
        },
      },
    });
  }

  beforeAll(async () => {
    db = await createTestDatabase(kind);
    await order(1, at("02"), [
      { p: 1001, total: 1450 },
      { p: 1002, total: 2400, rec: "fbt" },
    ]);
    await order(2, at("03"), [{ p: 1011, total: 3800, qty: 2, refunded: 1, rec: "also" }]); // half refunded
    await order(
      3,
      at("04"),
      [
        { p: 1010, total: 4500 },
        { p: 1003, total: 650 },
      ],
      { clicks: "also:1010,fbt:9999" },
    ); // click-through
    await order(4, at("05"), [{ p: 1014, total: 2700, rec: "drawer" }], { clicks: "for_you:1014" }); // counted once, as add-to-cart
    await order(5, at("06"), [{ p: 1002, total: 2400, rec: "fbt" }], { cancelled: true });
    await order(6, at("07"), [{ p: 1001, total: 1000 }], { currency: "EUR" });
    await order(7, at("20"), [{ p: 1002, total: 2400, rec: "fbt" }]); // outside the range
    await order(8, at("21"), [
      { p: 1003, total: 1000, rec: "toString" },
      { p: 1004, total: 500, rec: "<b>x</b>" },
      { p: 1005, total: 250, rec: "__proto__" },
    ]); // not block ids
  });

  afterAll(async () => {
    await db?.drop();
  });

  it("credits marked lines and click-throughs, net of refunds, per currency, labelled click-attributed", async () => {
    const report = await recommendationAssistedRevenue(db.prisma, SHOP, { from: at("01"), to: at("15") });
    expect(report.basis).toBe(ATTRIBUTION_BASIS);
    expect(report.label).toMatch(/click-attributed/i);
    expect(report.label).toMatch(/not incremental/i);
    const usd = report.currencies.find((c) => c.currencyCode === "USD")!;
    expect(usd).toMatchObject({
      orders: 4,
      assistedOrders: 4,
      revenueMinor: 1450 + 2400 + 1900 + 4500 + 650 + 2700,
      assistedRevenueMinor: 2400 + 1900 + 4500 + 2700,
      addToCartRevenueMinor: 2400 + 1900 + 2700,
      clickThroughRevenueMinor: 4500,
      byBlock: { fbt: 2400, also: 1900 + 4500, drawer: 2700 },
    });
    expect(usd.share).toBeCloseTo(11500 / 13600, 6);
    expect(report.currencies.find((c) => c.currencyCode === "EUR")).toMatchObject({
      orders: 1,
      assistedRevenueMinor: 0,
      share: 0,
    });
  });

  it("the admin card: last 30 days, merchant block names in storefront order, unknown ids summed as Other, credited currencies only", async () => {
    const view = await getAssistedRevenue(db.prisma, SHOP, at("22"));
    expect(view.days).toBe(30);
    expect(view.from).toBe(new Date(at("22").getTime() - 30 * 86_400_000).toISOString());
    expect(view.to).toBe(at("22").toISOString());
    expect(view.basis).toMatch(/click-attributed, last touch/i);
    expect(view.basis).toMatch(/refunds deducted/);
    expect(view.basis).toMatch(/not incremental/);
    expect(view.currencies.map((c) => c.currencyCode)).toEqual(["USD"]); // EUR has no credited order
    expect(view.currencies[0].blocks).toEqual([
      { id: "fbt", name: "Frequently bought together", revenueMinor: 4800 },
      { id: "also", name: "Customers also bought", revenueMinor: 6400 },
      { id: "drawer", name: "Cart drawer", revenueMinor: 2700 },
      { id: "other", name: "Other or removed blocks", revenueMinor: 1750 },
    ]);
    expect(view.currencies[0].assistedRevenueMinor).toBe(4800 + 6400 + 2700 + 1750);
  });

  it("is a pure function of the orders", () => {
    expect(attributeOrders([])).toEqual([]);
  });
});
