import { describe, expect, it } from "vitest";
import {
  addRefund,
  cancelOrder,
  makeCustomer,
  makeDiscountCode,
  makeOrder,
  makeProduct,
  makeVariant,
  slugify,
} from "../../devstore/factories";
import { formatMinor, parseMinor } from "../../devstore/money";
import { createEmptyShop } from "../../devstore/shop";
import { totalsProblem } from "./helpers";

const newShop = () => createEmptyShop("factory-test.myshopify.com");

describe("money helpers", () => {
  it("round-trips decimal strings through minor units", () => {
    expect(formatMinor(1999)).toBe("19.99");
    expect(formatMinor(5)).toBe("0.05");
    expect(formatMinor(-105)).toBe("-1.05");
    expect(formatMinor(0)).toBe("0.00");
    expect(parseMinor("19.9")).toBe(1990);
    expect(parseMinor("7")).toBe(700);
    expect(parseMinor("-0.05")).toBe(-5);
    expect(() => parseMinor("abc")).toThrow();
  });
});

describe("makeProduct / makeVariant", () => {
  it("creates a product with one default variant and minted GIDs", () => {
    const shop = newShop();
    const product = makeProduct(shop, { title: "Ethiopia Guji" });
    expect(product.id).toMatch(/^gid:\/\/shopify\/Product\/\d+$/);
    expect(product.handle).toBe("ethiopia-guji");
    expect(product.publishedAt).toBe(product.createdAt);
    expect(product.variantIds).toHaveLength(1);
    const variant = shop.variants.get(product.variantIds[0])!;
    expect(variant).toMatchObject({
      productId: product.id,
      title: "Default Title",
      price: "10.00",
      inventoryPolicy: "DENY",
    });
    expect(variant.inventoryItemId).toMatch(/^gid:\/\/shopify\/InventoryItem\//);
  });

  it("keeps handles unique and unpublishes drafts by default", () => {
    const shop = newShop();
    const a = makeProduct(shop, { title: "Mug" });
    const b = makeProduct(shop, { title: "Mug", status: "DRAFT" });
    expect(a.handle).toBe("mug");
    expect(b.handle).toBe("mug-1");
    expect(b.publishedAt).toBeNull();
    expect(slugify("Cup & Saucer — Nº 2")).toBe("cup-saucer-no-2");
  });

  it("adds variants with explicit cost and policy", () => {
    const shop = newShop();
    const product = makeProduct(shop, { title: "Tea", variants: [] });
    const v = makeVariant(shop, product, {
      title: "100 g",
      sku: "TEA-1",
      price: "12.50",
      unitCost: "4.00",
      inventoryQuantity: 0,
      inventoryPolicy: "CONTINUE",
    });
    expect(product.variantIds).toEqual([v.id]);
    expect(v.unitCost).toEqual({ amount: "4.00", currencyCode: "USD" });
  });
});

describe("makeOrder", () => {
  function fixture() {
    const shop = newShop();
    const coffee = makeProduct(shop, { title: "Coffee", variants: [{ title: "250 g", sku: "C-1", price: "15.00" }] });
    const card = makeProduct(shop, { title: "Gift Card", isGiftCard: true, variants: [{ sku: "GC", price: "50.00" }] });
    const customer = makeCustomer(shop, { email: "ava@example.com" });
    return {
      shop,
      coffee: shop.variants.get(coffee.variantIds[0])!,
      card: shop.variants.get(card.variantIds[0])!,
      customer,
    };
  }

  it("computes Shopify-consistent totals with a percentage code, shipping and tax", () => {
    const { shop, coffee, customer } = fixture();
    const { code } = makeDiscountCode(shop, { code: "SAVE10", percentage: 0.1 });
    const order = makeOrder(shop, {
      customer,
      lines: [{ variant: coffee, quantity: 2 }],
      createdAt: "2026-02-01T10:00:00Z",
      discountCodes: ["save10"],
      shipping: "5.95",
      taxRate: 0.1,
    });
    expect(order).toMatchObject({
      name: "#1001",
      email: "ava@example.com",
      customerId: customer.id,
      financialStatus: "PAID",
      subtotal: "27.00",
      totalDiscounts: "3.00",
      totalShipping: "5.95",
      totalTax: "2.70",
      total: "35.65",
    });
    expect(order.lineItems[0]).toMatchObject({
      name: "Coffee - 250 g",
      sku: "C-1",
      quantity: 2,
      originalUnitPrice: "15.00",
      discountedTotal: "30.00",
    });
    expect(code.usageCount).toBe(1);
    expect(totalsProblem(order)).toBeNull();
    expect(customer.updatedAt).toBe("2026-02-01T10:00:00Z");
  });

  it("does not tax gift cards, supports custom lines and numbers orders after the highest name", () => {
    const { shop, coffee, card } = fixture();
    makeOrder(shop, { lines: [{ variant: coffee, quantity: 1 }], name: "#1500" });
    const order = makeOrder(shop, {
      lines: [
        { variant: card.id, quantity: 1 },
        { variant: null, title: "Engraving", quantity: 1, unitPrice: "10.00" },
      ],
      taxRate: 0.1,
    });
    expect(order.name).toBe("#1501");
    expect(order.totalTax).toBe("1.00");
    expect(order.lineItems[1]).toMatchObject({ variantId: null, productId: null, name: "Engraving" });
    expect(order.customerId).toBeNull();
    expect(totalsProblem(order)).toBeNull();
  });

  it("rejects unknown variants and customers", () => {
    const { shop } = fixture();
    expect(() => makeOrder(shop, { lines: [{ variant: "gid://shopify/ProductVariant/999", quantity: 1 }] })).toThrow(
      /unknown variant/,
    );
    expect(() => makeOrder(shop, { customer: "gid://shopify/Customer/999", lines: [] })).toThrow(/unknown customer/);
  });

  it("caps a fixed discount at the order's lines", () => {
    const { shop, coffee } = fixture();
    makeDiscountCode(shop, { code: "BIG", amount: "100.00" });
    const order = makeOrder(shop, {
      lines: [{ variant: coffee, quantity: 1 }],
      discountCodes: ["BIG"],
      shipping: "5.95",
    });
    expect(order).toMatchObject({ subtotal: "0.00", totalDiscounts: "15.00", total: "5.95" });
  });
});

describe("refunds and cancellations", () => {
  function paidOrder() {
    const shop = newShop();
    const p = makeProduct(shop, { variants: [{ price: "10.00" }, { price: "20.00" }] });
    const order = makeOrder(shop, {
      lines: p.variantIds.map((variant) => ({ variant, quantity: 2 })),
      shipping: "5.00",
      taxRate: 0.1,
      createdAt: "2026-03-01T00:00:00Z",
    });
    return { shop, order };
  }

  it("partially refunds a line with its tax share, then fully", () => {
    const { shop, order } = paidOrder();
    expect(order.total).toBe("71.00");
    const partial = addRefund(shop, order, {
      createdAt: "2026-03-05T00:00:00Z",
      lines: [{ lineItemId: order.lineItems[0].id, quantity: 1 }],
    });
    expect(partial.totalRefunded).toBe("11.00");
    expect(partial.lines[0]).toMatchObject({ quantity: 1, subtotal: "10.00" });
    expect(order.financialStatus).toBe("PARTIALLY_REFUNDED");
    expect(order.updatedAt).toBe("2026-03-05T00:00:00Z");
    const rest = addRefund(shop, order, { createdAt: "2026-03-06T00:00:00Z" });
    expect(rest.totalRefunded).toBe("60.00");
    expect(order.financialStatus).toBe("REFUNDED");
  });

  it("cancels by voiding or refunding", () => {
    const a = paidOrder();
    cancelOrder(a.shop, a.order, { at: "2026-03-02T00:00:00Z", refund: false });
    expect(a.order).toMatchObject({ cancelledAt: "2026-03-02T00:00:00Z", financialStatus: "VOIDED", refunds: [] });
    const b = paidOrder();
    cancelOrder(b.shop, b.order, { at: "2026-03-02T00:00:00Z", refund: true });
    expect(b.order.financialStatus).toBe("REFUNDED");
    expect(b.order.refunds[0].totalRefunded).toBe(b.order.total);
  });
});
