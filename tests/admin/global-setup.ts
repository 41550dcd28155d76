import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";

/**
 * Builds the Remix app (`remix vite:build` → build/) when it is missing or older than app/ —
 * the admin browser tests serve the production build, like `npm start` does. Usable as a vitest
 * `globalSetup` (default export) and called again by the suites themselves (a no-op when fresh),
 * so `npx vitest run tests/admin` works with or without the config wiring.
 */
const ROOT = path.resolve(import.meta.dirname, "../..");
const SERVER_BUILD = path.join(ROOT, "build/server/index.js");

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

export function buildIsStale(): boolean {
  return !existsSync(SERVER_BUILD) || statSync(SERVER_BUILD).mtimeMs < newestMtime(path.join(ROOT, "app"));
}

export function ensureBuild(): void {
  if (!buildIsStale()) return;
  const result = spawnSync("npx", ["--no-install", "remix", "vite:build"], {
    cwd: ROOT,
    stdio: "pipe",
    encoding: "utf8",
  });
  if (result.status !== 0) throw new Error(`remix vite:build failed:\n${result.stdout}\n${result.stderr}`);
}

export default function setup() {
  ensureBuild();
}
