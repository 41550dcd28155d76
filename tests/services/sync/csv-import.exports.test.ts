import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseOrdersCsv, parseProductsCsv } from "~/csv";
import { csvToRecords, customerGidForEmail } from "~/services/sync/csv-records.server";
import { importCsvRecords, summarise } from "~/services/sync/csv-import.server";
import { createTestDatabase, type TestDatabase } from "../../helpers/db";

/**
 * The importer on small synthetic exports (tests/fixtures/exports, real Shopify header rows,
 * invented values): variants keyed by handle + options, SKUs as they are, lines joined by SKU or
 * by "Product - Variant" name, consent from the most recent order, convergent re-imports.
 */
const FIXTURES = join(import.meta.dirname, "../../fixtures/exports");
const read = (name: string) => readFileSync(join(FIXTURES, name), "utf8");
const orders = parseOrdersCsv(read("orders.csv"));
const products = parseProductsCsv(read("products.csv"));
const importedAt = new Date("2026-01-01T00:00:00Z");

describe("csvToRecords on the synthetic exports", () => {
  const records = csvToRecords({ orders, products, importedAt });
  const variants = records.products.flatMap((p) => p.variants);
  const variantOf = (handle: string, title: string) =>
    variants.find((v) => v.productGid.endsWith(`/Product/${handle}`) && v.title === title)!;

  it("keeps every variant: a SKU shared by two products and SKU-less variants are separate rows", () => {
    expect(variants).toHaveLength(7);
    const shared = variants.filter((v) => v.sku === "SHARED-SKU");
    expect(shared.map((v) => v.priceMinor).sort()).toEqual([1200, 1800]); // neither price overwritten
    expect(new Set(variants.map((v) => v.gid)).size).toBe(7);
  });

  it("stores an empty SKU as null and the option values as the variant title", () => {
    const tee = records.products.find((p) => p.handle === "linen-tee")!;
    expect(tee.variants.map((v) => [v.sku, v.title])).toEqual([
      [null, "L / Red"],
      [null, "M / Blue"],
      [null, "S / Blue"],
    ]);
    expect(variantOf("soap", "Default Title").sku).toBe("SOAP-1");
  });

  it("reads the product type from the current header, falling back to the category's last segment", () => {
    expect(Object.fromEntries(records.products.map((p) => [p.handle, p.productType]))).toEqual({
      "linen-tee": "Shirts",
      mug: "Mugs",
      bowl: "Kitchen",
      soap: "Bath",
    });
  });

  it("reads the older Standard/Custom Product Type header generation", () => {
    const old = csvToRecords({ orders, products: parseProductsCsv(read("products-stdtype.csv")), importedAt });
    expect(Object.fromEntries(old.products.map((p) => [p.handle, p.productType]))).toEqual({
      "linen-tee": "Shirts",
      mug: "Decor",
      bowl: "Kitchen",
      soap: "Bath",
    });
    expect(old.products.flatMap((p) => p.variants).map((v) => v.gid)).toEqual(variants.map((v) => v.gid));
  });

  it("joins SKU-less lines by 'Product - Variant' name and shared-SKU lines by name too", () => {
    const line = (order: string, name: string) =>
      records.orders.find((o) => o.name === order)!.lines.find((l) => l.name === name)!;
    expect(line("#1010", "Linen Tee - L / Red").variantGid).toBe(variantOf("linen-tee", "L / Red").gid);
    expect(line("#1009", "Linen Tee - M / Blue").variantGid).toBe(variantOf("linen-tee", "M / Blue").gid);
    expect(line("#1007", "Mug - Large").variantGid).toBe(variantOf("mug", "Large").gid);
    expect(line("#1006", "Bowl").variantGid).toBe(variantOf("bowl", "Default Title").gid);
    expect(line("#1002", "Mug - Small").variantGid).toBe(variantOf("mug", "Small").gid);
    expect(line("#1004", "Gift wrap").variantGid).toBeNull(); // not in the catalogue: left unlinked
  });

  it("takes consent from each customer's most recent order", () => {
    const state = (email: string) =>
      records.customers.find((c) => c.gid === customerGidForEmail(email))!.marketingState;
    expect(state("ann@example.test")).toBe("NOT_SUBSCRIBED"); // said yes in January, no in June
    expect(state("ben@example.test")).toBe("SUBSCRIBED"); // no, no, then yes in May
    expect(state("cat@example.test")).toBe("SUBSCRIBED");
  });

  it("summarises what was stored for the merchant", () => {
    expect(summarise(records)).toEqual({
      products: 4,
      variants: 7,
      customers: 4,
      orders: 10,
      lines: 12,
      ordersWithoutEmail: 1,
      ordersCancelled: 1,
      linesMatched: 11,
      linesUnmatched: 1,
      duplicateVariantRows: 0,
      variantsWithoutSku: 3,
      currencies: { USD: 9, CAD: 1 },
      refundedMinorByCurrency: { USD: 3300 },
      refundedOrders: 2,
      firstOrderAt: "2025-01-02T10:00:00.000Z",
      lastOrderAt: "2025-06-01T14:00:00.000Z",
    });
  });

  it("counts a repeated handle + options row once (the later row wins)", () => {
    const text = read("products.csv");
    const [header, ...rows] = text.trimEnd().split("\n");
    const soap = rows.find((r) => r.startsWith("soap,"))!.replace("4.00", "4.50");
    const again = csvToRecords({ orders, products: parseProductsCsv([header, ...rows, soap].join("\n")), importedAt });
    const s = summarise(again);
    expect([s.variants, s.duplicateVariantRows]).toEqual([7, 1]);
    expect(again.products.find((p) => p.handle === "soap")!.variants[0].priceMinor).toBe(450);
  });
});

describe("importCsvRecords with overlapping exports", () => {
  let db: TestDatabase;
  const SHOP = "exports-overlap.myshopify.com";
  beforeAll(async () => {
    db = await createTestDatabase("pglite");
  });
  afterAll(async () => {
    await db?.drop();
  });

  it("stores exactly what the summary says and converges: no duplicates, newest consent wins", async () => {
    const summary = await importCsvRecords(db.prisma, SHOP, { orders, products, importedAt });
    expect(await db.prisma.order.count({ where: { shop: SHOP } })).toBe(summary.orders);
    expect(await db.prisma.orderLine.count({ where: { shop: SHOP } })).toBe(summary.lines);
    expect(await db.prisma.customer.count({ where: { shop: SHOP } })).toBe(summary.customers);
    expect(await db.prisma.variant.count({ where: { shop: SHOP } })).toBe(summary.variants);
    expect(await db.prisma.variant.count({ where: { shop: SHOP, sku: null } })).toBe(3);

    // A later import of an older export that overlaps (orders up to March): ann said "yes" then.
    const older = orders.filter((o) => o.createdAt < new Date("2025-04-02T00:00:00Z"));
    await importCsvRecords(db.prisma, SHOP, { orders: older, products, importedAt: new Date("2026-02-01T00:00:00Z") });
    expect(await db.prisma.order.count({ where: { shop: SHOP } })).toBe(summary.orders);
    expect(await db.prisma.orderLine.count({ where: { shop: SHOP } })).toBe(summary.lines);
    expect(await db.prisma.customer.count({ where: { shop: SHOP } })).toBe(summary.customers);
    const ann = await db.prisma.customer.findUnique({
      where: { shop_gid: { shop: SHOP, gid: customerGidForEmail("ann@example.test") } },
    });
    expect(ann?.marketingState).toBe("NOT_SUBSCRIBED");

    // A newer export where ann says yes again wins.
    const newer = orders
      .filter((o) => o.name === "#1010")
      .map((o) => ({
        ...o,
        name: "#1011",
        id: "9011",
        createdAt: new Date("2025-07-01T00:00:00Z"),
        acceptsMarketing: true,
      }));
    await importCsvRecords(db.prisma, SHOP, { orders: newer, products, importedAt: new Date("2026-03-01T00:00:00Z") });
    const annAfter = await db.prisma.customer.findUnique({
      where: { shop_gid: { shop: SHOP, gid: customerGidForEmail("ann@example.test") } },
    });
    expect(annAfter?.marketingState).toBe("SUBSCRIBED");
    expect(await db.prisma.order.count({ where: { shop: SHOP } })).toBe(summary.orders + 1);
  });

  it("an orders-only re-import keeps lines joined to the products stored earlier", async () => {
    // Its own shop, imported with products first: the earlier import this test re-imports over.
    const shop = "exports-orders-only.myshopify.com";
    await importCsvRecords(db.prisma, shop, { orders, products, importedAt });
    const linked = () => db.prisma.orderLine.count({ where: { shop, variantGid: { not: null } } });
    const before = await linked();
    expect(before).toBeGreaterThanOrEqual(11);
    const s = await importCsvRecords(db.prisma, shop, { orders, importedAt: new Date("2026-04-01T00:00:00Z") });
    expect(s.linesMatched).toBe(11);
    expect(await linked()).toBe(before);
  });
});
