import { compareMethods } from "../../app/analytics/forecast/backtest";
import { METHODS } from "../../app/analytics/forecast/methods";
import type { Order } from "../../app/analytics/types";
import { DAY_MS } from "../../app/analytics/time";
import { DEFAULT_ORIGINS as ORIGINS } from "../../app/analytics/forecast";

/** Orders → complete UTC days from the first order's day to the last order's day (zero-filled). */
export function dailySeries(orders: readonly Order[]): { orders: number[]; revenue: number[] } {
  const days = orders.map((o) => Math.floor(o.at / DAY_MS));
  const first = Math.min(...days);
  const n = Math.max(...days) - first + 1;
  const counts = new Array<number>(n).fill(0);
  const revenue = new Array<number>(n).fill(0);
  orders.forEach((o, i) => {
    counts[days[i] - first]++;
    revenue[days[i] - first] += o.totalMinor;
  });
  return { orders: counts, revenue };
}

/**
 * The forecast's rolling-origin backtest (app/analytics/forecast/backtest.ts) on each log: weekly
 * MASE of every method (< 1 beats the in-sample seasonal-naive error) and the chosen method's
 * out-of-sample 80 % band coverage, at 4, 8 and 12 weeks ahead, from the app's number of weekly origins.
 */
export function forecastTable(cases: { name: string; orders: Order[]; money: boolean }[]): void {
  console.log(
    `\n### forecast: weekly totals, rolling origin (${ORIGINS} weekly origins), MASE and 80 % band coverage\n`,
  );
  console.log(
    "MASE per method (lower is better; the chosen method is the lowest). Coverage: share of the newer half of the origins'",
  );
  console.log("actual weeks inside the band calibrated on the older half (target 0.80).\n");
  console.log(`| log | series | weeks ahead | ${METHODS.join(" | ")} | chosen | coverage 80 % |`);
  console.log(`|---|---|---|${METHODS.map(() => "---|").join("")}---|---|`);
  for (const c of cases) {
    const s = dailySeries(c.orders);
    const series: [string, number[]][] = [["orders", s.orders]];
    if (c.money) series.push(["revenue", s.revenue]);
    for (const [label, y] of series) {
      for (const weeks of [4, 8, 12]) {
        const { results, best } = compareMethods(y, { weeks, origins: ORIGINS });
        if (!best) {
          console.log(`| ${c.name} | ${label} | ${weeks} | ${METHODS.map(() => "–").join(" | ")} | too short | – |`);
          continue;
        }
        const cell = (m: string) => {
          const r = results.find((x) => x.method === m);
          return r ? r.mase.toFixed(3) : "n/a";
        };
        const cov = best.coverage80 === null ? "–" : best.coverage80.toFixed(2);
        console.log(`| ${c.name} | ${label} | ${weeks} | ${METHODS.map(cell).join(" | ")} | ${best.method} | ${cov} |`);
      }
    }
  }
}
