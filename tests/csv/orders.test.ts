import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  CsvInputError,
  ordersToEngineOrders,
  ordersToEngineOrdersWithStats,
  parseMoneyMinor,
  parseOrdersCsv,
  parseShopifyDate,
} from "~/csv";

const fixture = readFileSync(join(import.meta.dirname, "../fixtures/shopify_orders_small.csv"), "utf8");
const HEADER =
  "Name,Email,Created at,Lineitem quantity,Lineitem name,Lineitem price,Lineitem sku,Total,Financial Status,Cancelled at";

describe("parseOrdersCsv on the committed Shopify-style fixture", () => {
  const orders = parseOrdersCsv(fixture);

  it("groups line-item rows into orders by Name", () => {
    expect(orders).toHaveLength(15);
    const first = orders[0];
    expect(first.name).toBe("#1001");
    expect(first.lines.map((l) => [l.sku, l.quantity, l.priceMinor])).toEqual([
      ["TEA-GREEN", 1, 1250],
      ["INFUSER", 1, 725],
      ["HONEY", 2, 999],
    ]);
    expect(first.lines[0].name).toBe("Green Tea, loose leaf");
  });

  it("reads order-level fields from the first row, money in exact minor units", () => {
    const first = orders[0];
    expect(first).toMatchObject({
      email: "alice@example.com",
      currency: "USD",
      subtotalMinor: 3973,
      shippingMinor: 500,
      taxesMinor: 397,
      totalMinor: 4870,
      financialStatus: "paid",
      acceptsMarketing: false,
      id: "5000000000",
    });
    expect(first.createdAt.toISOString()).toBe("2024-01-05T15:00:00.000Z");
  });

  it("keeps a multi-line quoted note without splitting the order", () => {
    const carol = orders.find((o) => o.name === "#1003")!;
    expect(carol.lines).toHaveLength(2);
  });

  it("applies the docs/contracts.md §4 engine rules", () => {
    const { orders: engine, stats } = ordersToEngineOrdersWithStats(orders, { before: Date.UTC(2024, 3, 1) });
    expect(stats).toMatchObject({ kept: 11, noEmail: 1, cancelledOrVoided: 2, notBefore: 1, noLines: 0 });
    // Order value is Total net of Refunded Amount (app/analytics/money.ts).
    expect(stats.netMinor).toBe(engine.reduce((sum, o) => sum + o.totalMinor, 0));
    expect(stats.grossMinor - stats.refundedMinor).toBeLessThanOrEqual(stats.netMinor);
    expect(engine.map((o) => o.customer)).toContain("bob@example.com"); // "Bob@Example.com " normalised
    expect(engine.every((o) => o.at < Date.UTC(2024, 3, 1))).toBe(true);
    expect(engine.find((o) => o.id === "5000000000")!.lines[2]).toEqual({
      sku: "HONEY",
      quantity: 2,
      amountMinor: 1998,
    });
    const sorted = [...engine].sort((a, b) => a.at - b.at);
    expect(engine).toEqual(sorted);
  });

  it("uses Lineitem name when the sku is empty", () => {
    const text = `${HEADER}\n#1,a@x.com,2024-01-01 10:00:00 +0000,1,Plain Soap,3.00,,3.00,paid,\n`;
    expect(ordersToEngineOrders(parseOrdersCsv(text), { before: Date.UTC(2025, 0, 1) })[0].lines[0].sku).toBe(
      "Plain Soap",
    );
  });
});

describe("parseOrdersCsv errors carry the 1-based row", () => {
  it("missing required column → row 1", () => {
    expect(() => parseOrdersCsv("Name,Email,Lineitem name,Lineitem quantity\n#1,a@x.com,Soap,1\n")).toThrowError(
      'row 1: missing required column "Created at"',
    );
  });

  it("bad date → its row", () => {
    const text = `${HEADER}\n#1,a@x.com,2024-01-01 10:00:00 +0000,1,Soap,3.00,S,3.00,paid,\n#2,b@x.com,yesterday,1,Soap,3.00,S,3.00,paid,\n`;
    expect(() => parseOrdersCsv(text)).toThrowError(/^row 3: "Created at" is not a date/);
    expect(() => parseOrdersCsv(text)).not.toThrowError(/yesterday/); // cell contents are never echoed
  });

  it("bad number → its row", () => {
    const text = `${HEADER}\n#1,a@x.com,2024-01-01 10:00:00 +0000,1,Soap,3.0.0,S,3.00,paid,\n`;
    expect(() => parseOrdersCsv(text)).toThrowError(/^row 2: "Lineitem price" is not a number$/);
  });

  it("conflicting order-level values → the conflicting row", () => {
    const text = `${HEADER}\n#1,a@x.com,2024-01-01 10:00:00 +0000,1,Soap,3.00,S,3.00,paid,\n#1,b@x.com,2024-01-01 10:00:00 +0000,1,Brush,2.00,B,,,\n`;
    expect(() => parseOrdersCsv(text)).toThrowError('row 3: "Email" differs from the order\'s first row (row 2)');
    expect(() => parseOrdersCsv(text)).not.toThrowError(/@|#1/); // neither the order name nor the emails
  });

  it("empty file and header-only file", () => {
    expect(() => parseOrdersCsv("")).toThrowError(CsvInputError);
    expect(() => parseOrdersCsv(`${HEADER}\n`)).toThrowError(/header but no rows/);
  });
});

describe("field parsers", () => {
  it("parses money exactly, without float drift", () => {
    expect(parseMoneyMinor("0.1", 2, "x")! + parseMoneyMinor("0.2", 2, "x")!).toBe(30);
    expect(parseMoneyMinor("1,234.56", 2, "x")).toBe(123456);
    expect(parseMoneyMinor("19.999", 2, "x")).toBe(2000);
    expect(parseMoneyMinor("-4.10", 2, "x")).toBe(-410);
    expect(parseMoneyMinor("12", 2, "x")).toBe(1200);
    expect(parseMoneyMinor("$5.5", 2, "x")).toBe(550);
    expect(parseMoneyMinor("", 2, "x")).toBeNull();
    expect(parseMoneyMinor("90071992547409.91", 2, "x")).toBe(9007199254740991);
  });

  it("parses Shopify timestamps with offsets, ISO and bare dates", () => {
    expect(parseShopifyDate("2024-03-05 14:22:01 -0500", 2, "d")!.toISOString()).toBe("2024-03-05T19:22:01.000Z");
    expect(parseShopifyDate("2024-03-05T14:22:01+05:30", 2, "d")!.toISOString()).toBe("2024-03-05T08:52:01.000Z");
    expect(parseShopifyDate("2024-03-05 14:22:01 UTC", 2, "d")!.toISOString()).toBe("2024-03-05T14:22:01.000Z");
    expect(parseShopifyDate("2024-03-05", 2, "d")!.toISOString()).toBe("2024-03-05T00:00:00.000Z");
    expect(() => parseShopifyDate("2024-02-30 10:00:00 +0000", 7, "Created at")).toThrowError(
      /row 7: .*not a valid calendar date/,
    );
  });
});
