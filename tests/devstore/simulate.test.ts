import { beforeAll, describe, expect, it } from "vitest";
import { makeDiscountCode } from "../../devstore/factories";
import { generateShop } from "../../devstore/generator";
import type { DsOrder, DsShop } from "../../devstore/model";
import { gidNumber } from "../../devstore/shop";
import { pAlive, simulateOrders } from "../../devstore/simulate";
import { shopSnapshot, totalsProblem } from "./helpers";

const base = () =>
  generateShop({
    domain: "sim.myshopify.com",
    seed: 5,
    products: 60,
    customers: 300,
    orders: 2500,
    start: "2025-01-01T00:00:00Z",
    end: "2026-01-01T00:00:00Z",
  });

describe("simulateOrders", () => {
  let shop: DsShop;
  let before: DsOrder[];
  let added: DsOrder[];
  const seen: DsOrder[] = [];
  beforeAll(() => {
    shop = base();
    before = [...shop.orders.values()];
    added = simulateOrders(shop, {
      from: "2026-01-01T00:00:00Z",
      to: "2026-03-01T00:00:00Z",
      seed: 9,
      onOrder: (o) => seen.push(o),
    });
  });

  it("appends later orders only, in time order, with continuing names and ids", () => {
    expect(added.length).toBeGreaterThan(50);
    expect(shop.orders.size).toBe(before.length + added.length);
    expect(seen).toEqual(added);
    const lastBefore = before.reduce((m, o) => (o.createdAt > m ? o.createdAt : m), "");
    const maxId = Math.max(...before.map((o) => gidNumber(o.id)));
    added.forEach((o, i) => {
      expect(o.createdAt > lastBefore).toBe(true);
      expect(o.createdAt < "2026-03-01T00:00:00Z").toBe(true);
      expect(o.name).toBe(`#${1001 + before.length + i}`);
      expect(gidNumber(o.id)).toBeGreaterThan(maxId);
      if (i > 0) expect(o.createdAt >= added[i - 1].createdAt).toBe(true);
      expect(totalsProblem(o)).toBeNull();
      expect(shop.customers.has(o.customerId!)).toBe(true);
    });
  });

  it("sells only active, published, stocked (or continue-selling) products", () => {
    for (const o of added)
      for (const l of o.lineItems) {
        const product = shop.products.get(l.productId!)!;
        const variant = shop.variants.get(l.variantId!)!;
        expect(product.status).toBe("ACTIVE");
        expect(product.publishedAt).not.toBeNull();
        expect(variant.inventoryQuantity > 0 || variant.inventoryPolicy === "CONTINUE").toBe(true);
      }
  });

  it("comes mostly from customers who bought before, often re-buying their own items", () => {
    const history = new Map<string, Set<string>>();
    for (const o of before)
      for (const l of o.lineItems) {
        history.set(o.customerId!, (history.get(o.customerId!) ?? new Set()).add(l.variantId!));
      }
    const rebuys = added.filter((o) => o.lineItems.some((l) => history.get(o.customerId!)?.has(l.variantId!))).length;
    expect(rebuys / added.length).toBeGreaterThan(0.3);
  });

  it("is deterministic and honours an exact count", () => {
    const a = base();
    const b = base();
    const ra = simulateOrders(a, { from: "2026-01-01T00:00:00Z", to: "2026-02-01T00:00:00Z", seed: 3, count: 137 });
    simulateOrders(b, { from: "2026-01-01T00:00:00Z", to: "2026-02-01T00:00:00Z", seed: 3, count: 137 });
    expect(ra).toHaveLength(137);
    expect(shopSnapshot(a)).toBe(shopSnapshot(b));
  });

  it("redeems codes for the chosen customers with the given probability, within validity", () => {
    const s = base();
    const customers = [...s.customers.values()].slice(0, 80);
    const redeemCodes = customers.map((c, i) => {
      const code = `WINBACK-${i}`;
      makeDiscountCode(s, {
        code,
        percentage: 0.2,
        startsAt: "2026-01-10T00:00:00Z",
        endsAt: "2026-01-24T00:00:00Z",
        customerIds: [c.id],
      });
      return { code, customerId: c.id, probability: i < 40 ? 1 : 0 };
    });
    const out = simulateOrders(s, { from: "2026-01-01T00:00:00Z", to: "2026-02-01T00:00:00Z", seed: 4, redeemCodes });
    const redeemed = out.filter((o) => o.discountCodes.length);
    expect(redeemed).toHaveLength(40);
    for (const o of redeemed) {
      const i = Number(o.discountCodes[0].split("-")[1]);
      expect(i).toBeLessThan(40);
      expect(o.customerId).toBe(customers[i].id);
      expect(o.createdAt >= "2026-01-10T00:00:00Z" && o.createdAt < "2026-01-24T00:00:00Z").toBe(true);
      expect(o.totalDiscounts).not.toBe("0.00");
    }
    const usage = [...s.discountCodes.values()].filter((c) => c.code.startsWith("WINBACK-"));
    expect(usage.reduce((n, c) => n + c.usageCount, 0)).toBe(40);
    expect(() =>
      simulateOrders(s, {
        from: "2026-02-01T00:00:00Z",
        to: "2026-03-01T00:00:00Z",
        seed: 1,
        redeemCodes: [{ code: "X", customerId: "gid://shopify/Customer/0", probability: 1 }],
      }),
    ).toThrow(/unknown customer/);
  });

  it("moves `from` past existing orders and rejects empty windows", () => {
    const s = base();
    const out = simulateOrders(s, { from: "2025-06-01T00:00:00Z", to: "2026-01-15T00:00:00Z", seed: 2 });
    expect(out.every((o) => o.createdAt >= "2025-12-31")).toBe(true);
    expect(() => simulateOrders(s, { from: "2025-01-01T00:00:00Z", to: "2025-02-01T00:00:00Z", seed: 2 })).toThrow(
      RangeError,
    );
  });

  it("judges customers with BG/NBD P(alive)", () => {
    expect(pAlive(0, 0, 100)).toBe(1);
    expect(pAlive(5, 90, 100)).toBeGreaterThan(pAlive(5, 20, 100));
  });
});
