import { Worker } from "node:worker_threads";
import type { ScoreCustomersResult } from "../analytics/customers";
import type { TuningReport } from "../analytics/recs";
import type { Order, ProductInfo } from "../analytics/types";

/**
 * Thread plumbing for `growthpilot score` (kept out of app/analytics, which must stay pure).
 *
 * The recommender's final fit and list building run on the main thread; the blend-weight tuning
 * (a second, independent fit on a validation window) and then the whole customer half run on one
 * worker thread. Both sides call the same pure engine functions with the same inputs, so the
 * output is identical to the single-threaded path (`GROWTHPILOT_THREADS=0`, also the fallback
 * when a worker cannot start).
 */

/** Orders as typed arrays + string tables: ~10× cheaper to post than structured-cloned objects. */
export interface EncodedOrders {
  ids: string[];
  customers: string[];
  skus: string[];
  customer: Int32Array;
  at: Float64Array;
  total: Float64Array;
  /** Lines of order k are lineStart[k] … lineStart[k+1] − 1. */
  lineStart: Int32Array;
  lineSku: Int32Array;
  lineQuantity: Float64Array;
  lineAmount: Float64Array;
}

export function encodeOrders(orders: readonly Order[]): EncodedOrders {
  const customerIds = new Map<string, number>();
  const skuIds = new Map<string, number>();
  const customers: string[] = [];
  const skus: string[] = [];
  let lineCount = 0;
  for (const o of orders) lineCount += o.lines.length;
  const out: EncodedOrders = {
    ids: new Array<string>(orders.length),
    customers,
    skus,
    customer: new Int32Array(orders.length),
    at: new Float64Array(orders.length),
    total: new Float64Array(orders.length),
    lineStart: new Int32Array(orders.length + 1),
    lineSku: new Int32Array(lineCount),
    lineQuantity: new Float64Array(lineCount),
    lineAmount: new Float64Array(lineCount),
  };
  let line = 0;
  orders.forEach((o, k) => {
    let c = customerIds.get(o.customer);
    if (c === undefined) {
      customerIds.set(o.customer, (c = customers.length));
      customers.push(o.customer);
    }
    out.ids[k] = o.id;
    out.customer[k] = c;
    out.at[k] = o.at;
    out.total[k] = o.totalMinor;
    out.lineStart[k] = line;
    for (const l of o.lines) {
      let s = skuIds.get(l.sku);
      if (s === undefined) {
        skuIds.set(l.sku, (s = skus.length));
        skus.push(l.sku);
      }
      out.lineSku[line] = s;
      out.lineQuantity[line] = l.quantity;
      out.lineAmount[line] = l.amountMinor;
      line++;
    }
  });
  out.lineStart[orders.length] = line;
  return out;
}

export function decodeOrders(e: EncodedOrders): Order[] {
  const orders = new Array<Order>(e.ids.length);
  for (let k = 0; k < orders.length; k++) {
    const lines = [];
    for (let l = e.lineStart[k]; l < e.lineStart[k + 1]; l++) {
      lines.push({ sku: e.skus[e.lineSku[l]], quantity: e.lineQuantity[l], amountMinor: e.lineAmount[l] });
    }
    orders[k] = { id: e.ids[k], customer: e.customers[e.customer[k]], at: e.at[k], lines, totalMinor: e.total[k] };
  }
  return orders;
}

/** What the worker is asked to compute. */
export interface ScoreJob {
  orders: EncodedOrders;
  asOf: number;
  horizonDays: number;
  seed: number;
  products?: ProductInfo[];
}

/** The customer half's result minus the per-customer rows, which arrive as ready JSON lines. */
export type CustomerHalf = Omit<ScoreCustomersResult, "customers"> & {
  customersJsonl: string;
  /** Worker thread CPU ms per phase (diagnostics for GROWTHPILOT_TIMINGS). */
  workerTimings?: Record<string, number>;
};

export type WorkerMessage =
  | { type: "tuning"; tuning: TuningReport | null }
  | { type: "customers"; result: CustomerHalf }
  | { type: "error"; message: string; stack?: string };

/** Handle on the side computations of `score`, wherever they run. */
export interface SideWork {
  /** Hands the job over; call once, as soon as the orders are known. */
  start(job: ScoreJob): void;
  tuning: Promise<TuningReport | null>;
  customers: Promise<CustomerHalf>;
  /** Stops the worker (safe to call at any time, also after failures). */
  close(): Promise<void>;
}

/**
 * Starts the worker right away (so its start-up overlaps CSV parsing). Returns null when threads
 * are disabled (`GROWTHPILOT_THREADS=0`) or a worker cannot be created; the caller then computes
 * everything in-process.
 */
export function startSideWorker(): SideWork | null {
  if (process.env.GROWTHPILOT_THREADS === "0") return null;
  let worker: Worker;
  try {
    worker = new Worker(new URL("./score-worker.mjs", import.meta.url));
  } catch {
    return null;
  }
  worker.unref();
  let resolveTuning!: (t: TuningReport | null) => void;
  let resolveCustomers!: (c: CustomerHalf) => void;
  const rejecters: ((e: Error) => void)[] = [];
  const fail = (e: Error) => rejecters.forEach((reject) => reject(e));
  const tuning = new Promise<TuningReport | null>((res, rej) => {
    resolveTuning = res;
    rejecters.push(rej);
  });
  const customers = new Promise<CustomerHalf>((res, rej) => {
    resolveCustomers = res;
    rejecters.push(rej);
  });
  // Unobserved rejections must not crash the process before the caller awaits them.
  tuning.catch(() => {});
  customers.catch(() => {});
  let done = false;
  worker.on("message", (m: WorkerMessage) => {
    if (m.type === "tuning") resolveTuning(m.tuning);
    else if (m.type === "customers") {
      done = true;
      resolveCustomers(m.result);
    } else {
      const error = new Error(`score worker failed: ${m.message}`);
      if (m.stack) error.stack = `${error.message}\n${m.stack}`;
      fail(error);
    }
  });
  worker.on("error", (e) => fail(e instanceof Error ? e : new Error(String(e))));
  worker.on("exit", (code) => {
    if (!done) fail(new Error(`score worker exited early (code ${code})`));
  });
  return {
    start(job) {
      const o = job.orders;
      worker.ref();
      worker.postMessage(job, [
        o.customer.buffer,
        o.at.buffer,
        o.total.buffer,
        o.lineStart.buffer,
        o.lineSku.buffer,
        o.lineQuantity.buffer,
        o.lineAmount.buffer,
      ] as ArrayBuffer[]);
    },
    tuning,
    customers,
    async close() {
      done = true;
      await worker.terminate();
    },
  };
}

/** CPU time of the calling thread in ms (Node ≥ 23.9 / 22.x backport), NaN when unavailable. */
export function threadCpuMs(): number {
  const usage = (process as { threadCpuUsage?: () => { user: number; system: number } }).threadCpuUsage?.();
  return usage ? (usage.user + usage.system) / 1000 : NaN;
}
