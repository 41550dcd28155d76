/**
 * Parameter uncertainty of the ML fits: the inverse Hessian of the negative log-likelihood (in
 * log-parameter space) is the asymptotic covariance of the estimate; draws from that Normal drive
 * the CLV band. Linear algebra via ml-matrix.
 */
import { CholeskyDecomposition, Matrix, inverse } from "ml-matrix";
import type { Rng } from "../types";
import { numericHessian } from "./optimize";
import { standardNormal } from "./special";

export interface LogParameterDistribution {
  mode: number[];
  /** Lower-triangular factor L of the covariance (Σ = L Lᵀ). */
  choleskyFactor: number[][];
  /** Standard errors of the log-parameters (≈ relative standard errors of the parameters). */
  standardErrors: number[];
}

/**
 * Laplace approximation around `mode`. When the Hessian is not positive definite (a flat ridge,
 * typical of tiny shops) a growing ridge is added, which widens rather than narrows the band.
 */
export function laplaceApproximation(objective: (v: number[]) => number, mode: number[]): LogParameterDistribution {
  const H = new Matrix(numericHessian(objective, mode, 1e-3));
  const n = mode.length;
  let ridge = 0;
  for (let attempt = 0; attempt < 12; attempt++) {
    const Hr = ridge > 0 ? H.clone().add(Matrix.eye(n, n).mul(ridge)) : H;
    const chol = new CholeskyDecomposition(symmetrize(Hr));
    if (chol.isPositiveDefinite()) {
      const cov = symmetrize(inverse(Hr));
      const covChol = new CholeskyDecomposition(cov);
      if (covChol.isPositiveDefinite()) {
        return {
          mode,
          choleskyFactor: covChol.lowerTriangularMatrix.to2DArray(),
          standardErrors: cov.diag().map((v) => Math.sqrt(Math.max(0, v))),
        };
      }
    }
    ridge = ridge === 0 ? 1e-6 : ridge * 10;
  }
  // Fully degenerate: unit uncertainty on every log-parameter (a factor e either way).
  return { mode, choleskyFactor: Matrix.eye(n, n).to2DArray(), standardErrors: new Array<number>(n).fill(1) };
}

function symmetrize(m: Matrix): Matrix {
  return m.add(m.transpose()).div(2);
}

/** One draw of log-parameters mode + L z, z ~ N(0, I) from the injected rng. */
export function drawLogParameters(dist: LogParameterDistribution, rng: Rng): number[] {
  const n = dist.mode.length;
  const z = Array.from({ length: n }, () => standardNormal(rng));
  return dist.mode.map((m, i) => {
    let s = m;
    for (let j = 0; j <= i; j++) s += dist.choleskyFactor[i][j] * z[j];
    return s;
  });
}
