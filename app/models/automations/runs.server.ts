import type { Prisma } from "@prisma/client";
import type { Db } from "../db-types.server";
import type { AutomationConfig } from "./config";

/**
 * Automation runs: a run is persisted with its whole plan (every customer's assignment) before
 * Shopify is touched, then moves PLANNED → ISSUING → finished (docs/automations.md).
 */

export interface NewAssignment {
  customerGid: string;
  arm: "TREATMENT" | "HOLDOUT" | "WRITEBACK";
  stratum: string;
  status: string;
  code: string | null;
  expiresAt: Date | null;
  expectedCostMinor: number;
  /** Offer tests only (D39): the arm key and P(slot); absent for automations without arms. */
  offerArm?: string | null;
  armProbability?: number | null;
}

/**
 * Persists a run and its whole plan (call inside {@link withAutomationPlanningLock}), before
 * anything is sent to Shopify: a crash after this point resumes the same plan instead of drawing a
 * new holdout.
 */
export async function insertRunWithPlan(
  tx: Db,
  shop: string,
  input: {
    automationId: string;
    seed: number;
    asOf: Date;
    startedAt: Date;
    measureUntil: Date;
    config: AutomationConfig;
    summary: Record<string, unknown>;
    assignments: NewAssignment[];
  },
) {
  const run = await tx.automationRun.create({
    data: {
      shop,
      automationId: input.automationId,
      status: "PLANNED",
      seed: input.seed,
      asOf: input.asOf,
      startedAt: input.startedAt,
      measureUntil: input.measureUntil,
      config: input.config as unknown as Prisma.InputJsonValue,
      summary: input.summary as Prisma.InputJsonValue,
    },
  });
  await insertAssignments(
    tx,
    shop,
    { runId: run.id, automationId: input.automationId, createdAt: input.startedAt },
    input.assignments,
  );
  return run;
}

/** A run's assignments, in chunks (one statement per 1,000 rows keeps the bind parameters bounded). */
export async function insertAssignments(
  tx: Db,
  shop: string,
  run: { runId: string; automationId: string; createdAt: Date },
  assignments: NewAssignment[],
): Promise<void> {
  const rows = assignments.map((a) => ({ ...a, shop, ...run }));
  for (let i = 0; i < rows.length; i += 1000)
    await tx.automationAssignment.createMany({ data: rows.slice(i, i + 1000) });
}

export async function getRun(db: Db, shop: string, runId: string) {
  return db.automationRun.findFirst({ where: { shop, id: runId } });
}

export async function listRuns(db: Db, shop: string, automationId: string) {
  return db.automationRun.findMany({ where: { shop, automationId }, orderBy: { startedAt: "desc" } });
}

/** A run of this automation that was planned but did not finish issuing (crash, throttling, errors). */
export async function findUnfinishedRun(db: Db, shop: string, automationId: string) {
  return db.automationRun.findFirst({
    where: { shop, automationId, status: { in: ["PLANNED", "ISSUING", "FAILED"] } },
    orderBy: { startedAt: "desc" },
  });
}

export async function setRunStatus(
  db: Db,
  shop: string,
  runId: string,
  data: { status: string; error?: string | null; finishedAt?: Date | null; summary?: Record<string, unknown> },
) {
  await db.automationRun.updateMany({
    where: { shop, id: runId },
    data: {
      status: data.status,
      error: data.error ?? null,
      ...(data.finishedAt !== undefined ? { finishedAt: data.finishedAt } : {}),
      ...(data.summary ? { summary: data.summary as Prisma.InputJsonValue } : {}),
    },
  });
}
