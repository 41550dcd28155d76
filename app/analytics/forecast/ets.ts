/**
 * Additive Holt-Winters on a daily series: level, damped trend and a 7-day (day-of-week) season
 * (ETS(A,Ad,A) with period 7), smoothing parameters picked from a fixed grid by one-step-ahead
 * squared error. Deterministic: the same series always gives the same fit.
 */

export interface EtsFit {
  alpha: number;
  beta: number;
  gamma: number;
  phi: number;
  level: number;
  trend: number;
  /** season[i] is the effect of the day `i` steps after the last observation's weekday cycle start. */
  season: number[];
  /** Mean squared one-step-ahead error over the fitted part. */
  mse: number;
}

export const PERIOD = 7;
const ALPHAS = [0.05, 0.1, 0.2, 0.35, 0.5];
const BETAS = [0, 0.02, 0.08];
const GAMMAS = [0.05, 0.15, 0.3];
const PHIS = [0.9, 0.98];

/** Runs the recursions with fixed parameters; the first two weeks initialise the state. */
function run(y: ArrayLike<number>, alpha: number, beta: number, gamma: number, phi: number): EtsFit {
  const n = y.length;
  let w1 = 0;
  let w2 = 0;
  for (let i = 0; i < PERIOD; i++) {
    w1 += y[i] / PERIOD;
    w2 += y[i + PERIOD] / PERIOD;
  }
  let level = w1;
  let trend = (w2 - w1) / PERIOD;
  const season = new Array<number>(PERIOD);
  for (let i = 0; i < PERIOD; i++) season[i] = (y[i] - w1 + (y[i + PERIOD] - w2)) / 2;
  let sse = 0;
  let count = 0;
  for (let t = PERIOD; t < n; t++) {
    const s = season[t % PERIOD];
    const predicted = level + phi * trend + s;
    const e = y[t] - predicted;
    if (t >= 2 * PERIOD) {
      sse += e * e;
      count++;
    }
    const prevLevel = level;
    level = alpha * (y[t] - s) + (1 - alpha) * (level + phi * trend);
    trend = beta * (level - prevLevel) + (1 - beta) * phi * trend;
    season[t % PERIOD] = gamma * (y[t] - level) + (1 - gamma) * s;
  }
  // Rotate so season[0] is the day right after the last observation.
  const rotated = Array.from({ length: PERIOD }, (_, i) => season[(n + i) % PERIOD]);
  return { alpha, beta, gamma, phi, level, trend, season: rotated, mse: count ? sse / count : Infinity };
}

/** The grid point with the lowest one-step error. Needs at least three weeks of days. */
export function fitEts(y: ArrayLike<number>): EtsFit {
  if (y.length < 3 * PERIOD) throw new Error("fitEts needs at least 21 observations");
  let best: EtsFit | null = null;
  for (const alpha of ALPHAS)
    for (const beta of BETAS)
      for (const gamma of GAMMAS)
        for (const phi of PHIS) {
          const fit = run(y, alpha, beta, gamma, phi);
          if (!best || fit.mse < best.mse) best = fit;
        }
  return best!;
}

/** Point forecasts for the next `h` days, floored at zero (sales cannot be negative). */
export function forecastEts(fit: EtsFit, h: number): number[] {
  const out: number[] = [];
  let damp = 0;
  let phiK = 1;
  for (let k = 1; k <= h; k++) {
    phiK *= fit.phi;
    damp += phiK;
    out.push(Math.max(0, fit.level + damp * fit.trend + fit.season[(k - 1) % PERIOD]));
  }
  return out;
}
