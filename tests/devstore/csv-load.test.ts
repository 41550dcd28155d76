import { describe, expect, it } from "vitest";
import { parseOrdersCsv } from "../../app/csv/orders";
import { parseProductsCsv } from "../../app/csv/products";
import { loadShopFromOrdersCsv } from "../../devstore/csv-load";
import { exportOrdersCsv } from "../../devstore/csv-export";
import { generateShop } from "../../devstore/generator";
import { totalsProblem } from "./helpers";

const ORDERS_CSV = `Name,Email,Financial Status,Accepts Marketing,Currency,Subtotal,Shipping,Taxes,Total,Discount Code,Discount Amount,Created at,Lineitem quantity,Lineitem name,Lineitem price,Lineitem sku,Lineitem discount,Cancelled at,Refunded Amount,Vendor
#1003,Ava@Example.com,partially_refunded,yes,EUR,27.00,0.00,0.00,27.00,SAVE10,3.00,2024-03-09 10:00:00 +0100,2,House Blend,15.00,HB-1,0.00,,10.00,Roastery
#1002,bo@example.com,voided,no,EUR,12.00,4.90,0.00,16.90,,0.00,2024-03-05 09:00:00 +0100,1,Speckled Mug - Sage,12.00,,0.00,2024-03-06 09:00:00 +0100,0.00,Claybird
#1001,ava@example.com,paid,no,EUR,42.00,0.00,3.00,45.00,,0.00,2024-03-01 14:22:01 -0500,1,House Blend,15.00,HB-1,0.00,,0.00,Roastery
#1001,,,,,,,,,,,,1,Speckled Mug - Sage,12.00,,0.00,,,Claybird
#1001,,,,,,,,,,,,1,Engraving Service,15.00,,0.00,,,
#1004,,paid,,EUR,15.00,0.00,0.00,15.00,,0.00,2024-03-10 08:00:00 +0000,1,House Blend,15.00,HB-1,0.00,,0.00,Roastery
`;

const PRODUCTS_CSV = `Handle,Title,Vendor,Type,Tags,Published,Option1 Value,Variant SKU,Variant Price,Cost per item,Variant Inventory Qty,Variant Inventory Policy,Gift Card,Status
house-blend,House Blend,Roastery,Coffee,"coffee, blend",true,Default Title,HB-1,16.00,6.00,25,deny,false,active
speckled-mug,Speckled Mug,Claybird,Drinkware,mug,true,Sage,,12.00,,0,continue,false,active
speckled-mug,,,,,,Oat,,12.00,,3,deny,,
`;

describe("loadShopFromOrdersCsv", () => {
  it("builds customers by email, products by SKU then name, and orders oldest first", () => {
    const shop = loadShopFromOrdersCsv("csv.myshopify.com", parseOrdersCsv(ORDERS_CSV));
    expect(shop.currencyCode).toBe("EUR");
    const customers = [...shop.customers.values()];
    expect(customers.map((c) => c.email)).toEqual(["ava@example.com", "bo@example.com"]);
    expect(customers[0].marketingState).toBe("SUBSCRIBED"); // latest stated consent wins
    const products = [...shop.products.values()];
    expect(products.map((p) => p.title)).toEqual(["House Blend", "Speckled Mug - Sage", "Engraving Service"]);
    const orders = [...shop.orders.values()];
    expect(orders.map((o) => o.name)).toEqual(["#1001", "#1002", "#1003", "#1004"]);
    expect(orders[0].createdAt).toBe("2024-03-01T19:22:01Z");
    expect(orders[0].customerId).toBe(customers[0].id);
    expect(orders[2].customerId).toBe(customers[0].id);
    expect(orders[3].customerId).toBeNull(); // guest checkout
    expect(orders[0].lineItems.map((l) => l.sku)).toEqual(["HB-1", null, null]);
    expect(orders[0].lineItems[0].variantId).toBe(orders[2].lineItems[0].variantId);
    for (const o of orders) expect(totalsProblem(o)).toBeNull();
    expect(orders[0]).toMatchObject({ subtotal: "42.00", totalTax: "3.00", total: "45.00" });
  });

  it("keeps discounts, cancellations and refunds", () => {
    const shop = loadShopFromOrdersCsv("csv.myshopify.com", parseOrdersCsv(ORDERS_CSV));
    const byName = new Map([...shop.orders.values()].map((o) => [o.name, o]));
    expect(byName.get("#1003")).toMatchObject({
      discountCodes: ["SAVE10"],
      totalDiscounts: "3.00",
      subtotal: "27.00",
      total: "27.00",
      financialStatus: "PARTIALLY_REFUNDED",
    });
    expect(byName.get("#1003")!.refunds[0].totalRefunded).toBe("10.00");
    expect(byName.get("#1002")).toMatchObject({
      cancelledAt: "2024-03-06T08:00:00Z",
      financialStatus: "VOIDED",
      updatedAt: "2024-03-06T08:00:00Z",
    });
    const codes = [...shop.discountCodes.values()];
    expect(codes).toHaveLength(1);
    expect(codes[0]).toMatchObject({ code: "SAVE10", usageCount: 1 });
    expect(shop.discounts.get(codes[0].discountId)!.value).toEqual({ percentage: 0.1 });
  });

  it("joins to a products export, keeping unknown lines as custom line items", () => {
    const shop = loadShopFromOrdersCsv("csv.myshopify.com", parseOrdersCsv(ORDERS_CSV), parseProductsCsv(PRODUCTS_CSV));
    const products = [...shop.products.values()];
    expect(products.map((p) => p.handle)).toEqual(["house-blend", "speckled-mug"]);
    const mugVariants = products[1].variantIds.map((id) => shop.variants.get(id)!);
    expect(mugVariants.map((v) => [v.title, v.sku, v.inventoryPolicy])).toEqual([
      ["Sage", null, "CONTINUE"],
      ["Oat", null, "DENY"],
    ]);
    expect(shop.variants.get(products[0].variantIds[0])!.unitCost).toEqual({ amount: "6.00", currencyCode: "EUR" });
    const first = [...shop.orders.values()][0];
    expect(first.lineItems.map((l) => l.variantId)).toEqual([products[0].variantIds[0], mugVariants[0].id, null]);
    // Historic price from the order, not today's catalogue price.
    expect(first.lineItems[0].originalUnitPrice).toBe("15.00");
    expect(totalsProblem(first)).toBeNull();
  });

  it("round-trips a generated shop through the Shopify orders export", () => {
    const generated = generateShop({
      domain: "rt.myshopify.com",
      seed: 11,
      products: 50,
      customers: 200,
      orders: 1200,
      start: "2025-01-01T00:00:00Z",
      end: "2026-01-01T00:00:00Z",
    });
    const parsed = parseOrdersCsv(exportOrdersCsv(generated));
    const loaded = loadShopFromOrdersCsv("rt.myshopify.com", parsed);
    const original = new Map([...generated.orders.values()].map((o) => [o.name, o]));
    expect(loaded.orders.size).toBe(generated.orders.size);
    expect(loaded.customers.size).toBe(new Set([...generated.orders.values()].map((o) => o.customerId)).size);
    for (const o of loaded.orders.values()) {
      const g = original.get(o.name)!;
      expect([
        o.createdAt,
        o.email,
        o.subtotal,
        o.totalDiscounts,
        o.totalShipping,
        o.totalTax,
        o.total,
        o.cancelledAt,
      ]).toEqual([
        g.createdAt,
        g.email,
        g.subtotal,
        g.totalDiscounts,
        g.totalShipping,
        g.totalTax,
        g.total,
        g.cancelledAt,
      ]);
      expect(o.lineItems.map((l) => [l.sku, l.quantity, l.originalUnitPrice])).toEqual(
        g.lineItems.map((l) => [l.sku, l.quantity, l.originalUnitPrice]),
      );
      expect(o.financialStatus).toBe(g.financialStatus);
    }
  });
});
