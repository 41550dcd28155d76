import type { Prisma, PrismaClient } from "@prisma/client";
import type { Db } from "../db-types.server";
import { defaultConfigFor, parseAutomationConfig, type AutomationType } from "./config";

/** Automation rows: create, read, update, the scheduled ones, and the per-shop planning lock. */

export async function createAutomation(
  db: Db,
  shop: string,
  input: { type: AutomationType; name: string; config?: unknown; schedule?: string },
) {
  const config = input.config === undefined ? defaultConfigFor(input.type) : parseAutomationConfig(input.config);
  return db.automation.create({
    data: {
      shop,
      type: input.type,
      name: input.name,
      config: config as unknown as Prisma.InputJsonValue,
      schedule: input.schedule ?? "MANUAL",
    },
  });
}

export async function getAutomation(db: Db, shop: string, id: string) {
  return db.automation.findFirst({ where: { shop, id } });
}

export async function listAutomations(db: Db, shop: string) {
  return db.automation.findMany({
    where: { shop, status: { not: "ARCHIVED" } },
    orderBy: { createdAt: "desc" },
    include: { runs: { orderBy: { startedAt: "desc" }, take: 1 } },
  });
}

/** The newest non-archived automation of a type: the one a "Do this now" item opens (D37). */
export async function latestAutomationOfType(db: Db, shop: string, type: string) {
  return db.automation.findFirst({
    where: { shop, type, status: { not: "ARCHIVED" } },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    select: { id: true, config: true },
  });
}

export async function updateAutomation(
  db: Db,
  shop: string,
  id: string,
  patch: { name?: string; status?: string; schedule?: string; config?: unknown },
) {
  const data: Prisma.AutomationUpdateManyMutationInput = {};
  if (patch.name !== undefined) data.name = patch.name;
  if (patch.status !== undefined) data.status = patch.status;
  if (patch.schedule !== undefined) data.schedule = patch.schedule;
  if (patch.config !== undefined) data.config = parseAutomationConfig(patch.config) as unknown as Prisma.InputJsonValue;
  const { count } = await db.automation.updateMany({ where: { shop, id }, data });
  return count > 0;
}

/** Active automations with a schedule (the daily job runs those that are due). */
export async function listScheduledAutomations(db: Db, shop: string) {
  return db.automation.findMany({
    where: { shop, status: "ACTIVE", schedule: { in: ["DAILY", "WEEKLY"] } },
    include: { runs: { orderBy: { startedAt: "desc" }, take: 1 } },
  });
}

/**
 * Runs `fn` in a transaction holding the shop's automation planning lock, so two planners (a
 * double-clicked "Run" and the daily job) never draw overlapping plans: the second one sees the
 * first one's assignments (suppression) or its unfinished run.
 */
export async function withAutomationPlanningLock<T>(
  prisma: PrismaClient,
  shop: string,
  fn: (tx: Prisma.TransactionClient) => Promise<T>,
): Promise<T> {
  return prisma.$transaction(
    async (tx) => {
      await tx.$executeRawUnsafe(`SELECT pg_advisory_xact_lock(hashtext($1))`, `growthpilot-automation:${shop}`);
      return fn(tx);
    },
    { timeout: 300_000, maxWait: 60_000 },
  );
}
