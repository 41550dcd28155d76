import { describe, expect, it } from "vitest";
import { customerFromRest } from "~/shopify/records/customers";
import { orderFromRest } from "~/shopify/records/orders";
import { toIso, toMinor, toTags } from "~/shopify/records/scalars";

describe("toMinor", () => {
  it("parses Shopify decimals exactly", () => {
    expect(toMinor("19.99")).toBe(1999);
    expect(toMinor("0.29")).toBe(29); // 0.29 * 100 = 28.999999999999996 in float
    expect(toMinor("1.005")).toBe(101); // half away from zero on the third digit
    expect(toMinor("5")).toBe(500);
    expect(toMinor("5.")).toBe(500);
    expect(toMinor(".5")).toBe(50);
    expect(toMinor("-3.5")).toBe(-350);
    expect(toMinor("123456789.12")).toBe(12345678912);
    expect(toMinor(null)).toBe(0);
    expect(toMinor(4.1)).toBe(410);
  });
  it("rejects non-decimals", () => {
    for (const bad of ["abc", "1,00", "1e3", ".", "--1"]) expect(() => toMinor(bad)).toThrow();
  });
});

describe("REST mappers", () => {
  it("normalise timestamps with offsets to UTC and split tags", () => {
    expect(toIso("2025-09-03T10:00:00-04:00")).toBe("2025-09-03T14:00:00.000Z");
    expect(toTags(" a, b ,,c")).toEqual(["a", "b", "c"]);
    const c = customerFromRest({
      id: 5,
      email: "X@Example.com",
      created_at: "2025-01-01T00:00:00Z",
      updated_at: "2025-01-02T00:00:00Z",
      tags: "vip",
      email_marketing_consent: { state: "subscribed" },
    });
    expect(c).toMatchObject({
      gid: "gid://shopify/Customer/5",
      email: "x@example.com",
      marketingState: "SUBSCRIBED",
      tags: ["vip"],
    });
  });
  it("maps an order with discounts and refunds", () => {
    const o = orderFromRest({
      id: 1,
      name: "#1",
      email: null,
      currency: "EUR",
      financial_status: "partially_refunded",
      subtotal_price: "30.00",
      total_discounts: "3.00",
      total_tax: "0.00",
      total_price: "32.95",
      total_shipping_price_set: { shop_money: { amount: "5.95" } },
      created_at: "2025-01-01T00:00:00Z",
      updated_at: "2025-01-02T00:00:00Z",
      discount_codes: [{ code: "TEN" }],
      note_attributes: [{ name: "gp_rec", value: "1" }],
      line_items: [
        {
          id: 11,
          quantity: 2,
          price: "15.00",
          total_discount: "3.00",
          variant_id: 7,
          product_id: 6,
          name: "Tea",
          sku: "T",
          properties: [],
        },
      ],
      refunds: [
        {
          refund_line_items: [{ line_item_id: 11, quantity: 1, subtotal: "13.50" }],
          transactions: [{ kind: "refund", status: "success", amount: "13.50" }],
        },
      ],
    });
    expect(o).toMatchObject({
      gid: "gid://shopify/Order/1",
      currencyCode: "EUR",
      financialStatus: "PARTIALLY_REFUNDED",
      subtotalMinor: 3000,
      discountMinor: 300,
      shippingMinor: 595,
      totalMinor: 3295,
      refundedMinor: 1350,
      discountCodes: ["TEN"],
      attributes: [{ key: "gp_rec", value: "1" }],
    });
    expect(o.lines[0]).toMatchObject({
      gid: "gid://shopify/LineItem/11",
      variantGid: "gid://shopify/ProductVariant/7",
      unitPriceMinor: 1500,
      totalMinor: 2700,
      refundedQty: 1,
    });
  });
});
