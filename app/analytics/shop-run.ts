import { scoreCustomers, type ScoreCustomersResult } from "./customers";
import { backtestRecommendations, type BacktestRow } from "./eval/backtest";
import { holdOneOut, itemsByCustomer, timeSplit } from "./eval/splits";
import { fitRecommender, type Recommender } from "./recs";
import { mulberry32 } from "./rng";
import type { Order, ProductInfo, RankedList, RecFilterSettings } from "./types";
import { DAY_MS } from "./time";

/**
 * One scoring run for a shop, as the app persists it: every recommendation list, every customer
 * score and a backtest of the recommender on the shop's own history. Pure: orders, catalogue,
 * `asOf` and `seed` in; plain data out.
 */
export interface ShopRunInput {
  orders: Order[];
  products?: ProductInfo[];
  filters?: RecFilterSettings;
  asOf: number;
  horizonDays: number;
  seed: number;
  /** Length of the recommendation backtest's test window (days before asOf). */
  backtestDays?: number;
  listLength?: number;
}

export interface ShopRunOutput {
  productLists: { subject: string; boughtTogether: RankedList; alsoBought: RankedList }[];
  customerLists: { subject: string; forYou: RankedList; discovery: RankedList }[];
  customers: ScoreCustomersResult;
  recommender: Record<string, unknown>;
  /** Recommender backtest rows (engine and baselines), empty when history is too short. */
  backtest: BacktestRow[];
}

export function runShopScoring(input: ShopRunInput): ShopRunOutput {
  const k = input.listLength ?? 20;
  const recommender = fitRecommender(input.orders, {
    asOf: input.asOf,
    products: input.products,
    filters: input.filters,
    selectionRng: mulberry32(input.seed),
  });
  const customers = scoreCustomers(input.orders, {
    asOf: input.asOf,
    horizonDays: input.horizonDays,
    rng: mulberry32(input.seed),
  });
  return {
    productLists: productLists(recommender, k),
    customerLists: recommender.data.customers.map((subject) => ({
      subject,
      forYou: recommender.forYou(subject, k),
      discovery: recommender.discovery(subject, k),
    })),
    customers,
    recommender: recommender.summary(),
    backtest: backtestShop(input, k),
  };
}

function productLists(recommender: Recommender, k: number) {
  return recommender.data.items
    .map((subject) => ({
      subject,
      boughtTogether: recommender.boughtTogether(subject, k),
      alsoBought: recommender.alsoBought(subject, k),
    }))
    .filter((l) => l.boughtTogether.items.length > 0 || l.alsoBought.items.length > 0);
}

/**
 * docs/contracts.md §5 on the shop's own data: fit on everything before `asOf − backtestDays`, rank the full
 * catalogue, score against what customers bought in the window that follows.
 */
export function backtestShop(input: ShopRunInput, k = 20): BacktestRow[] {
  const days = input.backtestDays ?? 30;
  const cut = input.asOf - days * DAY_MS;
  const history = input.orders.filter((o) => o.at < input.asOf);
  const { train, test, testCustomers } = timeSplit(history, cut, days);
  if (train.length < 10 || testCustomers.length < 5) return [];
  const bought = itemsByCustomer(test);
  const cases = testCustomers.map((customer) => ({ customer, truth: bought.get(customer) ?? new Set<string>() }));
  const baskets = holdOneOut(test, mulberry32(input.seed));
  return backtestRecommendations(train, cases, baskets, { asOf: cut, k, basketK: 10 });
}
