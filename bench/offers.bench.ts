/**
 * Smart offers by simulation (issue #18 item 5, D39): shops whose customers answer 10/15/20% off by
 * the known per-segment curves of devstore/offer-response.ts, planned by the real engine with arms,
 * measured per arm and re-allocated by the bandit after every run (devstore/offer-policy-sim.ts).
 * Prints, in the same run: per run the policy's true incremental margin as a share of the oracle's
 * (the best depth for every segment) and of equal allocation; the regret over the horizon; whether
 * the depth the policy favours at the end is the oracle's; and the coverage of the 90% intervals.
 *
 *   npm run bench:offers [-- --shops 40 --runs 12 --equal true]
 *
 * Targets: ≥ 90% of the oracle's incremental margin (cumulative over the horizon and per run from
 * run 3), coverage ≥ 85%.
 */
import { performance } from "node:perf_hooks";
import { SIM_DEPTHS, SIM_SEGMENTS, simTrueLift, simulateOfferPolicy } from "../devstore/offer-policy-sim";
import { arg } from "./lib/common";

const SHOPS = Number(arg("shops", "40"));
const RUNS = Number(arg("runs", "12"));
/** `--equal true`: never learn (equal split every run) — the non-adaptive control for coverage. */
const LEARN = arg("equal", "false") !== "true";
const started = performance.now();

const pct = (v: number) => `${(v * 100).toFixed(1)}%`;
console.log(`Truth (margin lift per treated customer, $):`);
for (const s of SIM_SEGMENTS)
  console.log(
    `  ${s.name.padEnd(16)} ${SIM_DEPTHS.map((d) => `${d * 100}%: ${(simTrueLift(s.name, d) / 100).toFixed(2)}`).join("  ")}`,
  );

const policy = new Array<number>(RUNS).fill(0);
const oracle = new Array<number>(RUNS).fill(0);
const equal = new Array<number>(RUNS).fill(0);
let covered = 0;
let intervals = 0;
const right = new Map<string, number>();
for (let shop = 1; shop <= SHOPS; shop++) {
  const r = simulateOfferPolicy(shop, RUNS, { resamples: 500, learn: LEARN });
  r.runs.forEach((x, i) => {
    policy[i] += x.policyMinor;
    oracle[i] += x.oracleMinor;
    equal[i] += x.equalMinor;
  });
  covered += r.coverage[0];
  intervals += r.coverage[1];
  for (const c of r.chosen) if (c.chosen === c.oracle) right.set(c.segment, (right.get(c.segment) ?? 0) + 1);
}

console.log(
  `\n${LEARN ? "learned split" : "equal split (control)"}: ${SHOPS} shops × ${RUNS} runs, ${SIM_SEGMENTS.reduce((t, s) => t + s.customersPerRun, 0)} customers per run, 20% holdout`,
);
console.log("run  policy/oracle  equal/oracle");
for (let i = 0; i < RUNS; i++)
  console.log(
    `${String(i + 1).padStart(3)}  ${pct(policy[i] / oracle[i]).padStart(13)}  ${pct(equal[i] / oracle[i]).padStart(12)}`,
  );
const sum = (a: number[]) => a.reduce((s, v) => s + v, 0);
const cumulative = sum(policy) / sum(oracle);
const fromRun3 = Math.min(...policy.slice(2).map((p, i) => p / oracle[i + 2]));
const regret = (sum(oracle) - sum(policy)) / SHOPS / 100;
console.log(
  `cumulative: policy ${pct(cumulative)} of the oracle (equal allocation ${pct(sum(equal) / sum(oracle))}); regret $${regret.toFixed(0)} per shop over ${RUNS} runs`,
);
console.log(`worst run from run 3: ${pct(fromRun3)}`);
for (const s of SIM_SEGMENTS)
  console.log(`final favoured depth = oracle's in ${s.name}: ${right.get(s.name) ?? 0}/${SHOPS}`);
console.log(`90% interval coverage of per-arm margin lift: ${covered}/${intervals} = ${pct(covered / intervals)}`);
const ok = cumulative >= 0.9 && fromRun3 >= 0.9 && covered / intervals >= 0.85;
console.log(
  `${ok ? "PASS" : "FAIL"}: ≥ 90% of the oracle (cumulative and every run from 3), coverage ≥ 85%   (${((performance.now() - started) / 1000).toFixed(1)} s)`,
);
if (!ok) process.exitCode = 1;
