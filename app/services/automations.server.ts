import { createHash } from "node:crypto";
import type { AutomationAssignment, AutomationRun, PrismaClient } from "@prisma/client";
import {
  measureEffect,
  orderEconomics,
  planAutomation,
  typicalSecondGapDays,
  writebackTags,
  type AutomationType,
  type Measurement,
  type Plan,
  type PlanInput,
  type UnitOutcome,
} from "../analytics/automations";
import { mulberry32 } from "../analytics/rng";
import {
  ASSIGNMENT,
  committedCostBetween,
  countAssignmentsByStatus,
  customerLabels,
  customerTags,
  findUnfinishedRun,
  forYouProducts,
  getAutomation,
  getRun,
  liveOfferAutomationIds,
  insertRunWithPlan,
  listAssignments,
  listExpiredIssued,
  listOpenAssignments,
  listRuns,
  listScheduledAutomations,
  loadCustomerFacts,
  ordersForOutcomes,
  parseAutomationConfig,
  productSummary,
  redeemedCodes,
  secondOrderGapsDays,
  setRunStatus,
  shopAverageOrderMinor,
  updateAssignment,
  withAutomationPlanningLock,
  type AutomationConfig,
  type NewAssignment,
} from "../models/automations.server";
import type { Db } from "../models/db-types.server";
import { getShopSettings } from "../models/shops.server";
import type { ShopSettings } from "../models/shop-settings";
import type { AdminClient } from "../shopify/admin-client.server";
import {
  addCustomerTags,
  createCustomerDiscount,
  deleteCustomerMetafields,
  deleteDiscount,
  DISCOUNT_TITLE_PREFIX,
  removeCustomerTags,
  setCustomerMetafields,
  type CustomerMetafield,
} from "../shopify/discounts.server";
import { ShopifyUserErrors } from "../shopify/errors.server";
import { sendOfferIssued } from "../shopify/flow-trigger";

/**
 * Discount automations: preview → run → measure (issue #6, docs/automations.md).
 *
 * A run is planned (eligibility, guardrails, stratified holdout) and persisted with every
 * customer's arm and deterministic code *before* Shopify is touched. Issuing then walks a
 * per-customer state machine (PENDING → CODE_CREATED → ISSUED), committing after each Shopify
 * step, so the same run executed twice, or resumed after userErrors, throttling or a crash, never
 * creates a second code for anyone. Holdout customers get nothing and are recorded.
 */

export interface AutomationDeps {
  prisma: PrismaClient;
  client: AdminClient;
  now?: () => Date;
  /** Test hooks: throw from one to simulate a crash at that point. */
  hooks?: {
    /** After Shopify created the discount, before the database knows its id. */
    afterCreate?: (customerGid: string) => void | Promise<void>;
    afterIssue?: (customerGid: string) => void | Promise<void>;
  };
}

export type ReadDeps = Pick<AutomationDeps, "prisma" | "now">;

export class AutomationError extends Error {
  override name = "AutomationError";
}

const DAY_MS = 86_400_000;
/** A customer whose create failed with userErrors is retried on resume at most this often. */
const MAX_ATTEMPTS = 3;
/** Metafield keys (namespace `$app`) holding the current offer. */
export const OFFER_METAFIELD_KEYS = ["offer_code", "offer_expires_at", "offer_summary"] as const;
export const OFFER_TAG = "gp-offer";

const TYPE_CODE_PREFIX: Record<AutomationType, string> = {
  WIN_BACK: "GPWB",
  VIP_REWARD: "GPVIP",
  SECOND_PURCHASE: "GPNX",
  BUNDLE_OFFER: "GPBD",
  SEGMENT_WRITEBACK: "GPSEG",
};

const TYPE_TAG: Record<AutomationType, string> = {
  WIN_BACK: "gp-offer-winback",
  VIP_REWARD: "gp-offer-vip",
  SECOND_PURCHASE: "gp-offer-second-purchase",
  BUNDLE_OFFER: "gp-offer-bundle",
  SEGMENT_WRITEBACK: "gp-segment",
};

/** Tags an issued offer adds: a generic one and one per type (Flow triggers on either). */
export function offerTags(type: AutomationType): string[] {
  return [OFFER_TAG, TYPE_TAG[type]];
}

const ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"; // 32 symbols, no 0/O/1/I

/**
 * The code of one customer in one run: a hash of (run, customer), so every retry of the create
 * sends the same code and Shopify's uniqueness check turns a duplicate into "taken" instead of a
 * second code. 10 symbols = 50 bits; the run id (a cuid) makes codes unguessable across shops.
 */
export function offerCode(type: AutomationType, runId: string, customerGid: string): string {
  const digest = createHash("sha256").update(`${runId}:${customerGid}`).digest();
  let out = "";
  for (let i = 0; i < 10; i++) out += ALPHABET[digest[i] % 32];
  return `${TYPE_CODE_PREFIX[type]}-${out}`;
}

/** A 31-bit seed (the run row stores it in a Postgres integer). */
function seedFrom(text: string): number {
  return createHash("sha256").update(text).digest().readUInt32LE(0) & 0x7fffffff;
}

function clock(deps: { now?: () => Date }): Date {
  return deps.now ? deps.now() : new Date();
}

/** Error text stored on runs/assignments: messages of our typed errors carry no PII or tokens. */
function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Settings the automation did not override. */
export function resolveConfig(config: AutomationConfig, settings: ShopSettings) {
  const codeExpiryDays = config.codeExpiryDays ?? settings.automation.codeExpiryDays;
  return {
    holdoutShare: config.holdoutShare ?? settings.automation.holdoutShare,
    codeExpiryDays,
    suppressionDays: config.suppressionDays ?? settings.automation.suppressionDays,
    measurementDays: config.measurementDays ?? codeExpiryDays + 16,
    marginShare: settings.automation.defaultMarginShare,
    horizonDays: settings.churnHorizonDays,
  };
}

function monthStart(at: Date): Date {
  return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1));
}

/** Everything planning needs, read inside the planning lock. */
async function buildPlanInput(db: Db, shop: string, type: AutomationType, config: AutomationConfig, settings: ShopSettings, now: Date) {
  const r = resolveConfig(config, settings);
  const [gaps, shopAov, committed] = await Promise.all([
    type === "SECOND_PURCHASE" ? secondOrderGapsDays(db, shop) : Promise.resolve([] as number[]),
    shopAverageOrderMinor(db, shop),
    committedCostBetween(db, shop, monthStart(now), new Date(now.getTime() + 1)),
  ]);
  const { productA, productB } = config.rules.bundle;
  const productBInfo = type === "BUNDLE_OFFER" && productB ? await productSummary(db, shop, productB) : null;
  const input: PlanInput = {
    type,
    offer: config.offer,
    rules: {
      winBack: config.rules.winBack,
      vip: config.rules.vip,
      secondPurchase: config.rules.secondPurchase,
      bundle: { productA, productB, productBPriceMinor: productBInfo?.priceMinor ?? 0, minPAlive: 0.2 },
    },
    holdoutShare: r.holdoutShare,
    codeExpiryDays: r.codeExpiryDays,
    budgetPerRunMinor: config.budgetPerRunMinor,
    budgetPerMonthMinor: config.budgetPerMonthMinor,
    monthCommittedMinor: committed,
    maxCustomers: config.maxCustomers,
    suppressionDays: r.suppressionDays,
    requireMarketingConsent: config.sendsMessages,
    skipLikelyBuyers: config.skipLikelyBuyers,
    marginShare: r.marginShare,
    horizonDays: r.horizonDays,
    assumedUplift: config.assumedUplift,
    typicalSecondGapDays: typicalSecondGapDays(gaps),
    shopAovMinor: shopAov,
  };
  return { input, resolved: r };
}

// ------------------------------------------------------------------------------------------------
// Preview

export interface AutomationPreview {
  automationId: string;
  type: AutomationType;
  /** Null when the shop has no scores yet. */
  plan: Omit<Plan, "assignments"> | null;
  notEnoughData: string | null;
  resolved: ReturnType<typeof resolveConfig>;
  planInput: Pick<PlanInput, "typicalSecondGapDays" | "shopAovMinor" | "monthCommittedMinor" | "assumedUplift"> | null;
  /** First customers of the plan in priority order (names are for the merchant only). */
  sample: { label: string; segment: string; arm: string; expectedCostMinor: number; pWindow: number }[];
  /** Segment write-back: customers whose tags would change. */
  writebackChanges: number | null;
}

/** Who qualifies, how many would be treated/held out, expected discount cost and lift. Writes nothing. */
export async function previewAutomation(deps: ReadDeps, shop: string, automationId: string): Promise<AutomationPreview> {
  const automation = await getAutomation(deps.prisma, shop, automationId);
  if (!automation) throw new AutomationError("Automation not found");
  const type = automation.type as AutomationType;
  const config = parseAutomationConfig(automation.config);
  const settings = await getShopSettings(deps.prisma, shop);
  const now = clock(deps);
  const facts = await loadCustomerFacts(deps.prisma, shop, { withProducts: type === "BUNDLE_OFFER" });
  const resolved = resolveConfig(config, settings);
  if (facts.length === 0) {
    return { automationId, type, plan: null, notEnoughData: "No customer scores yet: sync and scoring must run first.", resolved, planInput: null, sample: [], writebackChanges: null };
  }
  if (type === "SEGMENT_WRITEBACK") {
    const tags = await customerTags(deps.prisma, shop, facts.map((f) => f.gid));
    const changes = facts.filter((f) => {
      const c = writebackTags(tags.get(f.gid) ?? [], f.segment, f.churnRisk);
      return c.add.length + c.remove.length > 0;
    }).length;
    return { automationId, type, plan: null, notEnoughData: null, resolved, planInput: null, sample: [], writebackChanges: changes };
  }
  const { input } = await buildPlanInput(deps.prisma, shop, type, config, settings, now);
  if (type === "BUNDLE_OFFER" && (!input.rules.bundle.productA || !input.rules.bundle.productB)) {
    return { automationId, type, plan: null, notEnoughData: "Choose the bundle's two products first.", resolved, planInput: null, sample: [], writebackChanges: null };
  }
  const plan = planAutomation(facts, input, now.getTime(), mulberry32(seedFrom(`preview:${automationId}`)));
  const first = plan.assignments.slice(0, 15);
  const labels = await customerLabels(deps.prisma, shop, first.map((a) => a.gid));
  const { assignments: _omit, ...summary } = plan;
  return {
    automationId,
    type,
    plan: summary,
    notEnoughData: null,
    resolved,
    planInput: {
      typicalSecondGapDays: input.typicalSecondGapDays,
      shopAovMinor: input.shopAovMinor,
      monthCommittedMinor: input.monthCommittedMinor,
      assumedUplift: input.assumedUplift,
    },
    sample: first.map((a) => ({
      label: labels.get(a.gid) ?? a.gid,
      segment: a.stratum,
      arm: a.arm,
      expectedCostMinor: Math.round(a.expectedCostMinor),
      pWindow: a.pWindow,
    })),
    writebackChanges: null,
  };
}

// ------------------------------------------------------------------------------------------------
// Run

export interface RunResult {
  runId: string;
  resumed: boolean;
  status: string;
  counts: Record<string, number>;
}

/**
 * Runs an automation: resumes its unfinished run if there is one, otherwise plans a new run
 * (persisted first) and issues it. Safe to call again at any time — that is how a crashed or
 * throttled run finishes.
 */
export async function runAutomation(deps: AutomationDeps, shop: string, automationId: string): Promise<RunResult> {
  const automation = await getAutomation(deps.prisma, shop, automationId);
  if (!automation) throw new AutomationError("Automation not found");
  if (automation.status === "ARCHIVED") throw new AutomationError("Archived automations do not run");
  const type = automation.type as AutomationType;

  let run = await findUnfinishedRun(deps.prisma, shop, automationId);
  const resumed = run !== null;
  if (!run) run = await planRun(deps, shop, automationId, type, parseAutomationConfig(automation.config));

  if (type === "SEGMENT_WRITEBACK") await issueWriteback(deps, shop, run);
  else await issueOffers(deps, shop, run, type);
  const counts = await countAssignmentsByStatus(deps.prisma, shop, run.id);
  const finished = (await getRun(deps.prisma, shop, run.id))!;
  return { runId: run.id, resumed, status: finished.status, counts };
}

/** Plans and persists a run under the shop's planning lock (or returns a concurrent planner's run). */
async function planRun(deps: AutomationDeps, shop: string, automationId: string, type: AutomationType, config: AutomationConfig): Promise<AutomationRun> {
  const settings = await getShopSettings(deps.prisma, shop);
  const now = clock(deps);
  return withAutomationPlanningLock(deps.prisma, shop, async (tx) => {
    const concurrent = await findUnfinishedRun(tx, shop, automationId);
    if (concurrent) return concurrent;
    const facts = await loadCustomerFacts(tx, shop, { withProducts: type === "BUNDLE_OFFER" });
    if (facts.length === 0) throw new AutomationError("No customer scores yet: sync and scoring must run first");
    const seed = seedFrom(`${automationId}:${now.toISOString()}`);
    const measureFrom = now;
    if (type === "SEGMENT_WRITEBACK") {
      const tags = await customerTags(tx, shop, facts.map((f) => f.gid));
      const assignments: NewAssignment[] = [];
      for (const f of facts) {
        const change = writebackTags(tags.get(f.gid) ?? [], f.segment, f.churnRisk);
        if (change.add.length + change.remove.length === 0) continue;
        // The stratum records what to write, so a resumed run writes exactly what was planned.
        assignments.push({ customerGid: f.gid, arm: "WRITEBACK", stratum: `${f.segment}|${change.band}`, status: ASSIGNMENT.PENDING, code: null, expiresAt: null, expectedCostMinor: 0 });
      }
      return insertRunWithPlan(tx, shop, {
        automationId, seed, asOf: now, startedAt: now, measureUntil: measureFrom, config,
        summary: { kind: "writeback", customers: facts.length, changes: assignments.length },
        assignments,
      });
    }
    const { input, resolved } = await buildPlanInput(tx, shop, type, config, settings, now);
    if (type === "BUNDLE_OFFER" && (!input.rules.bundle.productA || !input.rules.bundle.productB)) {
      throw new AutomationError("The bundle offer needs two products");
    }
    const plan = planAutomation(facts, input, now.getTime(), mulberry32(seed));
    const expiresAt = new Date(now.getTime() + resolved.codeExpiryDays * DAY_MS);
    // The run id is needed for codes; insert first with codes filled in right after in the same tx.
    const run = await insertRunWithPlan(tx, shop, {
      automationId, seed, asOf: now, startedAt: now,
      measureUntil: new Date(now.getTime() + resolved.measurementDays * DAY_MS),
      config,
      summary: {
        kind: "offer",
        qualifying: plan.qualifying,
        excluded: plan.excluded,
        treated: plan.treated,
        holdout: plan.holdout,
        expectedCostMinor: plan.expectedCostMinor,
        worstCaseCostMinor: plan.worstCaseCostMinor,
        expectedLiftMinor: plan.expectedLiftMinor,
        budgetLimited: plan.budgetLimited,
        holdoutShare: resolved.holdoutShare,
        codeExpiryDays: resolved.codeExpiryDays,
        marginShare: resolved.marginShare,
      },
      assignments: [],
    });
    const rows: NewAssignment[] = plan.assignments.map((a) => ({
      customerGid: a.gid,
      arm: a.arm,
      stratum: a.stratum,
      status: a.arm === "HOLDOUT" ? ASSIGNMENT.HOLDOUT : ASSIGNMENT.PENDING,
      code: a.arm === "HOLDOUT" ? null : offerCode(type, run.id, a.gid),
      expiresAt: a.arm === "HOLDOUT" ? null : expiresAt,
      expectedCostMinor: a.arm === "HOLDOUT" ? 0 : Math.round(a.expectedCostMinor),
    }));
    const data = rows.map((r) => ({ ...r, shop, runId: run.id, automationId, createdAt: now }));
    for (let i = 0; i < data.length; i += 1000) await tx.automationAssignment.createMany({ data: data.slice(i, i + 1000) });
    return run;
  });
}

function offerSummary(config: AutomationConfig, type: AutomationType, currency = "$"): string {
  const v = config.offer.kind === "PERCENTAGE" ? `${Math.round(config.offer.value * 100)}% off` : `${currency}${(config.offer.value / 100).toFixed(2)} off`;
  return type === "BUNDLE_OFFER" ? `${v} the bundle item` : `${v} your next order`;
}

/** Issues codes to the run's pending treated customers; commits after every Shopify step. */
async function issueOffers(deps: AutomationDeps, shop: string, run: AutomationRun, type: AutomationType): Promise<void> {
  const { prisma, client } = deps;
  const config = parseAutomationConfig(run.config);
  await setRunStatus(prisma, shop, run.id, { status: "ISSUING" });
  const open = await listOpenAssignments(prisma, shop, run.id, [ASSIGNMENT.PENDING, ASSIGNMENT.CODE_CREATED, ASSIGNMENT.FAILED]);
  const summary = offerSummary(config, type);
  const automationName = (await getAutomation(prisma, shop, run.automationId))?.name ?? typeTitle(type);
  const bundle = type === "BUNDLE_OFFER" && config.rules.bundle.productA && config.rules.bundle.productB
    ? { productA: config.rules.bundle.productA, productB: config.rules.bundle.productB }
    : undefined;
  for (const a of open) {
    if (a.arm !== "TREATMENT" || !a.code || !a.expiresAt) continue; // holdout rows are never here; defensive
    if (a.status === ASSIGNMENT.FAILED && a.attempts >= MAX_ATTEMPTS) continue;
    try {
      let discountGid = a.discountGid;
      if (!discountGid) {
        const created = await createCustomerDiscount(client, {
          code: a.code,
          title: `${DISCOUNT_TITLE_PREFIX} · ${typeTitle(type)} · ${a.code}`,
          customerGid: a.customerGid,
          startsAt: run.startedAt,
          endsAt: a.expiresAt,
          offer: config.offer,
          bundle,
        });
        await deps.hooks?.afterCreate?.(a.customerGid);
        discountGid = created.discountGid;
        await updateAssignment(prisma, shop, run.id, a.customerGid, { status: ASSIGNMENT.CODE_CREATED, discountGid, attempts: { increment: 1 }, error: null });
      }
      const metafields: CustomerMetafield[] = [
        { ownerId: a.customerGid, key: "offer_code", type: "single_line_text_field", value: a.code },
        { ownerId: a.customerGid, key: "offer_expires_at", type: "date_time", value: a.expiresAt.toISOString() },
        { ownerId: a.customerGid, key: "offer_summary", type: "single_line_text_field", value: summary },
      ];
      await setCustomerMetafields(client, metafields);
      await addCustomerTags(client, a.customerGid, offerTags(type));
      const flow = a.flowStatus ? null : await deliverThroughFlow(deps, shop, { customerGid: a.customerGid, code: a.code, expiresAt: a.expiresAt, segment: a.stratum, automationName, discountText: summary });
      await updateAssignment(prisma, shop, run.id, a.customerGid, { status: ASSIGNMENT.ISSUED, error: null, ...(flow ?? {}) });
      await deps.hooks?.afterIssue?.(a.customerGid);
    } catch (error) {
      if (error instanceof ShopifyUserErrors) {
        // Shopify rejected this customer's input (e.g. the customer was deleted): record, go on.
        await updateAssignment(prisma, shop, run.id, a.customerGid, {
          status: ASSIGNMENT.FAILED,
          error: describe(error),
          ...(a.discountGid ? {} : { attempts: { increment: 1 } }),
        });
        continue;
      }
      // Outage, auth, exhausted throttling, or a crash: the run stays resumable from here.
      await setRunStatus(prisma, shop, run.id, { status: "FAILED", error: describe(error) });
      throw error;
    }
  }
  await completeRun(deps, shop, run, "issued", ASSIGNMENT.ISSUED);
}

/**
 * One "Growthpilot offer issued" Flow trigger run for a treated customer (holdout rows never get
 * here). Paced like every mutation by the Admin client's throttle. A rejection (e.g. the trigger
 * is not deployed or Flow is not installed) is recorded on the assignment and does not stop the
 * run: the code exists and also reaches the customer's metafields, tags and the CSV. The status is
 * stored with ISSUED, so a resumed run never sends a second trigger for a customer.
 */
async function deliverThroughFlow(
  deps: AutomationDeps,
  shop: string,
  o: { customerGid: string; code: string; expiresAt: Date; segment: string; automationName: string; discountText: string },
): Promise<{ flowStatus: string; flowError: string | null }> {
  try {
    const products = await forYouProducts(deps.prisma, shop, o.customerGid);
    await sendOfferIssued(deps.client, { ...o, products });
    return { flowStatus: "ACCEPTED", flowError: null };
  } catch (error) {
    if (error instanceof ShopifyUserErrors) return { flowStatus: "FAILED", flowError: describe(error) };
    throw error;
  }
}

function typeTitle(type: AutomationType): string {
  return { WIN_BACK: "Win-back", VIP_REWARD: "VIP reward", SECOND_PURCHASE: "Second purchase", BUNDLE_OFFER: "Bundle", SEGMENT_WRITEBACK: "Segments" }[type];
}

/** Segment write-back: metafields in batches (25 per call), then tag changes per customer. */
async function issueWriteback(deps: AutomationDeps, shop: string, run: AutomationRun): Promise<void> {
  const { prisma, client } = deps;
  await setRunStatus(prisma, shop, run.id, { status: "ISSUING" });
  const open = await listOpenAssignments(prisma, shop, run.id, [ASSIGNMENT.PENDING, ASSIGNMENT.FAILED]);
  const current = await customerTags(prisma, shop, open.map((a) => a.customerGid));
  const CHUNK = 12; // 2 metafields per customer, 25 per call
  for (let i = 0; i < open.length; i += CHUNK) {
    const chunk = open.slice(i, i + CHUNK).filter((a) => a.status === ASSIGNMENT.PENDING || a.attempts < MAX_ATTEMPTS);
    const parsed = chunk.map((a) => {
      const [segment, band] = a.stratum.split("|");
      return { a, segment, band };
    });
    const metafieldsOf = ({ a, segment, band }: (typeof parsed)[number]): CustomerMetafield[] => [
      { ownerId: a.customerGid, key: "segment", type: "single_line_text_field", value: segment },
      { ownerId: a.customerGid, key: "churn_band", type: "single_line_text_field", value: band },
    ];
    const rejected = new Set<string>();
    try {
      await setCustomerMetafields(client, parsed.flatMap(metafieldsOf));
    } catch (error) {
      if (!(error instanceof ShopifyUserErrors)) {
        await setRunStatus(prisma, shop, run.id, { status: "FAILED", error: describe(error) });
        throw error;
      }
      // metafieldsSet is atomic: one bad owner (e.g. a deleted customer) rejects the whole call.
      // Retry one customer at a time so only the bad one fails.
      for (const p of parsed) {
        try {
          await setCustomerMetafields(client, metafieldsOf(p));
        } catch (inner) {
          if (!(inner instanceof ShopifyUserErrors)) throw inner;
          rejected.add(p.a.customerGid);
          await updateAssignment(prisma, shop, run.id, p.a.customerGid, { status: ASSIGNMENT.FAILED, error: describe(inner), attempts: { increment: 1 } });
        }
      }
    }
    for (const { a, segment } of parsed) {
      if (rejected.has(a.customerGid)) continue;
      try {
        const change = writebackTags(current.get(a.customerGid) ?? [], segment, bandRisk(a.stratum.split("|")[1]));
        await removeCustomerTags(client, a.customerGid, change.remove);
        await addCustomerTags(client, a.customerGid, change.add);
        await updateAssignment(prisma, shop, run.id, a.customerGid, { status: ASSIGNMENT.WRITTEN, error: null });
      } catch (error) {
        if (error instanceof ShopifyUserErrors) {
          await updateAssignment(prisma, shop, run.id, a.customerGid, { status: ASSIGNMENT.FAILED, error: describe(error), attempts: { increment: 1 } });
          continue;
        }
        await setRunStatus(prisma, shop, run.id, { status: "FAILED", error: describe(error) });
        throw error;
      }
    }
  }
  await completeRun(deps, shop, run, "written", ASSIGNMENT.WRITTEN);
}

/** Marks a run COMPLETED with its final tally (succeeded under `label`, and failed) in the summary. */
async function completeRun(deps: AutomationDeps, shop: string, run: AutomationRun, label: "issued" | "written", succeeded: string) {
  const counts = await countAssignmentsByStatus(deps.prisma, shop, run.id);
  await setRunStatus(deps.prisma, shop, run.id, {
    status: "COMPLETED",
    finishedAt: clock(deps),
    summary: { ...(run.summary as Record<string, unknown>), [label]: counts[succeeded] ?? 0, failed: counts[ASSIGNMENT.FAILED] ?? 0 },
  });
}

/** A churn risk inside the band, so `writebackTags` reproduces the planned band. */
function bandRisk(band: string | undefined): number {
  return band === "high" ? 0.9 : band === "medium" ? 0.45 : 0.1;
}

// ------------------------------------------------------------------------------------------------
// Cleanup and scheduling

/**
 * Expired codes: unused ones are deleted in Shopify (CLEANED), used ones kept (REDEEMED); either
 * way the offer tag and metafields go, unless the customer holds another offer that is still live.
 */
export async function cleanupExpiredCodes(deps: AutomationDeps, shop: string): Promise<{ cleaned: number; redeemed: number }> {
  const { prisma, client } = deps;
  const now = clock(deps);
  const expired = await listExpiredIssued(prisma, shop, now);
  const used = await redeemedCodes(prisma, shop, expired.map((a) => a.code!).filter(Boolean));
  const types = new Map<string, AutomationType>();
  const typeOf = async (automationId: string) => {
    if (!types.has(automationId)) types.set(automationId, ((await getAutomation(prisma, shop, automationId))?.type ?? "WIN_BACK") as AutomationType);
    return types.get(automationId)!;
  };
  let cleaned = 0;
  let redeemed = 0;
  for (const a of expired) {
    const wasUsed = a.code !== null && used.has(a.code.toLowerCase());
    // A used discount stays in Shopify (its sales reports reference it); an unused one goes.
    if (!wasUsed) await deleteDiscount(client, a.discountGid!);
    // Tags and metafields announce a *live* offer: remove ours unless another offer is still live.
    const live = await liveOfferAutomationIds(prisma, shop, a.customerGid, now);
    const liveTypes = new Set(await Promise.all(live.map(typeOf)));
    const type = await typeOf(a.automationId);
    const stale = liveTypes.size ? (liveTypes.has(type) ? [] : [TYPE_TAG[type]]) : offerTags(type);
    await removeCustomerTags(client, a.customerGid, stale).catch(ignoreUserErrors);
    if (liveTypes.size === 0) await deleteCustomerMetafields(client, a.customerGid, [...OFFER_METAFIELD_KEYS]).catch(ignoreUserErrors);
    await updateAssignment(prisma, shop, a.runId, a.customerGid, { status: wasUsed ? ASSIGNMENT.REDEEMED : ASSIGNMENT.CLEANED });
    if (wasUsed) redeemed++;
    else cleaned++;
  }
  return { cleaned, redeemed };
}

function ignoreUserErrors(error: unknown): void {
  if (!(error instanceof ShopifyUserErrors)) throw error;
}

/** Whether a scheduled automation is due, given its last run's start. */
export function isDue(schedule: string, lastRunAt: Date | null, now: Date): boolean {
  if (schedule === "MANUAL") return false;
  if (!lastRunAt) return true;
  // A little slack so a daily job firing a few minutes early still runs.
  const period = schedule === "WEEKLY" ? 7 * DAY_MS : DAY_MS;
  return now.getTime() - lastRunAt.getTime() >= period - 60 * 60_000;
}

/**
 * The `automation.run` job: cleans up expired codes, then runs one automation (when given) or
 * every active scheduled automation that is due (unfinished runs are resumed by `runAutomation`).
 */
export async function runAutomations(deps: AutomationDeps, shop: string, data: { automationId?: string } = {}): Promise<RunResult[]> {
  await cleanupExpiredCodes(deps, shop);
  if (data.automationId) return [await runAutomation(deps, shop, data.automationId)];
  const now = clock(deps);
  const results: RunResult[] = [];
  for (const a of await listScheduledAutomations(deps.prisma, shop)) {
    const last = a.runs[0];
    const unfinished = last && last.status !== "COMPLETED";
    if (unfinished || isDue(a.schedule, last?.startedAt ?? null, now)) results.push(await runAutomation(deps, shop, a.id));
  }
  return results;
}

// ------------------------------------------------------------------------------------------------
// Measurement

export interface RunMeasurement {
  runId: string;
  startedAt: Date;
  measureUntil: Date;
  measurement: Measurement;
  /** Share of measured order lines whose cost was known (the rest use the margin setting). */
  knownCostShare: number;
}

/** Outcomes of one run's assigned customers, from synced orders in the run's window. */
async function runOutcomes(db: Db, shop: string, run: AutomationRun, assignments: AutomationAssignment[], marginShare: number) {
  const byCustomer = new Map(assignments.map((a) => [a.customerGid, a]));
  const orders = await ordersForOutcomes(db, shop, [...byCustomer.keys()], run.startedAt, run.measureUntil);
  const units = new Map<string, UnitOutcome>();
  for (const a of assignments) {
    units.set(a.customerGid, {
      arm: a.arm as UnitOutcome["arm"],
      stratum: a.stratum,
      orders: 0,
      revenueMinor: 0,
      marginMinor: 0,
      discountMinor: 0,
      redeemed: false,
      redeemedRevenueMinor: 0,
    });
  }
  let lines = 0;
  let known = 0;
  for (const o of orders) {
    const u = units.get(o.customerGid);
    const a = byCustomer.get(o.customerGid);
    if (!u || !a) continue;
    const econ = orderEconomics(o, marginShare);
    u.orders++;
    u.revenueMinor += econ.revenueMinor;
    u.marginMinor += econ.marginMinor;
    u.discountMinor += econ.discountMinor;
    // Redemption attributed by the customer's own code on the order (Shopify matches codes case-insensitively).
    if (a.code && o.discountCodes.some((c) => c.toLowerCase() === a.code!.toLowerCase())) {
      u.redeemed = true;
      u.redeemedRevenueMinor += econ.revenueMinor;
    }
    for (const l of o.lines) {
      lines++;
      if (l.unitCostMinor !== null) known++;
    }
  }
  return { units: [...units.values()], lines, known };
}

/**
 * Results of every run of an automation, and pooled over runs (each run is its own randomised
 * experiment; pooling sums customers). Intention to treat: a treated customer whose code failed
 * to issue still counts as treated, so failures cannot bias the comparison.
 */
export async function measureAutomation(
  deps: ReadDeps,
  shop: string,
  automationId: string,
  opts: { resamples?: number } = {},
): Promise<{ runs: RunMeasurement[]; pooled: Measurement | null; pooledKnownCostShare: number }> {
  const runs = (await listRuns(deps.prisma, shop, automationId)).filter((r) => (r.summary as { kind?: string }).kind === "offer");
  const settings = await getShopSettings(deps.prisma, shop);
  const now = clock(deps);
  const all = await listAssignments(deps.prisma, shop, runs.map((r) => r.id));
  const out: RunMeasurement[] = [];
  const pooledUnits: UnitOutcome[] = [];
  let lines = 0;
  let known = 0;
  for (const run of runs) {
    const marginShare = Number((run.summary as { marginShare?: number }).marginShare ?? settings.automation.defaultMarginShare);
    const assignments = all.filter((a) => a.runId === run.id && (a.arm === "TREATMENT" || a.arm === "HOLDOUT"));
    const r = await runOutcomes(deps.prisma, shop, run, assignments, marginShare);
    pooledUnits.push(...r.units);
    lines += r.lines;
    known += r.known;
    const open = run.measureUntil.getTime() > now.getTime() ? run.measureUntil.toISOString().slice(0, 10) : null;
    out.push({
      runId: run.id,
      startedAt: run.startedAt,
      measureUntil: run.measureUntil,
      measurement: measureEffect(r.units, { rng: mulberry32(run.seed ^ 0x5eed), windowOpenUntil: open, resamples: opts.resamples }),
      knownCostShare: r.lines ? r.known / r.lines : 0,
    });
  }
  const latestOpen = runs.filter((r) => r.measureUntil.getTime() > now.getTime()).map((r) => r.measureUntil.toISOString().slice(0, 10)).sort().pop() ?? null;
  const pooled = runs.length > 1
    ? measureEffect(pooledUnits, { rng: mulberry32(seedFrom(`pooled:${automationId}`)), windowOpenUntil: latestOpen, resamples: opts.resamples })
    : null;
  return { runs: out, pooled, pooledKnownCostShare: lines ? known / lines : 0 };
}
