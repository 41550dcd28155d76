import { describe, expect, it } from "vitest";
import { backtestRecommendations } from "~/analytics/eval/backtest";
import { fitBaselines } from "~/analytics/eval/baselines";
import { holdOneOut, itemsByCustomer, timeSplit } from "~/analytics/eval/splits";
import { buildInteractions } from "~/analytics/recs/interactions";
import { mulberry32 } from "~/analytics/rng";
import { AS_OF, DAY, smallShop } from "../recs/factory";

describe("baselines", () => {
  const data = buildInteractions(smallShop(), AS_OF);
  const baselines = fitBaselines(data, { easeLambda: 10 });

  it("own-top-frequency starts with the customer's most frequently bought item", () => {
    const c = data.customers[0];
    const ci = data.customerIndex.get(c)!;
    const counts = data.customerItemTimes[ci].map((t) => t.length);
    const top = data.items[data.customerItems[ci][counts.indexOf(Math.max(...counts))]];
    expect(baselines.ownTopFrequency(c, 5)[0]).toBe(top);
  });

  it("every baseline answers k unique items and excludes what it must", () => {
    const c = data.customers[3];
    const own = new Set(Array.from(data.customerItems[data.customerIndex.get(c)!], (i) => data.items[i]));
    for (const list of [baselines.ease(c, 10, true), baselines.itemKnn(c, 10, true), baselines.popularity(10, own)]) {
      expect(new Set(list).size).toBe(list.length);
      expect(list.some((s) => own.has(s))).toBe(false);
    }
    expect(baselines.rules(["G0-0"], 10)).not.toContain("G0-0");
    expect(baselines.rules(["G0-0"], 10)[0]).toBe("G0-1");
  });
});

describe("backtestRecommendations", () => {
  it("reports every task × method on one time split", () => {
    const all = smallShop(11, 80);
    const asOf = AS_OF - 200 * DAY;
    const { train, test, testCustomers } = timeSplit(all, asOf, 90);
    const truth = itemsByCustomer(test);
    const rows = backtestRecommendations(
      train,
      testCustomers.map((customer) => ({ customer, truth: truth.get(customer)! })),
      holdOneOut(test, mulberry32(1)),
      { asOf, baselines: { easeLambda: 10 } },
    );
    expect(rows.map((r) => `${r.task}:${r.method}`)).toEqual([
      "discovery:engine",
      "discovery:popularity-30d",
      "discovery:itemknn-cosine",
      "discovery:ease",
      "forYou:engine",
      "forYou:own-top-frequency",
      "forYou:popularity-30d",
      "forYou:itemknn-cosine",
      "forYou:ease",
      "completion:engine",
      "completion:rules-max-confidence",
      "completion:ease-baskets",
      "completion:popularity-30d",
    ]);
    for (const r of rows) {
      expect(r.cases).toBeGreaterThan(0);
      expect(r.recall).toBeGreaterThanOrEqual(0);
      expect(r.recall).toBeLessThanOrEqual(1);
    }
    const forYou = (m: string) => rows.find((r) => r.task === "forYou" && r.method === m)!.recall;
    expect(forYou("engine")).toBeGreaterThan(forYou("popularity-30d"));
  });
});
