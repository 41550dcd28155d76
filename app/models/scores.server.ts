import type { Prisma, PrismaClient } from "@prisma/client";
import type { CustomerScore as EngineCustomerScore } from "../analytics/types";
import { lastObservedDay } from "../analytics/customers/summary";
import { DAY_MS } from "../analytics/time";

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
    /** The run's as-of: the engine's next-order days count from its last observed day. */
    asOf: Date;
    customers: EngineCustomerScore[];
    params: Prisma.InputJsonValue;
    metrics: Prisma.InputJsonValue;
    sufficiency: Prisma.InputJsonValue;
  },
  writeExtra?: (tx: Prisma.TransactionClient) => Promise<void>,
) {
  const rows = result.customers.map((c) => toRow(shop, runId, c, result.asOf));
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
function toRow(shop: string, runId: string, c: EngineCustomerScore, asOf: Date): Prisma.CustomerScoreCreateManyInput {
  const minor = (v: number) => Math.round((Number.isFinite(v) ? v : 0) * 100);
  const day0 = lastObservedDay(asOf.getTime());
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
  };
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
