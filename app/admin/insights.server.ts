import type { SeriesForecast } from "../analytics/forecast";
import { salesTrend } from "../models/admin-trends.server";
import type { StoredForecast } from "../services/scoring/forecast.server";
import type { AdminDeps } from "./deps.server";

/**
 * The home page's charts (D38): sales over the chosen period against the period before, new vs
 * returning revenue, and the scoring run's forecast with its measured accuracy in words.
 */

/** Buckets per KPI period: days for a week or a month, about a week for a quarter or a year. */
const BUCKETS: Record<number, number> = { 7: 7, 30: 30, 90: 13, 365: 52 };

export async function getSalesTrend(deps: AdminDeps, shop: string, periodDays: number) {
  const buckets = BUCKETS[periodDays] ?? 30;
  const { current, previous } = await salesTrend(deps.prisma, shop, { to: deps.now(), periodDays, buckets });
  const hasData = current.some((b) => b.orders > 0) || previous.some((b) => b.orders > 0);
  return {
    bucketDays: periodDays / buckets,
    hasData,
    /** True when the period before had no orders: there is nothing to compare with yet. */
    noPrevious: previous.every((b) => b.orders === 0),
    buckets: current.map((b, i) => ({
      start: new Date(b.start).toISOString(),
      revenueMinor: b.revenueMinor,
      orders: b.orders,
      previousRevenueMinor: previous[i].revenueMinor,
      previousOrders: previous[i].orders,
      newRevenueMinor: b.newRevenueMinor,
      returningRevenueMinor: b.returningRevenueMinor,
      guestRevenueMinor: b.guestRevenueMinor,
    })),
  };
}

export type SalesTrendView = Awaited<ReturnType<typeof getSalesTrend>>;

/** The stored forecast shaped for the home card, with its accuracy as a sentence; null before any run. */
export function forecastView(forecast: StoredForecast | null) {
  if (!forecast) return null;
  const series = (s: SeriesForecast | null) =>
    s && {
      method: s.method,
      accuracy: accuracyInWords(s),
      mase: s.mase,
      baselineMase: s.baselineMase,
      coverage80: s.coverage80,
      typicalError: s.typicalError,
      origins: s.origins,
      total: Math.round(s.forecast.reduce((a, w) => a + w.value, 0)),
      history: s.history.map((w) => ({ start: new Date(w.start).toISOString(), value: Math.round(w.value) })),
      forecast: s.forecast.map((w) => ({
        start: new Date(w.start).toISOString(),
        value: Math.round(w.value),
        low: Math.round(w.low),
        high: Math.round(w.high),
      })),
    };
  return {
    weeks: forecast.weeks,
    from: new Date(forecast.from).toISOString(),
    notEnoughData: forecast.notEnoughData,
    revenue: series(forecast.revenue),
    orders: series(forecast.orders),
    products: forecast.products.map((p) => ({
      title: forecast.titles[p.key] ?? "A product no longer in the catalogue",
      units: Math.round(p.units),
      inventory: p.inventory,
      stockDays: p.stockDays === null ? null : Math.round(p.stockDays),
    })),
  };
}

export type ForecastView = NonNullable<ReturnType<typeof forecastView>>;

const METHOD_WORDS: Record<SeriesForecast["method"], string> = {
  "seasonal-naive": "repeating the same week last year",
  ets: "recent trend and weekday pattern",
  "ets-yearly": "recent trend, weekday pattern and time of year",
};

/** "Tested on 26 past weeks: …" — what the backtest measured, for people. */
export function accuracyInWords(s: SeriesForecast): string {
  const parts = [
    `Based on ${METHOD_WORDS[s.method]}; tested on the ${s.origins} most recent weeks of your own history`,
  ];
  if (s.typicalError !== null) parts.push(`a typical week was off by ${Math.round(s.typicalError * 100)} %`);
  if (s.baselineMase !== null && s.method !== "seasonal-naive" && s.baselineMase > 0) {
    const better = 1 - s.mase / s.baselineMase;
    parts.push(
      better > 0
        ? `errors ${Math.round(better * 100)} % smaller than repeating last year's (or last week's) figure`
        : "no better than repeating last year's (or last week's) figure",
    );
  }
  if (s.coverage80 !== null)
    parts.push(`the 80 % range held the actual week ${Math.round(s.coverage80 * 100)} % of the time`);
  return `${parts.join("; ")}.`;
}
