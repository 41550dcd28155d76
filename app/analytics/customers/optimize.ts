/**
 * Derivative-free optimisation for the small (3–4 parameter) likelihoods of the customer models.
 * Nelder–Mead on log-parameters is the method Fader & Hardie use in their spreadsheet/R notes for
 * BG/NBD; restarting from the best vertex with a fresh simplex guards against the early collapse
 * the method is known for.
 */

export interface MinimizeResult {
  x: number[];
  fx: number;
  evaluations: number;
}

interface NelderMeadOptions {
  /** Initial simplex edge length. */
  step?: number;
  /** Stop when the spread of simplex values is below this (absolute). */
  tolerance?: number;
  maxEvaluations?: number;
  /** Extra restarts from the best point; stops early when a restart no longer improves. */
  restarts?: number;
}

/** Minimises `f` from `start` by Nelder–Mead (adaptive coefficients, Gao & Han 2012) with restarts. */
export function nelderMead(
  f: (x: number[]) => number,
  start: number[],
  options: NelderMeadOptions = {},
): MinimizeResult {
  const { step = 0.5, tolerance = 1e-10, maxEvaluations = 4000, restarts = 4 } = options;
  let best = runSimplex(f, start, step, tolerance, maxEvaluations);
  let evaluations = best.evaluations;
  for (let i = 0; i < restarts; i++) {
    const next = runSimplex(f, best.x, step / (i + 2), tolerance, maxEvaluations);
    evaluations += next.evaluations;
    const improved = best.fx - next.fx;
    if (next.fx < best.fx) best = next;
    if (improved < tolerance * 10) break;
  }
  return { ...best, evaluations };
}

function safe(f: (x: number[]) => number): (x: number[]) => number {
  return (x) => {
    const v = f(x);
    return Number.isFinite(v) ? v : Number.MAX_VALUE;
  };
}

function runSimplex(
  rawF: (x: number[]) => number,
  start: number[],
  step: number,
  tolerance: number,
  maxEvaluations: number,
): MinimizeResult {
  const f = safe(rawF);
  const n = start.length;
  const alpha = 1;
  const beta = 1 + 2 / n;
  const gamma = 0.75 - 1 / (2 * n);
  const delta = 1 - 1 / n;
  const simplex: number[][] = [start.slice()];
  for (let i = 0; i < n; i++) {
    const p = start.slice();
    p[i] += step;
    simplex.push(p);
  }
  const values = simplex.map(f);
  let evaluations = n + 1;
  const order = simplex.map((_, i) => i);
  while (evaluations < maxEvaluations) {
    order.sort((i, j) => values[i] - values[j]);
    const bestI = order[0];
    const worstI = order[n];
    const secondWorstI = order[n - 1];
    if (Math.abs(values[worstI] - values[bestI]) <= tolerance) break;
    const centroid = new Array<number>(n).fill(0);
    for (let k = 0; k < n; k++) {
      const idx = order[k];
      for (let d = 0; d < n; d++) centroid[d] += simplex[idx][d] / n;
    }
    const along = (t: number) => centroid.map((c, d) => c + t * (simplex[worstI][d] - c));
    const reflected = along(-alpha);
    const fr = f(reflected);
    evaluations++;
    if (fr < values[bestI]) {
      const expanded = along(-alpha * beta);
      const fe = f(expanded);
      evaluations++;
      if (fe < fr) {
        simplex[worstI] = expanded;
        values[worstI] = fe;
      } else {
        simplex[worstI] = reflected;
        values[worstI] = fr;
      }
      continue;
    }
    if (fr < values[secondWorstI]) {
      simplex[worstI] = reflected;
      values[worstI] = fr;
      continue;
    }
    const outside = fr < values[worstI];
    const contracted = along(outside ? -alpha * gamma : gamma);
    const fc = f(contracted);
    evaluations++;
    if (fc < (outside ? fr : values[worstI])) {
      simplex[worstI] = contracted;
      values[worstI] = fc;
      continue;
    }
    for (let k = 1; k <= n; k++) {
      const idx = order[k];
      simplex[idx] = simplex[idx].map((v, d) => simplex[bestI][d] + delta * (v - simplex[bestI][d]));
      values[idx] = f(simplex[idx]);
      evaluations++;
    }
  }
  let bestIndex = 0;
  for (let i = 1; i <= n; i++) if (values[i] < values[bestIndex]) bestIndex = i;
  return { x: simplex[bestIndex], fx: values[bestIndex], evaluations };
}

/**
 * Central-difference Hessian of `f` at `x`. Used on the negative log-likelihood in log-parameter
 * space, whose inverse is the asymptotic covariance of the ML estimate (the CLV band draws from it).
 */
export function numericHessian(f: (x: number[]) => number, x: number[], h = 1e-3): number[][] {
  const n = x.length;
  const H: number[][] = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  const at = (di: number, si: number, dj: number, sj: number) => {
    const p = x.slice();
    p[di] += si * h;
    p[dj] += sj * h;
    return f(p);
  };
  const f0 = f(x);
  for (let i = 0; i < n; i++) {
    const p = x.slice();
    p[i] += h;
    const fp = f(p);
    p[i] -= 2 * h;
    const fm = f(p);
    H[i][i] = (fp - 2 * f0 + fm) / (h * h);
    for (let j = 0; j < i; j++) {
      const v = (at(i, 1, j, 1) - at(i, 1, j, -1) - at(i, -1, j, 1) + at(i, -1, j, -1)) / (4 * h * h);
      H[i][j] = v;
      H[j][i] = v;
    }
  }
  return H;
}

/**
 * BFGS quasi-Newton minimisation with an Armijo backtracking line search (Nocedal & Wright 2006,
 * Alg. 6.1), for objectives with an analytic gradient. Converges in tens of iterations where
 * Nelder–Mead needs a thousand function evaluations; non-finite trial points are treated as "too
 * far" and shrink the step.
 */
export function bfgs(
  fg: (x: number[]) => { f: number; g: number[] },
  start: number[],
  options: { maxIterations?: number; gradientTolerance?: number } = {},
): MinimizeResult & { converged: boolean } {
  const { maxIterations = 200, gradientTolerance = 1e-6 } = options;
  const n = start.length;
  let x = start.slice();
  let { f, g } = fg(x);
  let evaluations = 1;
  if (!Number.isFinite(f) || g.some((v) => !Number.isFinite(v))) return { x, fx: f, evaluations, converged: false };
  let Hinv: number[][] = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)));
  let converged = false;
  for (let iter = 0; iter < maxIterations; iter++) {
    const gradNorm = Math.max(...g.map(Math.abs));
    if (gradNorm < gradientTolerance * Math.max(1, Math.abs(f)) || gradNorm < 1e-10) {
      converged = true;
      break;
    }
    let direction = Hinv.map((row) => -row.reduce((s, v, j) => s + v * g[j], 0));
    let slope = direction.reduce((s, d, i) => s + d * g[i], 0);
    if (!(slope < 0)) {
      // Lost positive definiteness: restart from steepest descent.
      Hinv = Hinv.map((row, i) => row.map((_, j) => (i === j ? 1 : 0)));
      direction = g.map((v) => -v);
      slope = -g.reduce((s, v) => s + v * v, 0);
    }
    // Cap the step in log-parameter space so one bad curvature estimate cannot jump to overflow.
    const maxStep = Math.max(...direction.map(Math.abs));
    let step = maxStep > 3 ? 3 / maxStep : 1;
    let next: { f: number; g: number[] } | null = null;
    let xNext = x;
    for (let tries = 0; tries < 40; tries++) {
      xNext = x.map((v, i) => v + step * direction[i]);
      const trial = fg(xNext);
      evaluations++;
      if (Number.isFinite(trial.f) && trial.f <= f + 1e-4 * step * slope && trial.g.every(Number.isFinite)) {
        next = trial;
        break;
      }
      step *= 0.5;
    }
    if (!next) break;
    const s = xNext.map((v, i) => v - x[i]);
    const y = next.g.map((v, i) => v - g[i]);
    const sy = s.reduce((acc, v, i) => acc + v * y[i], 0);
    const improvement = f - next.f;
    x = xNext;
    f = next.f;
    g = next.g;
    if (sy > 1e-12) {
      const rho = 1 / sy;
      const Hy = Hinv.map((row) => row.reduce((acc, v, j) => acc + v * y[j], 0));
      const yHy = y.reduce((acc, v, i) => acc + v * Hy[i], 0);
      Hinv = Hinv.map((row, i) =>
        row.map((v, j) => v - rho * (Hy[i] * s[j] + s[i] * Hy[j]) + (rho * rho * yHy + rho) * s[i] * s[j]),
      );
    }
    if (improvement >= 0 && improvement < 1e-13 * Math.max(1, Math.abs(f))) {
      converged = true;
      break;
    }
  }
  return { x, fx: f, evaluations, converged };
}
