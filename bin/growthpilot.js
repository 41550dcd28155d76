#!/usr/bin/env node
// Offline CLI launcher (docs/contracts.md §4). The CLI is TypeScript; tsx's ESM loader compiles it on the fly
// so `npx growthpilot …` works from a checkout without a build step. Needs Node ≥ 22 (run through
// npx/npm so node_modules/.bin/node comes first on PATH).
import { register } from "tsx/esm/api";

register();
const { main } = await import("../app/cli/main.ts");
process.exitCode = await main(process.argv.slice(2));
