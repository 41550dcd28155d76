/**
 * Fault knobs for the stand-in. Every probability is drawn from one seeded rng, so a test that
 * sets `seed` sees the same sequence of failures on every run. The object is live: the server
 * reads it on every request, so tests and the control API can change it at runtime.
 */
import { seededRng, type Rng } from "./rng.js";

export interface FaultConfig {
  /** Seed for the fault rng; changing it through {@link setFaults} reseeds. */
  seed: number;
  /** Probability that a GraphQL request answers 502/503 (Shopify's intermittent gateway errors). */
  serverErrorRate: number;
  /** Probability that a GraphQL request answers HTTP 429 (REST-style rate limit with Retry-After). */
  http429Rate: number;
  /** Probability that a GraphQL request is answered THROTTLED regardless of the bucket. */
  throttleRate: number;
  /** Extra latency added to every GraphQL request, in real milliseconds. */
  slowMs: number;
  /** Probability that a webhook delivery is silently dropped (never sent, never retried). */
  dropWebhookRate: number;
  /** Probability that a delivered webhook is sent a second time with the same webhook id. */
  duplicateWebhookRate: number;
  /** When true, completed bulk-operation files are cut in the middle of a line. */
  truncateBulkFile: boolean;
}

export const DEFAULT_FAULTS: Readonly<FaultConfig> = {
  seed: 1,
  serverErrorRate: 0,
  http429Rate: 0,
  throttleRate: 0,
  slowMs: 0,
  dropWebhookRate: 0,
  duplicateWebhookRate: 0.05,
  truncateBulkFile: false,
};

/** Live fault state: the config plus the rng it seeds. */
export class Faults {
  readonly config: FaultConfig;
  private rng: Rng;

  constructor(initial: Partial<FaultConfig> = {}) {
    this.config = { ...DEFAULT_FAULTS, ...initial };
    this.rng = seededRng(this.config.seed);
  }

  /** Merges a partial config (control API / tests); a new seed restarts the rng. */
  set(patch: Partial<FaultConfig>): FaultConfig {
    const reseed = patch.seed !== undefined && patch.seed !== this.config.seed;
    for (const [key, value] of Object.entries(patch)) {
      if (key in DEFAULT_FAULTS && value !== undefined)
        (this.config as unknown as Record<string, unknown>)[key] = value;
    }
    if (reseed) this.rng = seededRng(this.config.seed);
    return this.config;
  }

  /** True with probability `p` (never draws when p is 0, so enabling one knob does not shift others). */
  roll(p: number): boolean {
    if (p <= 0) return false;
    return this.rng() < p;
  }

  /** A uniformly drawn element, used to pick 502 vs 503. */
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.rng() * items.length)];
  }
}
