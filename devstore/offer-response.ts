/**
 * The known truth of offer tests (issue #18): how much a discount of depth d (share of the order)
 * raises a segment's chance to buy in the code window, u(d) = a · (1 − e^(−d / b)). `a` is the
 * most any discount can add, `b` how fast the effect saturates. Segments differ on purpose so the
 * best depth differs: "At risk" keeps responding to deeper offers (20% earns the most margin),
 * "Dormant" is won back by any small gesture (10% wins, 20% loses margin), the rest in between.
 * Used by the stand-in's demo simulation (simulate-uplift.ts) and by `npm run bench:offers`.
 */

export interface ResponseCurve {
  a: number;
  b: number;
}

export const OFFER_RESPONSE: Readonly<Record<string, ResponseCurve>> = {
  "At risk": { a: 0.8, b: 0.5 },
  Dormant: { a: 0.12, b: 0.03 },
};
export const DEFAULT_RESPONSE: ResponseCurve = { a: 0.3, b: 0.1 };

export function responseCurve(segment: string): ResponseCurve {
  return OFFER_RESPONSE[segment] ?? DEFAULT_RESPONSE;
}

/** Added P(buy in the window) of a customer of `segment` offered `depth` off. */
export function offerUplift(segment: string, depth: number): number {
  const { a, b } = responseCurve(segment);
  return depth > 0 ? a * (1 - Math.exp(-depth / b)) : 0;
}

/** The largest uplift any offer can add in any segment: organic probabilities are capped below 1 − this. */
export const MAX_OFFER_UPLIFT = Math.max(DEFAULT_RESPONSE.a, ...Object.values(OFFER_RESPONSE).map((c) => c.a));

/**
 * True incremental gross margin per treated customer of a percentage offer, when a buyer places one
 * order of mean value `orderMinor` with gross margin share `marginShare` and every treated buyer
 * uses the code: (p0 + u(d)) · V · (m − d) − p0 · V · m.
 */
export function trueMarginLift(segment: string, p0: number, depth: number, orderMinor: number, marginShare: number) {
  return (p0 + offerUplift(segment, depth)) * orderMinor * (marginShare - depth) - p0 * orderMinor * marginShare;
}
