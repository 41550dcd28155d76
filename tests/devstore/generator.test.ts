import { beforeAll, describe, expect, it } from "vitest";
import { generateShop, type GenerateShopOptions } from "../../devstore/generator";
import type { DsOrder, DsShop } from "../../devstore/model";
import { parseMinor } from "../../devstore/money";
import { gidNumber } from "../../devstore/shop";
import { shopSnapshot, totalsProblem } from "./helpers";

const OPTS: GenerateShopOptions = {
  domain: "generated.myshopify.com",
  seed: 42,
  products: 150,
  customers: 800,
  orders: 6000,
  start: "2025-01-01T00:00:00Z",
  end: "2026-01-01T00:00:00Z",
};
const START = Date.parse(OPTS.start);
const END = Date.parse(OPTS.end);
const DAY = 86_400_000;

let shop: DsShop;
let orders: DsOrder[];
beforeAll(() => {
  shop = generateShop(OPTS);
  orders = [...shop.orders.values()];
});

/** Order times per customer, ascending. */
function timesByCustomer(list: DsOrder[]): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const o of list) out.set(o.customerId!, [...(out.get(o.customerId!) ?? []), Date.parse(o.createdAt)]);
  return out;
}

describe("generateShop: shape", () => {
  it("is deterministic per seed", () => {
    const small = { ...OPTS, products: 40, customers: 120, orders: 700 };
    expect(shopSnapshot(generateShop(small))).toBe(shopSnapshot(generateShop(small)));
    expect(shopSnapshot(generateShop({ ...small, seed: 43 }))).not.toBe(shopSnapshot(generateShop(small)));
  });

  it("hits the requested counts exactly, including awkward ratios", () => {
    expect([shop.products.size, shop.customers.size, shop.orders.size]).toEqual([150, 800, 6000]);
    const tooFewCustomers = generateShop({ ...OPTS, products: 25, customers: 20, orders: 777 });
    expect(tooFewCustomers.orders.size).toBe(777);
    const manyCustomers = generateShop({ ...OPTS, products: 25, customers: 900, orders: 50 });
    expect([manyCustomers.customers.size, manyCustomers.orders.size]).toEqual([900, 50]);
    expect(generateShop({ ...OPTS, products: 5, customers: 0, orders: 0 }).orders.size).toBe(0);
    expect(() => generateShop({ ...OPTS, customers: 0, orders: 5 })).toThrow(RangeError);
    expect(() => generateShop({ ...OPTS, end: OPTS.start })).toThrow(RangeError);
  });

  it("uses the defaults of 300 products, 3000 customers and 20000 orders quickly", () => {
    // CPU time, not wall time: the 2-core CI machines run other suites alongside.
    const cpu0 = process.cpuUsage();
    const big = generateShop({ domain: "big.myshopify.com", seed: 1, start: OPTS.start, end: OPTS.end });
    expect([big.products.size, big.customers.size, big.orders.size]).toEqual([300, 3000, 20000]);
    const cpu = process.cpuUsage(cpu0);
    expect((cpu.user + cpu.system) / 1000).toBeLessThan(8000);
  });

  it("adds up every order's money and keeps financial statuses coherent", () => {
    for (const o of orders) {
      expect(totalsProblem(o)).toBeNull();
      if (o.discountCodes.length) expect(parseMinor(o.totalDiscounts)).toBeGreaterThan(0);
      else expect(o.totalDiscounts).toBe("0.00");
      if (o.cancelledAt) expect(["VOIDED", "REFUNDED"]).toContain(o.financialStatus);
      else expect(["PAID", "REFUNDED", "PARTIALLY_REFUNDED"]).toContain(o.financialStatus);
    }
    const codes = [...shop.discountCodes.values()];
    for (const c of codes) expect(c.usageCount).toBe(orders.filter((o) => o.discountCodes.includes(c.code)).length);
  });

  it("references existing customers, products and variants", () => {
    const problems: string[] = [];
    for (const o of orders) {
      const customer = shop.customers.get(o.customerId!);
      if (!customer || o.email !== customer.email) problems.push(`${o.name}: customer/email`);
      if (o.lineItems.length < 1 || o.lineItems.length > 7) problems.push(`${o.name}: ${o.lineItems.length} lines`);
      for (const l of o.lineItems) {
        const variant = shop.variants.get(l.variantId!);
        const product = shop.products.get(l.productId!);
        if (!variant || !product || variant.productId !== product.id || !product.variantIds.includes(variant.id)) {
          problems.push(`${o.name}: dangling line ${l.id}`);
        } else if (l.sku !== variant.sku || l.originalUnitPrice !== variant.price || product.createdAt > o.createdAt) {
          problems.push(`${o.name}: line ${l.id} disagrees with its variant or predates its product`);
        }
      }
    }
    expect(problems).toEqual([]);
    const perOrder = orders.reduce((s, o) => s + o.lineItems.length, 0) / orders.length;
    expect(perOrder).toBeGreaterThan(1.8);
    expect(perOrder).toBeLessThan(3.2);
  });

  it("orders names, ids and timestamps chronologically inside the window", () => {
    const byTime = [...orders].sort((a, b) => a.createdAt.localeCompare(b.createdAt));
    byTime.forEach((o, i) => {
      expect(o.name).toBe(`#${1001 + i}`);
      if (i > 0) expect(gidNumber(o.id)).toBeGreaterThan(gidNumber(byTime[i - 1].id));
      const t = Date.parse(o.createdAt);
      expect(t).toBeGreaterThanOrEqual(START);
      expect(t).toBeLessThan(END);
      expect(o.updatedAt >= o.createdAt).toBe(true);
      for (const r of o.refunds) expect(r.createdAt >= o.createdAt && Date.parse(r.createdAt) < END).toBe(true);
    });
    const first = new Map<string, string>();
    for (const o of byTime) if (!first.has(o.customerId!)) first.set(o.customerId!, o.createdAt);
    for (const [id, at] of first) expect(shop.customers.get(id)!.createdAt <= at).toBe(true);
  });

  it("has a realistic catalogue: drafts, archived, unpublished, out of stock, a gift card, a free sample, costs", () => {
    const products = [...shop.products.values()];
    const variants = [...shop.variants.values()];
    expect(products.filter((p) => p.status === "DRAFT").length).toBeGreaterThanOrEqual(2);
    expect(products.some((p) => p.status === "ARCHIVED")).toBe(true);
    expect(products.some((p) => p.status === "ACTIVE" && p.publishedAt === null)).toBe(true);
    expect(products.filter((p) => p.isGiftCard)).toHaveLength(1);
    expect(variants.some((v) => v.price === "0.00")).toBe(true);
    const oos = variants.filter((v) => v.inventoryQuantity === 0 && !shop.products.get(v.productId)!.isGiftCard);
    expect(oos.length).toBeGreaterThan(0);
    expect(oos.some((v) => v.inventoryPolicy === "CONTINUE")).toBe(true);
    const withCost = variants.filter((v) => v.unitCost !== null).length / variants.length;
    expect(withCost).toBeGreaterThan(0.6);
    expect(withCost).toBeLessThan(0.95);
    for (const v of variants) {
      if (!v.unitCost || v.price === "0.00") continue;
      const margin = 1 - parseMinor(v.unitCost.amount) / parseMinor(v.price);
      expect(margin).toBeGreaterThan(0.28);
      expect(margin).toBeLessThan(0.72);
    }
    expect(new Set(variants.map((v) => v.sku)).size).toBe(variants.length);
    expect(new Set(products.map((p) => p.handle)).size).toBe(products.length);
    expect(new Set(products.map((p) => p.productType)).size).toBeGreaterThanOrEqual(8);
  });

  it("has customers with consent mix, tags and fake emails", () => {
    const customers = [...shop.customers.values()];
    const subscribed = customers.filter((c) => c.marketingState === "SUBSCRIBED").length / customers.length;
    expect(subscribed).toBeGreaterThan(0.5);
    expect(subscribed).toBeLessThan(0.7);
    expect(customers.some((c) => c.tags.includes("VIP"))).toBe(true);
    for (const c of customers) expect(c.email).toMatch(/^[a-z.]+\d+@example\.(com|org|net)$/);
    expect(new Set(customers.map((c) => c.email)).size).toBe(customers.length);
  });
});

describe("generateShop: behaviour", () => {
  it("mixes one-time buyers, repeat buyers and periodic re-buyers", () => {
    const byCustomer = timesByCustomer(orders);
    const counts = [...byCustomer.values()].map((t) => t.length);
    const oneTime = counts.filter((n) => n === 1).length / counts.length;
    expect(oneTime).toBeGreaterThan(0.15);
    expect(oneTime).toBeLessThan(0.6);
    expect(counts.filter((n) => n >= 5).length).toBeGreaterThan(50);
    const periodic = [...byCustomer.values()].filter((times) => {
      if (times.length < 5) return false;
      const gaps = times.slice(1).map((t, i) => t - times[i]);
      const mean = gaps.reduce((s, g) => s + g, 0) / gaps.length;
      const sd = Math.sqrt(gaps.reduce((s, g) => s + (g - mean) ** 2, 0) / gaps.length);
      return sd / mean < 0.3 && mean > 10 * DAY;
    });
    expect(periodic.length).toBeGreaterThanOrEqual(15);
  });

  it("over-represents complementary pairs (lift > 2)", () => {
    const single = new Map<string, number>();
    const pairs = new Map<string, number>();
    for (const o of orders) {
      const ids = [...new Set(o.lineItems.map((l) => l.productId!))].sort();
      for (const a of ids) single.set(a, (single.get(a) ?? 0) + 1);
      for (let i = 0; i < ids.length; i++)
        for (let j = i + 1; j < ids.length; j++) {
          const key = `${ids[i]} ${ids[j]}`;
          pairs.set(key, (pairs.get(key) ?? 0) + 1);
        }
    }
    const lift = (key: string, n: number) => {
      const [a, b] = key.split(" ");
      return (n * orders.length) / (single.get(a)! * single.get(b)!);
    };
    const strong = [...pairs].filter(([key, n]) => n >= 15 && lift(key, n) > 2);
    expect(strong.length).toBeGreaterThanOrEqual(10);
    // Brewers sell with filters: the best filter partner of the average brewer has lift > 2.
    const brewers = [...shop.products.values()].filter((p) => p.productType === "Brewing Equipment").map((p) => p.id);
    const brewerLifts = brewers.map((b) =>
      Math.max(0, ...[...pairs].filter(([key, n]) => n >= 3 && key.includes(b)).map(([key, n]) => lift(key, n))),
    );
    expect(brewerLifts.filter((l) => l > 2).length).toBeGreaterThan(brewers.length / 2);
  });

  it("peaks in November–December and dips at weekends", () => {
    const holiday = orders.filter((o) => new Date(o.createdAt).getUTCMonth() >= 10).length / 61;
    const average = orders.length / 365;
    expect(holiday).toBeGreaterThan(average * 1.3);
    const byDay = new Array(7).fill(0);
    for (const o of orders) byDay[new Date(Date.parse(o.createdAt) - 5 * 3600_000).getUTCDay()]++;
    expect(byDay[1]).toBeGreaterThan(byDay[6]);
  });

  it("refunds ~3% and cancels ~1% of orders", () => {
    const refunded = orders.filter((o) => !o.cancelledAt && o.refunds.length > 0).length / orders.length;
    const cancelled = orders.filter((o) => o.cancelledAt).length / orders.length;
    expect(refunded).toBeGreaterThan(0.015);
    expect(refunded).toBeLessThan(0.05);
    expect(cancelled).toBeGreaterThan(0.003);
    expect(cancelled).toBeLessThan(0.02);
    expect(orders.some((o) => o.financialStatus === "PARTIALLY_REFUNDED")).toBe(true);
    expect(orders.some((o) => o.financialStatus === "VOIDED")).toBe(true);
  });
});
