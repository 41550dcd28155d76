import type { Prisma, PrismaClient } from "@prisma/client";
import { z } from "zod";
import {
  AUTOMATION_TYPES,
  ENGINE_KINDS,
  RULE_SCHEMAS,
  type AutomationType,
  type CustomerFacts,
  type EconomicsLine,
} from "../analytics/automations";
import type { Db } from "./db-types.server";

/**
 * Automations, their runs and per-customer assignments — and the read models planning and
 * measurement need (customer facts, order outcomes). Every function is scoped by `shop`.
 */

export { AUTOMATION_TYPES, type AutomationType };

/** Assignment states (see the AutomationAssignment model). */
export const ASSIGNMENT = {
  PENDING: "PENDING",
  CODE_CREATED: "CODE_CREATED",
  ISSUED: "ISSUED",
  FAILED: "FAILED",
  HOLDOUT: "HOLDOUT",
  /** The code was used on an order (seen at cleanup). */
  REDEEMED: "REDEEMED",
  /** Expired unused: discount deleted, tag and metafields removed. */
  CLEANED: "CLEANED",
  WRITTEN: "WRITTEN",
} as const;

const OfferSchema = z.object({
  kind: z.enum(["PERCENTAGE", "AMOUNT"]).default("PERCENTAGE"),
  /** PERCENTAGE: share 0..1 (0.15 = 15% off); AMOUNT: minor units. */
  value: z.number().positive().default(0.15),
});

/**
 * Per-automation configuration. Fields left unset fall back to the shop's automation settings
 * (holdout share, code expiry, suppression) so one merchant setting governs every automation.
 */
export const AutomationConfigSchema = z
  .object({
    offer: OfferSchema.default({}),
    holdoutShare: z.number().min(0.05).max(0.5).optional(),
    codeExpiryDays: z.number().int().min(1).max(90).optional(),
    /** Outcomes are read on orders up to this many days after the run (default: code expiry + 16). */
    measurementDays: z.number().int().min(7).max(180).optional(),
    suppressionDays: z.number().int().min(0).max(365).optional(),
    budgetPerRunMinor: z.number().int().positive().nullable().default(50_000),
    budgetPerMonthMinor: z.number().int().positive().nullable().default(200_000),
    maxCustomers: z.number().int().positive().nullable().default(null),
    /** The automation's code reaches customers by marketing email/Flow: consent required. */
    sendsMessages: z.boolean().default(true),
    skipLikelyBuyers: z
      .object({
        enabled: z.boolean().default(true),
        pPurchaseAbove: z.number().min(0).max(1).default(0.8),
        minOrders: z.number().int().min(1).default(3),
      })
      .default({}),
    /** Prior uplift used by the preview only (absolute, in the code window). */
    assumedUplift: z.number().min(0).max(0.5).default(0.03),
    /** Each kind's thresholds under its `rulesKey` (app/analytics/automations/kinds). */
    rules: z.object(RULE_SCHEMAS).default({}),
  })
  .default({});

export type AutomationConfig = z.infer<typeof AutomationConfigSchema>;

/** Sane defaults per type: what "create" pre-fills (each kind's `defaults`, D23). */
export function defaultConfigFor(type: AutomationType): AutomationConfig {
  const base = AutomationConfigSchema.parse({});
  const d = ENGINE_KINDS[type].defaults;
  return {
    ...base,
    ...(d.offer ? { offer: { ...d.offer } } : {}),
    ...(d.skipLikelyBuyers === undefined
      ? {}
      : { skipLikelyBuyers: { ...base.skipLikelyBuyers, enabled: d.skipLikelyBuyers } }),
    ...(d.sendsMessages === undefined ? {} : { sendsMessages: d.sendsMessages }),
    ...(d.budgetPerRunMinor === undefined ? {} : { budgetPerRunMinor: d.budgetPerRunMinor }),
    ...(d.budgetPerMonthMinor === undefined ? {} : { budgetPerMonthMinor: d.budgetPerMonthMinor }),
  };
}

export function parseAutomationConfig(json: unknown): AutomationConfig {
  return AutomationConfigSchema.parse(json ?? {});
}

// ------------------------------------------------------------------------------------------------
// Automations

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

// ------------------------------------------------------------------------------------------------
// Runs and assignments

export interface NewAssignment {
  customerGid: string;
  arm: "TREATMENT" | "HOLDOUT" | "WRITEBACK";
  stratum: string;
  status: string;
  code: string | null;
  expiresAt: Date | null;
  expectedCostMinor: number;
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

/** Assignments of a run still needing work with Shopify, in a stable order. */
export async function listOpenAssignments(db: Db, shop: string, runId: string, statuses: string[]) {
  return db.automationAssignment.findMany({
    where: { shop, runId, status: { in: statuses } },
    orderBy: { customerGid: "asc" },
  });
}

export async function listAssignments(db: Db, shop: string, runIds: string[]) {
  return db.automationAssignment.findMany({
    where: { shop, runId: { in: runIds } },
    orderBy: [{ runId: "asc" }, { customerGid: "asc" }],
  });
}

export async function updateAssignment(
  db: Db,
  shop: string,
  runId: string,
  customerGid: string,
  data: {
    status?: string;
    discountGid?: string | null;
    error?: string | null;
    attempts?: { increment: number };
    flowStatus?: string;
    flowError?: string | null;
  },
) {
  await db.automationAssignment.update({ where: { shop_runId_customerGid: { shop, runId, customerGid } }, data });
}

export async function countAssignmentsByStatus(db: Db, shop: string, runId: string): Promise<Record<string, number>> {
  const rows = await db.automationAssignment.groupBy({
    by: ["status"],
    where: { shop, runId },
    _count: { _all: true },
  });
  return Object.fromEntries(rows.map((r) => [r.status, r._count._all]));
}

/** Expected cost already committed to treated customers of runs started in [from, to). */
export async function committedCostBetween(db: Db, shop: string, from: Date, to: Date): Promise<number> {
  const result = await db.automationAssignment.aggregate({
    where: { shop, arm: "TREATMENT", createdAt: { gte: from, lt: to }, status: { not: ASSIGNMENT.FAILED } },
    _sum: { expectedCostMinor: true },
  });
  return result._sum.expectedCostMinor ?? 0;
}

/** Issued codes past their expiry (candidates for cleanup). */
export async function listExpiredIssued(db: Db, shop: string, now: Date, limit = 500) {
  return db.automationAssignment.findMany({
    where: {
      shop,
      status: { in: [ASSIGNMENT.ISSUED, ASSIGNMENT.CODE_CREATED, ASSIGNMENT.FAILED] },
      expiresAt: { lt: now },
      discountGid: { not: null },
    },
    orderBy: { expiresAt: "asc" },
    take: limit,
  });
}

/** Which of these codes appear on a synced order (case-insensitive, as Shopify matches codes). */
export async function redeemedCodes(db: Db, shop: string, codes: string[]): Promise<Set<string>> {
  if (codes.length === 0) return new Set();
  const rows = await db.$queryRawUnsafe<{ code: string }[]>(
    `SELECT DISTINCT lower(c) AS code FROM "Order" o, unnest(o."discountCodes") AS c
     WHERE o.shop = $1 AND lower(c) = ANY($2::text[])`,
    shop,
    codes.map((c) => c.toLowerCase()),
  );
  return new Set(rows.map((r) => r.code));
}

// ------------------------------------------------------------------------------------------------
// Read models for planning

interface FactsRow {
  gid: string;
  segment: string;
  churnRisk: number;
  pPurchase: number;
  pAlive: number;
  clvMinor: number;
  marketingState: string | null;
  orders: number | bigint | null;
  firstOrderAt: Date | null;
  lastOrderAt: Date | null;
  spentMinor: number | bigint | null;
  lastOfferAt: Date | null;
  productsBought: string[] | null;
}

/**
 * Scored customers with their order history and last offer, for planning. Only customers with a
 * score take part (the latest scoring run defines segments and risks); redacted customers never do.
 */
export async function loadCustomerFacts(
  db: Db,
  shop: string,
  opts: { withProducts: boolean },
): Promise<CustomerFacts[]> {
  const rows = await db.$queryRawUnsafe<FactsRow[]>(
    `WITH ord AS (
       SELECT o."customerGid" AS gid, count(*) AS orders, min(o."shopifyCreated") AS "firstOrderAt",
              max(o."shopifyCreated") AS "lastOrderAt", sum(o."subtotalMinor" - o."refundedMinor") AS "spentMinor"
       FROM "Order" o
       WHERE o.shop = $1 AND o."cancelledAt" IS NULL AND o."financialStatus" <> 'VOIDED' AND o."customerGid" IS NOT NULL
       GROUP BY o."customerGid"
     ),
     offers AS (
       SELECT "customerGid" AS gid, max("createdAt") AS "lastOfferAt"
       FROM "AutomationAssignment" WHERE shop = $1 AND arm IN ('TREATMENT', 'HOLDOUT') GROUP BY "customerGid"
     )
     ${
       opts.withProducts
         ? `, bought AS (
       SELECT o."customerGid" AS gid, array_agg(DISTINCT l."productGid") AS "productsBought"
       FROM "Order" o JOIN "OrderLine" l ON l.shop = o.shop AND l."orderGid" = o.gid
       WHERE o.shop = $1 AND o."cancelledAt" IS NULL AND l."productGid" IS NOT NULL AND o."customerGid" IS NOT NULL
       GROUP BY o."customerGid"
     )`
         : ""
     }
     SELECT s."customerGid" AS gid, s.segment, s."churnRisk", s."pPurchase", s."pAlive", s."clvMinor",
            c."marketingState", ord.orders, ord."firstOrderAt", ord."lastOrderAt", ord."spentMinor",
            offers."lastOfferAt", ${opts.withProducts ? `bought."productsBought"` : `NULL::text[] AS "productsBought"`}
     FROM "CustomerScore" s
     JOIN "Customer" c ON c.shop = s.shop AND c.gid = s."customerGid" AND c."redactedAt" IS NULL
     LEFT JOIN ord ON ord.gid = s."customerGid"
     LEFT JOIN offers ON offers.gid = s."customerGid"
     ${opts.withProducts ? `LEFT JOIN bought ON bought.gid = s."customerGid"` : ""}
     WHERE s.shop = $1
     ORDER BY s."customerGid"`,
    shop,
  );
  return rows.map((r) => {
    const orders = Number(r.orders ?? 0);
    const spent = Number(r.spentMinor ?? 0);
    return {
      gid: r.gid,
      segment: r.segment,
      churnRisk: r.churnRisk,
      pPurchase: r.pPurchase,
      pAlive: r.pAlive,
      clvMinor: r.clvMinor,
      orders,
      firstOrderAt: r.firstOrderAt ? r.firstOrderAt.getTime() : null,
      lastOrderAt: r.lastOrderAt ? r.lastOrderAt.getTime() : null,
      spentMinor: spent,
      aovMinor: orders > 0 ? Math.round(spent / orders) : 0,
      marketingState: r.marketingState ?? "NOT_SUBSCRIBED",
      lastOfferAt: r.lastOfferAt ? r.lastOfferAt.getTime() : null,
      productsBought: r.productsBought ?? [],
    };
  });
}

/** Days between first and second order of every repeat customer (same-day orders merged). */
export async function secondOrderGapsDays(db: Db, shop: string): Promise<number[]> {
  const rows = await db.$queryRawUnsafe<{ gap: number }[]>(
    `WITH days AS (
       SELECT DISTINCT "customerGid" AS gid, date_trunc('day', "shopifyCreated") AS d
       FROM "Order" WHERE shop = $1 AND "cancelledAt" IS NULL AND "customerGid" IS NOT NULL
     ), ranked AS (
       SELECT gid, d, row_number() OVER (PARTITION BY gid ORDER BY d) AS n FROM days
     )
     SELECT (EXTRACT(EPOCH FROM (b.d - a.d)) / 86400)::float8 AS gap
     FROM ranked a JOIN ranked b ON a.gid = b.gid AND a.n = 1 AND b.n = 2`,
    shop,
  );
  return rows.map((r) => Number(r.gap));
}

export async function shopAverageOrderMinor(db: Db, shop: string): Promise<number> {
  const r = await db.order.aggregate({ where: { shop, cancelledAt: null }, _avg: { subtotalMinor: true } });
  return Math.round(r._avg.subtotalMinor ?? 0);
}

/** The strongest bought-together pair: the most-ordered product and its first partner. */
export async function topBundlePair(db: Db, shop: string): Promise<{ productA: string; productB: string } | null> {
  const lists = await db.recommendation.findMany({
    where: { shop, kind: "BOUGHT_TOGETHER" },
    select: { subject: true, items: true },
  });
  if (lists.length === 0) return null;
  const counts = await db.orderLine.groupBy({
    by: ["productGid"],
    where: { shop, productGid: { in: lists.map((l) => l.subject) } },
    _count: { _all: true },
  });
  const popularity = new Map(counts.map((c) => [c.productGid, c._count._all]));
  const ranked = lists
    .map((l) => ({
      subject: l.subject,
      first: (l.items as { gid: string }[])[0]?.gid,
      n: popularity.get(l.subject) ?? 0,
    }))
    .filter((l) => l.first)
    .sort((a, b) => b.n - a.n || (a.subject < b.subject ? -1 : 1));
  return ranked.length ? { productA: ranked[0].subject, productB: ranked[0].first! } : null;
}

/** Product title and lowest variant price (bundle offers discount product B). */
export async function productSummary(
  db: Db,
  shop: string,
  gid: string,
): Promise<{ title: string; priceMinor: number } | null> {
  const p = await db.product.findUnique({
    where: { shop_gid: { shop, gid } },
    include: { variants: { select: { priceMinor: true } } },
  });
  if (!p) return null;
  return { title: p.title, priceMinor: p.variants.length ? Math.min(...p.variants.map((v) => v.priceMinor)) : 0 };
}

/** Customer names for the preview list (PII: shown to the merchant, never logged). */
export async function customerLabels(db: Db, shop: string, gids: string[]): Promise<Map<string, string>> {
  const rows = await db.customer.findMany({
    where: { shop, gid: { in: gids } },
    select: { gid: true, firstName: true, lastName: true, email: true },
  });
  return new Map(rows.map((r) => [r.gid, [r.firstName, r.lastName].filter(Boolean).join(" ") || r.email || r.gid]));
}

/** Customer tags as last synced (segment write-back diffs against them). */
export async function customerTags(db: Db, shop: string, gids: string[]): Promise<Map<string, string[]>> {
  const rows = await db.customer.findMany({ where: { shop, gid: { in: gids } }, select: { gid: true, tags: true } });
  return new Map(rows.map((r) => [r.gid, r.tags]));
}

// ------------------------------------------------------------------------------------------------
// Read model for measurement

export interface OutcomeOrder {
  customerGid: string;
  at: Date;
  discountCodes: string[];
  discountMinor: number;
  lines: EconomicsLine[];
}

/**
 * Non-cancelled orders of the given customers created in [from, to), with each line's variant
 * cost (null where the merchant never entered one).
 */
export async function ordersForOutcomes(
  db: Db,
  shop: string,
  customerGids: string[],
  from: Date,
  to: Date,
): Promise<OutcomeOrder[]> {
  if (customerGids.length === 0) return [];
  const orders = await db.order.findMany({
    where: {
      shop,
      customerGid: { in: customerGids },
      shopifyCreated: { gte: from, lt: to },
      cancelledAt: null,
      financialStatus: { notIn: ["VOIDED"] },
    },
    select: {
      customerGid: true,
      shopifyCreated: true,
      discountCodes: true,
      discountMinor: true,
      lines: { select: { variantGid: true, quantity: true, refundedQty: true, unitPriceMinor: true } },
    },
  });
  const variantGids = [
    ...new Set(orders.flatMap((o) => o.lines.map((l) => l.variantGid).filter((v): v is string => !!v))),
  ];
  const variants = variantGids.length
    ? await db.variant.findMany({ where: { shop, gid: { in: variantGids } }, select: { gid: true, costMinor: true } })
    : [];
  const cost = new Map(variants.map((v) => [v.gid, v.costMinor]));
  return orders.map((o) => ({
    customerGid: o.customerGid!,
    at: o.shopifyCreated,
    discountCodes: o.discountCodes,
    discountMinor: o.discountMinor,
    lines: o.lines.map((l) => ({
      quantity: l.quantity,
      refundedQty: l.refundedQty,
      unitPriceMinor: l.unitPriceMinor,
      unitCostMinor: l.variantGid ? (cost.get(l.variantGid) ?? null) : null,
    })),
  }));
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

/** Automations with a live (issued, unexpired) offer for the customer — cleanup keeps their tags. */
export async function liveOfferAutomationIds(db: Db, shop: string, customerGid: string, now: Date): Promise<string[]> {
  const rows = await db.automationAssignment.findMany({
    where: {
      shop,
      customerGid,
      arm: "TREATMENT",
      expiresAt: { gt: now },
      status: { in: [ASSIGNMENT.ISSUED, ASSIGNMENT.CODE_CREATED, ASSIGNMENT.PENDING] },
    },
    select: { automationId: true },
  });
  return [...new Set(rows.map((r) => r.automationId))];
}

/** Up to `limit` of a customer's "for you" products (title + storefront URL), for the Flow trigger. */
export async function forYouProducts(
  db: Db,
  shop: string,
  customerGid: string,
  limit = 3,
): Promise<{ title: string; url: string }[]> {
  const rec = await db.recommendation.findUnique({
    where: { shop_kind_subject: { shop, kind: "FOR_YOU", subject: customerGid } },
  });
  const gids = ((rec?.items as { gid: string }[] | undefined) ?? []).slice(0, limit).map((i) => i.gid);
  if (gids.length === 0) return [];
  const rows = await db.product.findMany({
    where: { shop, gid: { in: gids }, deletedAt: null },
    select: { gid: true, title: true, handle: true },
  });
  const byGid = new Map(rows.map((r) => [r.gid, r]));
  return gids.flatMap((g) => {
    const p = byGid.get(g);
    return p ? [{ title: p.title, url: `https://${shop}/products/${p.handle}` }] : [];
  });
}

/** Flow trigger delivery counts of a run: accepted / failed / not sent. */
/**
 * Flow delivery states besides ACCEPTED/FAILED (D28): SENDING is written just before a batch's
 * trigger request and replaced by its answer; a run resumed after a crash finds it and records
 * UNCONFIRMED instead of sending again (a second trigger would email the customer twice).
 * SKIPPED: no workflow uses the trigger (Flow's lifecycle callback said so), nothing was sent.
 */
export const FLOW_STATUS = { SENDING: "SENDING", UNCONFIRMED: "UNCONFIRMED", SKIPPED: "SKIPPED" } as const;
export const FLOW_SKIPPED_REASON = "not sent: no workflow uses the trigger";
export const FLOW_UNCONFIRMED_REASON = "not re-sent: the app stopped while sending; Flow may have received it";

export async function countFlowDeliveries(
  db: Db,
  shop: string,
  runId: string,
): Promise<{ accepted: number; failed: number; skipped: number; unconfirmed: number }> {
  const rows = await db.automationAssignment.groupBy({
    by: ["flowStatus"],
    where: { shop, runId, arm: "TREATMENT" },
    _count: { _all: true },
  });
  const n = (s: string) => rows.find((r) => r.flowStatus === s)?._count._all ?? 0;
  return {
    accepted: n("ACCEPTED"),
    failed: n("FAILED"),
    skipped: n(FLOW_STATUS.SKIPPED),
    unconfirmed: n(FLOW_STATUS.UNCONFIRMED),
  };
}

/** Every treated customer of the given runs with code, expiry, segment and Flow delivery, for the CSV. */
export async function listIssuedCodes(db: Db, shop: string, runIds: string[]) {
  const rows = await db.automationAssignment.findMany({
    where: { shop, runId: { in: runIds }, arm: "TREATMENT", code: { not: null } },
    orderBy: [{ createdAt: "desc" }, { customerGid: "asc" }],
    select: { customerGid: true, code: true, expiresAt: true, stratum: true, status: true, flowStatus: true },
  });
  const customers = await db.customer.findMany({
    where: { shop, gid: { in: rows.map((r) => r.customerGid) } },
    select: { gid: true, firstName: true, lastName: true, email: true },
  });
  const byGid = new Map(customers.map((c) => [c.gid, c]));
  return rows.map((r) => ({ ...r, customer: byGid.get(r.customerGid) ?? null }));
}

/** Sets the Flow delivery state of several assignments at once (the batch's "sending" mark). */
export async function setFlowStatus(
  db: Db,
  shop: string,
  runId: string,
  customerGids: string[],
  flowStatus: string | null,
  flowError: string | null = null,
) {
  if (customerGids.length === 0) return;
  await db.automationAssignment.updateMany({
    where: { shop, runId, customerGid: { in: customerGids } },
    data: { flowStatus, flowError },
  });
}
