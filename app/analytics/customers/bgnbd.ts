/**
 * BG/NBD ("beta-geometric / negative binomial distribution") model of repeat purchasing,
 * Fader, Hardie & Lee (2005), "Counting your customers the easy way", Marketing Science 24(2).
 *
 * While alive a customer buys at Poisson rate λ ~ Gamma(r, α); after each purchase they drop out
 * with probability p ~ Beta(a, b). Inputs per customer: x repeat transactions, t_x the time of the
 * last one and T the length of observation, all in weeks from the first purchase.
 */
import type { BgNbdParams } from "../types";
import { digamma, hyp2f1, lgamma, logAddExp } from "./special";
import { bfgs, nelderMead } from "./optimize";

/** A customer's (x, t_x, T) in weeks. */
export interface RepeatHistory {
  x: number;
  tx: number;
  T: number;
}

export type BgNbdShape = Pick<BgNbdParams, "r" | "alpha" | "a" | "b">;

/**
 * Weak Normal(0, 4²) penalty on each log-parameter. On real data it moves the estimate by far less
 * than its standard error (CDNOW: < 0.05%), but it keeps the optimum finite on degenerate shops —
 * e.g. when nobody has bought twice the likelihood has no maximum in (a, b) at all.
 */
export const BGNBD_LOG_PRIOR_SD = 4;

/**
 * Log-likelihood of one customer (FHL 2005, eq. 6), written as
 * ln A₁ + ln A₂ + ln(e^{A₃} + δ_{x>0} e^{A₄}) so nothing overflows:
 *   A₁ = lnΓ(r+x) − lnΓ(r) + r ln α,   A₂ = lnΓ(a+b) + lnΓ(b+x) − lnΓ(b) − lnΓ(a+b+x),
 *   A₃ = −(r+x) ln(α+T),               A₄ = ln a − ln(b+x−1) − (r+x) ln(α+t_x).
 */
export function bgnbdCustomerLogLikelihood(p: BgNbdShape, h: RepeatHistory): number {
  const { r, alpha, a, b } = p;
  const { x, tx, T } = h;
  const a1 = lgamma(r + x) - lgamma(r) + r * Math.log(alpha);
  const a2 = lgamma(a + b) + lgamma(b + x) - lgamma(b) - lgamma(a + b + x);
  const a3 = -(r + x) * Math.log(alpha + T);
  const a4 = x > 0 ? Math.log(a) - Math.log(b + x - 1) - (r + x) * Math.log(alpha + tx) : -Infinity;
  return a1 + a2 + logAddExp(a3, a4);
}

/** Total log-likelihood of a set of customers (the quantity reported as LL = −9582.4 for CDNOW). */
export function bgnbdLogLikelihood(p: BgNbdShape, data: readonly RepeatHistory[]): number {
  const compressed = compress(data);
  return compressedLogLikelihood(p, compressed);
}

interface CompressedData {
  /** Distinct x values and, per row, the index into them (lgamma terms depend on x only). */
  xs: number[];
  xIndex: Int32Array;
  tx: Float64Array;
  T: Float64Array;
  weight: Float64Array;
}

/** Collapses identical (x, t_x, T) rows into weights: real shops have many one-time buyers per day. */
function compress(data: readonly RepeatHistory[]): CompressedData {
  const rows = new Map<string, { h: RepeatHistory; w: number }>();
  for (const h of data) {
    const key = `${h.x}|${h.tx}|${h.T}`;
    const row = rows.get(key);
    if (row) row.w++;
    else rows.set(key, { h, w: 1 });
  }
  const list = [...rows.values()];
  const xs = [...new Set(list.map((r) => r.h.x))].sort((p, q) => p - q);
  const xPos = new Map(xs.map((x, i) => [x, i]));
  return {
    xs,
    xIndex: Int32Array.from(list.map((r) => xPos.get(r.h.x)!)),
    tx: Float64Array.from(list.map((r) => r.h.tx)),
    T: Float64Array.from(list.map((r) => r.h.T)),
    weight: Float64Array.from(list.map((r) => r.w)),
  };
}

function compressedLogLikelihood(p: BgNbdShape, d: CompressedData): number {
  const { r, alpha, a, b } = p;
  const logAlpha = Math.log(alpha);
  const logA = Math.log(a);
  const lgR = lgamma(r);
  const lgAB = lgamma(a + b);
  const lgB = lgamma(b);
  const constByX = d.xs.map((x) => lgamma(r + x) - lgR + r * logAlpha + lgAB + lgamma(b + x) - lgB - lgamma(a + b + x));
  const a4ConstByX = d.xs.map((x) => (x > 0 ? logA - Math.log(b + x - 1) : -Infinity));
  let total = 0;
  for (let i = 0; i < d.weight.length; i++) {
    const k = d.xIndex[i];
    const x = d.xs[k];
    const a3 = -(r + x) * Math.log(alpha + d.T[i]);
    const a4 = x > 0 ? a4ConstByX[k] - (r + x) * Math.log(alpha + d.tx[i]) : -Infinity;
    total += d.weight[i] * (constByX[k] + logAddExp(a3, a4));
  }
  return total;
}

/**
 * Log-likelihood and its gradient with respect to log(r, α, a, b) (chain rule: ∂/∂ln θ = θ ∂/∂θ).
 * With w₃, w₄ the softmax weights of A₃ and A₄:
 *   ∂/∂r = ψ(r+x) − ψ(r) + ln α − w₃ ln(α+T) − w₄ ln(α+t_x)
 *   ∂/∂α = r/α − (r+x)(w₃/(α+T) + w₄/(α+t_x))
 *   ∂/∂a = ψ(a+b) − ψ(a+b+x) + w₄/a
 *   ∂/∂b = ψ(a+b) + ψ(b+x) − ψ(b) − ψ(a+b+x) − w₄/(b+x−1)
 */
function compressedLogLikelihoodWithGradient(p: BgNbdShape, d: CompressedData): { ll: number; grad: number[] } {
  const { r, alpha, a, b } = p;
  const logAlpha = Math.log(alpha);
  const logA = Math.log(a);
  const lgR = lgamma(r);
  const lgAB = lgamma(a + b);
  const lgB = lgamma(b);
  const psiR = digamma(r);
  const psiAB = digamma(a + b);
  const psiB = digamma(b);
  const k = d.xs.length;
  const constByX = new Float64Array(k);
  const a4Const = new Float64Array(k);
  const dRConst = new Float64Array(k);
  const dAConst = new Float64Array(k);
  const dBConst = new Float64Array(k);
  for (let j = 0; j < k; j++) {
    const x = d.xs[j];
    constByX[j] = lgamma(r + x) - lgR + r * logAlpha + lgAB + lgamma(b + x) - lgB - lgamma(a + b + x);
    a4Const[j] = x > 0 ? logA - Math.log(b + x - 1) : -Infinity;
    const psiABX = digamma(a + b + x);
    dRConst[j] = digamma(r + x) - psiR + logAlpha;
    dAConst[j] = psiAB - psiABX;
    dBConst[j] = psiAB + digamma(b + x) - psiB - psiABX;
  }
  let ll = 0;
  let gr = 0;
  let ga = 0;
  let gA = 0;
  let gB = 0;
  for (let i = 0; i < d.weight.length; i++) {
    const j = d.xIndex[i];
    const x = d.xs[j];
    const w = d.weight[i];
    const logAT = Math.log(alpha + d.T[i]);
    const a3 = -(r + x) * logAT;
    let w4 = 0;
    let logAtx = 0;
    let lse = a3;
    if (x > 0) {
      logAtx = Math.log(alpha + d.tx[i]);
      const a4 = a4Const[j] - (r + x) * logAtx;
      lse = logAddExp(a3, a4);
      w4 = Math.exp(a4 - lse);
    }
    const w3 = 1 - w4;
    ll += w * (constByX[j] + lse);
    gr += w * (dRConst[j] - w3 * logAT - w4 * logAtx);
    ga += w * (r / alpha - (r + x) * (w3 / (alpha + d.T[i]) + (x > 0 ? w4 / (alpha + d.tx[i]) : 0)));
    gA += w * (dAConst[j] + (x > 0 ? w4 / a : 0));
    gB += w * (dBConst[j] - (x > 0 ? w4 / (b + x - 1) : 0));
  }
  return { ll, grad: [gr * r, ga * alpha, gA * a, gB * b] };
}

export interface BgNbdFit extends BgNbdParams {
  /** Customers in the fit. */
  n: number;
  /** Penalised objective's optimiser evaluations (diagnostic). */
  evaluations: number;
}

const toParams = (v: number[]): BgNbdShape => ({
  r: Math.exp(v[0]),
  alpha: Math.exp(v[1]),
  a: Math.exp(v[2]),
  b: Math.exp(v[3]),
});

/** Negative penalised log-likelihood over log-parameters; exposed for the Hessian in the CLV band. */
export function bgnbdObjective(data: readonly RepeatHistory[]): (logParams: number[]) => number {
  const compressed = compress(data);
  const s2 = 2 * BGNBD_LOG_PRIOR_SD * BGNBD_LOG_PRIOR_SD;
  return (v) => {
    const penalty = (v[0] * v[0] + v[1] * v[1] + v[2] * v[2] + v[3] * v[3]) / s2;
    return -compressedLogLikelihood(toParams(v), compressed) + penalty;
  };
}

/**
 * Maximum-likelihood BG/NBD fit on log(r, α, a, b): BFGS with the analytic gradient, from two
 * starting points (or the caller's warm start, e.g. a neighbouring snapshot's fit), polished by a
 * Nelder–Mead restart when BFGS reports no convergence. Never throws: with no data it returns
 * the prior's mode (all parameters 1, LL 0).
 */
export function fitBgNbd(data: readonly RepeatHistory[], start?: BgNbdShape): BgNbdFit {
  const clean = data.filter(
    (h) =>
      Number.isFinite(h.x) && Number.isFinite(h.tx) && Number.isFinite(h.T) && h.x >= 0 && h.T >= h.tx && h.tx >= 0,
  );
  const compressed = compress(clean);
  const s2 = BGNBD_LOG_PRIOR_SD * BGNBD_LOG_PRIOR_SD;
  const fg = (v: number[]) => {
    const { ll, grad } = compressedLogLikelihoodWithGradient(toParams(v), compressed);
    return { f: -ll + v.reduce((s, x) => s + x * x, 0) / (2 * s2), g: grad.map((gi, i) => -gi + v[i] / s2) };
  };
  const meanT = clean.length ? clean.reduce((s, h) => s + h.T, 0) / clean.length : 1;
  const starts: number[][] = [];
  if (start) starts.push([Math.log(start.r), Math.log(start.alpha), Math.log(start.a), Math.log(start.b)]);
  starts.push([0, Math.log(Math.max(1, meanT / 4)), 0, 0]);
  if (!start) starts.push([Math.log(0.25), Math.log(Math.max(0.5, meanT / 8)), Math.log(0.8), Math.log(2.5)]);
  let best: { x: number[]; fx: number; converged: boolean } | null = null;
  let evaluations = 0;
  for (const s0 of starts) {
    const run = bfgs(fg, s0, { gradientTolerance: 1e-8, maxIterations: 300 });
    evaluations += run.evaluations;
    if (!best || run.fx < best.fx) best = run;
    if (start && run.converged) break;
  }
  if (!best || !best.converged || !Number.isFinite(best.fx)) {
    const nm = nelderMead(bgnbdObjective(clean), best && Number.isFinite(best.fx) ? best.x : [0, 0, 0, 0], {
      step: 0.5,
      tolerance: 1e-9,
      maxEvaluations: 3000,
      restarts: 4,
    });
    evaluations += nm.evaluations;
    if (!best || !(nm.fx >= best.fx)) best = { x: nm.x, fx: nm.fx, converged: true };
  }
  const params = toParams(best.x);
  return {
    ...params,
    logLikelihood: clean.length ? compressedLogLikelihood(params, compressed) : 0,
    n: clean.length,
    evaluations,
  };
}

/**
 * P(alive at T | x, t_x, T) (FHL 2005, eq. 13): 1 for customers with no repeat purchase (in BG/NBD
 * drop-out can only happen right after a purchase), otherwise
 * 1 / (1 + a/(b+x−1) · ((α+T)/(α+t_x))^{r+x}).
 */
export function pAlive(p: BgNbdShape, h: RepeatHistory): number {
  if (h.x <= 0) return 1;
  const logOdds =
    Math.log(p.a) - Math.log(p.b + h.x - 1) + (p.r + h.x) * (Math.log(p.alpha + h.T) - Math.log(p.alpha + h.tx));
  return 1 / (1 + Math.exp(logOdds));
}

/**
 * P(at least one transaction in (T, T+t] | x, t_x, T). Integrating the individual-level
 * probability of no purchase in the window — (1−p)^x λ^x e^{−λ(T+t)} when still alive plus
 * δ_{x>0} p(1−p)^{x−1} λ^x e^{−λ t_x} when already gone — over the posterior gives exactly the
 * BG/NBD likelihood evaluated at T + t. Hence P(0 | history) = L(x, t_x, T+t) / L(x, t_x, T),
 * computed in logs and complemented with expm1 so that tiny probabilities keep their digits.
 */
export function probabilityOfPurchase(p: BgNbdShape, h: RepeatHistory, t: number): number {
  if (!(t > 0)) return 0;
  const diff = bgnbdCustomerLogLikelihood(p, { ...h, T: h.T + t }) - bgnbdCustomerLogLikelihood(p, h);
  const value = -Math.expm1(Math.min(0, diff));
  return Number.isFinite(value) ? value : 0;
}

/**
 * E[Y(t) | x, t_x, T], the expected number of transactions in (T, T+t] (FHL 2005, eq. 10):
 *   (a+b+x−1)/(a−1) · [1 − ((α+T)/(α+T+t))^{r+x} ₂F₁(r+x, b+x; a+b+x−1; z)] / (1 + δ_{x>0} a/(b+x−1) ((α+T)/(α+t_x))^{r+x}),
 * z = t/(α+T+t). The raw series overflows for large x near z → 1, so we apply Euler's
 * transformation ₂F₁(A,B;C;z) = (1−z)^{C−A−B} ₂F₁(C−A, C−B; C; z), which turns the bracket into
 * 1 − (1−z)^{a−1} ₂F₁(a+b−1−r, a−1; a+b+x−1; z): bounded terms, and C−A−B = x+r−a+1 > 0 in
 * practice so the series converges fast. a = 1 is a removable singularity; near it we average
 * a = 1 ± 2e-4 (the function is smooth in a, so the error is O(1e-8)).
 */
export function expectedTransactions(p: BgNbdShape, h: RepeatHistory, t: number): number {
  if (!(t > 0)) return 0;
  if (Math.abs(p.a - 1) < 1e-4) {
    return (
      0.5 * (conditionalExpectation({ ...p, a: 1 - 2e-4 }, h, t) + conditionalExpectation({ ...p, a: 1 + 2e-4 }, h, t))
    );
  }
  return conditionalExpectation(p, h, t);
}

function conditionalExpectation(p: BgNbdShape, h: RepeatHistory, t: number): number {
  const { r, alpha, a, b } = p;
  const { x } = h;
  const z = t / (alpha + h.T + t);
  const oneMinusZ = (alpha + h.T) / (alpha + h.T + t);
  const bracket = 1 - Math.pow(oneMinusZ, a - 1) * hyp2f1(a + b - 1 - r, a - 1, a + b + x - 1, z);
  const numerator = ((a + b + x - 1) / (a - 1)) * bracket;
  // The denominator 1 + δ a/(b+x−1)((α+T)/(α+t_x))^{r+x} is exactly 1/P(alive).
  const value = numerator * pAlive(p, h);
  return Number.isFinite(value) && value > 0 ? value : 0;
}

/**
 * E[X(t)] for a customer just acquired (FHL 2005, eq. 7); useful for plots of expected cumulative
 * repeat sales and for sanity checks of the conditional formula (x = 0, T = 0 gives the same value).
 */
export function expectedTransactionsNewCustomer(p: BgNbdShape, t: number): number {
  return expectedTransactions(p, { x: 0, tx: 0, T: 0 }, t);
}
