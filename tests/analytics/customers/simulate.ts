/**
 * Test-only simulators: draw shops from the generative models so that fits can be checked for
 * parameter recovery, and so speed can be measured on a realistic 4k-customer / 100k-order shop.
 */
import type { Order, Rng } from "../../../app/analytics/types";
import { standardNormal } from "../../../app/analytics/customers/special";

/** Gamma(shape, rate) by Marsaglia & Tsang (2000), with the shape < 1 boost. */
export function gammaDraw(rng: Rng, shape: number, rate: number): number {
  if (shape < 1) return gammaDraw(rng, shape + 1, rate) * Math.pow(Math.max(rng(), 1e-300), 1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = standardNormal(rng);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = rng();
    if (u < 1 - 0.0331 * x ** 4 || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return (d * v) / rate;
  }
}

export function betaDraw(rng: Rng, a: number, b: number): number {
  const x = gammaDraw(rng, a, 1);
  const y = gammaDraw(rng, b, 1);
  return x / (x + y);
}

export interface SimulatedShopOptions {
  customers: number;
  /** Length of history in days; acquisitions are spread over the first `acquisitionDays`. */
  days: number;
  acquisitionDays: number;
  startMs: number;
  bg: { r: number; alpha: number; a: number; b: number };
  spend: { p: number; q: number; gamma: number };
  skus?: number;
}

/** BG/NBD purchasing (rates per week) with Gamma-Gamma order values; one order per purchase. */
export function simulateShop(rng: Rng, o: SimulatedShopOptions): Order[] {
  const orders: Order[] = [];
  const DAY = 86_400_000;
  const skus = o.skus ?? 50;
  for (let c = 0; c < o.customers; c++) {
    const customer = `c${String(c).padStart(5, "0")}@example.com`;
    const lambda = gammaDraw(rng, o.bg.r, o.bg.alpha) / 7; // per day
    const pDrop = betaDraw(rng, o.bg.a, o.bg.b);
    const nu = gammaDraw(rng, o.spend.q, o.spend.gamma);
    let t = rng() * o.acquisitionDays;
    for (let k = 0; t < o.days; k++) {
      const value = Math.max(1, gammaDraw(rng, o.spend.p, nu));
      const sku = `SKU-${Math.floor(rng() * skus)}`;
      orders.push({
        id: `${c}-${k}`,
        customer,
        at: o.startMs + Math.floor(t * DAY),
        lines: [{ sku, quantity: 1, amountMinor: Math.round(value * 100) }],
        totalMinor: Math.round(value * 100),
      });
      // BG/NBD: drop-out happens only after repeat purchases (the customer is alive at time 0).
      if (k > 0 && rng() < pDrop) break;
      t += -Math.log(Math.max(rng(), 1e-300)) / Math.max(lambda, 1e-9);
    }
  }
  return orders;
}
