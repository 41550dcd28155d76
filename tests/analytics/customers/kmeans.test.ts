import { describe, expect, it } from "vitest";
import { chooseK, kmeans, silhouette } from "../../../app/analytics/customers/kmeans";
import { standardNormal } from "../../../app/analytics/customers/special";
import { mulberry32 } from "../../../app/analytics/rng";

function blobs(
  seed: number,
  centres: number[][],
  perBlob: number,
  spread: number,
): { points: number[][]; truth: number[] } {
  const rng = mulberry32(seed);
  const points: number[][] = [];
  const truth: number[] = [];
  centres.forEach((c, k) => {
    for (let i = 0; i < perBlob; i++) {
      points.push(c.map((v) => v + spread * standardNormal(rng)));
      truth.push(k);
    }
  });
  return { points, truth };
}

describe("k-means with silhouette-chosen k", () => {
  const { points, truth } = blobs(
    1,
    [
      [0, 0, 0],
      [10, 0, 0],
      [0, 10, 5],
    ],
    120,
    1,
  );

  it("picks k = 3 on three well-separated blobs and recovers them", () => {
    const fit = chooseK(points, mulberry32(2))!;
    expect(fit.k).toBe(3);
    expect(fit.silhouette).toBeGreaterThan(0.7);
    // Same partition up to relabelling: each true blob maps to one cluster.
    for (let k = 0; k < 3; k++) {
      const labels = new Set(fit.labels.filter((_, i) => truth[i] === k));
      expect(labels.size).toBe(1);
    }
  });

  it("is deterministic for a fixed seed", () => {
    const a = chooseK(points, mulberry32(9))!;
    const b = chooseK(points, mulberry32(9))!;
    expect(a.labels).toEqual(b.labels);
    expect(a.centroids).toEqual(b.centroids);
  });

  it("silhouette is ~1 for tight separated clusters and 0 for a single cluster", () => {
    const pts = [[0], [0.01], [10], [10.01]];
    expect(silhouette(pts, [0, 0, 1, 1])).toBeGreaterThan(0.99);
    expect(silhouette(pts, [0, 0, 0, 0])).toBe(0);
  });

  it("copes with duplicate points and k larger than the data", () => {
    const same = Array.from({ length: 20 }, () => [1, 1]);
    const fit = kmeans(same, 3, mulberry32(1));
    expect(fit.labels).toHaveLength(20);
    expect(Number.isFinite(fit.inertia)).toBe(true);
    expect(kmeans([[1, 2]], 5, mulberry32(1)).k).toBe(1);
    expect(chooseK([[0], [1]], mulberry32(1))).toBeNull();
  });
});
