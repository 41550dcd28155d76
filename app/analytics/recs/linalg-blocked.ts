/**
 * Row-blocked dense SPD inverse, the one EASE uses (D32). Same three steps and operation count as
 * the row-at-a-time oracle in linalg.ts (Cholesky A = L·Lᵀ, U = L⁻ᵀ, A⁻¹ = U·Uᵀ, n³/6 multiply-adds
 * each), but four output rows are computed together: every inner iteration loads one element of
 * the streamed row once and feeds four accumulators, whose rows stay in L1/L2. Beyond ~1,000 items
 * the matrix leaves the caches and the oracle is bound by memory traffic (one load per
 * multiply-add); this cuts that traffic four-fold. Measured in docs/engine.md ("EASE size").
 */

const BLOCK = 4;

/**
 * Storage type. EASE uses Float64Array; Float32Array halves the memory traffic and is measured in
 * bench/linalg.bench.ts (accumulators are doubles either way). A process should use one type only:
 * V8 optimises these loops for the array type it sees.
 */
export type FloatArray = Float64Array | Float32Array;

/**
 * out[r] = Σ_{k<len} a[rowR + k]·b[bStart + k] for the four rows starting at r0..r3 (offsets into
 * `a`); `b` is read once per k.
 */
function dot4(
  a: FloatArray,
  r0: number,
  r1: number,
  r2: number,
  r3: number,
  b: FloatArray,
  bStart: number,
  len: number,
  out: Float64Array,
): void {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  for (let k = 0; k < len; k++) {
    const x = b[bStart + k];
    s0 += a[r0 + k] * x;
    s1 += a[r1 + k] * x;
    s2 += a[r2 + k] * x;
    s3 += a[r3 + k] * x;
  }
  out[0] = s0;
  out[1] = s1;
  out[2] = s2;
  out[3] = s3;
}

function dot(a: FloatArray, aStart: number, b: FloatArray, bStart: number, len: number): number {
  let s0 = 0;
  let s1 = 0;
  let k = 0;
  for (; k + 1 < len; k += 2) {
    s0 += a[aStart + k] * b[bStart + k];
    s1 += a[aStart + k + 1] * b[bStart + k + 1];
  }
  if (k < len) s0 += a[aStart + k] * b[bStart + k];
  return s0 + s1;
}

/** One Cholesky entry of row i, column j ≤ i, from the entries left of it (row-at-a-time form). */
function choleskyEntry(a: FloatArray, n: number, i: number, j: number): void {
  const s = a[i * n + j] - dot(a, i * n, a, j * n, j);
  if (i === j) {
    if (!(s > 0)) throw new Error(`matrix is not positive definite (pivot ${i})`);
    a[i * n + i] = Math.sqrt(s);
  } else {
    a[i * n + j] = s / a[j * n + j];
  }
}

/**
 * In-place Cholesky factorisation: on return the lower triangle (with diagonal) of `a` holds L;
 * the strict upper triangle is untouched. Throws if `a` is not positive definite.
 */
export function choleskyInPlace(a: FloatArray, n: number): void {
  const acc = new Float64Array(BLOCK);
  let i0 = 0;
  for (; i0 + BLOCK <= n; i0 += BLOCK) {
    const r0 = i0 * n;
    // Columns left of the block: L[i][j] = (A[i][j] − L[i][<j]·L[j][<j]) / L[j][j], four rows at once.
    for (let j = 0; j < i0; j++) {
      const rj = j * n;
      dot4(a, r0, r0 + n, r0 + 2 * n, r0 + 3 * n, a, rj, j, acc);
      const d = a[rj + j];
      for (let r = 0; r < BLOCK; r++) a[r0 + r * n + j] = (a[r0 + r * n + j] - acc[r]) / d;
    }
    for (let i = i0; i < i0 + BLOCK; i++) for (let j = i0; j <= i; j++) choleskyEntry(a, n, i, j);
  }
  for (let i = i0; i < n; i++) for (let j = 0; j <= i; j++) choleskyEntry(a, n, i, j);
}

/**
 * Inverse of a symmetric positive-definite matrix. `a` (n×n, row-major) is overwritten; the
 * returned array (the same buffer) holds the full symmetric inverse.
 */
export function invertSpd<T extends FloatArray>(a: T, n: number): T {
  choleskyInPlace(a, n);
  const u = upperInverseFactor(a, n);
  const inv = a; // L is no longer needed
  const acc = new Float64Array(BLOCK);
  // A⁻¹[i][j] = Σ_{k ≥ j} U[i][k]·U[j][k] (U is zero left of its diagonal, so for j < i the same
  // sum is the mirrored entry): four rows i against each row j.
  let i0 = 0;
  for (; i0 + BLOCK <= n; i0 += BLOCK) {
    const r0 = i0 * n;
    for (let j = i0; j < n; j++) {
      const rj = j * n;
      dot4(u, r0 + j, r0 + n + j, r0 + 2 * n + j, r0 + 3 * n + j, u, rj + j, n - j, acc);
      for (let r = 0; r < BLOCK; r++) inv[r0 + r * n + j] = acc[r];
    }
  }
  for (let i = i0; i < n; i++) for (let j = i; j < n; j++) inv[i * n + j] = dot(u, i * n + j, u, j * n + j, n - j);
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) inv[i * n + j] = inv[j * n + i];
  return inv;
}

/**
 * U = L⁻ᵀ (upper triangular, zero below the diagonal), row j of U = column j of L⁻¹:
 * U[j][j] = 1/L[j][j], U[j][i] = −(Σ_{k=j}^{i−1} L[i][k]·U[j][k]) / L[i][i]. The rows of U are
 * independent; four are built together against each streamed row i of L (sums start at the
 * block's first column, where the zeros left of each row's diagonal contribute nothing).
 */
function upperInverseFactor(l: FloatArray, n: number): FloatArray {
  const u = l instanceof Float32Array ? new Float32Array(n * n) : new Float64Array(n * n);
  const acc = new Float64Array(BLOCK);
  let j0 = 0;
  for (; j0 + BLOCK <= n; j0 += BLOCK) {
    const r0 = j0 * n;
    for (let j = j0; j < j0 + BLOCK; j++) upperRowHead(l, u, n, j, j0 + BLOCK);
    for (let i = j0 + BLOCK; i < n; i++) {
      const ri = i * n;
      dot4(u, r0 + j0, r0 + n + j0, r0 + 2 * n + j0, r0 + 3 * n + j0, l, ri + j0, i - j0, acc);
      const d = l[ri + i];
      for (let r = 0; r < BLOCK; r++) u[r0 + r * n + i] = -acc[r] / d;
    }
  }
  for (let j = j0; j < n; j++) upperRowHead(l, u, n, j, n);
  return u;
}

/** Row j of U for columns j..end−1, one entry at a time. */
function upperRowHead(l: FloatArray, u: FloatArray, n: number, j: number, end: number): void {
  const rowJ = j * n;
  u[rowJ + j] = 1 / l[rowJ + j];
  for (let i = j + 1; i < end; i++) u[rowJ + i] = -dot(l, i * n + j, u, rowJ + j, i - j) / l[i * n + i];
}
