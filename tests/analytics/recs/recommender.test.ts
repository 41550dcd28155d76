import { describe, expect, it } from "vitest";
import { fitRecommender, ineligibilityReason, DEFAULT_FILTERS } from "~/analytics/recs";
import type { Order, ProductInfo } from "~/analytics/types";
import { AS_OF, DAY, smallShop } from "./factory";

const orders = smallShop();
const rec = fitRecommender(orders, { asOf: AS_OF });
const customers = rec.data.customers;

function owned(customer: string): Set<string> {
  return new Set(
    orders.filter((o) => o.customer === customer && o.at < AS_OF).flatMap((o) => o.lines.map((l) => l.sku)),
  );
}

describe("customer lists", () => {
  it("discovery never contains anything the customer bought before as-of", () => {
    for (const c of customers) {
      const own = owned(c);
      const list = rec.discovery(c);
      expect(list.items.some((s) => own.has(s))).toBe(false);
    }
  });

  it("lists are full length (or the whole eligible catalogue), unique, one reason per item", () => {
    for (const c of customers) {
      for (const list of [rec.forYou(c), rec.discovery(c)]) {
        expect(list.items.length).toBe(list.reasons.length);
        expect(new Set(list.items).size).toBe(list.items.length);
        expect(list.reasons.every((r) => r.length > 0)).toBe(true);
      }
      expect(rec.forYou(c).items.length).toBe(Math.min(20, rec.data.items.length));
      expect(rec.discovery(c).items.length).toBe(Math.min(20, rec.data.items.length - owned(c).size));
    }
  });

  it("for you leads with the customer's own consumable and explains the rhythm", () => {
    const c = customers[0];
    const list = rec.forYou(c);
    const group = Number(/^c(\d+)@/.exec(c)![1]) % 4;
    expect(list.items[0]).toBe(`G${group}-0`);
    expect(list.reasons[0]).toMatch(/^you buy this every ~\d+ days; last \d+ days ago$|^you bought this/);
  });

  it("discovery favours the customer's taste group", () => {
    let inGroup = 0;
    let total = 0;
    for (const c of customers) {
      const group = Number(/^c(\d+)@/.exec(c)![1]) % 4;
      const top = rec.discovery(c, 3).items;
      inGroup += top.filter((s) => s.startsWith(`G${group}-`)).length;
      total += top.length;
    }
    expect(inGroup / total).toBeGreaterThan(0.5);
  });

  it("an unknown customer gets bestsellers with popularity reasons", () => {
    const list = rec.forYou("nobody@x.com", 5);
    expect(list.items).toEqual(rec.popular(5).items);
    expect(list.reasons[0]).toMatch(/^popular: bought by \d+ customers? in the last 30 days$|^bestseller/);
  });

  it("is deterministic", () => {
    const again = fitRecommender([...orders].reverse(), { asOf: AS_OF });
    for (const c of customers.slice(0, 10)) {
      expect(again.forYou(c)).toEqual(rec.forYou(c));
      expect(again.discovery(c)).toEqual(rec.discovery(c));
    }
    expect(again.completeBasket(["G1-0"])).toEqual(rec.completeBasket(["G1-0"]));
    expect(again.summary()).toEqual(rec.summary());
  });

  it("ignores orders on or after as-of", () => {
    const future: Order = {
      id: "future",
      customer: "c0@x.com",
      at: AS_OF,
      lines: [{ sku: "NEW", quantity: 1, amountMinor: 1 }],
      totalMinor: 1,
    };
    const withFuture = fitRecommender([...orders, future], { asOf: AS_OF });
    expect(withFuture.data.items).not.toContain("NEW");
    expect(withFuture.forYou("c0@x.com")).toEqual(rec.forYou("c0@x.com"));
  });
});

describe("basket and product lists", () => {
  it("complete-the-basket never returns the basket's own items", () => {
    for (const basket of [["G0-0"], ["G0-0", "G0-1"], ["G2-3", "G3-1", "UNKNOWN"]]) {
      const list = rec.completeBasket(basket);
      expect(list.items.some((s) => basket.includes(s))).toBe(false);
      expect(list.items.length).toBe(
        Math.min(20, rec.data.items.length - basket.filter((s) => rec.data.itemIndex.has(s)).length),
      );
    }
  });

  it("complete-the-basket suggests the usual companion first, with an exact count", () => {
    const list = rec.completeBasket(["G2-0"]);
    expect(list.items[0]).toBe("G2-1");
    const together = orders.filter(
      (o) => o.lines.some((l) => l.sku === "G2-0") && o.lines.some((l) => l.sku === "G2-1"),
    ).length;
    const withG20 = orders.filter((o) => o.lines.some((l) => l.sku === "G2-0")).length;
    expect(list.reasons[0]).toBe(`bought together with G2-0 in ${together} of ${withG20} orders`);
  });

  it("bought-together and also-bought reasons state exact co-occurrence counts", () => {
    const sku = "G1-0";
    const bt = rec.boughtTogether(sku);
    bt.items.forEach((other, k) => {
      const m = /^bought together with G1-0 in (\d+) of (\d+) orders$/.exec(bt.reasons[k]);
      if (!m) return; // popularity padding
      const together = orders.filter(
        (o) => o.lines.some((l) => l.sku === sku) && o.lines.some((l) => l.sku === other),
      ).length;
      expect(Number(m[1])).toBe(together);
      expect(Number(m[2])).toBe(orders.filter((o) => o.lines.some((l) => l.sku === sku)).length);
    });
    const ab = rec.alsoBought(sku);
    ab.items.forEach((other, k) => {
      const m = /^(\d+) of (\d+) customers who bought G1-0 also bought this$/.exec(ab.reasons[k]);
      if (!m) return;
      const buyers = new Set(orders.filter((o) => o.lines.some((l) => l.sku === sku)).map((o) => o.customer));
      const both = new Set(
        orders.filter((o) => buyers.has(o.customer) && o.lines.some((l) => l.sku === other)).map((o) => o.customer),
      );
      expect(Number(m[1])).toBe(both.size);
      expect(Number(m[2])).toBe(buyers.size);
    });
    expect(bt.items).not.toContain(sku);
  });
});

describe("business filters", () => {
  const skus = rec.data.items;
  const base = (sku: string): ProductInfo => ({
    sku,
    title: sku,
    priceMinor: 1000,
    costMinor: 500,
    inventory: 5,
    status: "ACTIVE",
    published: true,
  });
  const special: Record<string, Partial<ProductInfo>> = {
    "G0-2": { status: "DRAFT" },
    "G0-3": { inventory: 0, continueSelling: false },
    "G0-4": { inventory: 0, continueSelling: true },
    "G0-5": { giftCard: true },
    "G1-2": { priceMinor: 0 },
    "G1-3": { published: false },
    "G1-4": { status: "ARCHIVED" },
    "G1-5": { costMinor: 950 },
  };
  const products = [...skus.map((s) => ({ ...base(s), ...special[s] })), { ...base("NEW-TEA"), title: "New tea" }];
  const filtered = fitRecommender(orders, {
    asOf: AS_OF,
    products,
    filters: { allowContinueSelling: true, marginFloor: 0.2, excludedSkus: ["G2-2"] },
  });
  const banned = ["G0-2", "G0-3", "G0-5", "G1-2", "G1-3", "G1-4", "G1-5", "G2-2"];

  it("never recommends draft, archived, unpublished, out-of-stock, gift-card, price-0, low-margin or excluded items", () => {
    for (const c of customers) {
      for (const list of [filtered.forYou(c), filtered.discovery(c)]) {
        expect(list.items.filter((s) => banned.includes(s))).toEqual([]);
      }
    }
    for (const sku of skus) {
      expect(filtered.boughtTogether(sku).items.filter((s) => banned.includes(s))).toEqual([]);
      expect(filtered.alsoBought(sku).items.filter((s) => banned.includes(s))).toEqual([]);
    }
    expect(filtered.completeBasket(["G0-0"]).items.filter((s) => banned.includes(s))).toEqual([]);
  });

  it("keeps out-of-stock items that may be sold (continue selling) and unsold catalogue items", () => {
    expect(filtered.popular(100).items).toContain("G0-4");
    expect(filtered.popular(100).items).toContain("NEW-TEA");
  });

  it("respects allowContinueSelling = false", () => {
    expect(
      ineligibilityReason(
        { ...base("x"), inventory: 0, continueSelling: true },
        { ...DEFAULT_FILTERS, allowContinueSelling: false },
      ),
    ).toBe("out of stock");
  });
});

describe("content-based cold start", () => {
  it("recommends a never-sold product by shared vendor and tags", () => {
    const products: ProductInfo[] = [
      { sku: "A", title: "Sencha green tea", vendor: "Leafy", tags: ["tea", "green"], priceMinor: 900 },
      { sku: "B", title: "Matcha green tea", vendor: "Leafy", tags: ["tea", "green"], priceMinor: 1900 },
      { sku: "C", title: "Steel bottle", vendor: "Hydro", tags: ["bottle"], priceMinor: 2500 },
      { sku: "D", title: "Cotton tote", vendor: "Bags", tags: ["bag"], priceMinor: 1500 },
    ];
    const few: Order[] = [0, 1, 2].map((n) => ({
      id: `o${n}`,
      customer: `u${n}`,
      at: AS_OF - (n + 1) * DAY,
      lines: [{ sku: n === 0 ? "A" : n === 1 ? "C" : "D", quantity: 1, amountMinor: 900 }],
      totalMinor: 900,
    }));
    const r = fitRecommender(few, { asOf: AS_OF, products });
    const list = r.boughtTogether("A", 3);
    expect(list.items[0]).toBe("B");
    expect(list.reasons[0]).toBe("similar to A: same vendor (Leafy), shared tags: tea, green");
  });
});

describe("customerLists", () => {
  it("returns exactly forYou and discovery", () => {
    for (const c of [...customers.slice(0, 5), "nobody@x.com"]) {
      expect(rec.customerLists(c)).toEqual({ forYou: rec.forYou(c), discovery: rec.discovery(c) });
    }
  });
});
