/**
 * Shared vocabulary of the pure analytics engine. Everything here is plain data: the engine never
 * sees Shopify, Prisma, Remix, `process.env`, the wall clock or `Math.random` — callers pass time
 * (`asOf`, epoch milliseconds) and randomness (`Rng`) in.
 */

/** A deterministic source of uniform numbers in [0, 1); see `mulberry32` in ./rng. */
export type Rng = () => number;

/** One purchased line, money in integer minor units (cents). */
export interface OrderLine {
  /** Product key: SKU, falling back to the line item name when a shop has no SKUs. */
  sku: string;
  quantity: number;
  /** Line revenue after line-level discounts, minor units. */
  amountMinor: number;
}

/** A completed (not cancelled/voided) order, already keyed by customer. */
export interface Order {
  id: string;
  /** Customer key (email in the CLI, Shopify customer GID in the app). */
  customer: string;
  /** Epoch milliseconds. */
  at: number;
  lines: OrderLine[];
  /** Order revenue in minor units (sum of lines when the source has no total). */
  totalMinor: number;
}

/** Catalogue facts used by content-based recommendations and business filters. */
export interface ProductInfo {
  sku: string;
  title: string;
  productType?: string;
  vendor?: string;
  tags?: string[];
  collections?: string[];
  priceMinor?: number;
  costMinor?: number | null;
  /** Units available; undefined = unknown (treated as in stock). */
  inventory?: number;
  /** Shopify `inventoryPolicy: CONTINUE` — may be sold when out of stock. */
  continueSelling?: boolean;
  status?: "ACTIVE" | "DRAFT" | "ARCHIVED";
  published?: boolean;
  giftCard?: boolean;
}

/** Merchant-controlled recommendation filters (docs/contracts.md §6). */
export interface RecFilterSettings {
  allowContinueSelling: boolean;
  /** Minimum gross margin share (0..1) when cost is known; null = no floor. */
  marginFloor: number | null;
  excludedSkus: string[];
}

/** A ranked list with one plain-language reason per item. */
export interface RankedList {
  items: string[];
  reasons: string[];
}

/** BG/NBD parameters, time in weeks (docs/contracts.md §4). */
export interface BgNbdParams {
  r: number;
  alpha: number;
  a: number;
  b: number;
  logLikelihood: number;
}

/** Per-customer output row (`customers.jsonl` in the CLI, `CustomerScore` rows in the app). */
export interface CustomerScore {
  customer: string;
  /** One of Shopify's 11 rfmGroup names, e.g. "Champions". */
  segment: string;
  rfm: { r: number; f: number; m: number };
  /** k-means cluster index (0-based), -1 when clustering was skipped for lack of data. */
  cluster: number;
  /** P(≥1 order within the horizon). */
  pPurchase: number;
  expectedOrders: number;
  pAlive: number;
  /** Expected margin-free revenue over the horizon, major units. */
  clv: number;
  clvLow: number;
  clvHigh: number;
  churnRisk: number;
  explanation: string;
  /**
   * The next order if it comes within the horizon: whole days after as-of's last observed day
   * (point estimate and 80 % interval) and its expected value in major units (Gamma-Gamma).
   */
  nextOrder: { days: number; lowDays: number; highDays: number; value: number };
  /** What they used to spend per horizon-length period while active, major units. */
  spendPerPeriod: number;
  /** spendPerPeriod × (1 − pPurchase): what is lost if they do not come back on their own. */
  valueAtStake: number;
}
