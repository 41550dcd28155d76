/**
 * Customer behaviour of the generated shop, following the BG/NBD story with a few realistic twists:
 * each customer buys at their own Poisson rate (gamma-distributed across customers, modulated by
 * seasonality) until they silently drop out (after each purchase, with their own beta-distributed
 * probability). Some buy once and never return, a few VIPs buy often and stay, and "cycle" customers
 * re-buy their favourite consumable every N days with jitter — the periodic gaps buy-again
 * recommendations and churn timing should pick up.
 */
import type { Catalogue, Persona } from "./catalogue";
import { CATEGORIES, PERSONAS } from "./catalogue";
import type { Rng } from "./random";
import { beta, chance, cumulative, gamma, normal, pick, pickWeighted, uniform } from "./random";
import type { SeasonTable } from "./seasonality";
import { atRealisticHour } from "./seasonality";
import { DAY_MS } from "../../app/analytics/time";

export type CustomerKind = "oneTime" | "regular" | "cycle" | "vip";

export interface CustomerTraits {
  persona: Persona;
  kind: CustomerKind;
  /** First purchase time for customers acquired in the window; account creation before it otherwise. */
  acquiredMs: number;
  /** Customer existed before the window (their earlier orders are not part of the shop). */
  preexisting: boolean;
  /** Repeat purchases per day before calibration (regular and VIP customers). */
  ratePerDay: number;
  /** P(dropping out after each purchase). */
  dropout: number;
  /** Re-purchase period of cycle customers, days. */
  cycleDays: number;
  /** Catalogue item a cycle customer keeps re-buying, and which of its variants; -1 when none. */
  favouriteItem: number;
  favouriteVariant: number;
  /** Cumulative category preferences (CATEGORIES order). */
  categoryCum: Float64Array;
  /** Preferred vendor per category, and how often the customer sticks to it. */
  favouriteVendor: string[];
  vendorLoyalty: number;
  /** Share of basket lines that re-buy something from the customer's own history. */
  repeatShare: number;
}

/** Event kinds, in the order they are sacrificed when trimming to the requested order count. */
export const EventKind = { Repeat: 0, Cycle: 1, First: 2 } as const;
export type EventKind = (typeof EventKind)[keyof typeof EventKind];

const PERSONA_WEIGHTS = cumulative([0.6, 0.25, 0.15]);

function drawKind(rng: Rng): CustomerKind {
  const u = rng();
  if (u < 0.3) return "oneTime";
  if (u < 0.46) return "cycle";
  if (u < 0.48) return "vip";
  return "regular";
}

/** Persona-weighted category tastes with gamma noise, so two coffee people still differ. */
function categoryTaste(rng: Rng, persona: Persona): Float64Array {
  return cumulative(CATEGORIES.map((c) => c.affinity[persona] * gamma(rng, 1.5, 1 / 1.5)));
}

/** A consumable the customer will come back for: the most liked consumable category's item. */
function drawFavourite(rng: Rng, catalogue: Catalogue, categoryCum: Float64Array): [number, number] {
  for (let tries = 0; tries < 20; tries++) {
    const category = pickWeighted(rng, categoryCum);
    if (category < 0 || !CATEGORIES[category].consumable) continue;
    const index = catalogue.byCategory[category];
    const k = pickWeighted(rng, index.cum);
    if (k < 0) continue;
    const item = index.items[k];
    return [item, pickWeighted(rng, catalogue.items[item].variantCum)];
  }
  return [-1, 0];
}

/** Draws every customer's hidden traits (fixed across calibration passes). */
export function drawTraits(
  rng: Rng,
  count: number,
  catalogue: Catalogue,
  season: SeasonTable,
  startMs: number,
  endMs: number,
): CustomerTraits[] {
  const traits: CustomerTraits[] = [];
  for (let i = 0; i < count; i++) {
    const persona = PERSONAS[pickWeighted(rng, PERSONA_WEIGHTS)];
    let kind = drawKind(rng);
    const categoryCum = categoryTaste(rng, persona);
    const [favouriteItem, favouriteVariant] = drawFavourite(rng, catalogue, categoryCum);
    if (kind === "cycle" && favouriteItem < 0) kind = "regular";
    const preexisting = chance(rng, 0.45);
    traits.push({
      persona,
      kind,
      acquiredMs: preexisting ? uniform(rng, startMs - 540 * DAY_MS, startMs) : season.sampleTime(rng, startMs, endMs),
      preexisting,
      // Mean ≈ one repeat order every 40 days, shape < 1: a long tail of frequent buyers.
      ratePerDay: gamma(rng, 0.8, 1 / (40 * 0.8)) * (kind === "vip" ? 6 : 1),
      dropout: kind === "vip" ? 0.005 : kind === "cycle" ? beta(rng, 1, 30) : beta(rng, 1.2, 6),
      cycleDays: uniform(rng, 18, 60),
      favouriteItem,
      favouriteVariant,
      categoryCum,
      favouriteVendor: CATEGORIES.map((c) => (c.vendors.length ? pick(rng, c.vendors) : "")),
      vendorLoyalty: beta(rng, 1, 2.5),
      repeatShare: kind === "oneTime" ? 0 : beta(rng, 2, 4),
    });
  }
  return traits;
}

/** Order arrival events of one generation pass (parallel arrays). */
export interface Timeline {
  times: number[];
  customers: number[];
  kinds: EventKind[];
}

export interface TimelineOptions {
  startMs: number;
  endMs: number;
  /** Multiplies every Poisson repeat rate; the generator calibrates it to hit the order count. */
  rateMultiplier: number;
  utcOffsetHours: number;
}

/** Records an event inside the window, moved to a realistic hour of the same day. */
export function emit(
  rng: Rng,
  timeline: Timeline,
  opts: TimelineOptions,
  ms: number,
  customer: number,
  kind: EventKind,
): void {
  const shifted = atRealisticHour(rng, ms, opts.utcOffsetHours);
  const at = shifted >= opts.startMs && shifted < opts.endMs ? shifted : ms;
  timeline.times.push(at);
  timeline.customers.push(customer);
  timeline.kinds.push(kind);
}

const cycleGap = (rng: Rng, days: number): number => days * Math.max(0.5, 1 + 0.12 * normal(rng)) * DAY_MS;

/**
 * One customer's purchases in the window (see the file comment for the story). Customers who
 * pre-date the window live through the same process from their first purchase, unrecorded, so the
 * ones still active when the window opens are a realistic, already-thinned cohort.
 */
function customerEvents(
  rng: Rng,
  c: number,
  t: CustomerTraits,
  season: SeasonTable,
  opts: TimelineOptions,
  timeline: Timeline,
): void {
  const { startMs, endMs } = opts;
  const record = (ms: number, kind: EventKind): void => {
    if (ms >= startMs) emit(rng, timeline, opts, ms, c, kind);
  };
  record(t.acquiredMs, EventKind.First);
  if (t.kind === "oneTime" || chance(rng, t.dropout)) return;
  if (t.kind === "cycle") {
    for (let next = t.acquiredMs + cycleGap(rng, t.cycleDays); next < endMs; next += cycleGap(rng, t.cycleDays)) {
      record(next, EventKind.Cycle);
      if (chance(rng, t.dropout)) return;
    }
    return;
  }
  for (let now = t.acquiredMs; ;) {
    const next = season.nextArrival(rng, now, t.ratePerDay * opts.rateMultiplier, endMs);
    if (next === Infinity) return;
    record(next, EventKind.Repeat);
    if (chance(rng, t.dropout)) return;
    now = next;
  }
}

/** All customers' purchase events for one calibration pass. */
export function buildTimeline(
  rng: Rng,
  traits: CustomerTraits[],
  season: SeasonTable,
  opts: TimelineOptions,
): Timeline {
  const timeline: Timeline = { times: [], customers: [], kinds: [] };
  traits.forEach((t, c) => customerEvents(rng, c, t, season, opts, timeline));
  return timeline;
}

/** Who may receive extra purchases when the model falls short, and from when. */
export interface TopUp {
  pool: number[];
  earliestMs: (customer: number) => number;
}

/**
 * Exactly `target` events: drops surplus events (Poisson repeats first, so purchase cycles and
 * first orders survive) or, when the behavioural model cannot produce enough, adds seasonal repeat
 * purchases for random customers of the top-up pool. Returns indexes sorted by time (ties by index).
 */
export function fitToCount(
  rng: Rng,
  timeline: Timeline,
  target: number,
  topUp: TopUp,
  season: SeasonTable,
  opts: TimelineOptions,
): number[] {
  const n = timeline.times.length;
  let keep: number[];
  if (n >= target) {
    keep = dropSurplus(rng, timeline, n - target);
  } else {
    if (topUp.pool.length === 0) throw new RangeError("fitToCount: no customers to place the missing orders with");
    keep = Array.from({ length: n }, (_, i) => i);
    for (let i = n; i < target; i++) {
      const c = pick(rng, topUp.pool);
      const from = Math.max(opts.startMs, topUp.earliestMs(c));
      emit(rng, timeline, opts, season.sampleTime(rng, from, opts.endMs), c, EventKind.Repeat);
      keep.push(i);
    }
  }
  return keep.sort((a, b) => timeline.times[a] - timeline.times[b] || a - b);
}

/**
 * Poisson buyers (regular and VIP) take `fitToCount`'s extra purchases — extra orders would blur the
 * rhythm of cycle customers; everyone, if there are none.
 */
export function topUpFromTraits(traits: CustomerTraits[]): TopUp {
  const returning = traits.flatMap((t, c) => (t.kind === "regular" || t.kind === "vip" ? [c] : []));
  return { pool: returning.length ? returning : traits.map((_, c) => c), earliestMs: (c) => traits[c].acquiredMs };
}

function dropSurplus(rng: Rng, timeline: Timeline, surplus: number): number[] {
  const dropped = new Uint8Array(timeline.times.length);
  for (const kind of [EventKind.Repeat, EventKind.Cycle, EventKind.First] as EventKind[]) {
    if (surplus === 0) break;
    const candidates: number[] = [];
    timeline.kinds.forEach((k, i) => k === kind && candidates.push(i));
    // Partial Fisher–Yates: the first `take` candidates become a uniform random sample.
    const take = Math.min(surplus, candidates.length);
    for (let i = 0; i < take; i++) {
      const j = i + Math.floor(rng() * (candidates.length - i));
      [candidates[i], candidates[j]] = [candidates[j], candidates[i]];
      dropped[candidates[i]] = 1;
    }
    surplus -= take;
  }
  const keep: number[] = [];
  dropped.forEach((d, i) => d === 0 && keep.push(i));
  return keep;
}
