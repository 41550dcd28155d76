/**
 * Dense symmetric-positive-definite inverse in row-major Float64Arrays, written for V8.
 *
 * Why hand-rolled: EASE needs (XᵀX + λI)⁻¹ for a few thousand items. A textbook Gauss-Jordan in JS
 * walks columns (stride n) and takes ~69 s at 3,600 items. Here every inner loop is a dot product
 * of two *contiguous* row segments with four independent accumulators, which keeps the data in
 * cache lines and lets V8 pipeline the multiply-adds:
 *   1. Cholesky–Banachiewicz  A = L·Lᵀ                      (n³/6 multiply-adds)
 *   2. U = L⁻ᵀ row by row (U is upper triangular, U[j][i] = (L⁻¹)[i][j])   (n³/6)
 *   3. A⁻¹ = L⁻ᵀ·L⁻¹ = U·Uᵀ, i.e. A⁻¹[i][j] = row_i(U)·row_j(U)            (n³/6, symmetric)
 */

/** Dot product of a[aStart..aStart+len) and b[bStart..bStart+len), 4-way unrolled. */
function dot(a: Float64Array, aStart: number, b: Float64Array, bStart: number, len: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let k = 0;
  for (; k + 3 < len; k += 4) {
    s0 += a[aStart + k] * b[bStart + k];
    s1 += a[aStart + k + 1] * b[bStart + k + 1];
    s2 += a[aStart + k + 2] * b[bStart + k + 2];
    s3 += a[aStart + k + 3] * b[bStart + k + 3];
  }
  for (; k < len; k++) s0 += a[aStart + k] * b[bStart + k];
  return s0 + s1 + s2 + s3;
}

/**
 * The original row-at-a-time algorithm, kept as the oracle and the baseline of the benchmark
 * (bench/linalg.bench.ts). In-place Cholesky factorisation: on return the lower triangle (with diagonal) of `a` holds L.
 * The strict upper triangle is left untouched. Throws if `a` is not positive definite.
 */
export function choleskyUnblocked(a: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) {
    const rowI = i * n;
    for (let j = 0; j <= i; j++) {
      const rowJ = j * n;
      const s = a[rowI + j] - dot(a, rowI, a, rowJ, j);
      if (i === j) {
        if (!(s > 0)) throw new Error(`matrix is not positive definite (pivot ${i})`);
        a[rowI + i] = Math.sqrt(s);
      } else {
        a[rowI + j] = s / a[rowJ + j];
      }
    }
  }
}

/**
 * Row-at-a-time inverse (oracle / benchmark baseline for `invertSpd`). `a` (n×n, row-major) is overwritten with
 * scratch; the returned array holds the full symmetric inverse.
 */
export function invertSpdUnblocked(a: Float64Array, n: number): Float64Array {
  choleskyUnblocked(a, n);
  // Step 2: U = L⁻ᵀ stored row-major in its own buffer; row j of U holds column j of L⁻¹,
  // non-zero from index j on. U[j][j] = 1/L[j][j];
  // U[j][i] = −(Σ_{k=j}^{i−1} L[i][k]·U[j][k]) / L[i][i] for i > j — both operands are rows.
  const u = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    const rowJ = j * n;
    u[rowJ + j] = 1 / a[rowJ + j];
    for (let i = j + 1; i < n; i++) {
      const rowI = i * n;
      u[rowJ + i] = -dot(a, rowI + j, u, rowJ + j, i - j) / a[rowI + i];
    }
  }
  // Step 3: A⁻¹[i][j] = Σ_{k ≥ max(i,j)} U[i][k]·U[j][k]; fill the upper triangle, mirror it.
  const inv = a; // reuse the factor's buffer: L is no longer needed
  for (let i = 0; i < n; i++) {
    const rowI = i * n;
    for (let j = i; j < n; j++) {
      const rowJ = j * n;
      inv[rowI + j] = dot(u, rowI + j, u, rowJ + j, n - j);
    }
  }
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) inv[i * n + j] = inv[j * n + i];
  return inv;
}
