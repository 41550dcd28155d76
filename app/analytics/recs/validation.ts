import type { Order } from "../types";
import type { BlendWeights, Fitted } from "./fitted";
import { meanOfFiniteOrZero } from "../stats";
import { topK } from "./topk";

/** Validation cases and metrics of the per-shop tuning (tuning.ts), computed as the lists are served. */
export type Hidden = { hidden: number; given: number[] };

/** The starting weights first, then every combination of the axes (the search's visiting order). */
export function gridPoints(start: BlendWeights, axes: [keyof BlendWeights, number[]][]): BlendWeights[] {
  const points: BlendWeights[] = [{ ...start }];
  const visit = (axis: number, w: BlendWeights): void => {
    if (axis === axes.length) return void points.push(w);
    const [key, values] = axes[axis];
    for (const v of values) visit(axis + 1, { ...w, [key]: v });
  };
  visit(0, start);
  return points;
}

/**
 * Index of the best mean over the cases `keep` accepts (all by default); a later point must beat
 * the current best by 1e-9 (the start wins ties).
 */
export function bestGridPoint(scores: Float64Array[], keep: (n: number) => boolean = () => true): number {
  const meanKept = (s: Float64Array) => meanOfFiniteOrZero(Array.from(s).filter((_, n) => keep(n)));
  let best = 0;
  let bestScore = meanKept(scores[0]);
  scores.forEach((s, g) => {
    const m = meanKept(s);
    if (m > bestScore + 1e-9) [best, bestScore] = [g, m];
  });
  return best;
}

/**
 * The tuned blend's per-case scores *out of fold*: odd cases scored with the grid point that is best
 * on the even cases and vice versa. The grid search picks the best of ~20 points on the same cases,
 * so its in-sample score is optimistic; single models have nothing tuned, and selection must
 * compare like with like.
 */
export function outOfFoldScores(scores: Float64Array[]): Float64Array {
  const even = bestGridPoint(scores, (n) => n % 2 === 0);
  const odd = bestGridPoint(scores, (n) => n % 2 === 1);
  return Float64Array.from(scores[0], (_, n) => (n % 2 === 0 ? scores[odd][n] : scores[even][n]));
}

/** What each returning customer bought in the validation window (item ids of the validation fit). */
export function windowTruth(f: Fitted, window: Order[]): Map<number, Set<number>> {
  const truth = new Map<number, Set<number>>();
  for (const o of window) {
    const c = f.data.customerIndex.get(o.customer);
    if (c === undefined) continue;
    let set = truth.get(c);
    if (!set) truth.set(c, (set = new Set()));
    for (const l of o.lines) {
      const id = f.data.itemIndex.get(l.sku);
      if (id !== undefined) set.add(id);
    }
  }
  return truth;
}

/** Multi-item validation orders with one item hidden (deterministically: the n-th order hides item n mod size). */
export function hiddenItemCases(f: Fitted, window: Order[]): Hidden[] {
  return window
    .map((o, n) => {
      const ids = [...new Set(o.lines.map((l) => f.data.itemIndex.get(l.sku)))].filter(
        (i): i is number => i !== undefined,
      );
      ids.sort((a, b) => a - b);
      return ids.length >= 2
        ? { hidden: ids[n % ids.length], given: ids.filter((_, k) => k !== n % ids.length) }
        : null;
    })
    .filter((b): b is Hidden => b !== null);
}

/** Top k as served: positive scores first, then padded with bestsellers (as `padWithPopular` does). */
export function ranked(f: Fitted, scores: Float64Array, k: number, exclude?: (j: number) => boolean): number[] {
  const list = topK(scores, k, exclude);
  if (list.length >= k) return list;
  const present = new Set(list);
  for (const j of f.popularOrder) {
    if (list.length >= k) break;
    if (!present.has(j) && !(exclude?.(j) ?? false)) list.push(j);
  }
  return list;
}

/**
 * Whether `hidden` is in the served top 10 (ties to the lower index, as topK). A positively scored
 * item is in it iff fewer than 10 other candidates beat it — one pass, no list; otherwise it can
 * only arrive through the popularity padding, so the list is built.
 */
export function hitAt10(f: Fitted, scores: Float64Array, hidden: number, given: ReadonlySet<number>): number {
  const s = scores[hidden];
  if (!(s > 0)) return ranked(f, scores, 10, (j) => given.has(j)).includes(hidden) ? 1 : 0;
  let better = 0;
  for (let j = 0; j < scores.length; j++) {
    const v = scores[j];
    if (v > s || (v === s && j < hidden)) {
      if (!given.has(j) && ++better >= 10) return 0;
    }
  }
  return 1;
}

/** At most `max` elements, evenly spaced (deterministic subsampling). */
export function evenlySpaced<T>(values: T[], max: number): T[] {
  if (values.length <= max) return values;
  const step = values.length / max;
  return Array.from({ length: max }, (_, k) => values[Math.floor(k * step)]);
}

/**
 * Recall@k of many score vectors for one case at a time, without topK's closures and allocations:
 * tuning ranks ~30 vectors per validation customer, and the generic topK made up most of its time.
 * Same list as served: positive scores, highest first, ties to the lower index, excluded items
 * skipped, padded with bestsellers (`ranked`) in the rare case fewer than k items score.
 */
export class CaseRanker {
  private readonly ids: Int32Array;
  private readonly vals: Float64Array;
  private readonly excluded: Uint8Array;
  private readonly wanted: Uint8Array;
  private excludedList: number[] = [];
  private wantedList: number[] = [];

  constructor(
    private readonly f: Fitted,
    private readonly k: number,
  ) {
    this.ids = new Int32Array(k);
    this.vals = new Float64Array(k);
    this.excluded = new Uint8Array(f.data.items.length);
    this.wanted = new Uint8Array(f.data.items.length);
  }

  /** The case's excluded items and truth (replaces the previous case's). */
  setCase(excluded: Iterable<number>, truth: Iterable<number>): void {
    for (const j of this.excludedList) this.excluded[j] = 0;
    for (const j of this.wantedList) this.wanted[j] = 0;
    this.excludedList = [...excluded];
    this.wantedList = [...truth];
    for (const j of this.excludedList) this.excluded[j] = 1;
    for (const j of this.wantedList) this.wanted[j] = 1;
  }

  /** hits / min(|truth|, k); NaN when the case has no truth. */
  recall(scores: Float64Array): number {
    const truthSize = this.wantedList.length;
    if (truthSize === 0) return NaN;
    const { ids, vals, excluded, wanted, k } = this;
    let size = 0;
    for (let i = 0; i < scores.length; i++) {
      const s = scores[i];
      if (!(s > 0) || (size === k && s <= vals[k - 1]) || excluded[i] === 1) continue;
      let pos = size < k ? size : k - 1;
      while (pos > 0 && vals[pos - 1] < s) {
        ids[pos] = ids[pos - 1];
        vals[pos] = vals[pos - 1];
        pos--;
      }
      ids[pos] = i;
      vals[pos] = s;
      if (size < k) size++;
    }
    let hits = 0;
    if (size < k) {
      for (const j of ranked(this.f, scores, k, (j) => excluded[j] === 1)) if (wanted[j] === 1) hits++;
    } else {
      for (let t = 0; t < size; t++) if (wanted[ids[t]] === 1) hits++;
    }
    return hits / Math.min(truthSize, k);
  }
}
