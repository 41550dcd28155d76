import type { Rng } from "../types";
import type { OfferSpec } from "./types";

/**
 * Offer arms (issue #18, D39): an automation may test 2–4 discounts against each other and the
 * holdout. Assignment draws the holdout and the arms in ONE stratified step per stratum (segment ×
 * value band), so the holdout keeps exactly its share h and each arm k gets exactly (1 − h)·a_k,
 * where a is the allocation among treated customers (equal at first, learned later: bandit.ts).
 */

export const MIN_ARMS = 2;
export const MAX_ARMS = 4;

/** One arm: the discount it gives. `key` is stable ("pct-15", "amt-500") and stored on assignments. */
export interface OfferArm extends OfferSpec {
  key: string;
}

/** The arm key of an offer: kind and value, so equal offers cannot be two arms. */
export function armKey(offer: OfferSpec): string {
  return offer.kind === "PERCENTAGE"
    ? `pct-${Math.round(offer.value * 10_000) / 100}`
    : `amt-${Math.round(offer.value)}`;
}

export function toArms(offers: readonly OfferSpec[]): OfferArm[] {
  return offers.map((o) => ({ ...o, key: armKey(o) }));
}

/**
 * Why these arms cannot be planned, or null: 2–4 distinct arms, none deeper than the merchant's
 * maximum share off (a fixed amount is compared with the shop's average order).
 */
export function armsProblem(arms: readonly OfferSpec[], maxShare: number, shopAovMinor: number): string | null {
  if (arms.length === 0) return null;
  if (arms.length < MIN_ARMS || arms.length > MAX_ARMS) return `An offer test needs ${MIN_ARMS}–${MAX_ARMS} arms.`;
  if (new Set(arms.map(armKey)).size !== arms.length) return "Two arms give the same discount.";
  for (const a of arms)
    if (armDepth(a, shopAovMinor) > maxShare + 1e-9) return "An arm is deeper than the maximum discount.";
  return null;
}

/** Depth of an arm as a share of an order: a percentage is itself, a fixed amount its share of `orderMinor`. */
export function armDepth(offer: OfferSpec, orderMinor: number): number {
  return offer.kind === "PERCENTAGE" ? offer.value : offer.value / Math.max(1, orderMinor);
}

/** Value band of a customer: their typical order against the median of everyone planned. */
export function valueBand(aovMinor: number, medianAovMinor: number): "low" | "high" {
  return aovMinor > medianAovMinor ? "high" : "low";
}

/** The randomisation stratum of an armed automation: segment × value band. */
export function armStratum(segment: string, band: string): string {
  return `${segment}|${band}`;
}

/** The segment part of a stratum (plain strata are the segment). */
export function stratumSegment(stratum: string): string {
  const bar = stratum.indexOf("|");
  return bar < 0 ? stratum : stratum.slice(0, bar);
}

/** murmur3's 32-bit finaliser: every input bit flips about half the output bits. */
function fmix32(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b) >>> 0;
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35) >>> 0;
  return (x ^ (x >>> 16)) >>> 0;
}

/** FNV-1a of the id from a seed-mixed basis, finalised: a customer's place in its stratum's random
 * order depends on (seed, id) only, never on list order, and neighbouring seeds give unrelated orders. */
function keyedHash(text: string, seed: number): number {
  let h = (0x811c9dc5 ^ fmix32(seed >>> 0)) >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return fmix32(h ^ seed);
}

/**
 * Stratified assignment of `ids` to slots with shares `shares(stratum)` (slot 0 = holdout, then the
 * arms; shares sum to 1). Per stratum the members are put in a random order (a keyed hash of
 * (seed, id), so a customer's place does not depend on how the list was sorted) and laid end to
 * end over [0, n) with one random offset u: position i gets the slot whose cumulative interval
 * contains i + u (systematic sampling). A uniformly placed customer and a uniform u make
 * P(slot k) = shares[k] exactly, and every slot's count is within one of n·shares[k].
 * Same seed, same customers, same shares → same slots.
 */
export function stratifiedSlots(
  ids: readonly string[],
  strata: readonly string[],
  shares: (stratum: string) => readonly number[],
  seed: number,
  rng: Rng,
): number[] {
  const byStratum = new Map<string, number[]>();
  strata.forEach((s, i) => byStratum.set(s, [...(byStratum.get(s) ?? []), i]));
  const slots = new Array<number>(ids.length).fill(0);
  for (const key of [...byStratum.keys()].sort()) {
    const members = byStratum.get(key)!;
    const order = members
      .map((i) => ({ i, h: keyedHash(ids[i], seed) }))
      .sort((a, b) => a.h - b.h || (ids[a.i] < ids[b.i] ? -1 : 1));
    const p = shares(key);
    const n = order.length;
    const cum: number[] = [];
    p.reduce((s, v) => (cum.push((s + v) * n), s + v), 0);
    const u = rng();
    order.forEach(({ i }, pos) => {
      const x = pos + u;
      let k = 0;
      while (k < cum.length - 1 && x >= cum[k]) k++;
      slots[i] = k;
    });
  }
  return slots;
}
