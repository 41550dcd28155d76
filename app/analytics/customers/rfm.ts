/**
 * RFM scores (1–5) and Shopify's 11 RFM group names. Shopify documents the groups only in words
 * (Admin GraphQL enum `CustomerRfmGroup`); the grid below is our deterministic reading of those
 * words on (R, FM), documented in docs/customer-models.md.
 */

export const RFM_GROUPS = [
  "Champions",
  "Loyal",
  "Active",
  "Promising",
  "New",
  "Needs attention",
  "At risk",
  "Almost lost",
  "Dormant",
  "Previously loyal",
  "Prospects",
] as const;
export type RfmGroup = (typeof RFM_GROUPS)[number];

export interface RfmScore {
  r: number;
  f: number;
  m: number;
}

export interface RfmInput {
  recencyDays: number;
  orderCount: number;
  totalSpend: number;
}

/**
 * Quintile-style score in 1..5 = 1 + ⌊5 · (share of customers strictly worse)⌋. Ties share a
 * score (no arbitrary split of equal customers across quintiles) and a tie block gets the score of
 * its bottom edge: in a shop where 70 % bought once, every one-time buyer is F = 1 and the first
 * repeat purchase lifts a customer to F = 4. When everyone has the same value the dimension carries
 * no information and all get the neutral 3. Works for any n ≥ 1 (tiny shops simply use fewer levels).
 */
export function relativeScores(values: readonly number[], higherIsBetter: boolean): number[] {
  const n = values.length;
  if (n === 0) return [];
  const keyed = values.map((v, i) => ({ v: Number.isFinite(v) ? (higherIsBetter ? v : -v) : -Infinity, i }));
  keyed.sort((p, q) => p.v - q.v);
  if (keyed[0].v === keyed[n - 1].v) return new Array<number>(n).fill(3);
  const out = new Array<number>(n);
  let start = 0;
  while (start < n) {
    let end = start;
    while (end + 1 < n && keyed[end + 1].v === keyed[start].v) end++;
    const score = Math.min(5, 1 + Math.floor((5 * start) / n));
    for (let k = start; k <= end; k++) out[keyed[k].i] = score;
    start = end + 1;
  }
  return out;
}

/** R from days since the last order (fewer is better), F from order count, M from total spend. */
export function rfmScores(customers: readonly RfmInput[]): RfmScore[] {
  const r = relativeScores(
    customers.map((c) => c.recencyDays),
    false,
  );
  const f = relativeScores(
    customers.map((c) => c.orderCount),
    true,
  );
  const m = relativeScores(
    customers.map((c) => c.totalSpend),
    true,
  );
  return customers.map((_, i) => ({ r: r[i], f: f[i], m: m[i] }));
}

/** Combined frequency–monetary score: the mean of F and M, halves rounded up. */
export function fmScore(s: Pick<RfmScore, "f" | "m">): number {
  return Math.round((s.f + s.m) / 2);
}

/** One row of the rule table: first matching row wins; ranges are inclusive. */
export interface RfmRule {
  group: RfmGroup;
  r: [number, number];
  fm: [number, number];
  /** Restricts the row to customers with exactly this many orders (e.g. New = first order). */
  orders?: "none" | "one" | "repeat";
  why: string;
}

/**
 * The rule table (data, so the docs and tests can print and check it). Every (R, FM, orders)
 * combination matches exactly one row; the last rows are catch-alls.
 */
export const RFM_RULES: readonly RfmRule[] = [
  { group: "Prospects", r: [1, 5], fm: [1, 5], orders: "none", why: "no orders yet" },
  { group: "Champions", r: [5, 5], fm: [4, 5], why: "very recent purchase, many orders, the most spend" },
  { group: "Loyal", r: [3, 4], fm: [4, 5], why: "recent purchase, many orders, the most spend" },
  { group: "New", r: [5, 5], fm: [1, 2], orders: "one", why: "very recent first order, low spend so far" },
  { group: "Promising", r: [4, 5], fm: [1, 2], why: "recent purchase, few orders, low spend" },
  { group: "Active", r: [4, 5], fm: [3, 3], why: "recent purchase, some orders, moderate spend" },
  {
    group: "Needs attention",
    r: [3, 3],
    fm: [1, 3],
    why: "purchase a while ago (middle recency), some orders, moderate spend",
  },
  { group: "At risk", r: [2, 2], fm: [3, 5], why: "no recent purchase, but a strong history of orders and spend" },
  { group: "Almost lost", r: [2, 2], fm: [1, 2], why: "no recent purchase, few orders, lower spend" },
  { group: "Previously loyal", r: [1, 1], fm: [4, 5], why: "long since the last purchase, but a very strong history" },
  { group: "Dormant", r: [1, 1], fm: [1, 3], why: "long since the last purchase, infrequent, low spend" },
];

function ordersMatch(rule: RfmRule, orderCount: number): boolean {
  if (rule.orders === "none") return orderCount <= 0;
  if (orderCount <= 0) return false;
  if (rule.orders === "one") return orderCount === 1;
  if (rule.orders === "repeat") return orderCount > 1;
  return true;
}

/**
 * Maps scores to one of the 11 group names. `orderCount` = 0 gives "Prospects" (customers who
 * signed up without buying; scoreCustomers only sees buyers, so it never emits it).
 */
export function rfmGroup(score: RfmScore, orderCount: number): RfmGroup {
  const fm = fmScore(score);
  const r = Math.min(5, Math.max(1, Math.round(score.r)));
  for (const rule of RFM_RULES) {
    if (r >= rule.r[0] && r <= rule.r[1] && fm >= rule.fm[0] && fm <= rule.fm[1] && ordersMatch(rule, orderCount))
      return rule.group;
  }
  return "Dormant";
}
