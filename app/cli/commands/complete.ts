import { fitRecommender } from "../../analytics/recs";
import { parseAsOf, parseFlags } from "../args";
import { UsageError } from "../errors";
import { readInput, toJsonLines, writeFileAtomically } from "../io";
import { loadOrders } from "../load";

export const usage =
  "growthpilot complete --orders <orders_export.csv> --as-of <YYYY-MM-DD> --baskets <in.jsonl> --out <out.jsonl>";

/** `complete`: one output line per input basket with 20 items to add (the basket's own items excluded). */
export async function run(argv: string[]): Promise<void> {
  const flags = parseFlags(argv, {
    orders: { required: true },
    "as-of": { required: true },
    baskets: { required: true },
    out: { required: true },
  });
  const asOf = parseAsOf(flags["as-of"]!);
  const baskets = parseBaskets(readInput(flags.baskets!, "baskets"));
  const { orders } = loadOrders(flags.orders!, asOf);
  const recommender = fitRecommender(orders, { asOf });
  const rows = baskets.map(({ id, items }) => ({ id, ...recommender.completeBasket(items) }));
  writeFileAtomically(flags.out!, toJsonLines(rows));
}

/** `{"id", "items": [sku…]}` per line; blank lines skipped; errors name the 1-based line. */
export function parseBaskets(text: string): { id: unknown; items: string[] }[] {
  const out: { id: unknown; items: string[] }[] = [];
  text.split(/\r?\n/).forEach((line, n) => {
    if (line.trim() === "") return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new UsageError(`--baskets line ${n + 1}: not valid JSON`);
    }
    const basket = value as { id?: unknown; items?: unknown };
    if (typeof basket !== "object" || basket === null || !("id" in basket)) {
      throw new UsageError(`--baskets line ${n + 1}: expected {"id": …, "items": [sku…]}`);
    }
    if (!Array.isArray(basket.items) || !basket.items.every((s) => typeof s === "string")) {
      throw new UsageError(`--baskets line ${n + 1}: "items" must be an array of SKU strings`);
    }
    out.push({ id: basket.id, items: basket.items as string[] });
  });
  return out;
}
