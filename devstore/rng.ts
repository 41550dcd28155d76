/** Seeded PRNG for the stand-in (faults, webhook duplicates): the engine's mulberry32, reused. */
export type { Rng } from "../app/analytics/types";
export { mulberry32 as seededRng } from "../app/analytics/rng";
