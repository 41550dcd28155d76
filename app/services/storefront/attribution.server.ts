import type { Db } from "~/models/db-types.server";
import { findOrdersForAttribution, type AttributionOrder } from "~/models/attribution-orders.server";

/**
 * Recommendation-assisted revenue, **click-attributed**: revenue of order lines that a buyer put
 * in the cart from a Growthpilot block (or reached by clicking one). It is last-touch credit, not
 * incremental lift — some of these buyers would have found the product anyway. The automations'
 * holdout measures incrementality; this number only says what the widgets touched.
 *
 * How the storefront marks things (extensions/growthpilot-recs):
 * - add-to-cart from a block adds the line item property `_gp_rec` = block id
 *   (`fbt`, `also`, `cart`, `drawer`, `for_you`);
 * - a click through to a product page records `<block>:<product id>` in the cart attribute
 *   `_gp_clicks` (comma-separated, most recent last), so a later add from the product page
 *   still gets credit.
 * A line marked both ways counts once, as add-to-cart.
 */

export const REC_LINE_PROPERTY = "_gp_rec";
export const REC_CLICKS_ATTRIBUTE = "_gp_clicks";
export const ATTRIBUTION_BASIS = "click-attributed" as const;
export const ATTRIBUTION_LABEL = "Recommendation-assisted revenue (click-attributed, last touch; not incremental)";

export interface CurrencyAttribution {
  currencyCode: string;
  orders: number;
  /** Orders with at least one credited line. */
  assistedOrders: number;
  /** Net of refunds, after line discounts, minor units. */
  revenueMinor: number;
  assistedRevenueMinor: number;
  /** Credited via the `_gp_rec` line property. */
  addToCartRevenueMinor: number;
  /** Credited via the `_gp_clicks` cart attribute only. */
  clickThroughRevenueMinor: number;
  /** assisted / total (0 when there is no revenue). */
  share: number;
  /** assistedRevenueMinor per block id. */
  byBlock: Record<string, number>;
}

export interface AttributionReport {
  basis: typeof ATTRIBUTION_BASIS;
  label: string;
  from: string;
  to: string;
  currencies: CurrencyAttribution[];
}

/** Net line revenue: the line total scaled by the share of units not refunded. */
function netLineMinor(line: AttributionOrder["lines"][number]): number {
  if (line.quantity <= 0) return 0;
  const kept = Math.max(0, line.quantity - line.refundedQty);
  return Math.round((line.totalMinor * kept) / line.quantity);
}

/** Product id → block id, from the `_gp_clicks` attribute ("also:123,fbt:456"); the last click wins. */
export function parseClicks(value: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const entry of (value ?? "").split(",")) {
    const match = /^\s*([a-z_]{1,20}):(\d{1,20})\s*$/.exec(entry);
    if (match) out.set(match[2], match[1]);
  }
  return out;
}

/** Pure attribution over loaded orders (exported for tests and the CLI). */
export function attributeOrders(orders: AttributionOrder[]): CurrencyAttribution[] {
  const byCurrency = new Map<string, CurrencyAttribution>();
  // `_gp_rec` is free text from the storefront: count blocks in a Map, because a plain object would
  // read "toString" or "__proto__" from its prototype (the totals would then stop adding up).
  const blockTotals = new Map<CurrencyAttribution, Map<string, number>>();
  for (const order of orders) {
    let c = byCurrency.get(order.currencyCode);
    if (!c) {
      c = {
        currencyCode: order.currencyCode,
        orders: 0,
        assistedOrders: 0,
        revenueMinor: 0,
        assistedRevenueMinor: 0,
        addToCartRevenueMinor: 0,
        clickThroughRevenueMinor: 0,
        share: 0,
        byBlock: {},
      };
      byCurrency.set(order.currencyCode, c);
    }
    c.orders++;
    const clicks = parseClicks(order.attributes.find((a) => a.key === REC_CLICKS_ATTRIBUTE)?.value);
    let assisted = false;
    for (const line of order.lines) {
      const net = netLineMinor(line);
      c.revenueMinor += net;
      const marked = line.properties.find((p) => p.key === REC_LINE_PROPERTY)?.value;
      const productId = line.productGid?.slice(line.productGid.lastIndexOf("/") + 1);
      const clickedFrom = productId ? clicks.get(productId) : undefined;
      const block = marked || clickedFrom;
      if (!block) continue;
      assisted = true;
      c.assistedRevenueMinor += net;
      if (marked) c.addToCartRevenueMinor += net;
      else c.clickThroughRevenueMinor += net;
      let blocks = blockTotals.get(c);
      if (!blocks) blockTotals.set(c, (blocks = new Map()));
      blocks.set(block, (blocks.get(block) ?? 0) + net);
    }
    if (assisted) c.assistedOrders++;
  }
  for (const c of byCurrency.values()) {
    c.share = c.revenueMinor > 0 ? c.assistedRevenueMinor / c.revenueMinor : 0;
    c.byBlock = Object.fromEntries(blockTotals.get(c) ?? []); // own data properties, even for "__proto__"
  }
  return [...byCurrency.values()].sort((a, b) => b.revenueMinor - a.revenueMinor);
}

/** Recommendation-assisted revenue of orders created in [from, to). */
export async function recommendationAssistedRevenue(
  db: Db,
  shop: string,
  range: { from: Date; to: Date },
): Promise<AttributionReport> {
  const orders = await findOrdersForAttribution(db, shop, range);
  return {
    basis: ATTRIBUTION_BASIS,
    label: ATTRIBUTION_LABEL,
    from: range.from.toISOString(),
    to: range.to.toISOString(),
    currencies: attributeOrders(orders),
  };
}
