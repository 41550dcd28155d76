import path from "node:path";
import { ESLint } from "eslint";
import { beforeAll, describe, expect, it } from "vitest";

/**
 * The layer rules in eslint.config.js (docs/architecture.md, D22) are regexes over import
 * specifiers; this feeds the real config one-line files at the paths the rules cover and checks
 * that each forbidden import is reported and each allowed one is not. The paths need not exist:
 * ESLint picks the config blocks by path alone.
 */
const ROOT = path.resolve(import.meta.dirname, "../..");
const LAYER_RULES = new Set(["@typescript-eslint/no-restricted-imports", "no-restricted-syntax"]);
let eslint: ESLint;

beforeAll(() => {
  eslint = new ESLint({ cwd: ROOT });
});

async function layerErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(ROOT, filePath) });
  return result.messages.filter((m) => m.ruleId && LAYER_RULES.has(m.ruleId)).map((m) => m.message);
}

const forbidden: Array<[string, string]> = [
  ["app/routes/app.x.tsx", `export { a } from "../models/orders.server";`],
  ["app/routes/app.x.tsx", `import { a } from "~/models/orders.server"; a();`],
  ["app/routes/auth.login/route.tsx", `import { a } from "../../models/orders.server"; a();`],
  ["app/routes/app.x.tsx", `export const load = () => import("../models/orders.server");`],
  ["app/routes/app.x.tsx", `import { SYNC } from "../shopify/documents/sync"; SYNC;`],
  ["app/routes/app.x.tsx", `import { PrismaClient } from "@prisma/client"; new PrismaClient();`],
  ["app/models/orders.server.ts", `import { a } from "../services/sync.server"; a();`],
  ["app/models/orders.server.ts", `import { a } from "~/routes/app.x"; a();`],
  ["app/models/orders.server.ts", `import { a } from "../admin/dashboard.server"; a();`],
  ["app/admin/dashboard.server.ts", `import { a } from "../routes/app._index"; a();`],
  ["app/admin/deps.server.ts", `import { a } from "../routes/app._index"; a();`],
  // View-models receive their deps; only app/admin/deps.server.ts opens the process database.
  ["app/admin/dashboard.server.ts", `import { getDb } from "../db.server"; getDb();`],
  ["app/admin/segments.server.ts", `import { getDb } from "~/db.server"; getDb();`],
  ["app/admin/jobs.server.ts", `export const load = () => import("../db.server");`],
  ["app/admin/settings.server.ts", `import { openDatabase } from "../db/client.server"; openDatabase;`],
  ["app/shopify/documents/sync.ts", `import { a } from "~/admin/jobs.server"; a();`],
  ["app/shopify/admin-client.server.ts", `import { a } from "../services/admin/jobs.server"; a();`],
  ["app/shopify/documents/sync.ts", `import { a } from "../../routes/app.x"; a();`],
  ["app/analytics/money.ts", `import { env } from "../env.server"; env;`],
  ["app/analytics/recs/ease.ts", `import { a } from "../../models/orders.server"; a();`],
  ["app/analytics/recs/ease.ts", `import { a } from "./../../csv/values"; a();`],
  ["app/analytics/recs/ease.ts", `import { readFileSync } from "node:fs"; readFileSync;`],
  ["app/analytics/recs/ease.ts", `import { request } from "graphql-request"; request;`],
  ["app/analytics/recs/ease.ts", `import { a } from "~/models/orders.server"; a();`],
  ["app/analytics/recs/ease.ts", `export const load = () => import("node:fs");`],
  ["app/analytics/recs/ease.ts", `export const load = () => import("../../db.server");`],
  // Models own Prisma: no model query or raw SQL on a client outside app/models.
  ["app/services/sync/x.server.ts", `export const f = (prisma: any) => prisma.order.findMany({});`],
  ["app/services/webhooks/x.server.ts", `export const f = (deps: any) => deps.prisma.webhookInbox.deleteMany({});`],
  ["app/admin/jobs.server.ts", `export const f = (tx: any) => tx.modelRun.count();`],
  ["app/routes/healthz.tsx", `export const f = (db: any) => db.$queryRaw\`SELECT 1\`;`],
  ["app/jobs/x.server.ts", `export const f = (prisma: any) => prisma.$executeRawUnsafe("DELETE FROM x");`],
];

const allowed: Array<[string, string]> = [
  ["app/routes/app.x.tsx", `import { a } from "../services/sync.server"; a();`],
  ["app/routes/app.x.tsx", `import type { Prisma } from "@prisma/client"; export type P = Prisma.JsonValue;`],
  ["app/routes/app.x.tsx", `import { a } from "../shopify/auth.server"; a();`],
  ["app/routes/app.x.tsx", `import { a } from "../admin/dashboard.server"; a();`],
  ["app/routes/app.x.tsx", `import { adminDeps } from "../admin/deps.server"; adminDeps();`],
  ["app/admin/deps.server.ts", `import { getDb } from "../db.server"; getDb();`],
  ["app/admin/dashboard.server.ts", `import type { AdminDeps } from "./deps.server"; export type D = AdminDeps;`],
  [
    "app/admin/dashboard.server.ts",
    `import { a } from "../models/orders.server"; import { b } from "../services/sync/bulk.server"; a(b);`,
  ],
  [
    "app/services/sync.server.ts",
    `import { a } from "../models/orders.server"; import { D } from "../shopify/documents/sync"; a(D);`,
  ],
  [
    "app/models/orders.server.ts",
    `import { a } from "./db-types.server"; import { b } from "../analytics/money"; a(b);`,
  ],
  ["app/shopify/documents/sync.ts", `import { gql } from "graphql-request"; gql;`],
  ["app/analytics/money.ts", `import { a } from "./types"; a();`],
  [
    "app/analytics/recs/ease.ts",
    `import { a } from "../types"; import { Matrix } from "ml-matrix"; import { b } from "~/analytics/rng"; a(Matrix, b);`,
  ],
  ["app/analytics/recs/ease.ts", `export const load = () => import("../customers/metrics");`],
  ["app/models/orders.server.ts", `export const f = (prisma: any) => prisma.order.findMany({});`],
  [
    "app/services/sync/x.server.ts",
    `import { a } from "../../models/orders.server"; export const f = (prisma: any) => a(prisma, "shop");`,
  ],
  ["app/services/x.server.ts", `export const f = (prisma: any) => prisma.$transaction(async () => 1);`],
  ["app/services/x.server.ts", `export const f = (queue: any) => queue.count();`],
];

describe("layer import rules (eslint.config.js)", () => {
  it.each(forbidden)("reports %s: %s", async (file, code) => {
    expect(await layerErrors(file, code)).toHaveLength(1);
  });

  it.each(allowed)("allows %s: %s", async (file, code) => {
    expect(await layerErrors(file, code)).toEqual([]);
  });
});
