import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { dataRequestsForAdmin, exportToCsv, recordDataRequest } from "~/services/shop/data-requests.server";
import { createTestDatabase, type TestDatabase } from "../../helpers/db";

const SHOP = "privacy.myshopify.com";
const OTHER = "other.myshopify.com";
const DAY = 86_400_000;
const t0 = new Date("2026-11-01T00:00:00Z");

/** Shopify's customers/data_request for customer 1, received at t0 (what the webhook stores). */
const requestAt = (receivedAt: Date, requestKey = "77") => ({
  requestKey,
  customerGid: "gid://shopify/Customer/1",
  orderGids: [],
  receivedAt,
});

describe("GDPR data requests", () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase("pglite");
    await db.prisma.customer.create({
      data: {
        shop: SHOP,
        gid: "gid://shopify/Customer/1",
        email: "ann@example.com",
        firstName: "Ann",
        marketingState: "SUBSCRIBED",
        shopifyCreated: t0,
        shopifyUpdated: t0,
      },
    });
    await db.prisma.order.create({
      data: {
        shop: SHOP,
        gid: "gid://shopify/Order/10",
        name: "#1001",
        customerGid: "gid://shopify/Customer/1",
        financialStatus: "PAID",
        currencyCode: "USD",
        subtotalMinor: 4200,
        totalMinor: 4200,
        shopifyCreated: t0,
        shopifyUpdated: t0,
      },
    });
  });
  afterAll(() => db.drop());
  // Each test records the requests it reads: none depends on another having run first.
  beforeEach(async () => {
    await db.prisma.dataRequest.deleteMany();
  });

  it("stores the export with a 30-day deadline once per Shopify request id", async () => {
    const first = await recordDataRequest(db.prisma, SHOP, requestAt(t0));
    expect(first).toMatchObject({ found: true, orders: 1 });
    // A redelivery (or a later retry) keeps the first snapshot and deadline.
    const again = await recordDataRequest(db.prisma, SHOP, requestAt(new Date(t0.getTime() + DAY)));
    expect(again.id).toBe(first.id);
    const rows = await db.prisma.dataRequest.findMany({ where: { shop: SHOP } });
    expect(rows).toHaveLength(1);
    expect(rows[0].dueAt.toISOString()).toBe("2026-12-01T00:00:00.000Z");
    const exported = JSON.parse(rows[0].exportJson);
    expect(exported.customer.email).toBe("ann@example.com");
    expect(exported.orders[0]).toMatchObject({ name: "#1001", totalMinor: 4200 });
  });

  it("shows open, overdue and sent requests to this shop only, and prunes expired copies", async () => {
    await recordDataRequest(db.prisma, SHOP, requestAt(t0));
    expect(await dataRequestsForAdmin(db.prisma, OTHER, t0)).toEqual([]);
    expect((await dataRequestsForAdmin(db.prisma, SHOP, new Date(t0.getTime() + 10 * DAY)))[0].status).toBe("open");
    expect((await dataRequestsForAdmin(db.prisma, SHOP, new Date(t0.getTime() + 31 * DAY)))[0].status).toBe("overdue");
    // 30 days past the deadline the copy is deleted, sent or not.
    expect(await dataRequestsForAdmin(db.prisma, SHOP, new Date(t0.getTime() + 61 * DAY))).toEqual([]);
    expect(await db.prisma.dataRequest.count()).toBe(0);
  });

  it("writes every stored field as a record,field,value row with spreadsheet formulas defused", () => {
    const csv = exportToCsv({
      customer: { email: "a@b.c", note: "=cmd()" },
      orders: [{ name: "#1", lines: [{ sku: "X" }] }],
    });
    expect(csv.split("\r\n")).toEqual([
      "record,field,value",
      "customer,email,a@b.c",
      "customer,note,'=cmd()",
      "orders[0],name,#1",
      "orders[0],lines.0.sku,X",
      "",
    ]);
  });
});
