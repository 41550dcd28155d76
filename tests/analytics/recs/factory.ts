import { mulberry32 } from "~/analytics/rng";
import type { Order } from "~/analytics/types";

export const DAY = 86_400_000;
export const AS_OF = Date.UTC(2024, 6, 1);

/**
 * A small seeded shop: 4 "taste" groups of 6 SKUs each; customers mostly buy from their group,
 * items 0+1 of each group are bought together, item 0 is a monthly consumable.
 */
export function smallShop(seed = 7, customers = 60): Order[] {
  const rng = mulberry32(seed);
  const orders: Order[] = [];
  for (let c = 0; c < customers; c++) {
    const group = c % 4;
    const start = AS_OF - 360 * DAY + Math.floor(rng() * 100) * DAY;
    const count = 2 + Math.floor(rng() * 5);
    for (let o = 0; o < count; o++) {
      const at = start + o * 30 * DAY + Math.floor(rng() * 5) * DAY;
      if (at >= AS_OF) break;
      const skus = new Set<string>([`G${group}-0`]);
      if (rng() < 0.7) skus.add(`G${group}-1`);
      const extra = Math.floor(rng() * 6);
      skus.add(rng() < 0.85 ? `G${group}-${extra}` : `G${(group + 1) % 4}-${extra}`);
      orders.push({
        id: `o${c}-${o}`,
        customer: `c${c}@x.com`,
        at,
        lines: [...skus].map((sku) => ({ sku, quantity: 1, amountMinor: 1000 })),
        totalMinor: skus.size * 1000,
      });
    }
  }
  return orders;
}
