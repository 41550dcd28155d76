import { parentPort } from "node:worker_threads";
import { scoreCustomers } from "../analytics/customers";
import { tuneRecommender } from "../analytics/recs";
import { mulberry32 } from "../analytics/rng";
import { toJsonLines } from "./io";
import { decodeOrders, threadCpuMs, type ScoreJob, type WorkerMessage } from "./parallel";

/**
 * Worker side of `score`: the recommender's blend-weight tuning first (the main thread needs the
 * weights before it builds lists), then the customer half. Pure engine calls only.
 */
const port = parentPort!;
const bootCpu = threadCpuMs();
port.once("message", (job: ScoreJob) => {
  const post = (m: WorkerMessage) => port.postMessage(m);
  const timings: Record<string, number> = { "start-up": bootCpu };
  let last = threadCpuMs();
  const lap = (phase: string) => {
    const now = threadCpuMs();
    timings[phase] = now - last;
    last = now;
  };
  try {
    const orders = decodeOrders(job.orders);
    lap("decode orders");
    const tuning = tuneRecommender(orders, {
      asOf: job.asOf,
      products: job.products,
      selectionRng: mulberry32(job.seed),
    });
    lap("tuning fit + weight search");
    post({ type: "tuning", tuning });
    const { customers, ...rest } = scoreCustomers(orders, {
      asOf: job.asOf,
      horizonDays: job.horizonDays,
      rng: mulberry32(job.seed),
    });
    const customersJsonl = toJsonLines(customers);
    lap("customer half");
    post({ type: "customers", result: { ...rest, customersJsonl, workerTimings: timings } });
  } catch (error) {
    const e = error as Error;
    post({ type: "error", message: e?.message ?? String(error), stack: e?.stack });
  }
});
