import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { mulberry32 } from "../../app/analytics/rng";
import type { Order } from "../../app/analytics/types";
import { holdOneOut, itemsByCustomer, sampleUsers, timeSplit } from "../../app/analytics/eval/splits";
import type { BasketCase, TruthCase } from "../../app/analytics/eval/backtest";
import { DAY_MS } from "../../app/analytics/time";

/** Folder with the public purchase logs (beside the project checkout). */
export const DATA_DIR = process.env.GROWTHPILOT_DATA_DIR ?? join(import.meta.dirname, "../../../shared/data");
/** A recommendation benchmark: training orders, as-of, customer truth and basket-completion cases. */
export interface RecDataset {
  name: string;
  note: string;
  train: Order[];
  asOf: number;
  cases: TruthCase[];
  baskets: BasketCase[];
}

export function hasData(file: string): boolean {
  return existsSync(join(DATA_DIR, file));
}

const lineOf = (sku: string) => ({ sku, quantity: 1, amountMinor: 0 });

/**
 * Ta-Feng next-basket (Reality Check protocol): 20% of users (seed 0) are test users; their last
 * basket is the target, everything else trains. The file has no dates, so basket k of a user with
 * n training baskets is placed (n − k) weeks before as-of — recency is ordinal, not calendar.
 */
export function loadTaFeng(): RecDataset {
  const raw = JSON.parse(readFileSync(join(DATA_DIR, "tafeng_merged.json"), "utf8")) as Record<string, number[][]>;
  const asOf = Date.UTC(2001, 2, 1);
  const users = Object.keys(raw);
  const testUsers = sampleUsers(users, 0.2, mulberry32(0));
  const train: Order[] = [];
  const cases: TruthCase[] = [];
  const targets: Order[] = [];
  for (const user of users.sort()) {
    const baskets = raw[user];
    const history = testUsers.has(user) ? baskets.slice(0, -1) : baskets;
    history.forEach((basket, k) => {
      train.push({
        id: `${user}-${k}`,
        customer: user,
        at: asOf - (history.length - k) * 7 * DAY_MS,
        lines: basket.map((i) => lineOf(String(i))),
        totalMinor: 0,
      });
    });
    if (testUsers.has(user) && history.length > 0) {
      const last = baskets[baskets.length - 1];
      cases.push({ customer: user, truth: new Set(last.map(String)) });
      targets.push({
        id: `${user}-target`,
        customer: user,
        at: asOf,
        lines: last.map((i) => lineOf(String(i))),
        totalMinor: 0,
      });
    }
  }
  return {
    name: "ta-feng",
    note: "20% test users (seed 0), last basket",
    train,
    asOf,
    cases,
    baskets: holdOneOut(targets, mulberry32(1)),
  };
}

/** Groceries member × day baskets as engine orders (one order per member and date). */
export function loadGroceriesOrders(): Order[] {
  const text = readFileSync(join(DATA_DIR, "groceries_member_date_item.csv"), "utf8");
  const byBasket = new Map<string, Order>();
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === "") continue;
    const [member, date, item] = line.split(",");
    const [d, m, y] = date.split("-").map(Number);
    const at = Date.UTC(y, m - 1, d, 12);
    const key = `${member}|${at}`;
    let order = byBasket.get(key);
    if (!order) byBasket.set(key, (order = { id: key, customer: member, at, lines: [], totalMinor: 0 }));
    if (!order.lines.some((l) => l.sku === item)) order.lines.push(lineOf(item));
  }
  return [...byBasket.values()];
}

/** Groceries member × day baskets; time split at 2015-07-01, 6-month horizon. */
export function loadGroceries(): RecDataset {
  const asOf = Date.UTC(2015, 6, 1);
  return fromTimeSplit(
    "groceries",
    "member×day baskets, split 2015-07-01, 184-day horizon",
    loadGroceriesOrders(),
    asOf,
    184,
  );
}

/** Standard time split → customer truth (everything bought in the horizon) + basket cases. */
export function fromTimeSplit(
  name: string,
  note: string,
  orders: Order[],
  asOf: number,
  horizonDays: number,
): RecDataset {
  const { train, test, testCustomers } = timeSplit(orders, asOf, horizonDays);
  const truth = itemsByCustomer(test);
  return {
    name,
    note,
    train,
    asOf,
    cases: testCustomers.map((customer) => ({ customer, truth: truth.get(customer)! })),
    baskets: holdOneOut(test, mulberry32(1)),
  };
}

/** CDNOW 1/10 sample as engine orders (one line per purchase day, dollars → cents). */
export function loadCdnow(): Order[] {
  const text = readFileSync(join(DATA_DIR, "cdnow_sample.txt"), "utf8");
  const orders: Order[] = [];
  text.split(/\r?\n/).forEach((line, n) => {
    const parts = line.trim().split(/\s+/);
    if (parts.length < 5) return;
    const [id, , ymd, cds, dollars] = parts;
    const at = Date.UTC(+ymd.slice(0, 4), +ymd.slice(4, 6) - 1, +ymd.slice(6, 8), 12);
    const cents = Math.round(Number(dollars) * 100);
    orders.push({
      id: `cd-${n}`,
      customer: id,
      at,
      lines: [{ sku: "cd", quantity: Number(cds), amountMinor: cents }],
      totalMinor: cents,
    });
  });
  return orders;
}

/** BTYDplus grocery event log (`cust,date`) as engine orders. */
export function loadGroceryElog(): Order[] {
  const text = readFileSync(join(DATA_DIR, "grocery_elog.csv"), "utf8");
  const orders: Order[] = [];
  text
    .split(/\r?\n/)
    .slice(1)
    .forEach((line, n) => {
      if (line.trim() === "") return;
      const [cust, date] = line.split(",").map((s) => s.replace(/"/g, ""));
      const [y, m, d] = date.split("-").map(Number);
      orders.push({
        id: `g-${n}`,
        customer: cust,
        at: Date.UTC(y, m - 1, d, 12),
        lines: [{ sku: "g", quantity: 1, amountMinor: 0 }],
        totalMinor: 0,
      });
    });
  return orders;
}

/**
 * The real Shopify orders exports in `shopify-exports/` with at least `minOrders` usable orders,
 * each split in time at the 80th percentile of its order dates (test = the rest). Customer cases
 * are the returning customers; basket cases come from every multi-item test order (a basket needs
 * no history). Parsing and customer keys are the CLI's (`ordersToEngineOrders`).
 */
export async function loadShopifyExports(minOrders = 300): Promise<RecDataset[]> {
  const { readdirSync } = await import("node:fs");
  const { ordersToEngineOrders, parseOrdersCsv } = await import("../../app/csv");
  const dir = join(DATA_DIR, "shopify-exports");
  if (!existsSync(dir)) return [];
  const out: RecDataset[] = [];
  for (const file of readdirSync(dir)
    .filter((f) => /^o.*\.csv$/.test(f))
    .sort()) {
    let orders: Order[];
    try {
      orders = ordersToEngineOrders(parseOrdersCsv(readFileSync(join(dir, file), "utf8")), {
        before: Date.UTC(2100, 0, 1),
      });
    } catch {
      continue; // the deliberately invalid exports (spreadsheet re-saves) are refused by the parser
    }
    if (orders.length < minOrders) continue;
    const times = orders.map((o) => o.at).sort((a, b) => a - b);
    const asOf = times[Math.floor(times.length * 0.8)];
    const horizonDays = Math.ceil((times[times.length - 1] - asOf) / DAY_MS) + 1;
    const ds = fromTimeSplit(
      file.replace(/\.csv$/, ""),
      `real export, ${orders.length} orders; split at the 80th percentile date ${new Date(asOf).toISOString().slice(0, 10)}, ${horizonDays} days`,
      orders,
      asOf,
      horizonDays,
    );
    const test = orders.filter((o) => o.at >= asOf);
    out.push({ ...ds, baskets: holdOneOut(test, mulberry32(1)) });
  }
  return out;
}
