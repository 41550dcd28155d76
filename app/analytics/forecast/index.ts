import { DAY_MS } from "../time";
import { bandAt, bandQuantiles, compareMethods, MIN_ORIGINS, MIN_TRAIN_DAYS } from "./backtest";
import { forecastWith, weeklyTotals, type MethodName } from "./methods";

/**
 * The shop's revenue and orders for the next weeks with an 80 % band, and units for its top
 * sellers with how long known stock lasts at that pace (docs/engine.md "Forecast"). Pure: daily
 * series in (complete UTC days, oldest first, ending the day before the run's as-of day), plain
 * data out; the method per series is whichever wins the rolling-origin backtest (backtest.ts).
 */

export interface ForecastInput {
  /** Epoch ms of the first day's UTC midnight. */
  startDay: number;
  revenueMinor: readonly number[];
  orders: readonly number[];
  /** Top sellers' daily units (same days), with units in stock when Shopify tracks it. */
  products?: readonly { key: string; inventory: number | null; units: readonly number[] }[];
  /** Weeks ahead, 4–12 (default 12). */
  weeks?: number;
  /** Backtest origins, one per week (default {@link DEFAULT_ORIGINS}). */
  origins?: number;
}

export interface WeekPoint {
  /** Epoch ms of the week's first day. */
  start: number;
  value: number;
}

export interface SeriesForecast {
  method: MethodName;
  /** MASE of the chosen method and of seasonal-naive on the same origins (< 1 beats naive). */
  mase: number;
  baselineMase: number | null;
  /** Out-of-sample share of actual weeks inside the 80 % band, null with too few origins. */
  coverage80: number | null;
  origins: number;
  /** Median absolute percentage error of a backtested week (0.12 = a typical week off by 12 %). */
  typicalError: number | null;
  /** The 12 weeks before the forecast. */
  history: WeekPoint[];
  forecast: (WeekPoint & { low: number; high: number })[];
}

export interface ProductForecast {
  key: string;
  method: MethodName;
  mase: number;
  /** Units expected over the forecast weeks. */
  units: number;
  inventory: number | null;
  /** Days the known stock lasts at the forecast pace of the next four weeks; null when unknown or no sales expected. */
  stockDays: number | null;
}

export interface ShopForecast {
  weeks: number;
  /** Epoch ms of the first forecast day (the as-of day). */
  from: number;
  revenue: SeriesForecast | null;
  orders: SeriesForecast | null;
  products: ProductForecast[];
  /** Why there is no forecast yet (short history), else null. */
  notEnoughData: string | null;
}

/**
 * Weekly backtest origins: half calibrate the band, half measure its coverage; 26 (half a year)
 * keeps each half's error sample in the hundreds of weeks, where 12 left coverage noisy.
 */
export const DEFAULT_ORIGINS = 26;

/** Days of history the forecast needs: training for the first origin plus the backtest's span. */
export function minHistoryDays(weeks: number): number {
  return MIN_TRAIN_DAYS + 7 * (MIN_ORIGINS - 1) + weeks * 7;
}

export function forecastShop(input: ForecastInput): ShopForecast {
  const weeks = Math.min(12, Math.max(4, input.weeks ?? 12));
  const n = input.orders.length;
  const from = input.startDay + n * DAY_MS;
  const need = minHistoryDays(4);
  if (n < need)
    return {
      weeks,
      from,
      revenue: null,
      orders: null,
      products: [],
      notEnoughData: `A forecast needs ${Math.ceil(need / 7)} weeks of orders to test itself on; this shop has ${Math.floor(n / 7)}.`,
    };
  // With less history the horizon shrinks to what the backtest can check.
  const fit = Math.floor((n - MIN_TRAIN_DAYS - 7 * (MIN_ORIGINS - 1)) / 7);
  const h = Math.min(weeks, fit);
  const opts = { weeks: h, origins: input.origins ?? DEFAULT_ORIGINS };
  const series = (y: readonly number[]) => forecastSeries(y, from, opts);
  return {
    weeks: h,
    from,
    revenue: series(input.revenueMinor),
    orders: series(input.orders),
    products: (input.products ?? []).flatMap((p) => {
      const f = series(p.units);
      if (!f) return [];
      const units = f.forecast.reduce((a, w) => a + w.value, 0);
      const perDay = f.forecast.slice(0, 4).reduce((a, w) => a + w.value, 0) / (7 * Math.min(4, f.forecast.length));
      return [
        {
          key: p.key,
          method: f.method,
          mase: f.mase,
          units,
          inventory: p.inventory,
          stockDays: p.inventory !== null && perDay > 0 ? p.inventory / perDay : null,
        },
      ];
    }),
    notEnoughData: null,
  };
}

function forecastSeries(
  y: readonly number[],
  from: number,
  opts: { weeks: number; origins: number },
): SeriesForecast | null {
  const { results, best } = compareMethods(y, opts);
  if (!best) return null;
  const f = forecastWith(best.method, y, opts.weeks * 7);
  if (!f) return null;
  const [lo, hi] = bandQuantiles(best.errors);
  const past = weeklyTotals(y.slice(y.length - 12 * 7 < 0 ? y.length % 7 : y.length - 12 * 7));
  return {
    method: best.method,
    mase: best.mase,
    baselineMase: results.find((r) => r.method === "seasonal-naive")?.mase ?? null,
    coverage80: best.coverage80,
    origins: best.origins,
    typicalError: best.medianApe,
    history: past.map((value, i) => ({ start: from - (past.length - i) * 7 * DAY_MS, value })),
    forecast: weeklyTotals(f).map((value, i) => ({
      start: from + i * 7 * DAY_MS,
      value,
      low: bandAt(value, lo, i + 1),
      high: bandAt(value, hi, i + 1),
    })),
  };
}
