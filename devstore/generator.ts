/**
 * Seeded, realistic shop for the Shopify stand-in: a coffee & tea catalogue with complementary
 * products, customers following a BG/NBD-like story (heterogeneous rates, silent dropout, one-time
 * buyers, VIPs, periodic re-buyers of consumables) and orders with seasonality, discount codes,
 * refunds and cancellations. Same options → byte-identical shop; nothing reads the clock or
 * Math.random. 100k orders take a few seconds.
 *
 * Longer than 300 lines on purpose: one seeded generation pass whose steps share the rng order;
 * moving steps apart would make the byte-identical-output guarantee harder to see.
 */
import {
  addRefund,
  cancelOrder,
  isoSeconds,
  makeCustomer,
  makeDiscountCode,
  makeOrder,
  type OrderLineInput,
} from "./factories.js";
import type { DsCustomer, DsOrder, DsShop, DsVariant } from "./model.js";
import { parseMinor } from "./money.js";
import { createEmptyShop } from "./shop.js";
import { buildCatalogue, CATEGORIES, type Catalogue } from "./seed/catalogue";
import {
  buildTimeline,
  drawTraits,
  EventKind,
  fitToCount,
  topUpFromTraits,
  type CustomerTraits,
  type Timeline,
} from "./seed/customers";
import { chance, cumulative, intBetween, mulberry32, pick, pickWeighted, subSeed, type Rng } from "./seed/random";
import { SeasonTable } from "./seed/seasonality";
import { EMAIL_DOMAINS, FIRST_NAMES, LAST_NAMES } from "./seed/words";
import { DAY_MS } from "../app/analytics/time";

export interface GenerateShopOptions {
  domain: string;
  seed: number;
  /** Default 300. */
  products?: number;
  /** Default 3000. */
  customers?: number;
  /** Exact number of orders. Default 20000. */
  orders?: number;
  /** Window of order creation, ISO timestamps; orders fall in [start, end). */
  start: string;
  end: string;
  /** Default "USD". */
  currencyCode?: string;
}

/** Shop-wide rules of the generated store (also used for simulated orders). */
export const SHOP_RULES = {
  taxRate: 0.07,
  freeShippingMinor: 5000,
  shipping: "5.95",
  /** The shop is in New York; orders cluster at local lunch and evening hours. */
  timezone: "America/New_York",
  utcOffsetHours: -5,
} as const;
/** Line counts 1…5 (before complements are added). */
const BASKET_SIZES = cumulative([0.34, 0.28, 0.19, 0.12, 0.07]);
const MAX_LINES = 5;

/** Builds the whole shop. Throws on an empty window or orders without customers. */
export function generateShop(opts: GenerateShopOptions): DsShop {
  const startMs = Date.parse(opts.start);
  const endMs = Date.parse(opts.end);
  if (!(endMs > startMs)) throw new RangeError(`generateShop: end (${opts.end}) must be after start (${opts.start})`);
  const orderCount = opts.orders ?? 20000;
  const customerCount = opts.customers ?? 3000;
  if (orderCount > 0 && customerCount < 1) throw new RangeError("generateShop: orders need at least one customer");

  const shop = createEmptyShop(opts.domain, {
    currencyCode: opts.currencyCode ?? "USD",
    ianaTimezone: SHOP_RULES.timezone,
  });
  // The table also covers the two years before the window, where pre-existing customers started.
  const season = new SeasonTable(startMs - 730 * DAY_MS, endMs);
  const catalogue = buildCatalogue(
    shop,
    mulberry32(subSeed(opts.seed, "catalogue")),
    opts.products ?? 300,
    startMs,
    endMs,
  );
  const traits = drawTraits(mulberry32(subSeed(opts.seed, "traits")), customerCount, catalogue, season, startMs, endMs);
  const { timeline, keep } = calibratedTimeline(opts.seed, traits, season, orderCount, startMs, endMs);
  const customers = insertCustomers(shop, mulberry32(subSeed(opts.seed, "customers")), traits, timeline, keep);
  const codes = insertDiscountCodes(shop, startMs);
  writeOrders(shop, mulberry32(subSeed(opts.seed, "orders")), {
    catalogue,
    traits,
    customers,
    timeline,
    keep,
    codes,
    endMs,
  });
  return shop;
}

/**
 * Finds the Poisson rate multiplier that makes the behavioural model produce about the requested
 * number of orders (a few passes of a cheap simulation), then trims or tops up to exactly that many.
 */
function calibratedTimeline(
  seed: number,
  traits: CustomerTraits[],
  season: SeasonTable,
  target: number,
  startMs: number,
  endMs: number,
): { timeline: Timeline; keep: number[] } {
  const base = { startMs, endMs, utcOffsetHours: SHOP_RULES.utcOffsetHours };
  let multiplier = 1;
  let timeline = buildTimeline(mulberry32(subSeed(seed, "timeline")), traits, season, {
    ...base,
    rateMultiplier: multiplier,
  });
  for (let pass = 0; pass < 6; pass++) {
    const repeats = timeline.kinds.reduce<number>((n, k) => n + (k === EventKind.Repeat ? 1 : 0), 0);
    const fixed = timeline.times.length - repeats;
    const total = timeline.times.length;
    if (total >= target && total <= target * 1.06 + 5) break;
    if (fixed >= target || repeats === 0) break;
    // Aim 3% high so the trim, not a top-up, absorbs the noise.
    multiplier *= Math.min(50, Math.max(0.02, ((target - fixed) * 1.03) / repeats));
    timeline = buildTimeline(mulberry32(subSeed(seed, `timeline${pass}`)), traits, season, {
      ...base,
      rateMultiplier: multiplier,
    });
  }
  const keep = fitToCount(mulberry32(subSeed(seed, "fit")), timeline, target, topUpFromTraits(traits), season, {
    ...base,
    rateMultiplier: multiplier,
  });
  return { timeline, keep };
}

// ---------------------------------------------------------------------------------------------
// Customers

/** Fake but plausible identity: "ava.nguyen123@example.com" (reserved example.* domains). */
function identity(rng: Rng, n: number): { firstName: string; lastName: string; email: string } {
  const firstName = pick(rng, FIRST_NAMES);
  const lastName = pick(rng, LAST_NAMES);
  const local = chance(rng, 0.7) ? `${firstName}.${lastName}` : `${firstName[0]}${lastName}`;
  return { firstName, lastName, email: `${local.toLowerCase()}${n}@${pick(rng, EMAIL_DOMAINS)}` };
}

function marketingState(rng: Rng): DsCustomer["marketingState"] {
  const u = rng();
  return u < 0.6 ? "SUBSCRIBED" : u < 0.85 ? "NOT_SUBSCRIBED" : u < 0.97 ? "UNSUBSCRIBED" : "PENDING";
}

function customerTags(rng: Rng, t: CustomerTraits): string[] {
  const tags: string[] = [];
  if (t.kind === "vip") tags.push("VIP");
  if (t.kind === "cycle" && chance(rng, 0.4)) tags.push("subscription");
  if (chance(rng, 0.03)) tags.push("wholesale");
  if (chance(rng, 0.05)) tags.push("local-pickup");
  return tags;
}

/**
 * Inserts customers ordered by signup time (so their ids ascend with createdAt). A customer signs up
 * minutes before their first order, or at an earlier time when they pre-date the window.
 */
function insertCustomers(
  shop: DsShop,
  rng: Rng,
  traits: CustomerTraits[],
  timeline: Timeline,
  keep: number[],
): DsCustomer[] {
  const firstOrder = new Float64Array(traits.length).fill(Infinity);
  for (const e of keep)
    firstOrder[timeline.customers[e]] = Math.min(firstOrder[timeline.customers[e]], timeline.times[e]);
  const signup = traits.map((t, c) =>
    t.preexisting ? t.acquiredMs : Math.min(t.acquiredMs, firstOrder[c]) - intBetween(rng, 60, 1800) * 1000,
  );
  const order = traits.map((_, c) => c).sort((a, b) => signup[a] - signup[b] || a - b);
  const customers: DsCustomer[] = new Array(traits.length);
  for (const c of order) {
    const createdAt = isoSeconds(signup[c]);
    customers[c] = makeCustomer(shop, {
      ...identity(rng, c + 1),
      tags: customerTags(rng, traits[c]),
      marketingState: marketingState(rng),
      createdAt,
    });
  }
  return customers;
}

// ---------------------------------------------------------------------------------------------
// Discount codes

interface ShopCodes {
  welcome: string;
  everyday: string;
  thanks: string;
  bfcm: string;
}

/** The shop's standing promotions; orders redeem them by code. */
function insertDiscountCodes(shop: DsShop, startMs: number): ShopCodes {
  const startsAt = isoSeconds(startMs - 30 * DAY_MS);
  makeDiscountCode(shop, {
    code: "WELCOME10",
    title: "Welcome 10%",
    percentage: 0.1,
    startsAt,
    appliesOncePerCustomer: true,
  });
  makeDiscountCode(shop, { code: "SAVE15", title: "Newsletter 15%", percentage: 0.15, startsAt });
  makeDiscountCode(shop, { code: "THANKYOU5", title: "Thank you $5", amount: "5.00", startsAt });
  makeDiscountCode(shop, { code: "BFCM25", title: "Black Friday 25%", percentage: 0.25, startsAt });
  return { welcome: "WELCOME10", everyday: "SAVE15", thanks: "THANKYOU5", bfcm: "BFCM25" };
}

function isBfcm(ms: number): boolean {
  const d = new Date(ms);
  const m = d.getUTCMonth();
  const day = d.getUTCDate();
  return (m === 10 && day >= 22) || (m === 11 && day <= 2);
}

function chooseCode(rng: Rng, codes: ShopCodes, ms: number, isFirstOrder: boolean): string | null {
  if (isBfcm(ms) && chance(rng, 0.3)) return codes.bfcm;
  if (isFirstOrder && chance(rng, 0.12)) return codes.welcome;
  if (chance(rng, 0.03)) return codes.everyday;
  if (!isFirstOrder && chance(rng, 0.015)) return codes.thanks;
  return null;
}

// ---------------------------------------------------------------------------------------------
// Baskets

interface OrderContext {
  catalogue: Catalogue;
  traits: CustomerTraits[];
  customers: DsCustomer[];
  timeline: Timeline;
  keep: number[];
  codes: ShopCodes;
  endMs: number;
}

/** Per-customer memory while orders are written in time order. */
interface CustomerState {
  orders: number;
  /** Consumables bought so far as item × 8 + variant (duplicates = frequency weighting). */
  history: number[];
}

/** A line being assembled: catalogue item, variant index, quantity. */
type DraftLine = { item: number; variant: number; quantity: number };

const consumableQuantity = (rng: Rng): number => (rng() < 0.7 ? 1 : rng() < 0.75 ? 2 : 3);
const durableQuantity = (rng: Rng): number => (rng() < 0.92 ? 1 : 2);

/** A fresh product by category taste, brand loyalty and popularity; -1 when nothing has launched yet. */
function pickFresh(rng: Rng, ctx: OrderContext, t: CustomerTraits, ms: number): number {
  const { catalogue } = ctx;
  for (let tries = 0; tries < 8; tries++) {
    const category = pickWeighted(rng, t.categoryCum);
    if (category < 0) return -1;
    const loyal = chance(rng, t.vendorLoyalty)
      ? catalogue.byVendor.get(`${category}|${t.favouriteVendor[category]}`)
      : undefined;
    const index = loyal ?? catalogue.byCategory[category];
    const k = pickWeighted(rng, index.cum);
    if (k >= 0 && catalogue.items[index.items[k]].createdMs <= ms) return index.items[k];
  }
  return -1;
}

function addLine(rng: Rng, ctx: OrderContext, lines: DraftLine[], item: number, variant?: number): void {
  const it = ctx.catalogue.items[item];
  const v = variant ?? Math.max(0, pickWeighted(rng, it.variantCum));
  if (lines.some((l) => l.item === item)) return; // one variant of a product per basket
  lines.push({ item, variant: v, quantity: it.consumable ? consumableQuantity(rng) : durableQuantity(rng) });
}

/** Complements ride along: a brewer pulls its filters (and often a coffee) into the basket. */
function addPartners(rng: Rng, ctx: OrderContext, lines: DraftLine[], item: number, ms: number): void {
  for (const partner of ctx.catalogue.items[item].partners) {
    if (lines.length >= MAX_LINES) return;
    if (ctx.catalogue.items[partner].createdMs <= ms && chance(rng, 0.55)) addLine(rng, ctx, lines, partner);
  }
}

function basketLines(
  rng: Rng,
  ctx: OrderContext,
  c: number,
  state: CustomerState,
  ms: number,
  kind: EventKind,
): DraftLine[] {
  const t = ctx.traits[c];
  const { catalogue } = ctx;
  const lines: DraftLine[] = [];
  let size = pickWeighted(rng, BASKET_SIZES) + 1;
  if (kind === EventKind.Cycle && t.favouriteItem >= 0 && catalogue.items[t.favouriteItem].createdMs <= ms) {
    addLine(rng, ctx, lines, t.favouriteItem, t.favouriteVariant);
    size = chance(rng, 0.5) ? 1 : size;
  }
  for (let attempts = 0; lines.length < size && attempts < size * 3; attempts++) {
    const rebuy = state.history.length > 0 && chance(rng, t.repeatShare);
    const code = rebuy ? pick(rng, state.history) : -1;
    const item = rebuy ? code >> 3 : pickFresh(rng, ctx, t, ms);
    if (item < 0) continue;
    addLine(rng, ctx, lines, item, rebuy ? code & 7 : undefined);
    if (!rebuy) addPartners(rng, ctx, lines, item, ms);
  }
  const holiday = new Date(ms).getUTCMonth() >= 10;
  if (catalogue.giftCard >= 0 && chance(rng, holiday ? 0.04 : 0.012)) addLine(rng, ctx, lines, catalogue.giftCard);
  if (catalogue.sample >= 0 && lines.length > 0 && chance(rng, 0.03)) addLine(rng, ctx, lines, catalogue.sample, 0);
  if (lines.length === 0) addLine(rng, ctx, lines, oldestSellable(catalogue));
  return lines;
}

/** Fallback item for a basket that found nothing launched: the oldest regular product. */
function oldestSellable(catalogue: Catalogue): number {
  let best = -1;
  catalogue.items.forEach((it, i) => {
    if (it.category >= 0 && (best < 0 || it.createdMs < catalogue.items[best].createdMs)) best = i;
  });
  return best >= 0 ? best : 0;
}

function remember(ctx: OrderContext, state: CustomerState, lines: DraftLine[]): void {
  for (const l of lines) {
    if (!ctx.catalogue.items[l.item].consumable) continue;
    state.history.push(l.item * 8 + l.variant);
    if (state.history.length > 40) state.history.shift();
  }
}

/** Physical goods under the free-shipping threshold pay flat-rate shipping; gift cards ship free. */
export function flatRateShipping(shop: DsShop, lines: { variant: DsVariant; quantity: number }[]): string {
  let physical = 0;
  for (const l of lines) {
    if (!shop.products.get(l.variant.productId)?.isGiftCard) physical += parseMinor(l.variant.price) * l.quantity;
  }
  return physical > 0 && physical < SHOP_RULES.freeShippingMinor ? SHOP_RULES.shipping : "0.00";
}

// ---------------------------------------------------------------------------------------------
// Orders

/** ~1% cancelled (voided or refunded), ~3% refunded in full or in part, after the order, before the end. */
function afterSales(shop: DsShop, rng: Rng, order: DsOrder, createdMs: number, endMs: number): void {
  const room = Math.max(0, endMs - 1000 - createdMs);
  const u = rng();
  if (u < 0.01) {
    const at = isoSeconds(createdMs + Math.min(room, intBetween(rng, 1800, 48 * 3600) * 1000));
    cancelOrder(shop, order, { at, refund: chance(rng, 0.5) });
  } else if (u < 0.04) {
    const at = isoSeconds(createdMs + Math.min(room, intBetween(rng, 2, 30) * DAY_MS));
    if (chance(rng, 0.4)) {
      addRefund(shop, order, { createdAt: at });
    } else {
      const line = pick(rng, order.lineItems);
      addRefund(shop, order, {
        createdAt: at,
        lines: [{ lineItemId: line.id, quantity: intBetween(rng, 1, line.quantity) }],
      });
    }
  }
}

/** Writes the kept events as orders in time order, so order ids and names ascend with createdAt. */
function writeOrders(shop: DsShop, rng: Rng, ctx: OrderContext): void {
  const states: CustomerState[] = ctx.traits.map(() => ({ orders: 0, history: [] }));
  for (const e of ctx.keep) {
    const c = ctx.timeline.customers[e];
    const ms = ctx.timeline.times[e];
    const state = states[c];
    const drafts = basketLines(rng, ctx, c, state, ms, ctx.timeline.kinds[e]);
    const lines = drafts.map((l) => ({ ...l, variant: ctx.catalogue.items[l.item].variants[l.variant] }));
    const code = chooseCode(rng, ctx.codes, ms, state.orders === 0);
    const order = makeOrder(shop, {
      customer: ctx.customers[c],
      lines: lines.map((l): OrderLineInput => ({ variant: l.variant, quantity: l.quantity })),
      createdAt: isoSeconds(ms),
      discountCodes: code ? [code] : [],
      shipping: flatRateShipping(shop, lines),
      taxRate: SHOP_RULES.taxRate,
    });
    afterSales(shop, rng, order, ms, ctx.endMs);
    state.orders++;
    remember(ctx, state, drafts);
  }
}

/** Category keys of the generated catalogue (for tests and demo copy). */
export const GENERATED_CATEGORIES = CATEGORIES.map((c) => c.key);
