/**
 * The automation demo's known truth (issue 13 item 4). `POST /_devstore/shops/<shop>/simulate`
 * receives every assigned customer of the automation's runs — treated with their code, held out
 * without — and decides, as the stand-in, who orders in the next `days`:
 *  - each customer's organic probability comes from the stand-in's own view of them (BG/NBD
 *    P(alive) and purchase rate from their history, simulate.ts), capped at MAX_ORGANIC_P;
 *  - a treated customer whose code was issued adds exactly DEMO_TRUE_UPLIFT to it, and orders
 *    with the code (inside its validity).
 * The cap keeps p + uplift ≤ 1 for everyone, so the true effect on conversion is exactly
 * +DEMO_TRUE_UPLIFT — the number the measured interval must cover. Everyone else in the shop keeps
 * buying organically. Orders reach the app as orders/create webhooks, like real ones.
 */
import { DAY_MS } from "../app/analytics/time";
import type { DsOrder, DsShop } from "./model.js";
import { chance, mulberry32, subSeed } from "./seed/random";
import type { Simulator } from "./server.js";
import {
  customerProfiles,
  latestOrderMs,
  organicPurchaseProbability,
  simulateOrders,
  type ScriptedCustomer,
} from "./simulate.js";
import { recordOrderCreated } from "./webhooks.js";
import { offerUplift, responseCurve } from "./offer-response";
import { findDiscountCode } from "./discount-factories.js";

/** The demo's true effect: +25 percentage points of conversion for a treated customer. */
export const DEMO_TRUE_UPLIFT = 0.25;
export const MAX_ORGANIC_P = 1 - DEMO_TRUE_UPLIFT;

export interface UpliftCustomer {
  customerId: string;
  arm: "TREATMENT" | "HOLDOUT";
  /** The issued code; null/absent = no offer reached them (no uplift). */
  code?: string | null;
  /**
   * Offer tests (issue #18): the customer's segment. When given, a percentage code adds the
   * segment's response to its depth (offer-response.ts) instead of the flat DEMO_TRUE_UPLIFT, and
   * organic buying is capped at 1 − the segment's largest response (holdout too, so the arms stay
   * comparable and the truth exact).
   */
  segment?: string;
}

export interface UpliftOptions {
  fromMs: number;
  days: number;
  seed: number;
  customers: readonly UpliftCustomer[];
  uplift?: number;
  onOrder?: (order: DsOrder) => void;
}

export interface UpliftResult {
  orders: number;
  redeemed: number;
  treatedBuyers: number;
  holdoutBuyers: number;
  trueUplift: number;
  from: string;
  to: string;
}

/** Who buys, per the model above; each customer's draw depends only on (seed, customer). */
export function decideBuyers(
  shop: DsShop,
  opts: Pick<UpliftOptions, "fromMs" | "days" | "seed" | "customers" | "uplift">,
): ScriptedCustomer[] {
  const uplift = opts.uplift ?? DEMO_TRUE_UPLIFT;
  const profiles = new Map(customerProfiles(shop).map((p) => [p.customer.id, p]));
  return [...opts.customers]
    .filter((c) => profiles.has(c.customerId))
    .sort((a, b) => (a.customerId < b.customerId ? -1 : 1))
    .map((c) => {
      const cap = c.segment ? Math.min(MAX_ORGANIC_P, 1 - responseCurve(c.segment).a) : MAX_ORGANIC_P;
      const organic = Math.min(cap, organicPurchaseProbability(profiles.get(c.customerId)!, opts.fromMs, opts.days));
      const offered = c.arm === "TREATMENT" && !!c.code;
      const depth = offered && c.segment ? percentageOf(shop, c.code!) : null;
      const added = depth !== null ? offerUplift(c.segment!, depth) : uplift;
      const buys = chance(mulberry32(subSeed(opts.seed, c.customerId)), organic + (offered ? added : 0));
      return { customerId: c.customerId, buys, code: offered ? c.code : null };
    });
}

/** The percentage off of a code's discount in the stand-in, or null (fixed amounts keep the flat uplift). */
function percentageOf(shop: DsShop, code: string): number | null {
  const value = findDiscountCode(shop, code)?.discount.value;
  return value && "percentage" in value ? value.percentage : null;
}

export function simulateUplift(shop: DsShop, opts: UpliftOptions): UpliftResult {
  // After the latest order, so a second simulation continues the timeline instead of failing.
  const fromMs = Math.max(opts.fromMs, latestOrderMs(shop) + 1000);
  const toMs = fromMs + opts.days * DAY_MS;
  const scripted = decideBuyers(shop, { ...opts, fromMs });
  const arm = new Map(opts.customers.map((c) => [c.customerId, c.arm]));
  const orders = simulateOrders(shop, {
    from: new Date(fromMs).toISOString(),
    to: new Date(toMs).toISOString(),
    seed: opts.seed,
    scripted,
    onOrder: opts.onOrder,
  });
  const buyers = scripted.filter((s) => s.buys);
  return {
    orders: orders.length,
    redeemed: orders.filter((o) => o.discountCodes.length > 0).length,
    treatedBuyers: buyers.filter((b) => arm.get(b.customerId) === "TREATMENT").length,
    holdoutBuyers: buyers.filter((b) => arm.get(b.customerId) === "HOLDOUT").length,
    trueUplift: opts.uplift ?? DEMO_TRUE_UPLIFT,
    from: new Date(fromMs).toISOString(),
    to: new Date(toMs).toISOString(),
  };
}

/** The stand-in endpoint: `{ days, seed, customers }` → simulated orders, fired as webhooks. */
export const upliftSimulator: Simulator = (shop, params, env) => {
  const customers = Array.isArray(params.customers) ? (params.customers as UpliftCustomer[]) : [];
  return simulateUplift(shop, {
    fromMs: env.clock(),
    days: Number(params.days ?? 30),
    seed: Number(params.seed ?? 1),
    customers: customers
      .filter((c) => typeof c?.customerId === "string" && (c.arm === "TREATMENT" || c.arm === "HOLDOUT"))
      .map((c) => ({ ...c, segment: typeof c.segment === "string" ? c.segment : undefined })),
    onOrder: (order) => recordOrderCreated(shop, order),
  });
};
