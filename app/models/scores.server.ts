import type { Prisma, PrismaClient } from "@prisma/client";
import type { CustomerScore as EngineCustomerScore } from "../analytics/types";
import { lastObservedDay } from "../analytics/customers/summary";
import { DAY_MS } from "../analytics/time";
import type { Db } from "./db-types.server";

/** Model runs and the latest per-customer scores of a shop. */

export async function startModelRun(prisma: PrismaClient, shop: string, asOf: Date, horizonDays: number) {
  return prisma.modelRun.create({ data: { shop, asOf, horizonDays, status: "RUNNING" } });
}

export async function failModelRun(prisma: PrismaClient, shop: string, id: string, error: string) {
  await prisma.modelRun.updateMany({ where: { id, shop }, data: { status: "FAILED", error, finishedAt: new Date() } });
}

/**
 * Replaces the shop's customer scores with a run's output and marks the run complete, in one
 * transaction: readers see the previous run's scores or this one's, never a mix.
 */
export async function completeModelRun(
  prisma: PrismaClient,
  shop: string,
  runId: string,
  result: {
    /**
     * The asOf the engine was given (epoch ms on the shop's wall clock, D36): its next-order days
     * count from that clock's last observed day, so the stored dates are the shop's calendar days.
     */
    engineAsOf: number;
    customers: EngineCustomerScore[];
    params: Prisma.InputJsonValue;
    metrics: Prisma.InputJsonValue;
    sufficiency: Prisma.InputJsonValue;
    /** The run's asOf: every row's "as of". */
    scoredAt: Date;
  },
  writeExtra?: (tx: Prisma.TransactionClient) => Promise<void>,
) {
  const rows = result.customers.map((c) => toRow(shop, runId, c, result.scoredAt, result.engineAsOf));
  await prisma.$transaction(
    async (tx) => {
      await tx.customerScore.deleteMany({ where: { shop } });
      for (let i = 0; i < rows.length; i += 1000) await tx.customerScore.createMany({ data: rows.slice(i, i + 1000) });
      if (writeExtra) await writeExtra(tx);
      await tx.modelRun.updateMany({
        where: { id: runId, shop },
        data: {
          status: "COMPLETED",
          finishedAt: new Date(),
          params: result.params,
          metrics: result.metrics,
          sufficiency: result.sufficiency,
        },
      });
    },
    { timeout: 120_000, maxWait: 30_000 },
  );
}

/** Engine scores are in major units for CLV; the database keeps integer minor units. */
function toRow(
  shop: string,
  runId: string,
  c: EngineCustomerScore,
  scoredAt: Date,
  engineAsOf: number,
): Prisma.CustomerScoreCreateManyInput {
  const minor = (v: number) => Math.round((Number.isFinite(v) ? v : 0) * 100);
  const day0 = lastObservedDay(engineAsOf);
  const dayAt = (k: number) => (Number.isFinite(k) ? new Date((day0 + k) * DAY_MS) : null);
  return {
    shop,
    customerGid: c.customer,
    runId,
    segment: c.segment,
    cluster: c.cluster,
    rfmR: c.rfm.r,
    rfmF: c.rfm.f,
    rfmM: c.rfm.m,
    pPurchase: c.pPurchase,
    pAlive: c.pAlive,
    expectedOrders: c.expectedOrders,
    churnRisk: c.churnRisk,
    clvMinor: minor(c.clv),
    clvLowMinor: minor(c.clvLow),
    clvHighMinor: minor(c.clvHigh),
    explanation: c.explanation,
    nextOrderAt: dayAt(c.nextOrder.days),
    nextOrderLowAt: dayAt(c.nextOrder.lowDays),
    nextOrderHighAt: dayAt(c.nextOrder.highDays),
    nextOrderValueMinor: minor(c.nextOrder.value),
    spendPerPeriodMinor: minor(c.spendPerPeriod),
    valueAtStakeMinor: minor(c.valueAtStake),
    scoredAt,
  };
}

const SCORE_COLUMNS = [
  "runId",
  "segment",
  "cluster",
  "rfmR",
  "rfmF",
  "rfmM",
  "pPurchase",
  "pAlive",
  "expectedOrders",
  "churnRisk",
  "clvMinor",
  "clvLowMinor",
  "clvHighMinor",
  "explanation",
  "nextOrderAt",
  "nextOrderLowAt",
  "nextOrderHighAt",
  "nextOrderValueMinor",
  "spendPerPeriodMinor",
  "valueAtStakeMinor",
  "scoredAt",
] as const;

/** Columns bound as ISO strings and cast, since the raw statement sends every value as text or number. */
const TIMESTAMP_COLUMNS = new Set<string>(["nextOrderAt", "nextOrderLowAt", "nextOrderHighAt", "scoredAt"]);

/**
 * One customer's score from a rescore (D36), in one statement so two rescores of the same
 * customer cannot interleave: a stored row with a later `scoredAt` (a later rescore, a run with a
 * later asOf) is kept. Returns whether this row was written.
 */
export async function upsertCustomerScore(
  prisma: Db,
  shop: string,
  runId: string,
  score: EngineCustomerScore,
  scoredAt: Date,
  engineAsOf: number,
): Promise<boolean> {
  const row = toRow(shop, runId, score, scoredAt, engineAsOf) as Record<string, unknown>;
  const cols = ["shop", "customerGid", ...SCORE_COLUMNS];
  const values = cols.map((c) => (row[c] instanceof Date ? (row[c] as Date).toISOString() : row[c]));
  const placeholders = cols.map((c, i) => (TIMESTAMP_COLUMNS.has(c) ? `$${i + 1}::timestamp(3)` : `$${i + 1}`));
  const written = await prisma.$executeRawUnsafe(
    `INSERT INTO "CustomerScore" (${cols.map((c) => `"${c}"`).join(", ")}) VALUES (${placeholders.join(", ")})
     ON CONFLICT (shop, "customerGid") DO UPDATE SET ${SCORE_COLUMNS.map((c) => `"${c}" = EXCLUDED."${c}"`).join(", ")}
     WHERE "CustomerScore"."scoredAt" <= EXCLUDED."scoredAt"`,
    ...values,
  );
  return written > 0;
}

/** A customer who no longer has a scorable order (everything refunded or cancelled). */
export async function deleteCustomerScore(prisma: Db, shop: string, customerGid: string): Promise<void> {
  await prisma.customerScore.deleteMany({ where: { shop, customerGid } });
}

/** The newest completed run of a shop (id and asOf only: read on every one-customer rescore). */
export async function latestCompletedRun(prisma: Db, shop: string) {
  return prisma.modelRun.findFirst({
    where: { shop, status: "COMPLETED" },
    orderBy: { startedAt: "desc" },
    select: { id: true, asOf: true },
  });
}

/** A run's fitted customer-model state (`params.fitted`, D36), without the rest of its params. */
export async function runFittedParams(prisma: Db, shop: string, runId: string): Promise<unknown> {
  const rows = await prisma.$queryRawUnsafe<{ fitted: unknown }[]>(
    `SELECT params->'fitted' AS fitted FROM "ModelRun" WHERE shop = $1 AND id = $2`,
    shop,
    runId,
  );
  const fitted = rows[0]?.fitted ?? null;
  return typeof fitted === "string" ? (JSON.parse(fitted) as unknown) : fitted;
}

/** When a customer's stored score was computed (null: no row). */
export async function customerScoredAt(prisma: Db, shop: string, customerGid: string): Promise<Date | null> {
  const row = await prisma.customerScore.findUnique({
    where: { shop_customerGid: { shop, customerGid } },
    select: { scoredAt: true },
  });
  return row?.scoredAt ?? null;
}

/** The asOf of the newest completed run: the refit check asks whether a day has passed since. */
export async function lastCompletedRunAsOf(prisma: Db, shop: string): Promise<Date | null> {
  const run = await prisma.modelRun.findFirst({
    where: { shop, status: "COMPLETED" },
    orderBy: { asOf: "desc" },
    select: { asOf: true },
  });
  return run?.asOf ?? null;
}

/** A scoring run that is RUNNING and started after `since` (older ones belong to a dead process). */
export async function findRecentRunningModelRun(prisma: PrismaClient, shop: string, since: Date) {
  return prisma.modelRun.findFirst({
    where: { shop, status: "RUNNING", startedAt: { gt: since } },
    select: { id: true },
  });
}

export async function latestModelRun(prisma: PrismaClient, shop: string, status?: string) {
  return prisma.modelRun.findFirst({ where: { shop, ...(status ? { status } : {}) }, orderBy: { startedAt: "desc" } });
}
