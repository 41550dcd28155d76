/**
 * Recommendation half of the pure engine: bought-together, also-bought, for-you (buy-again +
 * discovery), discovery, complete-the-basket, content-based cold start, popularity fallback and
 * business filters. Time (`asOf`) is a parameter; nothing here reads the clock or random numbers.
 */
export {
  fitRecommender,
  fitRecommenderComponents,
  tuneRecommender,
  finishRecommender,
  resolveParams,
  DEFAULT_PARAMS,
  type Fitted,
  type Recommender,
  type RecommenderInput,
  type RecommenderParams,
} from "./recommender";
export { DEFAULT_WEIGHTS, type BlendWeights } from "./fitted";
export { tuneWeights, type TuningReport } from "./tuning";
export { DEFAULT_FILTERS, eligibilityMask, ineligibilityReason } from "./filters";
export { fitEase, easeScoresInto, type EaseModel } from "./ease";
export { invertSpd, choleskyInPlace } from "./linalg-blocked";
export { invertSpdUnblocked, choleskyUnblocked } from "./linalg";
export { buildInteractions, type Interactions } from "./interactions";
export { cooccurrenceNeighbours, type NeighbourLists } from "./neighbours";
export { topK } from "./topk";
