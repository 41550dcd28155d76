import { existsSync, readFileSync } from "node:fs";
import { sharedFile } from "../helpers/shared-data";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CsvInputError, parseOrdersCsv, parseProductsCsv } from "~/csv";
import { csvToRecords } from "~/services/sync/csv-records.server";
import { importCsvRecords, summarise } from "~/services/sync/csv-import.server";
import { createTestDatabase, type TestDatabase } from "../helpers/db";

/**
 * Every real, scrubbed Shopify export in the shared data folder (next to the repository; skipped
 * with a message when absent) imports with exactly the counts the file holds.
 *
 * How the expected numbers were obtained: NOT from this code. `scripts/count-shopify-export.py`
 * reads each file with Python's `csv` module (a different parser) and counts distinct `Name`s,
 * non-empty `Lineitem name` rows, distinct lower-cased emails (and how many said yes to marketing on
 * their most recent order), distinct `Handle`s and distinct
 * Handle + option-value variant rows, sums `Refunded Amount` with `decimal`, and (for the
 * `orders+products` pairs) counts lines whose SKU or "Title - Options" name names exactly one
 * variant. The numbers below are its output, pasted; the two spreadsheet-mangled files must be refused.
 */
const DIR = sharedFile("shopify-exports");
const present = existsSync(DIR);
if (!present) console.warn(`shopify-exports: ${DIR} not found — real-export tests skipped`);
const read = (file: string) => readFileSync(join(DIR, file), "utf8");

const ORDERS = [
  {
    file: "o01-kidsliving-ZAR-2021.csv",
    orders: 50,
    subscribed: 31,
    lines: 101,
    customers: 48,
    withoutEmail: 0,
    cancelled: 2,
    currencies: { ZAR: 50 },
    refunded: {},
    refundedOrders: 0,
    first: "2021-05-13T09:01:12",
    last: "2021-05-17T08:38:49",
  },
  {
    file: "o04-selmanarts-TRY-2025.csv",
    orders: 604,
    subscribed: 455,
    lines: 818,
    customers: 566,
    withoutEmail: 30,
    cancelled: 1,
    currencies: { TRY: 602, USD: 2 },
    refunded: {},
    refundedOrders: 0,
    first: "2025-01-01T18:11:17",
    last: "2025-11-22T19:25:26",
  },
  {
    file: "o05a-smartship-ARS-2025.csv",
    orders: 62,
    subscribed: 8,
    lines: 91,
    customers: 61,
    withoutEmail: 0,
    cancelled: 0,
    currencies: { ARS: 62 },
    refunded: {},
    refundedOrders: 0,
    first: "2025-11-10T10:31:07",
    last: "2025-11-10T17:54:52",
  },
  {
    file: "o08-maisonmaria-GBP-2025.csv",
    orders: 60,
    subscribed: 1,
    lines: 61,
    customers: 58,
    withoutEmail: 0,
    cancelled: 8,
    currencies: { GBP: 60 },
    refunded: { GBP: 27407 },
    refundedOrders: 8,
    first: "2025-08-03T22:31:15",
    last: "2025-12-07T19:08:24",
  },
  {
    file: "o10-dnacrm-EUR-2026.csv",
    orders: 137,
    subscribed: 4,
    lines: 143,
    customers: 127,
    withoutEmail: 2,
    cancelled: 3,
    currencies: { EUR: 137 },
    refunded: { EUR: 63000 },
    refundedOrders: 5,
    first: "2024-07-12T15:10:49",
    last: "2026-03-06T08:58:42",
  },
  {
    file: "o12-customervip-USD-2022.csv",
    orders: 409,
    subscribed: 77,
    lines: 811,
    customers: 296,
    withoutEmail: 19,
    cancelled: 20,
    currencies: { USD: 409 },
    refunded: { USD: 1133630 },
    refundedOrders: 69,
    first: "2019-05-14T05:01:54",
    last: "2022-01-11T09:32:30",
  },
];

const PRODUCTS = [
  { file: "p01-dnacrm-2026.csv", products: 3, variants: 7, withoutSku: 0, typed: 3 },
  { file: "p02-variantsplitter.csv", products: 8, variants: 14, withoutSku: 0, typed: 4 },
  { file: "p03-aianalyst.csv", products: 1943, variants: 2114, withoutSku: 1536, typed: 1925 },
  { file: "p04-boldstone-stdtype.csv", products: 50, variants: 50, withoutSku: 1, typed: 49 },
];

/** The two intentionally broken files and the one-line reason each must be refused with. */
const REFUSED = [
  {
    file: "o05b-smartship-ARS-2025-rowquoted.csv",
    message: /^row 1: every row is one quoted field .*export again from Shopify admin$/,
  },
  {
    file: "o06-teste-BRL-2025-semicolon.csv",
    message: /^row 1: the file looks re-saved by a spreadsheet with ';' separators: export again from Shopify admin$/,
  },
];

describe.skipIf(!present)("real Shopify exports (shared data folder)", () => {
  it("the folder holds exactly the files this test knows (a new file needs its counts here)", async () => {
    const { readdirSync } = await import("node:fs");
    const known = [...ORDERS, ...PRODUCTS, ...REFUSED].map((f) => f.file).sort();
    expect(
      readdirSync(DIR)
        .filter((f) => f.endsWith(".csv"))
        .sort(),
    ).toEqual(known);
  });

  it.each(ORDERS)("$file: orders, lines, customers, currencies, refunds and dates as counted independently", (e) => {
    const s = summarise(csvToRecords({ orders: parseOrdersCsv(read(e.file)), importedAt: new Date() }));
    expect(s).toMatchObject({
      orders: e.orders,
      lines: e.lines,
      customers: e.customers,
      ordersWithoutEmail: e.withoutEmail,
      ordersCancelled: e.cancelled,
      currencies: e.currencies,
      refundedMinorByCurrency: e.refunded,
      refundedOrders: e.refundedOrders,
      firstOrderAt: `${e.first}.000Z`,
      lastOrderAt: `${e.last}.000Z`,
    });
  });

  it.each(ORDERS)("$file: consent is the one on each customer's most recent order", (e) => {
    const { customers } = csvToRecords({ orders: parseOrdersCsv(read(e.file)), importedAt: new Date() });
    expect(customers.filter((c) => c.marketingState === "SUBSCRIBED").length).toBe(e.subscribed);
  });

  it.each(PRODUCTS)(
    "$file: every variant kept (handle + options), SKUs as they are, product types from any header generation",
    (e) => {
      const records = csvToRecords({ orders: [], products: parseProductsCsv(read(e.file)), importedAt: new Date() });
      const s = summarise(records);
      expect({
        products: s.products,
        variants: s.variants,
        withoutSku: s.variantsWithoutSku,
        duplicates: s.duplicateVariantRows,
      }).toEqual({ products: e.products, variants: e.variants, withoutSku: e.withoutSku, duplicates: 0 });
      expect(records.products.filter((p) => p.productType !== "").length).toBe(e.typed);
      // Variant titles are option values, never the product title; no SKU is invented.
      for (const p of records.products)
        for (const v of p.variants) {
          if (p.variants.length > 1) expect(v.title).not.toBe(p.title);
          if (v.sku !== null) expect(v.sku).not.toContain(" - ");
        }
    },
  );

  it("joins the same shop's order lines to its products (by SKU, else by 'Product - Variant' name)", () => {
    const s = summarise(
      csvToRecords({
        orders: parseOrdersCsv(read("o10-dnacrm-EUR-2026.csv")),
        products: parseProductsCsv(read("p01-dnacrm-2026.csv")),
        importedAt: new Date(),
      }),
    );
    expect([s.linesMatched, s.lines]).toEqual([135, 143]);
  });

  it.each(REFUSED)("$file is refused with one helpful line that echoes no cell", (e) => {
    let error: unknown;
    try {
      parseOrdersCsv(read(e.file));
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(CsvInputError);
    const message = (error as Error).message;
    expect(message).toMatch(e.message);
    expect(message).not.toMatch(/@|#\d/);
  });

  describe("stored in the database", () => {
    let db: TestDatabase;
    beforeAll(async () => {
      db = await createTestDatabase("pglite");
    }, 60_000);
    afterAll(async () => {
      await db?.drop();
    });

    it("counts stored = counts in the files, for every file", async () => {
      for (const [i, e] of ORDERS.entries()) {
        const shop = `orders-${i}.myshopify.com`;
        const s = await importCsvRecords(db.prisma, shop, {
          orders: parseOrdersCsv(read(e.file)),
          importedAt: new Date(),
        });
        const stored = {
          orders: await db.prisma.order.count({ where: { shop } }),
          lines: await db.prisma.orderLine.count({ where: { shop } }),
          customers: await db.prisma.customer.count({ where: { shop } }),
        };
        expect(stored, e.file).toEqual({ orders: e.orders, lines: e.lines, customers: e.customers });
        expect([s.orders, s.lines, s.customers]).toEqual([e.orders, e.lines, e.customers]);
      }
      for (const [i, e] of PRODUCTS.entries()) {
        const shop = `products-${i}.myshopify.com`;
        await importCsvRecords(db.prisma, shop, {
          orders: [],
          products: parseProductsCsv(read(e.file)),
          importedAt: new Date(),
        });
        const stored = {
          products: await db.prisma.product.count({ where: { shop } }),
          variants: await db.prisma.variant.count({ where: { shop } }),
          withoutSku: await db.prisma.variant.count({ where: { shop, sku: null } }),
        };
        expect(stored, e.file).toEqual({ products: e.products, variants: e.variants, withoutSku: e.withoutSku });
      }
    }, 120_000);
  });
});
