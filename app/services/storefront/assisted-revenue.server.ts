import type { Db } from "../../models/db-types.server";
import { windowEndingAt } from "../../models/admin-kpis.server";
import { recommendationAssistedRevenue } from "./attribution.server";

/**
 * The "Recommendation-assisted revenue" card on the recommendations page and the matching KPI on
 * the home page. Both pages call this one function, so they always show the same number.
 * The computation itself (click-attributed, last touch, net of refunds) is `attribution.server.ts`.
 */

export const ASSISTED_WINDOW_DAYS = 30;

/** Storefront block ids (extensions/growthpilot-recs) → what each block does, in the merchant's words (issue 13). */
export const BLOCK_NAMES: Record<string, string> = {
  fbt: "Frequently bought together",
  also: "Customers also bought",
  cart: "Complete your order (cart)",
  drawer: "Cart drawer",
  for_you: "Picked for you",
};
const BLOCK_ORDER = Object.keys(BLOCK_NAMES);

/** Plain-words basis shown under the number (the meaning of ATTRIBUTION_LABEL). */
export const ASSISTED_BASIS =
  "Click-attributed, last touch: revenue of order lines a customer added to the cart from a Growthpilot block, or after clicking a product in one. Amounts are order lines after discounts, without shipping and tax, refunds deducted. It is not incremental — some of these customers would have bought anyway; the automations' holdout measures real lift.";

export interface AssistedRevenueCurrency {
  currencyCode: string;
  assistedRevenueMinor: number;
  revenueMinor: number;
  share: number;
  assistedOrders: number;
  orders: number;
  blocks: { id: string; name: string; revenueMinor: number }[];
}

export interface AssistedRevenueView {
  days: number;
  from: string;
  to: string;
  basis: string;
  /** Currencies with at least one credited order, largest revenue first. */
  currencies: AssistedRevenueCurrency[];
}

/** Assisted revenue of the last 30 days ending at `now`, per currency with a per-block breakdown. */
export async function getAssistedRevenue(db: Db, shop: string, now: Date = new Date()): Promise<AssistedRevenueView> {
  const range = windowEndingAt(now, ASSISTED_WINDOW_DAYS);
  const report = await recommendationAssistedRevenue(db, shop, range);
  return {
    days: ASSISTED_WINDOW_DAYS,
    from: report.from,
    to: report.to,
    basis: ASSISTED_BASIS,
    currencies: report.currencies
      .filter((c) => c.assistedOrders > 0)
      .map((c) => ({
        currencyCode: c.currencyCode,
        assistedRevenueMinor: c.assistedRevenueMinor,
        revenueMinor: c.revenueMinor,
        share: c.share,
        assistedOrders: c.assistedOrders,
        orders: c.orders,
        blocks: blockRows(c.byBlock),
      })),
  };
}

/**
 * Known blocks in storefront order, then one "Other" row: `_gp_rec` is a line item property any
 * storefront script can set, so unknown values are summed rather than shown verbatim.
 */
function blockRows(byBlock: Record<string, number>) {
  const rows = BLOCK_ORDER.filter((id) => byBlock[id]).map((id) => ({
    id,
    name: BLOCK_NAMES[id],
    revenueMinor: byBlock[id],
  }));
  const other = Object.entries(byBlock).reduce(
    (sum, [id, minor]) => (Object.hasOwn(BLOCK_NAMES, id) ? sum : sum + minor),
    0,
  );
  if (other !== 0) rows.push({ id: "other", name: "Other or removed blocks", revenueMinor: other });
  return rows;
}
