/**
 * Orders that keep arriving after a shop was seeded (generated or imported from CSV), so sync,
 * webhooks and automation measurement can be exercised over time. The behaviour is inferred from
 * the shop's own history, so it works for any shop:
 *  - whether a customer is still active: BG/NBD P(alive) with fixed, plausible parameters;
 *  - how often they buy: the gamma–Poisson posterior rate, modulated by seasonality;
 *  - customers whose past gaps were regular (coefficient of variation < 0.35) keep their cycle;
 *  - baskets re-buy the customer's own consumables, add items bought together with their history,
 *    fall back to recent popularity, and only contain products that can be sold right now.
 *
 * Longer than 300 lines on purpose: one behavioural model (profiles, market, timelines, baskets)
 * whose helpers are private to it.
 */
import { findDiscountCode, isoSeconds, makeOrder } from "./factories.js";
import { SHOP_RULES, flatRateShipping } from "./generator.js";
import type { DsCustomer, DsOrder, DsShop, DsVariant } from "./model.js";
import { emit, EventKind, fitToCount, type Timeline, type TimelineOptions } from "./seed/customers";
import { chance, cumulative, mulberry32, normal, pick, pickWeighted, subSeed, type Rng } from "./seed/random";
import { SeasonTable } from "./seed/seasonality";
import { DAY_MS } from "../app/analytics/time";

export interface RedeemCode {
  code: string;
  customerId: string;
  /** P(the customer uses the code in the window). */
  probability: number;
}

export interface ScriptedCustomer {
  customerId: string;
  buys: boolean;
  code?: string | null;
}

export interface SimulateOptions {
  /** Window for the new orders, ISO; `from` is moved past the shop's latest order if needed. */
  from: string;
  to: string;
  seed: number;
  /**
   * Exact number of organic orders; default: whatever the behavioural model produces. Redemptions
   * that find no organic order of their customer to ride on add one order each on top.
   */
  count?: number;
  redeemCodes?: RedeemCode[];
  /**
   * Customers whose window the caller decides (simulate-uplift.ts): none of their organic orders
   * are kept; each with `buys` gets exactly one order, with `code` (inside its validity) if given.
   */
  scripted?: ScriptedCustomer[];
  /** Called for every new order in time order (e.g. to fire ORDERS_CREATE webhooks). */
  onOrder?: (order: DsOrder) => void;
}

/** Fixed BG/NBD parameters (time in days) used to judge who is still a customer. */
const BGNBD = { r: 0.8, alpha: 32, a: 1.2, b: 6 };
const BASKET_SIZES = cumulative([0.34, 0.28, 0.19, 0.12, 0.07]);
const MAX_LINES = 5;

/** What the shop's history says about one customer. */
export interface Profile {
  customer: DsCustomer;
  /** Non-cancelled order times, ascending. */
  times: number[];
  /** Variant ids bought, with repetition (frequency weighting). */
  bought: string[];
}

/** Sellable-now variants and how items go together, learned from past orders. */
interface Market {
  variants: DsVariant[];
  byId: Map<string, DsVariant>;
  popularityCum: Float64Array;
  /** Variant id → variants bought together with it, most often first. */
  partners: Map<string, string[]>;
  sellable: (variantId: string) => boolean;
}

/** Appends simulated orders to the shop and returns them in time order. */
export function simulateOrders(shop: DsShop, opts: SimulateOptions): DsOrder[] {
  const latest = latestOrderMs(shop);
  const fromMs = Math.max(Date.parse(opts.from), latest + 1000);
  const toMs = Date.parse(opts.to);
  if (!(toMs > fromMs))
    throw new RangeError(`simulateOrders: empty window ${opts.from} … ${opts.to} (latest order ${isoSeconds(latest)})`);
  const rng = mulberry32(subSeed(opts.seed, "simulate"));
  const season = new SeasonTable(fromMs, toMs);
  const profiles = customerProfiles(shop);
  const market = learnMarket(shop, fromMs);
  if (market.variants.length === 0) throw new Error("simulateOrders: the shop has nothing it could sell");
  const timelineOpts: TimelineOptions = {
    startMs: fromMs,
    endMs: toMs,
    rateMultiplier: 1,
    utcOffsetHours: SHOP_RULES.utcOffsetHours,
  };

  const indexOf = new Map(profiles.map((p, c) => [p.customer.id, c]));
  const timeline = withoutScripted(
    organicTimeline(rng, profiles, season, timelineOpts, opts.count),
    opts.scripted ?? [],
    indexOf,
  );
  const codes = new Map<number, string>();
  for (const s of opts.scripted ?? []) {
    const c = indexOf.get(s.customerId);
    if (c === undefined) throw new Error(`simulateOrders: unknown customer ${s.customerId}`);
    if (!s.buys) continue;
    if (s.code)
      placeRedemption(
        shop,
        rng,
        { code: s.code, customerId: s.customerId, probability: 1 },
        c,
        timeline,
        season,
        timelineOpts,
        codes,
      );
    else emit(rng, timeline, timelineOpts, season.sampleTime(rng, fromMs, toMs), c, EventKind.Repeat);
  }
  for (const redeem of opts.redeemCodes ?? []) {
    const c = indexOf.get(redeem.customerId);
    if (c === undefined) throw new Error(`simulateOrders: unknown customer ${redeem.customerId}`);
    placeRedemption(shop, rng, redeem, c, timeline, season, timelineOpts, codes);
  }
  const order = timeline.times.map((_, i) => i).sort((a, b) => timeline.times[a] - timeline.times[b] || a - b);

  const created: DsOrder[] = [];
  for (const e of order) {
    const profile = profiles[timeline.customers[e]];
    const lines = basket(rng, market, profile).map((variant) => ({ variant, quantity: chance(rng, 0.8) ? 1 : 2 }));
    const code = codes.get(e);
    const o = makeOrder(shop, {
      customer: profile.customer,
      lines,
      createdAt: isoSeconds(timeline.times[e]),
      discountCodes: code ? [code] : [],
      shipping: flatRateShipping(shop, lines),
      taxRate: SHOP_RULES.taxRate,
    });
    for (const l of lines) profile.bought.push(l.variant.id);
    profile.times.push(timeline.times[e]);
    created.push(o);
    opts.onOrder?.(o);
  }
  return created;
}

function withoutScripted(
  timeline: Timeline,
  scripted: readonly ScriptedCustomer[],
  indexOf: Map<string, number>,
): Timeline {
  if (!scripted.length) return timeline;
  const drop = new Set(scripted.map((s) => indexOf.get(s.customerId)));
  const keep = timeline.customers.flatMap((c, i) => (drop.has(c) ? [] : [i]));
  return {
    times: keep.map((i) => timeline.times[i]),
    customers: keep.map((i) => timeline.customers[i]),
    kinds: keep.map((i) => timeline.kinds[i]),
  };
}

export function latestOrderMs(shop: DsShop): number {
  let latest = -Infinity;
  for (const o of shop.orders.values()) latest = Math.max(latest, Date.parse(o.createdAt));
  return latest;
}

/** Every customer with their non-cancelled history (customers without orders included). */
export function customerProfiles(shop: DsShop): Profile[] {
  const byId = new Map<string, Profile>();
  for (const customer of shop.customers.values()) byId.set(customer.id, { customer, times: [], bought: [] });
  const orders = [...shop.orders.values()].filter((o) => o.cancelledAt === null && o.customerId !== null);
  orders.sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt));
  for (const o of orders) {
    const profile = byId.get(o.customerId!);
    if (!profile) continue;
    profile.times.push(Date.parse(o.createdAt));
    for (const line of o.lineItems) if (line.variantId) profile.bought.push(line.variantId);
  }
  return [...byId.values()];
}

/** Shopify only sells active, published products, in stock unless they continue selling. */
function isSellable(shop: DsShop, variant: DsVariant): boolean {
  const product = shop.products.get(variant.productId);
  if (!product || product.status !== "ACTIVE" || product.publishedAt === null) return false;
  return variant.inventoryQuantity > 0 || variant.inventoryPolicy === "CONTINUE";
}

/** Popularity over the last 180 days (plus one, so new products can sell) and co-purchase partners. */
function learnMarket(shop: DsShop, fromMs: number): Market {
  const recentFrom = fromMs - 180 * DAY_MS;
  const sold = new Map<string, number>();
  const together = new Map<string, Map<string, number>>();
  for (const o of shop.orders.values()) {
    if (o.cancelledAt !== null) continue;
    const ids = [...new Set(o.lineItems.flatMap((l) => (l.variantId ? [l.variantId] : [])))];
    if (Date.parse(o.createdAt) >= recentFrom) for (const id of ids) sold.set(id, (sold.get(id) ?? 0) + 1);
    for (const a of ids) {
      for (const b of ids) {
        if (a === b) continue;
        const row = together.get(a) ?? new Map<string, number>();
        row.set(b, (row.get(b) ?? 0) + 1);
        together.set(a, row);
      }
    }
  }
  const sellable = (id: string): boolean => {
    const v = shop.variants.get(id);
    return v !== undefined && isSellable(shop, v);
  };
  const variants = [...shop.variants.values()].filter((v) => isSellable(shop, v) && Number(v.price) > 0);
  const partners = new Map<string, string[]>();
  for (const [a, row] of together) {
    const top = [...row.entries()].filter(([, n]) => n >= 2).sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1));
    partners.set(
      a,
      top.slice(0, 3).map(([b]) => b),
    );
  }
  return {
    variants,
    byId: shop.variants,
    popularityCum: cumulative(variants.map((v) => 1 + (sold.get(v.id) ?? 0))),
    partners,
    sellable,
  };
}

/** BG/NBD P(alive | x repeats, last at tx, observed for T), times in days. */
export function pAlive(x: number, tx: number, T: number): number {
  if (x === 0) return 1;
  const { r, alpha, a, b } = BGNBD;
  return 1 / (1 + (a / (b + x - 1)) * Math.pow((alpha + T) / (alpha + tx), r + x));
}

/**
 * P(at least one order in the next `days`) as the stand-in's behaviour model sees the customer:
 * BG/NBD P(alive) × (1 − e^(−rate·days)) with the gamma–Poisson posterior rate. Customers who
 * never ordered are judged by the time since they signed up.
 */
export function organicPurchaseProbability(p: Profile, fromMs: number, days: number): number {
  const first = p.times[0] ?? Date.parse(p.customer.createdAt);
  const x = Math.max(0, p.times.length - 1);
  const T = Math.max(0, (fromMs - first) / DAY_MS);
  const tx = p.times.length ? (p.times[p.times.length - 1] - first) / DAY_MS : 0;
  const rate = (BGNBD.r + x) / (BGNBD.alpha + T);
  return (p.times.length ? pAlive(x, tx, T) : 1) * (1 - Math.exp(-rate * days));
}

/** Mean and coefficient of variation of the gaps between orders (same-day orders merged). */
function gapStats(times: number[]): { mean: number; cv: number; gaps: number } {
  const days = [...new Set(times.map((t) => Math.floor(t / DAY_MS)))];
  const gaps = days.slice(1).map((d, i) => d - days[i]);
  if (gaps.length === 0) return { mean: 0, cv: Infinity, gaps: 0 };
  const mean = gaps.reduce((s, g) => s + g, 0) / gaps.length;
  const sd = Math.sqrt(gaps.reduce((s, g) => s + (g - mean) ** 2, 0) / gaps.length);
  return { mean, cv: sd / mean, gaps: gaps.length };
}

/** One customer's future orders in the window; `multiplier` scales Poisson rates. */
function profileEvents(
  rng: Rng,
  c: number,
  p: Profile,
  season: SeasonTable,
  opts: TimelineOptions,
  multiplier: number,
  timeline: Timeline,
): void {
  if (p.times.length === 0) return;
  const first = p.times[0];
  const last = p.times[p.times.length - 1];
  const x = p.times.length - 1;
  const T = (opts.startMs - first) / DAY_MS;
  if (!chance(rng, pAlive(x, (last - first) / DAY_MS, T))) return;
  const dropout = BGNBD.a / (BGNBD.a + BGNBD.b + x);
  const { mean, cv, gaps } = gapStats(p.times);
  if (gaps >= 3 && cv < 0.35) {
    // A re-buyer on a cycle: continue the rhythm from their last order.
    let next = last + mean * DAY_MS;
    while (next < opts.startMs) next += mean * DAY_MS;
    while (next < opts.endMs) {
      emit(rng, timeline, opts, next, c, EventKind.Cycle);
      if (chance(rng, dropout)) return;
      next += mean * Math.max(0.5, 1 + 0.12 * normal(rng)) * DAY_MS;
    }
    return;
  }
  const rate = ((BGNBD.r + x) / (BGNBD.alpha + T)) * multiplier;
  let now = opts.startMs;
  for (;;) {
    const next = season.nextArrival(rng, now, rate, opts.endMs);
    if (next === Infinity) return;
    emit(rng, timeline, opts, next, c, EventKind.Repeat);
    if (chance(rng, dropout)) return;
    now = next;
  }
}

function organicTimeline(
  rng: Rng,
  profiles: Profile[],
  season: SeasonTable,
  opts: TimelineOptions,
  count?: number,
): Timeline {
  const build = (multiplier: number, label: string): Timeline => {
    const timeline: Timeline = { times: [], customers: [], kinds: [] };
    const passRng = mulberry32(subSeed(Math.floor(rng() * 2 ** 32), label));
    profiles.forEach((p, c) => profileEvents(passRng, c, p, season, opts, multiplier, timeline));
    return timeline;
  };
  let timeline = build(1, "pass0");
  if (count === undefined) return timeline;
  let multiplier = 1;
  for (let pass = 1; pass < 6; pass++) {
    const repeats = timeline.kinds.filter((k) => k === EventKind.Repeat).length;
    const fixed = timeline.times.length - repeats;
    if (timeline.times.length >= count && timeline.times.length <= count * 1.06 + 5) break;
    if (fixed >= count || repeats === 0) break;
    multiplier *= Math.min(50, Math.max(0.02, ((count - fixed) * 1.03) / repeats));
    timeline = build(multiplier, `pass${pass}`);
  }
  const buyers = profiles.flatMap((p, c) => (p.times.length > 0 ? [c] : []));
  const pool = buyers.length ? buyers : profiles.map((_, c) => c);
  const keep = fitToCount(rng, timeline, count, { pool, earliestMs: () => opts.startMs }, season, opts);
  return {
    times: keep.map((i) => timeline.times[i]),
    customers: keep.map((i) => timeline.customers[i]),
    kinds: keep.map((i) => timeline.kinds[i]),
  };
}

/**
 * With the given probability, the customer uses the code: on their first organic order while the
 * code is valid, or else on an extra order (the incremental purchase an automation hopes for).
 */
function placeRedemption(
  shop: DsShop,
  rng: Rng,
  redeem: RedeemCode,
  c: number,
  timeline: Timeline,
  season: SeasonTable,
  opts: TimelineOptions,
  codes: Map<number, string>,
): void {
  if (!chance(rng, redeem.probability)) return;
  const discount = findDiscountCode(shop, redeem.code)?.discount;
  const validFrom = Math.max(opts.startMs, discount ? Date.parse(discount.startsAt) : -Infinity);
  const validTo = Math.min(opts.endMs, discount?.endsAt ? Date.parse(discount.endsAt) : Infinity);
  if (!(validTo > validFrom)) return;
  let best = -1;
  timeline.customers.forEach((cc, i) => {
    const t = timeline.times[i];
    if (cc === c && !codes.has(i) && t >= validFrom && t < validTo && (best < 0 || t < timeline.times[best])) best = i;
  });
  if (best < 0) {
    best = timeline.times.length;
    emit(
      rng,
      timeline,
      { ...opts, startMs: validFrom, endMs: validTo },
      season.sampleTime(rng, validFrom, validTo),
      c,
      EventKind.Repeat,
    );
  }
  codes.set(best, redeem.code);
}

/** 1–5 sellable variants: own re-buys, partners of the history, then popular items. */
function basket(rng: Rng, market: Market, profile: Profile): DsVariant[] {
  const size = pickWeighted(rng, BASKET_SIZES) + 1;
  const chosen: string[] = [];
  const add = (id: string | undefined): void => {
    if (id !== undefined && chosen.length < MAX_LINES && !chosen.includes(id) && market.sellable(id)) chosen.push(id);
  };
  for (let attempts = 0; chosen.length < size && attempts < size * 4; attempts++) {
    const u = rng();
    if (profile.bought.length && u < 0.35) add(pick(rng, profile.bought));
    else if (profile.bought.length && u < 0.55) {
      const partners = market.partners.get(pick(rng, profile.bought));
      if (partners?.length) add(pick(rng, partners));
    } else {
      const v = market.variants[pickWeighted(rng, market.popularityCum)];
      add(v.id);
      if (chance(rng, 0.4)) add(market.partners.get(v.id)?.[0]);
    }
  }
  if (chosen.length === 0) chosen.push(market.variants[pickWeighted(rng, market.popularityCum)].id);
  return chosen.map((id) => market.byId.get(id)!);
}
