import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cohortRetention, salesTrend } from "~/models/admin-trends.server";
import { createTestDatabase, testDbKinds, type TestDatabase } from "../helpers/db";

const DAY = 86_400_000;
const SHOP = "trends.myshopify.com";
const TO = new Date(Date.UTC(2026, 3, 15));

/** Sales over time (new / returning / guest) and cohort retention, scoped by shop, cancelled orders never counted. */
describe.each(testDbKinds)("admin trends on %s", (kind) => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase(kind);
    let i = 0;
    const order = (customerGid: string | null, at: number, total: number, extra: Record<string, unknown> = {}) => ({
      shop: SHOP,
      gid: `o${i++}`,
      name: `#${i}`,
      customerGid,
      financialStatus: "PAID",
      currencyCode: "USD",
      subtotalMinor: total,
      totalMinor: total,
      discountCodes: [],
      shopifyCreated: new Date(at),
      shopifyUpdated: new Date(at),
      ...extra,
    });
    const t = TO.getTime();
    await db.prisma.order.createMany({
      data: [
        // a: first order long before both windows, returning in the current one.
        order("a", Date.UTC(2026, 0, 5), 1000),
        order("a", t - 3 * DAY, 400, { refundedMinor: 100 }),
        // b: new in the previous window, back in the current one.
        order("b", t - 9 * DAY, 500),
        order("b", t - 2 * DAY, 200),
        order(null, t - DAY, 50),
        order("c", t - DAY, 9999, { cancelledAt: new Date(t) }),
        order("b", Date.UTC(2026, 1, 10), 300),
        order("b", Date.UTC(2026, 2, 20), 250),
        { ...order("a", t - DAY, 7777), shop: "other.myshopify.com" },
      ],
    });
  });
  afterAll(async () => db?.drop());

  it("splits each period into equal buckets that sum to the KPI and labels first orders new", async () => {
    const { current, previous } = await salesTrend(db.prisma, SHOP, { to: TO, periodDays: 7, buckets: 7 });
    expect(current).toHaveLength(7);
    expect(previous).toHaveLength(7);
    expect(current.reduce((s, b) => s + b.revenueMinor, 0)).toBe(300 + 200 + 50);
    expect(current.reduce((s, b) => s + b.orders, 0)).toBe(3);
    expect(current.reduce((s, b) => s + b.returningRevenueMinor, 0)).toBe(500);
    expect(current.reduce((s, b) => s + b.guestRevenueMinor, 0)).toBe(50);
    expect(current.reduce((s, b) => s + b.newRevenueMinor, 0)).toBe(0);
    // b's first order (9 days before) is new revenue of the previous week — but b's order of
    // 2026-02-10 was earlier, so none is new: first means first ever.
    expect(previous.reduce((s, b) => s + b.newRevenueMinor + b.returningRevenueMinor, 0)).toBe(500);
    expect(previous.reduce((s, b) => s + b.returningRevenueMinor, 0)).toBe(500);
    expect(current[6].start).toBe(TO.getTime() - DAY);
    expect(current[6].revenueMinor).toBe(50);
  });

  it("cohorts by first-order month, complete months only, activity and revenue per month since", async () => {
    const rows = await cohortRetention(db.prisma, SHOP, { to: TO, months: 4 });
    expect(rows.map((r) => r.cohort)).toEqual(["2025-12", "2026-01", "2026-02", "2026-03"]);
    const jan = rows[1];
    expect(jan).toEqual({ cohort: "2026-01", customers: 1, active: [1, 0, 0], revenueMinor: [1000, 0, 0] });
    const feb = rows[2];
    // b's April orders fall in the month in progress, which is left out.
    expect(feb).toEqual({ cohort: "2026-02", customers: 1, active: [1, 1], revenueMinor: [300, 250] });
    expect(rows[0].customers).toBe(0);
  });
});
