import { scoreCustomers } from "../../analytics/customers";
import { finishRecommender, fitRecommenderComponents, tuneRecommender, type Recommender } from "../../analytics/recs";
import type { EngineOrderStats } from "../../csv";
import { mulberry32 } from "../../analytics/rng";
import { parseAsOf, parseFlags, parsePositiveInt } from "../args";
import { toJsonLines, writeDirectoryAtomically } from "../io";
import { loadOrders, loadProducts } from "../load";
import { encodeOrders, startSideWorker, threadCpuMs, type CustomerHalf } from "../parallel";

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
  // Side work (tuning fit, customer half) goes to a worker thread started before parsing, so its
  // start-up overlaps the CSV read; without one, the same functions run here, one after another.
  const side = startSideWorker();
  try {
    const { orders, stats } = loadOrders(flags.orders!, asOf);
    const products = flags.products ? loadProducts(flags.products) : undefined;
    timer("read csv");
    const input = { asOf, products };
    side?.start({ orders: encodeOrders(orders), asOf, horizonDays, seed: SEED, products });

    const fitted = fitRecommenderComponents(orders, input);
    timer(side ? "fit recommender (final fit; tuning on the worker)" : "fit recommender (final fit)");
    // Product lists do not depend on the tuning (neither blend weights nor the selected models
    // enter them), so they are built while the worker is still tuning.
    const productRows = buildProductRows(finishRecommender(fitted, null));
    timer("build product lists");
    const recommender = finishRecommender(
      fitted,
      side ? await side.tuning : tuneRecommender(orders, { ...input, selectionRng: mulberry32(SEED) }),
    );
    timer(side ? "wait for tuning" : "tuning fit");
    const local = side ? null : scoreCustomers(orders, { asOf, horizonDays, rng: mulberry32(SEED) });
    if (!side) timer("score customers");
    const lists = { ...buildCustomerRows(recommender), productRows };
    timer("build customer lists");
    const customerHalf: CustomerHalf = side
      ? await side.customers
      : (({ customers, ...rest }) => ({ ...rest, customersJsonl: toJsonLines(customers) }))(local!);
    if (side) timer("wait for customer half");
    if (side && process.env.GROWTHPILOT_TIMINGS === "1") {
      for (const [phase, ms] of Object.entries(customerHalf.workerTimings ?? {}))
        process.stderr.write(`timing: worker ${phase} (thread cpu ${Math.round(ms)} ms)\n`);
    }
    writeOutputs(flags, horizonDays, stats, recommender, customerHalf, lists);
    timer("write");
  } finally {
    await side?.close();
  }
}

type Row = { customer: string; items: string[]; reasons: string[] };

function buildCustomerRows(recommender: Recommender) {
  const forYouRows: Row[] = [];
  const discoveryRows: Row[] = [];
  for (const customer of recommender.data.customers) {
    const lists = recommender.customerLists(customer);
    forYouRows.push({ customer, ...lists.forYou });
    discoveryRows.push({ customer, ...lists.discovery });
  }
  return { forYouRows, discoveryRows };
}

function buildProductRows(recommender: Recommender) {
  return recommender.data.items.map((sku) => {
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
}

function writeOutputs(
  flags: Record<string, string | undefined>,
  horizonDays: number,
  stats: EngineOrderStats,
  recommender: Recommender,
  customerResult: CustomerHalf,
  lists: ReturnType<typeof buildCustomerRows> & { productRows: ReturnType<typeof buildProductRows> },
): void {
  const { forYouRows, discoveryRows, productRows } = lists;
  const model = {
    ...customerResult.model,
    asOf: flags["as-of"],
    horizonDays,
    input: stats,
    recommender: recommender.summary(),
    segments: customerResult.segments,
    sufficiency: customerResult.sufficiency,
  };
  writeDirectoryAtomically(flags.out!, {
    "recommendations.jsonl": toJsonLines(forYouRows),
    "discovery.jsonl": toJsonLines(discoveryRows),
    "customers.jsonl": customerResult.customersJsonl,
    "products.jsonl": toJsonLines(productRows),
    "model.json": JSON.stringify(model, null, 2) + "\n",
  });
}

/**
 * With GROWTHPILOT_TIMINGS=1, prints per-phase wall time, this thread's CPU time (when the runtime
 * can tell) and RSS to stderr (used by the benchmark).
 */
function phaseTimer(): (phase: string) => void {
  if (process.env.GROWTHPILOT_TIMINGS !== "1") return () => {};
  let last = performance.now();
  let lastCpu = threadCpuMs();
  return (phase) => {
    const now = performance.now();
    const cpu = threadCpuMs();
    const rss = Math.round(process.memoryUsage().rss / 1e6);
    const cpuText = Number.isFinite(cpu) ? `, main-thread cpu ${Math.round(cpu - lastCpu)} ms` : "";
    process.stderr.write(`timing: ${phase} ${Math.round(now - last)} ms (rss ${rss} MB${cpuText})\n`);
    last = now;
    lastCpu = cpu;
  };
}
