import { forecastShop, type ShopForecast } from "../../analytics/forecast";
import type { Db } from "../../models/db-types.server";
import { dailySales, topProductUnits } from "../../models/sales-series.server";

/** What a scoring run stores as `ModelRun.metrics.forecast`: the engine's output plus product titles. */
export type StoredForecast = ShopForecast & { titles: Record<string, string> };

/** Three years is plenty for yearly seasonality and keeps the fit's cost bounded on old shops. */
const MAX_DAYS = 3 * 364;
const TOP_PRODUCTS = 5;

/**
 * The shop's forecast as of the run (docs/engine.md "Forecast"): daily sales up to the last
 * complete UTC day and the top sellers' daily units, through the pure engine.
 */
export async function computeForecast(db: Db, shop: string, asOf: Date): Promise<StoredForecast> {
  const sales = await dailySales(db, shop, asOf, MAX_DAYS);
  const products = await topProductUnits(
    db,
    shop,
    { startDay: sales.startDay, days: sales.orders.length },
    { top: TOP_PRODUCTS, recentDays: 90 },
  );
  const forecast = forecastShop({
    ...sales,
    products: products.map((p) => ({ key: p.productGid, inventory: p.inventory, units: p.units })),
  });
  return { ...forecast, titles: Object.fromEntries(products.map((p) => [p.productGid, p.title])) };
}
