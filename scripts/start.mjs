// `npm start`: the main job on embedded defaults. Builds the Remix app when the build is missing
// or older than the sources, then runs the demo server (PGlite + Shopify stand-in + sync + admin)
// on the Node 22 that npm put first on PATH.
import { spawnSync, spawn } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";

const major = Number(process.versions.node.split(".")[0]);
if (major < 22) {
  console.error(
    `Growthpilot needs Node 22+ (found ${process.version}). Run it through npm (npm start), which uses the node@22 package.`,
  );
  process.exit(1);
}

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

// Embedded defaults: outside production, `npm start` is the demo (stand-in + auth bypass).
if (process.env.NODE_ENV !== "production") {
  process.env.DEMO_MODE ??= "1";
  process.env.DEVSTORE_URL ??= "http://127.0.0.1:3100";
}

const buildFile = "build/server/index.js";
const stale = !existsSync(buildFile) || statSync(buildFile).mtimeMs < newestMtime("app");
if (stale) {
  console.log("Building the admin app (first start or sources changed)…");
  const build = spawnSync("npx", ["--no-install", "remix", "vite:build"], { stdio: "inherit" });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

const child = spawn("npx", ["--no-install", "tsx", "app/server/main.ts", ...process.argv.slice(2)], {
  stdio: "inherit",
});
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
