import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A Remix route module's loader/action, called in-process by route-level tests. */
export type RouteHandler = (args: {
  request: Request;
  params: Record<string, string>;
  context: unknown;
}) => Promise<Response>;

/**
 * Points the app's environment at a private embedded database for one test file, before any app
 * module is imported (env.server.ts parses process.env once). Demo mode, Postgres and Redis are
 * switched off so the route runs exactly as a single-process production app would.
 */
export function isolatedAppEnv(name: string, credentials?: { apiKey: string; apiSecret: string }) {
  const dataDir = mkdtempSync(join(tmpdir(), `gp-${name}-`));
  if (credentials) {
    process.env.SHOPIFY_API_KEY = credentials.apiKey;
    process.env.SHOPIFY_API_SECRET = credentials.apiSecret;
  }
  process.env.DATA_DIR = dataDir;
  delete process.env.DATABASE_URL;
  delete process.env.REDIS_URL;
  delete process.env.DEMO_MODE;
  return { dataDir, cleanup: () => rmSync(dataDir, { recursive: true, force: true }) };
}
