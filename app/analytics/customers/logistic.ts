/**
 * L2-regularised logistic regression by iteratively reweighted least squares (Newton's method on
 * the penalised log-likelihood; e.g. Hastie, Tibshirani & Friedman, ESL §4.4.1). Each step solves
 * (XᵀWX + λI₀) β = XᵀW z with ml-matrix; the intercept is not penalised.
 */
import { CholeskyDecomposition, Matrix, solve } from "ml-matrix";
import { sum } from "../stats";
import { sigmoid } from "./special";

export interface LogisticModel {
  intercept: number;
  coefficients: number[];
  l2: number;
  iterations: number;
  converged: boolean;
}

export interface LogisticOptions {
  /** Ridge penalty λ on the (non-intercept) coefficients, on the scale of the summed log-likelihood. */
  l2?: number;
  maxIterations?: number;
  tolerance?: number;
  /** Optional per-row weights (e.g. to balance duplicated rows). */
  weights?: readonly number[];
}

export function fitLogistic(
  X: readonly number[][],
  y: readonly number[],
  options: LogisticOptions = {},
): LogisticModel {
  const { l2 = 1, maxIterations = 50, tolerance = 1e-8, weights } = options;
  const n = X.length;
  const d = n > 0 ? X[0].length : 0;
  const p = d + 1;
  if (n === 0) return { intercept: 0, coefficients: new Array<number>(d).fill(0), l2, iterations: 0, converged: true };
  // Row-major design with a leading 1 for the intercept.
  const design = new Float64Array(n * p);
  for (let i = 0; i < n; i++) {
    design[i * p] = 1;
    for (let j = 0; j < d; j++) design[i * p + j + 1] = X[i][j];
  }
  let beta = new Array<number>(p).fill(0);
  const meanY = sum(y) / n;
  beta[0] = Math.log((meanY + 0.5 / n) / (1 - meanY + 0.5 / n));
  let converged = false;
  let iterations = 0;
  const xtwx = new Float64Array(p * p);
  const xtwz = new Float64Array(p);
  for (; iterations < maxIterations; iterations++) {
    xtwx.fill(0);
    xtwz.fill(0);
    for (let i = 0; i < n; i++) {
      const row = i * p;
      let eta = 0;
      for (let j = 0; j < p; j++) eta += design[row + j] * beta[j];
      const mu = sigmoid(eta);
      const variance = Math.max(mu * (1 - mu), 1e-10);
      const w = variance * (weights ? weights[i] : 1);
      // Newton step in IRLS form: working response z = η + (y − μ)/(μ(1−μ)).
      const wz = w * (eta + (y[i] - mu) / variance);
      for (let j = 0; j < p; j++) {
        const xij = design[row + j];
        xtwz[j] += xij * wz;
        const wx = w * xij;
        for (let k = 0; k <= j; k++) xtwx[j * p + k] += wx * design[row + k];
      }
    }
    const hessian = new Matrix(p, p);
    for (let j = 0; j < p; j++) {
      for (let k = 0; k <= j; k++) {
        hessian.set(j, k, xtwx[j * p + k]);
        hessian.set(k, j, xtwx[j * p + k]);
      }
      if (j > 0) hessian.set(j, j, hessian.get(j, j) + l2);
    }
    const rhs = Matrix.columnVector(Array.from(xtwz));
    const chol = new CholeskyDecomposition(hessian);
    const next = (chol.isPositiveDefinite() ? chol.solve(rhs) : solve(hessian, rhs, true)).getColumn(0);
    if (next.some((v) => !Number.isFinite(v))) break;
    let change = 0;
    for (let j = 0; j < p; j++) change = Math.max(change, Math.abs(next[j] - beta[j]));
    beta = next;
    if (change < tolerance) {
      converged = true;
      iterations++;
      break;
    }
  }
  return { intercept: beta[0], coefficients: beta.slice(1), l2, iterations, converged };
}

export function predictLogistic(
  model: Pick<LogisticModel, "intercept" | "coefficients">,
  x: readonly number[],
): number {
  let eta = model.intercept;
  for (let j = 0; j < model.coefficients.length; j++) eta += model.coefficients[j] * x[j];
  return sigmoid(eta);
}

/** Column means and standard deviations (sd 1 for constant columns) so features share one scale. */
export function standardization(X: readonly number[][]): { means: number[]; sds: number[] } {
  const d = X.length ? X[0].length : 0;
  const means = new Array<number>(d).fill(0);
  const sds = new Array<number>(d).fill(0);
  for (const row of X) for (let j = 0; j < d; j++) means[j] += row[j] / X.length;
  for (const row of X) for (let j = 0; j < d; j++) sds[j] += (row[j] - means[j]) ** 2 / X.length;
  return { means, sds: sds.map((v) => (v > 1e-12 ? Math.sqrt(v) : 1)) };
}

export function standardize(X: readonly number[][], s: { means: number[]; sds: number[] }): number[][] {
  return X.map((row) => row.map((v, j) => (v - s.means[j]) / s.sds[j]));
}
