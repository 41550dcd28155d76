/**
 * Generated Shopify orders exports and a timed end-to-end command run, shared by the `score` speed
 * scenario and the peer comparison in bench/engine.bench.ts.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "./common";

export const BENCH_OUT = join(ROOT, "bench/out");
export const SPEED_AS_OF = "2025-01-01";

/**
 * The speed scenario's export: 2,100 products, 4,000 customers, 165k orders over two years
 * (≈ 400k CSV lines, the size of the held-out retail log). `scale` multiplies customers and orders
 * with the catalogue fixed — the "4× customers" row of the scaling check.
 */
export async function speedOrdersCsv(scale = 1): Promise<string> {
  const csvPath = join(BENCH_OUT, scale === 1 ? "speed_orders.csv" : `speed_orders_x${scale}.csv`);
  if (existsSync(csvPath)) return csvPath;
  const { generateShop } = await import("../../devstore/generator");
  const { exportOrdersCsv } = await import("../../devstore/csv-export");
  const shop = generateShop({
    domain: "bench-speed.myshopify.com",
    seed: 1,
    products: 2100,
    customers: 4000 * scale,
    orders: 165000 * scale,
    start: "2023-01-01T00:00:00Z",
    end: "2025-01-01T00:00:00Z",
  });
  mkdirSync(BENCH_OUT, { recursive: true });
  writeFileSync(csvPath, exportOrdersCsv(shop));
  return csvPath;
}

export const csvLineCount = (path: string) =>
  Number(execFileSync("wc", ["-l", path], { encoding: "utf8" }).trim().split(/\s+/)[0]);

export interface TimedRun {
  status: number | null;
  wallS: number;
  userS: number;
  sysS: number;
  peakRssMb: number;
  stderr: string;
}

/** Runs a command under GNU time (`/usr/bin/time`, Debian `time`): wall, CPU and the process tree's peak RSS. */
export function timedRun(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): TimedRun {
  const result = spawnSync("/usr/bin/time", ["-f", "TIME wall=%e user=%U sys=%S maxrss_kb=%M", command, ...args], {
    cwd: ROOT,
    env,
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.error) throw result.error;
  const time = /TIME wall=([\d.]+) user=([\d.]+) sys=([\d.]+) maxrss_kb=(\d+)/.exec(result.stderr);
  if (!time) throw new Error(`no timing line from /usr/bin/time (exit ${result.status}): ${result.stderr.slice(-500)}`);
  return {
    status: result.status,
    wallS: Number(time[1]),
    userS: Number(time[2]),
    sysS: Number(time[3]),
    peakRssMb: Math.round(Number(time[4]) / 1024),
    stderr: result.stderr,
  };
}

/** `growthpilot score` on an export, as the CLI user runs it. */
export function runScore(csvPath: string, out: string, env: NodeJS.ProcessEnv = process.env): TimedRun {
  return timedRun(
    process.execPath,
    [join(ROOT, "bin/growthpilot.js"), "score", "--orders", csvPath, "--as-of", SPEED_AS_OF, "--out", out],
    env,
  );
}

export const loadAverage = () => execFileSync("cat", ["/proc/loadavg"], { encoding: "utf8" }).trim();
