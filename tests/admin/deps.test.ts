import type { PrismaClient } from "@prisma/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../helpers/db";
import type { AdminDeps } from "~/admin/deps.server";
import { getDashboard } from "~/admin/dashboard.server";
import { getSettingsPage } from "~/admin/settings.server";
import { getTagStatus } from "~/admin/tags.server";
import { createTagRun, finishTagRun } from "~/models/admin-tags.server";

/**
 * The admin view-models work on the deps they are given (app/admin/deps.server.ts): the test's
 * database and a fixed clock, never the process database or the wall clock.
 */
const SHOP = "deps-test.myshopify.com";
const DB_KEY = Symbol.for("growthpilot.db");
const MINUTE = 60_000;

let db: TestDatabase;
let prisma: PrismaClient;
let startedAt: Date;

/** Deps whose clock reads `minutes` after the tagging run started. */
const at = (minutes: number): AdminDeps => ({ prisma, now: () => new Date(startedAt.getTime() + minutes * MINUTE) });

beforeAll(async () => {
  db = await createTestDatabase("pglite");
  prisma = db.prisma;
  await prisma.shop.create({ data: { shop: SHOP } });
  const run = await createTagRun(prisma, SHOP, 3);
  await finishTagRun(prisma, SHOP, run.id, "COMPLETED");
  startedAt = run.startedAt;
});

afterAll(async () => {
  await db?.drop();
});

describe("admin view-models receive their deps", () => {
  it("a finished tagging run's banner shows for 10 minutes by the injected clock", async () => {
    expect((await getTagStatus(at(5), SHOP))?.showProgress).toBe(true);
    expect((await getTagStatus(at(11), SHOP))?.showProgress).toBe(false);
  });

  it("the dashboard's KPI window and tagging banner both follow the injected clock", async () => {
    const early = await getDashboard(at(5), SHOP, { periodDays: 7 });
    const late = await getDashboard(at(11), SHOP, { periodDays: 7 });
    expect(early.period.to).toBe(at(5).now().toISOString());
    expect(late.period.to).toBe(at(11).now().toISOString());
    expect(early.tagging?.showProgress).toBe(true);
    expect(late.tagging?.showProgress).toBe(false);
  });

  it("never opens the process database", async () => {
    await getSettingsPage(at(0), SHOP);
    await getDashboard(at(0), SHOP);
    expect((globalThis as Record<symbol, unknown>)[DB_KEY]).toBeUndefined();
  });
});
