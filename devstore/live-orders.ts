import type { DsOrder, DsShop } from "./model.js";
import { latestOrderMs, simulateOrders } from "./simulate.js";

/**
 * One tick of the demo's live orders: `count` orders in the last `tickMs`. simulateOrders never
 * places an order before the shop's latest one, so once the demo simulated 30 days ahead the
 * plain window [now − tick, now] is empty and nothing would ever arrive again; the live clock
 * then continues from the latest order instead (each tick one `tickMs` further).
 */
export function liveOrdersTick(
  shop: DsShop,
  opts: { nowMs: number; tickMs: number; seed: number; count: number; onOrder?: (o: DsOrder) => void },
): DsOrder[] {
  const fromMs = Math.max(opts.nowMs - opts.tickMs, latestOrderMs(shop) + 1000);
  const toMs = fromMs + opts.tickMs;
  return simulateOrders(shop, {
    from: new Date(fromMs).toISOString(),
    to: new Date(toMs).toISOString(),
    seed: opts.seed,
    count: opts.count,
    onOrder: opts.onOrder,
  });
}
