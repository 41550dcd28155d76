import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseOrdersCsv, parseProductsCsv } from "~/csv";
import { csvToRecords, customerGidForEmail } from "~/services/sync/csv-records.server";
import { importCsvRecords } from "~/services/sync/csv-import.server";
import { createTestDatabase, testDbKinds, type TestDatabase } from "../../helpers/db";

const ordersCsv = readFileSync("tests/fixtures/shopify_orders_small.csv", "utf8");
const productsCsv = readFileSync("tests/fixtures/shopify_products_small.csv", "utf8");
const SHOP = "csv-shop.myshopify.com";

describe("csvToRecords", () => {
  const orders = parseOrdersCsv(ordersCsv);
  const products = parseProductsCsv(productsCsv);
  const records = csvToRecords({ orders, products, importedAt: new Date("2026-01-01T00:00:00Z") });

  it("keys customers by a hash of the email, never the email itself", () => {
    const gid = customerGidForEmail("Alice@Example.com ");
    expect(gid).toBe(customerGidForEmail("alice@example.com"));
    expect(gid).not.toContain("alice");
    expect(records.customers.every((c) => !c.gid.includes("@"))).toBe(true);
  });

  it("links order lines to imported products by SKU", () => {
    const lines = records.orders.flatMap((o) => o.lines);
    const tea = lines.find((l) => l.sku === "TEA-GREEN");
    expect(tea?.productGid).toBe(records.products.find((p) => p.handle === "green-tea")?.gid);
  });

  it("keeps one record per order with every line", () => {
    expect(records.orders.length).toBe(new Set(orders.map((o) => o.name)).size);
    expect(records.orders.reduce((s, o) => s + o.lines.length, 0)).toBe(orders.reduce((s, o) => s + o.lines.length, 0));
  });
});

describe.each(testDbKinds)("importCsvRecords on %s", (kind) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase(kind);
  });
  afterAll(async () => {
    await db?.drop();
  });

  it("writes products, customers and orders, and re-importing does not duplicate", async () => {
    const input = {
      orders: parseOrdersCsv(ordersCsv),
      products: parseProductsCsv(productsCsv),
      importedAt: new Date("2026-01-01T00:00:00Z"),
    };
    const first = await importCsvRecords(db.prisma, SHOP, input);
    expect(await db.prisma.order.count({ where: { shop: SHOP } })).toBe(first.orders);
    expect(await db.prisma.orderLine.count({ where: { shop: SHOP } })).toBe(first.lines);
    expect(await db.prisma.customer.count({ where: { shop: SHOP } })).toBe(first.customers);
    expect(await db.prisma.product.count({ where: { shop: SHOP } })).toBe(first.products);
    await importCsvRecords(db.prisma, SHOP, { ...input, importedAt: new Date("2026-01-02T00:00:00Z") });
    expect(await db.prisma.order.count({ where: { shop: SHOP } })).toBe(first.orders);
    expect(await db.prisma.orderLine.count({ where: { shop: SHOP } })).toBe(first.lines);
  });

  it("writes nothing when the transaction fails part-way", async () => {
    const other = "rollback-shop.myshopify.com";
    // A database failure after products and customers were written inside the same transaction:
    // a trigger rejects this shop's orders (input validation would stop bad values earlier).
    await db.sql.exec(`
      CREATE OR REPLACE FUNCTION gp_test_reject_order() RETURNS trigger AS $$
      BEGIN RAISE EXCEPTION 'simulated failure while writing orders'; END $$ LANGUAGE plpgsql;
      CREATE TRIGGER gp_test_reject_order BEFORE INSERT ON "Order"
        FOR EACH ROW WHEN (NEW.shop = '${other}') EXECUTE FUNCTION gp_test_reject_order();`);
    try {
      await expect(
        importCsvRecords(db.prisma, other, {
          orders: parseOrdersCsv(ordersCsv),
          products: parseProductsCsv(productsCsv),
          importedAt: new Date(),
        }),
      ).rejects.toThrow(kind === "postgres" ? /simulated failure/ : undefined);
    } finally {
      await db.sql.exec(`DROP TRIGGER gp_test_reject_order ON "Order"; DROP FUNCTION gp_test_reject_order();`);
    }
    expect(await db.prisma.product.count({ where: { shop: other } })).toBe(0);
    expect(await db.prisma.customer.count({ where: { shop: other } })).toBe(0);
    expect(await db.prisma.order.count({ where: { shop: other } })).toBe(0);
  });
});
