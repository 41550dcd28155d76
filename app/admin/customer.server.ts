import { productTitles } from "../models/admin-catalog.server";
import { getCustomerContact, listCustomerOrders } from "../models/admin-customers.server";
import { displayName, getCustomerScore } from "../models/admin-scores.server";
import { getRecommendations } from "../models/recommendations.server";
import { listCustomerOrdersForScoring } from "../models/scoring-input.server";
import { getShop } from "../models/shops.server";
import type { AdminDeps } from "./deps.server";
import { humanizeReasons } from "./reasons.server";
import { daysBetweenOrders, purchaseFacts, type PurchaseFacts } from "./purchase-facts.server";
import { loadRuns, segmentSlug, segmentWhy } from "./runs.server";

/**
 * The customer page: who they are, their order timeline, and every prediction with a sentence
 * saying where it comes from — built from the same facts the models used (purchase days, rhythm,
 * time since the last order), so a merchant can check the reasoning against the timeline.
 */

export const LIST_LENGTH = 8;
/** Latest orders on the timeline (the page says how many more there are). */
export const TIMELINE_LENGTH = 25;

export type Level = "low" | "medium" | "high";

export function churnLevel(risk: number): Level {
  return risk >= 0.7 ? "high" : risk >= 0.4 ? "medium" : "low";
}

export async function getCustomerPage(deps: AdminDeps, shop: string, numericId: string) {
  if (!/^\d{1,20}$/.test(numericId)) throw new Response("Not found", { status: 404 });
  const gid = `gid://shopify/Customer/${numericId}`;
  const { prisma } = deps;
  const [shopRow, contact, score, timeline, runs, forYou, discovery] = await Promise.all([
    getShop(prisma, shop),
    getCustomerContact(prisma, shop, gid),
    getCustomerScore(prisma, shop, gid),
    listCustomerOrders(prisma, shop, gid, TIMELINE_LENGTH),
    loadRuns(prisma, shop),
    getRecommendations(prisma, shop, "FOR_YOU", [gid]),
    getRecommendations(prisma, shop, "DISCOVERY", [gid]),
  ]);
  if (!contact) throw new Response("Customer not found", { status: 404 });
  // The score's own "as of" (a rescore after a webhook, or its run's asOf): the facts beside it
  // are computed at the same instant from the same orders, so they cannot disagree with it.
  const asOf = score?.scoredAt ?? runs.completed?.asOf ?? deps.now();
  const horizonDays = runs.completed?.horizonDays ?? 90;
  const timeZone = shopRow?.ianaTimezone ?? null;
  const facts = purchaseFacts(await listCustomerOrdersForScoring(prisma, shop, gid, asOf), asOf, timeZone);
  const forYouItems = await humanizeReasons(prisma, shop, (forYou.get(gid) ?? []).slice(0, LIST_LENGTH), {
    thirdPerson: true,
  });
  const discoveryItems = await humanizeReasons(prisma, shop, (discovery.get(gid) ?? []).slice(0, LIST_LENGTH), {
    thirdPerson: true,
  });
  const titles = await productTitles(
    prisma,
    shop,
    [...forYouItems, ...discoveryItems, ...timeline.orders.flatMap((o) => o.lines)]
      .map((i) => ("gid" in i ? i.gid : i.productGid))
      .filter((g): g is string => !!g),
  );
  const redacted = contact.redactedAt !== null;
  const currency = shopRow?.currencyCode ?? "USD";

  return {
    gid,
    name: redacted ? "(redacted customer)" : displayName(contact),
    email: redacted ? null : contact.email,
    tags: contact.tags,
    marketingState: contact.marketingState,
    customerSince: contact.shopifyCreated.toISOString(),
    currency,
    horizonDays,
    timeZone,
    asOf: asOf.toISOString(),
    facts: {
      orders: facts.orders,
      purchaseDays: facts.purchaseDays,
      spendMinor: facts.spendMinor,
      firstOrderAt: facts.firstOrderAt?.toISOString() ?? null,
      lastOrderAt: facts.lastOrderAt?.toISOString() ?? null,
    },
    score: score ? explainScore(score, facts, { horizonDays, currency, timeZone }) : null,
    // Orders placed after the score's "as of": shown on the timeline, named next to the score until
    // the rescore that follows their webhook lands (D36).
    newerOrders: timeline.orders.filter((o) => !o.cancelled && o.createdAt >= asOf).length,
    orders: timeline.orders.map((o, i) => {
      const previous = timeline.orders[i + 1];
      return {
        ...o,
        createdAt: o.createdAt.toISOString(),
        daysAfterPrevious: previous ? daysBetweenOrders(previous.createdAt, o.createdAt, timeZone) : null,
        lines: o.lines.map((l) => ({ ...l, title: (l.productGid && titles.get(l.productGid)?.title) || l.name })),
      };
    }),
    totalOrders: timeline.total,
    recommendations: {
      forYou: forYouItems.map((i) => ({ ...i, title: titles.get(i.gid)?.title ?? i.gid })),
      discovery: discoveryItems.map((i) => ({ ...i, title: titles.get(i.gid)?.title ?? i.gid })),
    },
  };
}

type Score = NonNullable<Awaited<ReturnType<typeof getCustomerScore>>>;

const pct = (v: number) => (v < 0.01 ? "<1%" : v > 0.99 ? ">99%" : `${Math.round(v * 100)}%`);
const dayIn = (d: Date, timeZone: string) =>
  d.toLocaleDateString("en-US", { year: "numeric", month: "short", day: "numeric", timeZone });

/**
 * The next-order prediction (D34): BG/NBD timing recalibrated on the shop's history, given as
 * "if they order within the horizon" — a date, its 80 % range and the expected order value. Runs
 * before the columns existed fall back to the usual-gap estimate from the purchase facts (D36).
 */
function nextOrderView(
  s: Score,
  f: PurchaseFacts,
  ctx: { H: number; money: (minor: number) => string; timeZone: string | null },
): { value: string; why: string } {
  const { H, money } = ctx;
  // The stored dates (nextOrder*At, dueDate) are shop-calendar dates already (UTC midnight of
  // that day), so they print in UTC; an instant (the last order) prints in the shop's zone.
  const day = (d: Date) => dayIn(d, "UTC");
  const chanceText = `${pct(s.pPurchase)} chance of an order in the next ${H} days`;
  if (s.nextOrderAt && s.nextOrderLowAt && s.nextOrderHighAt) {
    const range = `${day(s.nextOrderLowAt)} – ${day(s.nextOrderHighAt)}`;
    const value = s.nextOrderValueMinor > 0 ? `, spending about ${money(s.nextOrderValueMinor)} that day` : "";
    return {
      value:
        s.pPurchase < 0.1
          ? `Unlikely (${pct(s.pPurchase)}) before ${day(s.nextOrderHighAt)}`
          : `Around ${day(s.nextOrderAt)}`,
      why: `${chanceText[0].toUpperCase()}${chanceText.slice(1)}. If they do order, most likely around ${day(s.nextOrderAt)} (80% between ${range})${value}: their own rhythm, with the timing checked against when your customers really came back.`,
    };
  }
  if (f.gapDays !== null && f.lastOrderAt && f.dueDate) {
    return {
      value: f.overdue ? `Overdue since ${day(f.dueDate)}` : `Around ${day(f.dueDate)}`,
      why: `Their usual gap of ${f.gapDays} days after the last order (${dayIn(f.lastOrderAt, ctx.timeZone ?? "UTC")}); ${chanceText}.`,
    };
  }
  return {
    value: `${pct(s.pPurchase)} chance within ${H} days`,
    why: `No repeat purchase yet, so there is no personal rhythm to project; this is how often customers with a similar first order came back. Expected orders in ${H} days: ${s.expectedOrders.toFixed(2)}.`,
  };
}

/** Each prediction with its plain-language reason; every day count comes from `f` (purchase-facts.server.ts). */
export function explainScore(
  s: Score,
  f: PurchaseFacts,
  ctx: { horizonDays: number; currency: string; timeZone: string | null },
) {
  const money = (minor: number) =>
    new Intl.NumberFormat("en-US", { style: "currency", currency: ctx.currency }).format(minor / 100);
  const H = ctx.horizonDays;
  const { recencyDays, gapDays } = f;
  const aovMinor = f.orders > 0 ? f.spendMinor / f.orders : 0;
  const since =
    recencyDays === null
      ? "no orders yet"
      : recencyDays === 0
        ? "the last order was today"
        : `the last order was ${recencyDays} ${recencyDays === 1 ? "day" : "days"} ago`;

  const aliveWhy =
    gapDays === null
      ? `One purchase day so far. The model cannot see a rhythm yet, so it assumes one-time buyers are still reachable (P(alive) stays high); their ${pct(s.pPurchase)} chance of ordering in ${H} days is the better signal.`
      : `Bought on ${f.purchaseDays} different days, about every ${gapDays} days; ${since}. ${
          recencyDays !== null && recencyDays > gapDays * 2
            ? "That is well past their usual gap, which is what pulls this down."
            : recencyDays !== null && recencyDays > gapDays * 1.25
              ? "That is a little past their usual gap."
              : "That is within their usual rhythm."
        }`;

  const nextOrder = nextOrderView(s, f, { H, money, timeZone: ctx.timeZone });
  const valueAtStake = {
    value: money(s.valueAtStakeMinor),
    why: `They used to spend about ${money(s.spendPerPeriodMinor)} per ${H} days while they were ordering. With a ${pct(s.churnRisk)} chance of no order in the next ${H} days without a nudge, that is what is at stake.`,
  };

  const risk = churnLevel(s.churnRisk);
  return {
    /** The score's own timestamp: every prediction on the page is "as of" it. */
    scoredAt: s.scoredAt.toISOString(),
    segment: {
      value: s.segment,
      href: `/app/segments/${segmentSlug(s.segment)}`,
      why: `${segmentWhy(s.segment)[0]?.toUpperCase() ?? ""}${segmentWhy(s.segment).slice(1)}. Scores: recency ${s.rfmR}/5, frequency ${s.rfmF}/5, spend ${s.rfmM}/5 — relative to your other customers.`,
    },
    pAlive: { value: pct(s.pAlive), raw: s.pAlive, why: aliveWhy },
    nextOrder,
    valueAtStake,
    clv: {
      value: `${money(s.clvLowMinor)} – ${money(s.clvHighMinor)}`,
      expected: money(s.clvMinor),
      why: `Expected revenue over the next ${H} days: ${money(s.clvMinor)} (≈ ${s.expectedOrders.toFixed(2)} orders × their typical order value${aovMinor ? ` of about ${money(aovMinor)}` : ""}). The range is the central 80% given how uncertain the model's parameters are for your shop.`,
    },
    churn: {
      value: pct(s.churnRisk),
      raw: s.churnRisk,
      level: risk,
      why: `${pct(s.churnRisk)} chance of no order in the next ${H} days. ${s.explanation[0]?.toUpperCase() ?? ""}${s.explanation.slice(1)}.`,
    },
  };
}
