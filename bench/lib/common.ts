/** Small helpers every benchmark shares: flags, memory formatting, the stand-in child process. */
import { spawn } from "node:child_process";
import path from "node:path";
import { createInterface } from "node:readline";

export const ROOT = path.resolve(import.meta.dirname, "../..");

/** `--name value` from argv, else the fallback. */
export function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

export const mb = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MiB`;

/** What bench/lib/devstore-process.ts reports once its shops are generated and it listens. */
export interface StandInInfo {
  url: string;
  orders: number;
  lines: number;
  customers?: number;
  products?: number;
  generatedSecs: number;
  shops?: { domain: string; orders: number; lines: number }[];
}

/**
 * Starts the Shopify stand-in with generated shops in a child process (so the benchmark's own
 * memory is what it measures) and waits for its ready line. `close()` ends it.
 */
export async function startStandInProcess(args: string[]): Promise<StandInInfo & { close(): void }> {
  const child = spawn("npx", ["--no-install", "tsx", "bench/lib/devstore-process.ts", ...args], {
    cwd: ROOT,
    stdio: ["pipe", "pipe", "inherit"],
  });
  const first = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once("line", resolve);
    child.once("exit", (code) => reject(new Error(`stand-in process exited with ${code}`)));
  });
  return { ...(JSON.parse(first) as StandInInfo), close: () => child.stdin!.end() };
}

/** The machine's Postgres (admin database) and Redis, overridable like the test suites'. */
export const DEFAULT_PG_ADMIN = process.env.TEST_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
export const DEFAULT_REDIS = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
