import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getCustomerPage } from "~/admin/customer.server";
import { calendarDay, calendarDaysBetween, shopClock } from "~/analytics/time";
import { runScoring } from "~/services/scoring/run.server";
import { createTestDatabase, type TestDatabase } from "../helpers/db";

/**
 * One day count on the customer page (D36): the stored explanation, the facts card, the P(alive)
 * reason and the timeline gaps all count calendar days in the shop's timezone from the orders the
 * models used. The orders below sit near midnight in Auckland (UTC+13 in summer) so UTC days and
 * shop days differ, and one is voided (the models leave it out): the "51 vs 52 purchase days" and
 * "499 vs 498 days" disagreements of issue #15 fail this test.
 */
const SHOP = "days-test.myshopify.com";
const TZ = "Pacific/Auckland";
const AS_OF = new Date("2026-12-20T09:30:00Z"); // 22:30 in Auckland
const HOUR = 3600_000;

let db: TestDatabase;
let order = 0;

async function addOrder(customerGid: string, at: Date, opts: { voided?: boolean } = {}) {
  order++;
  await db.prisma.order.create({
    data: {
      shop: SHOP,
      gid: `gid://shopify/Order/${order}`,
      name: `#${1000 + order}`,
      customerGid,
      financialStatus: opts.voided ? "VOIDED" : "PAID",
      currencyCode: "USD",
      subtotalMinor: 2000,
      totalMinor: 2000,
      discountCodes: [],
      shopifyCreated: at,
      shopifyUpdated: at,
      lines: {
        create: [
          {
            gid: `gid://shopify/LineItem/${order}`,
            name: "Tea",
            quantity: 1,
            unitPriceMinor: 2000,
            totalMinor: 2000,
            productGid: `gid://shopify/Product/${1 + (order % 5)}`,
          },
        ],
      },
    },
  });
}

beforeAll(async () => {
  db = await createTestDatabase("pglite");
  await db.prisma.shop.create({ data: { shop: SHOP, ianaTimezone: TZ } });
  // 40 customers so the models train; customer 1 is the one under test.
  for (let c = 1; c <= 40; c++) {
    const gid = `gid://shopify/Customer/${c}`;
    await db.prisma.customer.create({
      data: {
        shop: SHOP,
        gid,
        email: `c${c}@example.com`,
        shopifyCreated: new Date("2025-01-01"),
        shopifyUpdated: new Date("2025-01-01"),
      },
    });
    const visits = c === 1 ? 0 : 1 + (c % 4);
    for (let v = 0; v < visits; v++) await addOrder(gid, new Date(AS_OF.getTime() - (20 + c * 7 + v * 31) * 24 * HOUR));
  }
  const me = "gid://shopify/Customer/1";
  // 11:30Z and 10:30Z next day are one Auckland day apart but two UTC days… and the reverse:
  // 10:30Z (23:30 NZ) and 11:30Z (00:30 NZ next day) are one UTC day, two Auckland days.
  await addOrder(me, new Date("2026-10-01T10:30:00Z"));
  await addOrder(me, new Date("2026-10-01T11:30:00Z"));
  await addOrder(me, new Date("2026-11-02T10:59:00Z"));
  await addOrder(me, new Date("2026-11-02T11:01:00Z"));
  await addOrder(me, new Date("2026-11-20T12:00:00Z"), { voided: true });
  await addOrder(me, new Date("2026-12-10T10:59:00Z")); // 23:59 NZ Dec 10
  await runScoring({ prisma: db.prisma, now: () => AS_OF }, SHOP);
});
afterAll(async () => {
  await db?.drop();
});

describe("calendar days in the shop's timezone", () => {
  it("are the shop's local dates, including across a DST change", () => {
    expect(calendarDaysBetween(Date.parse("2026-10-01T10:30:00Z"), Date.parse("2026-10-01T11:30:00Z"), TZ)).toBe(1);
    expect(calendarDaysBetween(Date.parse("2026-10-01T10:30:00Z"), Date.parse("2026-10-01T11:30:00Z"), "UTC")).toBe(0);
    // New Zealand moved to +13 on 2026-09-27: noon local on both sides is one day apart.
    expect(calendarDaysBetween(Date.parse("2026-09-26T00:00:00Z"), Date.parse("2026-09-26T23:00:00Z"), TZ)).toBe(1);
    expect(calendarDay(Date.parse("2026-12-10T10:59:00Z"), TZ)).toBe(Date.UTC(2026, 11, 10) / 86_400_000);
    expect(shopClock("Not/AZone")(123)).toBe(123);
  });
});

describe("the customer page's day counts", () => {
  it("agree with the stored explanation: purchase days, days since the last order, the gaps", async () => {
    const page = await getCustomerPage({ prisma: db.prisma, now: () => AS_OF }, SHOP, "1");
    const score = page.score!;
    const explanation = score.churn.why;
    // Auckland days: Oct 1 (10:30Z = 23:30), Oct 2 (11:30Z = 00:30), Nov 2 (10:59Z = 23:59),
    // Nov 3 (11:01Z = 00:01), Dec 10; the voided order does not count anywhere.
    expect(page.facts.purchaseDays).toBe(5);
    expect(page.facts.orders).toBe(5);
    expect(explanation).toContain(`${page.facts.purchaseDays} purchase days`);
    expect(score.pAlive.why).toContain(`Bought on ${page.facts.purchaseDays} different days`);
    // Dec 10 → Dec 20 in Auckland.
    expect(explanation).toContain("10 days since the last order");
    expect(score.pAlive.why).toContain("the last order was 10 days ago");
    const gap = /usually orders every (\d+) days/.exec(explanation)![1];
    expect(score.pAlive.why).toContain(`about every ${gap} days`);
    // The next order is the model's (D34), stored as a shop-calendar date (UTC midnight) after the
    // score's last observed Auckland day, and printed as that same date.
    const row = await db.prisma.customerScore.findUniqueOrThrow({
      where: { shop_customerGid: { shop: SHOP, customerGid: "gid://shopify/Customer/1" } },
    });
    const next = row.nextOrderAt!;
    expect(next.getTime() % 86_400_000).toBe(0);
    expect(next.getTime()).toBeGreaterThan(Date.UTC(2026, 11, 20));
    const nextDay = next.toLocaleDateString("en-US", {
      year: "numeric",
      month: "short",
      day: "numeric",
      timeZone: "UTC",
    });
    expect(score.nextOrder.why).toContain(`most likely around ${nextDay}`);
    // Timeline gaps are calendar days in Auckland too: 10:30Z → 11:30Z on Oct 1 is "1 day after".
    const oct2 = page.orders.find((o) => o.createdAt === "2026-10-01T11:30:00.000Z")!;
    expect(oct2.daysAfterPrevious).toBe(1);
    expect(page.timeZone).toBe(TZ);
    expect(score.scoredAt).toBe(AS_OF.toISOString());
  });
});
