import { shuffled } from "../rng";
import type { Order, Rng } from "../types";
import { DAY_MS } from "../time";

/**
 * Time-based split (docs/contracts.md §5): training = orders strictly before `asOf`, test = orders in
 * [asOf, asOf + horizonDays). Test customers are those with ≥1 training order and ≥1 test order.
 */
export function timeSplit(
  orders: Order[],
  asOf: number,
  horizonDays: number,
): { train: Order[]; test: Order[]; testCustomers: string[] } {
  const end = asOf + horizonDays * DAY_MS;
  const train = orders.filter((o) => o.at < asOf);
  const test = orders.filter((o) => o.at >= asOf && o.at < end);
  const known = new Set(train.map((o) => o.customer));
  const testCustomers = [...new Set(test.map((o) => o.customer))].filter((c) => known.has(c)).sort();
  return { train, test: test.filter((o) => known.has(o.customer)), testCustomers };
}

/** Items each customer bought in `orders`. */
export function itemsByCustomer(orders: Order[]): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const o of orders) {
    let set = out.get(o.customer);
    if (!set) out.set(o.customer, (set = new Set()));
    for (const l of o.lines) set.add(l.sku);
  }
  return out;
}

/** A deterministic random share of users (e.g. 20% test users for next-basket evaluation). */
export function sampleUsers(users: readonly string[], share: number, rng: Rng): Set<string> {
  const sorted = [...users].sort();
  return new Set(shuffled(sorted, rng).slice(0, Math.round(sorted.length * share)));
}

/**
 * Basket-completion cases (docs/contracts.md §5): for each test order with ≥ 2 distinct items, hide one item
 * chosen by `rng`; the model ranks all items given the rest.
 */
export function holdOneOut(orders: Order[], rng: Rng): { id: string; given: string[]; hidden: string }[] {
  const cases: { id: string; given: string[]; hidden: string }[] = [];
  for (const o of orders) {
    const items = [...new Set(o.lines.map((l) => l.sku))].sort();
    if (items.length < 2) continue;
    const h = Math.floor(rng() * items.length);
    cases.push({ id: o.id, given: items.filter((_, i) => i !== h), hidden: items[h] });
  }
  return cases;
}
