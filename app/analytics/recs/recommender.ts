import type { Order, RankedList } from "../types";
import { sum } from "../stats";
import { contentSimilarities, sharedFeatures } from "./content";
import {
  DEFAULT_PARAMS,
  fitComponents,
  scaleToUnitMax,
  type DiscoveryModel,
  type Fitted,
  type ForYouModel,
  type RecommenderInput,
  type RecommenderParams,
} from "./fitted";
import type { Interactions } from "./interactions";
import { basketReason, coCount, customerReason } from "./list-reasons";
import { alsoBoughtReason, boughtTogetherReason, buyAgainReason, popularReason, similarReason } from "./reasons";
import {
  basketComponents,
  basketScores,
  customerComponents,
  discoveryMix,
  discoveryScores,
  forYouScores,
  releaseComponents,
  type CustomerComponents,
} from "./scoring";
import { topK } from "./topk";
import { tuneWeights, type TuningReport } from "./tuning";

export { DEFAULT_PARAMS, type Fitted, type RecommenderInput, type RecommenderParams, type TuningReport };

/** A fitted recommender. All lists have ≤ listLength items and exactly one reason per item. */
export interface Recommender {
  readonly params: RecommenderParams;
  readonly data: Interactions;
  /** "For you": buy-again blended with discovery; repeats allowed. */
  forYou(customer: string, k?: number): RankedList;
  /** Discovery: never anything the customer bought before as-of. */
  discovery(customer: string, k?: number): RankedList;
  /** Both customer lists at once (shares the collaborative scoring; what the CLI uses). */
  customerLists(customer: string, k?: number): { forYou: RankedList; discovery: RankedList };
  /** Complete the basket: items to add to `basket`, never one already in it. */
  completeBasket(basket: string[], k?: number): RankedList;
  /** Bought in the same order as `sku`. */
  boughtTogether(sku: string, k?: number): RankedList;
  /** Bought by the same customers as `sku` (across their orders). */
  alsoBought(sku: string, k?: number): RankedList;
  /** Time-decayed bestsellers (eligible items only). */
  popular(k?: number): RankedList;
  /** Fitted facts for model.json. */
  summary(): Record<string, unknown>;
}

/**
 * Fits every recommendation model from orders created before `asOf`. Deterministic: same input,
 * same output (the selection's bootstrap draws from the injected `selectionRng`). With `autoTune`
 * (default) the blend weights are first tuned and the model serving each list selected on a
 * temporal validation window (tuning.ts, selection.ts).
 */
export function fitRecommender(orders: Order[], input: RecommenderInput): Recommender {
  return finishRecommender(fitRecommenderComponents(orders, input), tuneRecommender(orders, input));
}

/**
 * The two independent halves of `fitRecommender`, for callers that run them concurrently (the
 * CLI runs the tuning on a worker thread): the final fit does not depend on the blend weights,
 * which only enter at scoring time. `finishRecommender(fitRecommenderComponents(o, i),
 * tuneRecommender(o, i))` is exactly `fitRecommender(o, i)`.
 */
export function resolveParams(input: RecommenderInput): RecommenderParams {
  const params: RecommenderParams = { ...DEFAULT_PARAMS, ...input.params };
  params.weights = { ...DEFAULT_PARAMS.weights, ...input.params?.weights };
  return params;
}

/** Per-shop blend weights by temporal validation (null when `autoTune` is off or data is too thin). */
export function tuneRecommender(orders: Order[], input: RecommenderInput): TuningReport | null {
  const params = resolveParams(input);
  return params.autoTune ? tuneWeights(orders, input, params) : null;
}

/** Every fitted component, with the configured (untuned) blend weights. */
export function fitRecommenderComponents(orders: Order[], input: RecommenderInput): Fitted {
  return fitComponents(orders, input, resolveParams(input));
}

/** A recommender from fitted components and the tuning outcome (its weights replace the defaults). */
export function finishRecommender(fitted: Fitted, tuning: TuningReport | null): Recommender {
  if (!tuning) return makeRecommender(fitted, null);
  const params = { ...fitted.params, weights: tuning.weights };
  return makeRecommender({ ...fitted, params, weights: tuning.weights, choice: tuning.choice }, tuning);
}

function makeRecommender(f: Fitted, tuning: TuningReport | null): Recommender {
  const { data, params } = f;
  const length = (k?: number) => k ?? params.listLength;
  return {
    params,
    data,
    forYou: (customer, k) => forYou(f, customer, length(k)),
    discovery: (customer, k) => discovery(f, customer, length(k)),
    customerLists: (customer, k) => customerLists(f, customer, length(k)),
    completeBasket: (basket, k) => completeBasket(f, basket, length(k)),
    boughtTogether: (sku, k) => productList(f, sku, length(k), "basket"),
    alsoBought: (sku, k) => productList(f, sku, length(k), "customer"),
    popular: (k) => padWithPopular(f, { items: [], reasons: [] }, new Set(), length(k)),
    summary: () => ({
      params: { ...params, weights: f.weights },
      served: f.choice,
      tuning,
      items: data.items.length,
      eligibleItems: sum(f.eligible),
      customers: data.customers.length,
      orders: data.baskets.length,
      easeItems: f.customerEase?.itemIds.length ?? 0,
      shopRepeatRate: f.repeat.shopRepeatRate,
      contentBased: f.content !== null,
    }),
  };
}

// ─── customer lists ───────────────────────────────────────────────────────────────────────────

function customerLists(f: Fitted, customer: string, k: number): { forYou: RankedList; discovery: RankedList } {
  const c = f.data.customerIndex.get(customer);
  if (c === undefined) return { forYou: forYou(f, customer, k), discovery: discovery(f, customer, k) };
  const comp = customerComponents(f, c);
  const lists = { forYou: forYou(f, customer, k, comp), discovery: discovery(f, customer, k, comp) };
  releaseComponents(f, comp);
  return lists;
}

function discovery(f: Fitted, customer: string, k: number, shared?: CustomerComponents): RankedList {
  const c = f.data.customerIndex.get(customer);
  if (c === undefined) return padWithPopular(f, { items: [], reasons: [] }, new Set(), k);
  const owned = new Set(f.data.customerItems[c]);
  const comp = shared ?? customerComponents(f, c);
  const model = f.choice.discovery;
  const scores = discoveryScores(f, comp, f.weights, undefined, model);
  const popularity = discoveryMix(f, model, f.weights);
  const picked = topK(scores, k, (j) => owned.has(j) || !f.eligible[j]);
  const list = {
    items: picked.map((j) => f.data.items[j]),
    reasons: picked.map((j) => customerReason(f, j, comp.profile, comp.weights, scores[j], popularity)),
  };
  if (!shared) releaseComponents(f, comp);
  f.pool.release(scores);
  return padWithPopular(f, list, owned, k);
}

function forYou(f: Fitted, customer: string, k: number, shared?: CustomerComponents): RankedList {
  const { data } = f;
  const c = data.customerIndex.get(customer);
  if (c === undefined) return padWithPopular(f, { items: [], reasons: [] }, new Set(), k);
  const comp = shared ?? customerComponents(f, c);
  const { total, entries } = forYouScores(f, comp, f.weights, undefined, f.choice.forYou);
  // New (not owned) items are explained like discovery's, by the model that ranked them.
  const newItems = newItemsModel(f.choice.forYou);
  const discoveryTotal = discoveryScores(f, comp, f.weights, undefined, newItems);
  const popularity = discoveryMix(f, newItems, f.weights);
  const picked = topK(total, k, (j) => !f.eligible[j]);
  const list = {
    items: picked.map((j) => data.items[j]),
    reasons: picked.map((j) => {
      const e = entries.get(j);
      return e
        ? buyAgainReason(e.occasions, e.daysSinceLast, e.intervalDays, e.ownInterval)
        : customerReason(f, j, comp.profile, comp.weights, discoveryTotal[j], popularity);
    }),
  };
  if (!shared) releaseComponents(f, comp);
  f.pool.release(total, discoveryTotal);
  return padWithPopular(f, list, new Set(), k);
}

/** Own-top-frequency reaches new items only through popularity padding; the others rank them themselves. */
function newItemsModel(model: ForYouModel): DiscoveryModel {
  return model === "own-top-frequency" ? "popularity" : model;
}

// ─── basket and product lists ──────────────────────────────────────────────────────────────────

function completeBasket(f: Fitted, basket: string[], k: number): RankedList {
  const { data } = f;
  const inBasket = new Set<number>();
  for (const sku of basket) {
    const id = data.itemIndex.get(sku);
    if (id !== undefined) inBasket.add(id);
  }
  const profile = [...inBasket];
  const comp = basketComponents(f, profile);
  const scores = basketScores(f, comp, f.weights, undefined, f.choice.basket);
  const picked = topK(scores, k, (j) => inBasket.has(j) || !f.eligible[j]);
  const list = {
    items: picked.map((j) => data.items[j]),
    reasons: picked.map((j) => basketReason(f, j, profile)),
  };
  releaseComponents(f, comp);
  f.pool.release(scores);
  return padWithPopular(f, list, inBasket, k);
}

/**
 * Bought-together ("basket") or also-bought ("customer") list for a product: co-occurrence
 * neighbours blended with content similarity, the content weight shrinking as sales grow
 * (w_cf = n/(n + contentHalfOrders)); padded with bestsellers.
 */
function productList(f: Fitted, sku: string, k: number, level: "basket" | "customer"): RankedList {
  const { data, params } = f;
  const i = data.itemIndex.get(sku);
  if (i === undefined) return padWithPopular(f, { items: [], reasons: [] }, new Set(), k);
  const lists = level === "basket" ? f.basketNeighbours : f.customerNeighbours;
  const rows = level === "basket" ? data.itemBaskets : data.itemCustomers;
  const n = data.items.length;
  const cf = f.pool.acquire();
  lists.ids[i].forEach((j, t) => (cf[j] = lists.scores[i][t]));
  scaleToUnitMax(cf);
  const content = f.pool.acquire();
  if (f.content) for (const [j, s] of contentSimilarities(f.content, i)) content[j] = s;
  const sales = rows[i].length;
  const wCf = sales / (sales + params.contentHalfOrders);
  const total = f.pool.acquire();
  for (let j = 0; j < n; j++) total[j] = (f.content ? wCf : 1) * cf[j] + (1 - wCf) * content[j];
  const picked = topK(total, k, (j) => j === i || !f.eligible[j]);
  const list = {
    items: picked.map((j) => data.items[j]),
    reasons: picked.map((j) => {
      if ((f.content ? wCf : 1) * cf[j] >= (1 - wCf) * content[j]) {
        const both = coCount(lists, rows, i, j);
        return level === "basket"
          ? boughtTogetherReason(sku, both, rows[i].length)
          : alsoBoughtReason(sku, both, rows[i].length);
      }
      return similarReason(sku, sharedFeatures(f.content!, i, j));
    }),
  };
  f.pool.release(cf, content, total);
  return padWithPopular(f, list, new Set([i]), k);
}

// ─── shared helpers ───────────────────────────────────────────────────────────────────────────

/** Appends eligible bestsellers (not already listed, not excluded) until the list has k items. */
function padWithPopular(f: Fitted, list: RankedList, exclude: Set<number>, k: number): RankedList {
  if (list.items.length >= k) return list;
  const present = new Set(list.items);
  for (const j of f.popularOrder) {
    if (list.items.length >= k) break;
    const sku = f.data.items[j];
    if (exclude.has(j) || present.has(sku)) continue;
    list.items.push(sku);
    list.reasons.push(popularReason(f.pop.recentCustomers[j], f.pop.windowDays, f.pop.allCustomers[j]));
  }
  return list;
}
