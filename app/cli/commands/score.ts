import { scoreCustomers } from "../../analytics/customers";
import { fitRecommender } from "../../analytics/recs";
import { mulberry32 } from "../../analytics/rng";
import { parseAsOf, parseFlags, parsePositiveInt } from "../args";
import { toJsonLines, writeDirectoryAtomically } from "../io";
import { loadOrders, loadProducts } from "../load";

export const usage =
  "growthpilot score --orders <orders_export.csv> --as-of <YYYY-MM-DD> [--horizon-days 90] [--products <products_export.csv>] --out <dir>";

/** Seed for the customer half's randomness (k-means starts, CLV draws): fixed so runs repeat exactly. */
const SEED = 20240305;

/**
 * `score`: fits the recommenders and the customer models on orders before --as-of and writes
 * recommendations.jsonl, discovery.jsonl, customers.jsonl, products.jsonl and model.json
 * (all at once, via a temp directory).
 */
export async function run(argv: string[]): Promise<void> {
  const flags = parseFlags(argv, {
    orders: { required: true },
    "as-of": { required: true },
    "horizon-days": { default: "90" },
    products: {},
    out: { required: true },
  });
  const asOf = parseAsOf(flags["as-of"]!);
  const horizonDays = parsePositiveInt("horizon-days", flags["horizon-days"]!);
  const timer = phaseTimer();
  const { orders, stats } = loadOrders(flags.orders!, asOf);
  const products = flags.products ? loadProducts(flags.products) : undefined;
  timer("read csv");

  const recommender = fitRecommender(orders, { asOf, products });
  timer("fit recommender");
  const customerResult = scoreCustomers(orders, { asOf, horizonDays, rng: mulberry32(SEED) });
  timer("score customers");
  const customers = recommender.data.customers;

  const forYouRows: { customer: string; items: string[]; reasons: string[] }[] = [];
  const discoveryRows: { customer: string; items: string[]; reasons: string[] }[] = [];
  for (const customer of customers) {
    const lists = recommender.customerLists(customer);
    forYouRows.push({ customer, ...lists.forYou });
    discoveryRows.push({ customer, ...lists.discovery });
  }
  const productRows = recommender.data.items.map((sku) => {
    const together = recommender.boughtTogether(sku);
    const also = recommender.alsoBought(sku);
    return {
      sku,
      boughtTogether: together.items,
      alsoBought: also.items,
      reasons: together.reasons,
      alsoBoughtReasons: also.reasons,
    };
  });
  const model = {
    ...customerResult.model,
    asOf: flags["as-of"],
    horizonDays,
    input: stats,
    recommender: recommender.summary(),
    segments: customerResult.segments,
    sufficiency: customerResult.sufficiency,
  };
  timer("build lists");
  writeDirectoryAtomically(flags.out!, {
    "recommendations.jsonl": toJsonLines(forYouRows),
    "discovery.jsonl": toJsonLines(discoveryRows),
    "customers.jsonl": toJsonLines(customerResult.customers),
    "products.jsonl": toJsonLines(productRows),
    "model.json": JSON.stringify(model, null, 2) + "\n",
  });
  timer("write");
}

/** With GROWTHPILOT_TIMINGS=1, prints per-phase wall time and RSS to stderr (used by the benchmark). */
function phaseTimer(): (phase: string) => void {
  if (process.env.GROWTHPILOT_TIMINGS !== "1") return () => {};
  let last = performance.now();
  return (phase) => {
    const now = performance.now();
    const rss = Math.round(process.memoryUsage().rss / 1e6);
    process.stderr.write(`timing: ${phase} ${Math.round(now - last)} ms (rss ${rss} MB)\n`);
    last = now;
  };
}
