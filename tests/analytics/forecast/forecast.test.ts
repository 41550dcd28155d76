import { describe, expect, it } from "vitest";
import { backtestMethod, compareMethods, naiveScale } from "~/analytics/forecast/backtest";
import { fitEts, forecastEts } from "~/analytics/forecast/ets";
import { forecastShop, minHistoryDays } from "~/analytics/forecast";
import { seasonalNaive, weeklyTotals } from "~/analytics/forecast/methods";
import { yearlyIndex } from "~/analytics/forecast/yearly";
import { mulberry32 } from "~/analytics/rng";

const DOW = [0.8, 0.9, 1, 1, 1.1, 1.4, 0.8];

/** Daily sales: base × day-of-week × (1 + 0.4·sin(yearly)) × (1 + growth·t), Poisson-ish noise from a seeded rng. */
function synthetic(days: number, opts: { base?: number; yearly?: number; growth?: number; seed?: number } = {}) {
  const rng = mulberry32(opts.seed ?? 7);
  const out: number[] = [];
  for (let d = 0; d < days; d++) {
    const season = 1 + (opts.yearly ?? 0.4) * Math.sin((2 * Math.PI * d) / 364);
    const level = (opts.base ?? 40) * DOW[d % 7] * season * (1 + (opts.growth ?? 0) * d);
    // Normal approximation of Poisson noise (Box–Muller on the seeded rng).
    const z = Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
    out.push(Math.max(0, Math.round(level + z * Math.sqrt(level))));
  }
  return out;
}

describe("forecast engine", () => {
  it("Holt-Winters recovers an exact day-of-week pattern with a trend", () => {
    const y = Array.from({ length: 140 }, (_, d) => 100 + d + 20 * DOW[d % 7]);
    const f = forecastEts(fitEts(y), 14);
    const truth = Array.from({ length: 14 }, (_, k) => 100 + 140 + k + 20 * DOW[(140 + k) % 7]);
    // The trend is damped (φ ≤ 0.98), so two weeks out it trails a straight line by about 2.
    f.forEach((v, k) => expect(Math.abs(v - truth[k])).toBeLessThan(5));
    expect(Math.abs(f[0] - truth[0])).toBeLessThan(1);
  });

  it("seasonal naive repeats last year's day with a year of history, else last week", () => {
    const y = Array.from({ length: 400 }, (_, d) => d);
    expect(seasonalNaive(y, 3)).toEqual([400 - 364, 401 - 364, 402 - 364]);
    const short = Array.from({ length: 20 }, (_, d) => d);
    expect(seasonalNaive(short, 9)).toEqual([13, 14, 15, 16, 17, 18, 19, 13, 14]);
  });

  it("the yearly index needs a year and a month and peaks where the year peaks", () => {
    expect(yearlyIndex(synthetic(7 * 55))).toBeNull();
    const y = synthetic(2 * 364 + 10, { yearly: 0.5 });
    const index = yearlyIndex(y)!;
    // sin peaks at day 91 of each 364-day year and bottoms at day 273.
    expect(index(91 + 364)).toBeGreaterThan(1.1);
    expect(index(273 + 364)).toBeLessThan(0.9);
  });

  it("backtest: on seasonal data the yearly model beats seasonal-naive (MASE < 1 relative) and the band covers about 80 %", () => {
    const y = synthetic(2 * 364 + 60, { yearly: 0.4, growth: 0.0004 });
    const { results, best } = compareMethods(y, { weeks: 8, origins: 12 });
    const naive = results.find((r) => r.method === "seasonal-naive")!;
    const yearly = results.find((r) => r.method === "ets-yearly")!;
    expect(yearly.mase).toBeLessThan(naive.mase);
    expect(best!.method).not.toBe("seasonal-naive");
    expect(best!.coverage80).toBeGreaterThanOrEqual(0.5);
    expect(best!.coverage80).toBeLessThanOrEqual(1);
    expect(best!.origins).toBe(12); // as asked: the history allows more
  });

  it("MASE scale: weekly seasonal-naive MAE, never zero", () => {
    expect(naiveScale(new Array(70).fill(5))).toBeGreaterThan(0);
    const y = Array.from({ length: 28 }, (_, d) => (d < 14 ? 1 : 2));
    // Weeks 7, 7, 14, 14 → |0|, |7|, |0| → mean 7/3.
    expect(naiveScale(y)).toBeCloseTo(7 / 3, 10);
    expect(backtestMethod(y, "ets", { weeks: 4, origins: 4 })).toBeNull();
  });

  it("forecastShop: deterministic, bands around the point, stock days from the forecast pace", () => {
    const days = 2 * 364 + 30;
    const input = {
      startDay: Date.UTC(2024, 0, 1),
      revenueMinor: synthetic(days, { base: 50_000, seed: 1 }),
      orders: synthetic(days, { base: 30, seed: 2 }),
      products: [
        { key: "p1", inventory: 500, units: synthetic(days, { base: 10, seed: 3, yearly: 0 }) },
        { key: "p2", inventory: null, units: synthetic(days, { base: 4, seed: 4, yearly: 0 }) },
      ],
      weeks: 12,
    };
    const a = forecastShop(input);
    expect(forecastShop(input)).toEqual(a);
    expect(a.notEnoughData).toBeNull();
    expect(a.revenue!.forecast).toHaveLength(12);
    expect(a.revenue!.history).toHaveLength(12);
    for (const w of a.revenue!.forecast) {
      expect(w.low).toBeLessThanOrEqual(w.value);
      expect(w.high).toBeGreaterThanOrEqual(w.value);
    }
    expect(a.revenue!.forecast[0].start).toBe(input.startDay + days * 86_400_000);
    const p1 = a.products.find((p) => p.key === "p1")!;
    // ~10 units a day → 500 units last about 50 days.
    expect(p1.stockDays).toBeGreaterThan(35);
    expect(p1.stockDays).toBeLessThan(70);
    expect(a.products.find((p) => p.key === "p2")!.stockDays).toBeNull();
    expect(weeklyTotals([1, 1, 1, 1, 1, 1, 1, 9])).toEqual([7]);
  });

  it("short history: no forecast and a sentence saying how many weeks are needed; the horizon shrinks in between", () => {
    const short = forecastShop({ startDay: 0, revenueMinor: synthetic(30), orders: synthetic(30) });
    expect(short.revenue).toBeNull();
    expect(short.notEnoughData).toMatch(/needs \d+ weeks of orders/);
    const days = minHistoryDays(4) + 14;
    const mid = forecastShop({ startDay: 0, revenueMinor: synthetic(days), orders: synthetic(days) });
    expect(mid.weeks).toBe(6);
    expect(mid.orders!.forecast).toHaveLength(6);
  });
});
