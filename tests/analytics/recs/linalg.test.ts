import { inverse, Matrix } from "ml-matrix";
import { describe, expect, it } from "vitest";
import { fitEase } from "~/analytics/recs/ease";
import { buildInteractions } from "~/analytics/recs/interactions";
import { invertSpdUnblocked } from "~/analytics/recs/linalg";
import { invertSpd } from "~/analytics/recs/linalg-blocked";
import { mulberry32 } from "~/analytics/rng";
import { AS_OF, smallShop } from "./factory";

function randomSpd(n: number, seed: number): number[][] {
  const rng = mulberry32(seed);
  const x = Matrix.rand(n + 5, n, { random: rng });
  const gram = x.transpose().mmul(x);
  for (let i = 0; i < n; i++) gram.set(i, i, gram.get(i, i) + 0.5);
  return gram.to2DArray();
}

describe("invertSpd", () => {
  // Sizes around the 4-row block: below it, exact multiples and every remainder.
  it.each([1, 2, 3, 4, 5, 7, 8, 33, 64, 101])("matches ml-matrix's dense inverse, blocked and not (n=%i)", (n) => {
    const a = randomSpd(n, n);
    const reference = inverse(new Matrix(a)).to2DArray();
    for (const invert of [invertSpd, invertSpdUnblocked]) {
      const ours = invert(Float64Array.from(a.flat()), n);
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) expect(ours[i * n + j]).toBeCloseTo(reference[i][j], 9);
    }
  });

  it("rejects a matrix that is not positive definite", () => {
    expect(() => invertSpd(Float64Array.from([1, 2, 2, 1]), 2)).toThrowError(/not positive definite/);
    const n = 9; // the failing pivot inside a 4-row block
    const a = Float64Array.from({ length: n * n }, (_, k) => (k % (n + 1) === 0 ? 1 : 0));
    a[6 * n + 6] = -1;
    expect(() => invertSpd(a, n)).toThrowError(/pivot 6/);
    expect(() => invertSpdUnblocked(Float64Array.from([1, 2, 2, 1]), 2)).toThrowError(/not positive definite/);
  });
});

describe("fitEase", () => {
  it("equals I − P·diag(1/diag(P)) with P = (XᵀX + λI)⁻¹ from a dense reference", () => {
    const data = buildInteractions(smallShop(), AS_OF);
    const lambda = 3;
    const model = fitEase(data.customerItems, data.itemCustomers, { lambda, maxItems: 1000 });
    const m = model.itemIds.length;
    const x = new Matrix(data.customers.length, m);
    data.customerItems.forEach((items, c) => items.forEach((i) => x.set(c, model.localIndex[i], 1)));
    const p = inverse(x.transpose().mmul(x).add(Matrix.eye(m).mul(lambda)));
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < m; j++) {
        const expected = i === j ? 0 : -p.get(i, j) / p.get(j, j);
        expect(model.weights[i * m + j]).toBeCloseTo(expected, 9);
      }
    }
  });

  it("keeps only the most-bought items when capped", () => {
    const data = buildInteractions(smallShop(), AS_OF);
    const model = fitEase(data.customerItems, data.itemCustomers, { lambda: 10, maxItems: 5 });
    expect(model.itemIds.length).toBe(5);
    const minKept = Math.min(...Array.from(model.itemIds, (i) => data.itemCustomers[i].length));
    const dropped = data.items.map((_, i) => i).filter((i) => model.localIndex[i] < 0);
    for (const i of dropped) expect(data.itemCustomers[i].length).toBeLessThanOrEqual(minKept);
  });
});
