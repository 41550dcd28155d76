/**
 * Gamma-Gamma model of spend per transaction, Fader, Hardie & Lee (2005), "RFM and CLV: using
 * iso-value curves for customer base analysis", J. Marketing Research 42(4); the estimation note
 * "The Gamma-Gamma model of monetary value" (Fader & Hardie, 2013).
 *
 * A customer's transaction values are Gamma(p, ν) around their mean p/ν, and ν ~ Gamma(q, γ)
 * across customers. Fitted on repeat customers only: x = number of repeat transactions and
 * m̄ = their mean value (the first purchase is left out, as in the paper, because first orders
 * often differ systematically from later ones).
 */
import { lgamma } from "./special";
import { mean } from "../stats";
import { nelderMead } from "./optimize";

export interface SpendHistory {
  /** Repeat transactions (≥ 1). */
  x: number;
  /** Mean value of those transactions, major units (> 0). */
  meanValue: number;
}

export interface GammaGammaParams {
  p: number;
  q: number;
  gamma: number;
  logLikelihood: number;
}

export interface GammaGammaFit extends GammaGammaParams {
  n: number;
  /** Population mean spend per transaction p·γ/(q−1); null when q ≤ 1 (infinite mean). */
  populationMeanSpend: number | null;
}

/**
 * Log density of the observed mean m̄ given x (Fader & Hardie 2013, eq. 4):
 * lnΓ(px+q) − lnΓ(px) − lnΓ(q) + q ln γ + (px−1) ln m̄ + px ln x − (px+q) ln(γ + x m̄).
 */
export function gammaGammaCustomerLogLikelihood(
  params: Pick<GammaGammaParams, "p" | "q" | "gamma">,
  h: SpendHistory,
): number {
  const { p, q, gamma } = params;
  const { x, meanValue: m } = h;
  const px = p * x;
  return (
    lgamma(px + q) -
    lgamma(px) -
    lgamma(q) +
    q * Math.log(gamma) +
    (px - 1) * Math.log(m) +
    px * Math.log(x) -
    (px + q) * Math.log(gamma + x * m)
  );
}

export function gammaGammaLogLikelihood(
  params: Pick<GammaGammaParams, "p" | "q" | "gamma">,
  data: readonly SpendHistory[],
): number {
  return groupedLogLikelihood(params, groupByX(data));
}

interface XGroup {
  x: number;
  count: number;
  /** Σ ln m̄ and the individual means, for the terms that differ within a group. */
  sumLogMean: number;
  means: number[];
}

/** Groups customers by x so the gamma-function terms are computed once per distinct x. */
function groupByX(data: readonly SpendHistory[]): XGroup[] {
  const groups = new Map<number, XGroup>();
  for (const h of data) {
    let g = groups.get(h.x);
    if (!g) groups.set(h.x, (g = { x: h.x, count: 0, sumLogMean: 0, means: [] }));
    g.count++;
    g.sumLogMean += Math.log(h.meanValue);
    g.means.push(h.meanValue);
  }
  return [...groups.values()];
}

function groupedLogLikelihood(params: Pick<GammaGammaParams, "p" | "q" | "gamma">, groups: readonly XGroup[]): number {
  const { p, q, gamma } = params;
  const base = -lgamma(q) + q * Math.log(gamma);
  let total = 0;
  for (const g of groups) {
    const px = p * g.x;
    total += g.count * (lgamma(px + q) - lgamma(px) + base + px * Math.log(g.x)) + (px - 1) * g.sumLogMean;
    for (const m of g.means) total -= (px + q) * Math.log(gamma + g.x * m);
  }
  return total;
}

const GG_LOG_PRIOR_SD = 5;

/** Negative (weakly penalised) log-likelihood over log(p, q, γ); exposed for the CLV band's Hessian. */
export function gammaGammaObjective(data: readonly SpendHistory[]): (v: number[]) => number {
  const s2 = 2 * GG_LOG_PRIOR_SD * GG_LOG_PRIOR_SD;
  const groups = groupByX(data);
  return (v) => {
    const params = { p: Math.exp(v[0]), q: Math.exp(v[1]), gamma: Math.exp(v[2]) };
    return -groupedLogLikelihood(params, groups) + (v[0] * v[0] + v[1] * v[1] + v[2] * v[2]) / s2;
  };
}

export function usableSpendHistories(data: readonly SpendHistory[]): SpendHistory[] {
  return data.filter((h) => Number.isFinite(h.x) && h.x >= 1 && Number.isFinite(h.meanValue) && h.meanValue > 0);
}

/**
 * ML fit on log-parameters (Nelder–Mead with restarts), started from a method-of-moments guess so
 * that the scale γ is right from the first step. Returns null with fewer than 2 usable customers or when every mean is identical.
 */
export function fitGammaGamma(data: readonly SpendHistory[]): GammaGammaFit | null {
  const clean = usableSpendHistories(data);
  if (clean.length < 2) return null;
  // Identical means carry no information about heterogeneity: the ML estimate runs off to p → ∞.
  const lo = Math.min(...clean.map((h) => h.meanValue));
  const hi = Math.max(...clean.map((h) => h.meanValue));
  if (hi - lo <= 1e-9 * hi) return null;
  const avg = mean(clean.map((h) => h.meanValue));
  // Start: p = 4, q = 3 and γ so that the population mean pγ/(q−1) equals the observed average.
  const start = [Math.log(4), Math.log(3), Math.log((avg * 2) / 4)];
  const result = nelderMead(gammaGammaObjective(clean), start, {
    step: 0.5,
    tolerance: 1e-9,
    maxEvaluations: 3000,
    restarts: 4,
  });
  const p = Math.exp(result.x[0]);
  const q = Math.exp(result.x[1]);
  const gamma = Math.exp(result.x[2]);
  return {
    p,
    q,
    gamma,
    logLikelihood: gammaGammaLogLikelihood({ p, q, gamma }, clean),
    n: clean.length,
    populationMeanSpend: q > 1 ? (p * gamma) / (q - 1) : null,
  };
}

/**
 * E[M | x, m̄] = p(γ + x m̄)/(px + q − 1): a weighted average of the population mean and the
 * customer's own mean, the weight on the customer's own mean growing with x (FHL 2005 eq. 5).
 * Customers without repeats (x = 0) get the population mean. Falls back to the customer's own mean
 * when q ≤ 1 makes the population mean undefined.
 */
export function expectedAverageSpend(
  params: Pick<GammaGammaParams, "p" | "q" | "gamma">,
  h: { x: number; meanValue: number | null },
): number {
  const { p, q, gamma } = params;
  const x = h.meanValue !== null && h.meanValue > 0 ? h.x : 0;
  const denominator = p * x + q - 1;
  if (denominator <= 0) return h.meanValue ?? 0;
  return (p * (gamma + x * (h.meanValue ?? 0))) / denominator;
}
