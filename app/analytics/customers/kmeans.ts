/**
 * k-means (Lloyd) with k-means++ seeding (Arthur & Vassilvitskii 2007) and the silhouette
 * criterion (Rousseeuw 1987) to choose k. All randomness comes from the injected rng.
 */
import type { Rng } from "../types";
import { sum } from "../stats";

export interface KMeansResult {
  k: number;
  centroids: number[][];
  labels: number[];
  /** Sum of squared distances to the assigned centroid. */
  inertia: number;
}

function sqDist(p: readonly number[], q: readonly number[]): number {
  let s = 0;
  for (let d = 0; d < p.length; d++) {
    const t = p[d] - q[d];
    s += t * t;
  }
  return s;
}

/** k-means++: each next centre is drawn with probability ∝ squared distance to the nearest centre. */
function seedPlusPlus(points: readonly number[][], k: number, rng: Rng): number[][] {
  const n = points.length;
  const centres = [points[Math.floor(rng() * n)].slice()];
  const nearest = points.map((p) => sqDist(p, centres[0]));
  while (centres.length < k) {
    const total = sum(nearest);
    let pick = 0;
    if (total > 0) {
      let u = rng() * total;
      for (pick = 0; pick < n - 1; pick++) {
        u -= nearest[pick];
        if (u <= 0) break;
      }
    } else {
      pick = Math.floor(rng() * n);
    }
    const c = points[pick].slice();
    centres.push(c);
    for (let i = 0; i < n; i++) nearest[i] = Math.min(nearest[i], sqDist(points[i], c));
  }
  return centres;
}

function lloyd(points: readonly number[][], initial: number[][], maxIterations: number): KMeansResult {
  const n = points.length;
  const dim = points[0].length;
  const k = initial.length;
  let centroids = initial;
  const labels = new Array<number>(n).fill(-1);
  let inertia = 0;
  for (let iter = 0; iter < maxIterations; iter++) {
    let changed = false;
    inertia = 0;
    for (let i = 0; i < n; i++) {
      let best = 0;
      let bestD = Infinity;
      for (let c = 0; c < k; c++) {
        const d = sqDist(points[i], centroids[c]);
        if (d < bestD) {
          bestD = d;
          best = c;
        }
      }
      if (labels[i] !== best) changed = true;
      labels[i] = best;
      inertia += bestD;
    }
    if (!changed && iter > 0) break;
    const sums = Array.from({ length: k }, () => new Array<number>(dim).fill(0));
    const counts = new Array<number>(k).fill(0);
    for (let i = 0; i < n; i++) {
      counts[labels[i]]++;
      for (let d = 0; d < dim; d++) sums[labels[i]][d] += points[i][d];
    }
    // An emptied cluster keeps its old centre (deterministic, and rare after k-means++ seeding).
    centroids = sums.map((s, c) => (counts[c] > 0 ? s.map((v) => v / counts[c]) : centroids[c]));
  }
  return { k, centroids, labels, inertia };
}

/** Best of `restarts` k-means++ runs by inertia. Requires 1 ≤ k ≤ number of points. */
export function kmeans(
  points: readonly number[][],
  k: number,
  rng: Rng,
  options: { restarts?: number; maxIterations?: number } = {},
): KMeansResult {
  const { restarts = 3, maxIterations = 100 } = options;
  if (points.length === 0) return { k, centroids: [], labels: [], inertia: 0 };
  const kk = Math.max(1, Math.min(k, points.length));
  let best: KMeansResult | null = null;
  for (let i = 0; i < restarts; i++) {
    const run = lloyd(points, seedPlusPlus(points, kk, rng), maxIterations);
    if (!best || run.inertia < best.inertia) best = run;
  }
  return best!;
}

/**
 * Mean silhouette width over `sample` (indices into points; default all): for each point,
 * (b − a)/max(a, b) with a = mean distance to its own cluster and b = smallest mean distance to
 * another cluster, both computed within the sample. Points alone in their cluster score 0.
 */
export function silhouette(points: readonly number[][], labels: readonly number[], sample?: readonly number[]): number {
  const idx = sample ?? points.map((_, i) => i);
  return silhouetteFromDistances(
    sampleDistances(points, idx),
    idx.map((i) => labels[i]),
  );
}

/** Pairwise Euclidean distances of the sampled points (row-major m × m), computed once per k sweep. */
function sampleDistances(points: readonly number[][], idx: readonly number[]): Float64Array {
  const m = idx.length;
  const D = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    for (let j = i + 1; j < m; j++) {
      const d = Math.sqrt(sqDist(points[idx[i]], points[idx[j]]));
      D[i * m + j] = d;
      D[j * m + i] = d;
    }
  }
  return D;
}

function silhouetteFromDistances(D: Float64Array, labels: readonly number[]): number {
  const m = labels.length;
  const clusters = [...new Set(labels)];
  if (clusters.length < 2) return 0;
  const pos = new Map(clusters.map((c, j) => [c, j]));
  const group = labels.map((l) => pos.get(l)!);
  const sizes = new Array<number>(clusters.length).fill(0);
  for (const g of group) sizes[g]++;
  const sums = new Float64Array(clusters.length);
  let total = 0;
  for (let i = 0; i < m; i++) {
    sums.fill(0);
    const row = i * m;
    for (let j = 0; j < m; j++) sums[group[j]] += D[row + j];
    const own = group[i];
    if (sizes[own] <= 1) continue;
    const a = sums[own] / (sizes[own] - 1);
    let b = Infinity;
    for (let c = 0; c < clusters.length; c++) if (c !== own && sizes[c] > 0) b = Math.min(b, sums[c] / sizes[c]);
    const mx = Math.max(a, b);
    total += mx > 0 ? (b - a) / mx : 0;
  }
  return total / m;
}

/** Every ⌈n/size⌉-th index: a deterministic, evenly spread silhouette sample for large n. */
export function strideSample(n: number, size: number): number[] {
  if (n <= size) return Array.from({ length: n }, (_, i) => i);
  const step = n / size;
  return Array.from({ length: size }, (_, i) => Math.floor(i * step));
}

export interface ChooseKResult extends KMeansResult {
  silhouette: number;
  silhouetteByK: Record<number, number>;
}

/** Fits k = kMin..kMax and keeps the k with the highest (sampled) silhouette; ties go to smaller k. */
export function chooseK(
  points: readonly number[][],
  rng: Rng,
  options: { kMin?: number; kMax?: number; sampleSize?: number } = {},
): ChooseKResult | null {
  const { kMin = 2, kMax = 8, sampleSize = 800 } = options;
  const upper = Math.min(kMax, points.length - 1);
  if (points.length < 3 || upper < kMin) return null;
  const sample = strideSample(points.length, sampleSize);
  const distances = sampleDistances(points, sample);
  let best: ChooseKResult | null = null;
  const byK: Record<number, number> = {};
  for (let k = kMin; k <= upper; k++) {
    const fit = kmeans(points, k, rng);
    const s = silhouetteFromDistances(
      distances,
      sample.map((i) => fit.labels[i]),
    );
    byK[k] = s;
    if (!best || s > best.silhouette + 1e-12) best = { ...fit, silhouette: s, silhouetteByK: byK };
  }
  return best;
}
