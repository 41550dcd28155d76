import { easeScoresInto, fitEase, type EaseModel } from "../recs/ease";
import { type Interactions } from "../recs/interactions";
import { cooccurrenceNeighbours, type NeighbourLists } from "../recs/neighbours";
import { topK } from "../recs/topk";
import { DAY_MS } from "../time";

/**
 * The baselines docs/contracts.md §5 says the engine must beat, computed from the same training data in the
 * same run. Each returns SKUs best-first over the full catalogue (padded with popularity so every
 * method answers k items and recall is comparable).
 */
export interface Baselines {
  /** Most customers in the last 30 days before as-of. */
  popularity(k: number, exclude?: ReadonlySet<string>): string[];
  /** The customer's own items by number of purchase days (ties: more recent first), then popularity. */
  ownTopFrequency(customer: string, k: number): string[];
  /** Item-based cosine KNN on customer×item (50 neighbours, no shrinkage). */
  itemKnn(customer: string, k: number, excludeOwned: boolean): string[];
  /** EASE (λ, binary customer rows) — null when not fitted. */
  ease(customer: string, k: number, excludeOwned: boolean): string[];
  /** Max-confidence association rules: score(j) = max over basket items i of P(j | i) by orders. */
  rules(basket: readonly string[], k: number): string[];
  /** EASE fitted on order rows, for basket completion. */
  basketEase(basket: readonly string[], k: number): string[];
}

export interface BaselineOptions {
  easeLambda?: number;
  /** Dense EASE cap (most-bought items). */
  maxEaseItems?: number;
  neighbours?: number;
}

export function fitBaselines(data: Interactions, opts: BaselineOptions = {}): Baselines {
  const n = data.items.length;
  const lambda = opts.easeLambda ?? 500;
  const maxItems = opts.maxEaseItems ?? 2000;
  const k = opts.neighbours ?? 50;
  const popularOrder = recentPopularity(data);
  const knn = cooccurrenceNeighbours(data.customerItems, data.itemCustomers, {
    k,
    minSupport: 1,
    alpha: 0.5,
    shrinkage: 0,
  });
  const ease = fitEase(data.customerItems, data.itemCustomers, { lambda, maxItems });
  const basketEase = fitEase(data.baskets, data.itemBaskets, { lambda, maxItems });
  const basketCounts = cooccurrenceNeighbours(data.baskets, data.itemBaskets, {
    k: Math.max(k, 200),
    minSupport: 1,
    alpha: 0, // c / n_i = confidence P(j | i)
    shrinkage: 0,
  });

  const pad = (ranked: number[], exclude: ReadonlySet<number>, count: number): string[] => {
    const present = new Set(ranked);
    for (const j of popularOrder) {
      if (ranked.length >= count) break;
      if (!present.has(j) && !exclude.has(j)) ranked.push(j);
    }
    return ranked.map((j) => data.items[j]);
  };
  const customerProfile = (customer: string): number[] => {
    const c = data.customerIndex.get(customer);
    return c === undefined ? [] : Array.from(data.customerItems[c]);
  };
  const idsOf = (skus: readonly string[]) =>
    skus.map((s) => data.itemIndex.get(s)).filter((i): i is number => i !== undefined);

  return {
    popularity(count, exclude = new Set()) {
      return pad([], new Set(idsOf([...exclude])), count);
    },
    ownTopFrequency(customer, count) {
      const c = data.customerIndex.get(customer);
      if (c === undefined) return pad([], new Set(), count);
      const entries = Array.from(data.customerItems[c], (item, e) => {
        const times = data.customerItemTimes[c][e];
        return { item, occasions: times.length, last: times[times.length - 1] };
      });
      entries.sort((x, y) => y.occasions - x.occasions || y.last - x.last || x.item - y.item);
      return pad(
        entries.slice(0, count).map((e) => e.item),
        new Set(),
        count,
      );
    },
    itemKnn(customer, count, excludeOwned) {
      const profile = customerProfile(customer);
      return rankByNeighbours(knn, profile, n, count, excludeOwned, "sum", pad);
    },
    ease(customer, count, excludeOwned) {
      const profile = customerProfile(customer);
      return rankByEase(ease, profile, n, count, excludeOwned, pad);
    },
    rules(basket, count) {
      return rankByNeighbours(basketCounts, idsOf(basket), n, count, true, "max", pad);
    },
    basketEase(basket, count) {
      return rankByEase(basketEase, idsOf(basket), n, count, true, pad);
    },
  };
}

type Pad = (ranked: number[], exclude: ReadonlySet<number>, count: number) => string[];

function rankByNeighbours(
  lists: NeighbourLists,
  profile: number[],
  n: number,
  count: number,
  excludeProfile: boolean,
  combine: "sum" | "max",
  pad: Pad,
): string[] {
  const scores = new Float64Array(n);
  for (const i of profile) {
    lists.ids[i].forEach((j, t) => {
      const s = lists.scores[i][t];
      scores[j] = combine === "sum" ? scores[j] + s : Math.max(scores[j], s);
    });
  }
  const exclude = new Set(excludeProfile ? profile : []);
  return pad(
    topK(scores, count, (j) => exclude.has(j)),
    exclude,
    count,
  );
}

function rankByEase(
  model: EaseModel,
  profile: number[],
  n: number,
  count: number,
  excludeProfile: boolean,
  pad: Pad,
): string[] {
  const scores = new Float64Array(n);
  easeScoresInto(
    model,
    profile,
    profile.map(() => 1),
    scores,
  );
  const exclude = new Set(excludeProfile ? profile : []);
  return pad(
    topK(scores, count, (j) => exclude.has(j)),
    exclude,
    count,
  );
}

/** Items by distinct customers in the 30 days before as-of, ties by all-time customers, then id. */
function recentPopularity(data: Interactions): number[] {
  const windowStart = data.asOf - 30 * DAY_MS;
  const recent = new Float64Array(data.items.length);
  data.customerItemTimes.forEach((perItem, c) =>
    perItem.forEach((times, e) => {
      if (times[times.length - 1] >= windowStart) recent[data.customerItems[c][e]]++;
    }),
  );
  const ids = data.items.map((_, i) => i);
  ids.sort((x, y) => recent[y] - recent[x] || data.itemCustomers[y].length - data.itemCustomers[x].length || x - y);
  return ids;
}
