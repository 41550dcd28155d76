import type { PrismaClient } from "@prisma/client";
import { getDb } from "../db.server";

/**
 * What the admin view-models receive, like the domain services' deps (`SyncDeps`, `ScoringDeps`):
 * the database and the clock. Every view-model function takes `(deps, shop, …)`; routes build the
 * deps here once per request (`viewModel(await adminDeps(), shop, …)`) and tests pass their own
 * database and a fixed clock. This is the only admin file that may reach the process database
 * (a lint rule in eslint.config.js).
 */
export interface AdminDeps {
  prisma: PrismaClient;
  /** The request's clock: "now" for KPI windows, staleness checks and progress banners. */
  now: () => Date;
}

/** The process database and the wall clock, for the routes. */
export async function adminDeps(): Promise<AdminDeps> {
  const { prisma } = await getDb();
  return { prisma, now: () => new Date() };
}
