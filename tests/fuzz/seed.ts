/**
 * Shared fast-check settings. Every property runs with this seed, so CI is reproducible; a failure
 * prints its seed and shrunk counterexample. Explore with `FUZZ_SEED=<n>`; run longer with
 * `FUZZ_RUNS_FACTOR=10` (scales every numRuns).
 */
export const FUZZ_SEED = Number(process.env.FUZZ_SEED ?? 20261122);

export const runs = (n: number) => Math.max(1, Math.round(n * Number(process.env.FUZZ_RUNS_FACTOR ?? 1)));
