// Runs after `npm install`: generates the Prisma client offline. Prisma would otherwise try to
// download native engines, which these machines cannot reach; pointing the engine variables at an
// existing file stops the download, and the generated client uses the TypeScript engine
// (engineType = "client") with driver adapters, so no native engine is ever needed.
import { spawnSync } from "node:child_process";

const env = {
  ...process.env,
  PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? process.execPath,
  PRISMA_QUERY_ENGINE_LIBRARY: process.env.PRISMA_QUERY_ENGINE_LIBRARY ?? process.execPath,
  PRISMA_HIDE_UPDATE_MESSAGE: "1",
};
const result = spawnSync("npx", ["--no-install", "prisma", "generate"], { stdio: "inherit", env });
process.exit(result.status ?? 1);
