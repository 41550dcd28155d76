import type { AutomationRun } from "@prisma/client";
import {
  allocateArms,
  armsProblem,
  ENGINE_KINDS,
  toArms,
  type Allocation,
  planAutomation,
  selectQualifying,
  stratumSegment,
  typicalSecondGapDays,
  writebackTags,
  type AutomationType,
  type CustomerFacts,
  type Plan,
  type PlanInput,
} from "../../analytics/automations";
import { mulberry32 } from "../../analytics/rng";
import {
  ASSIGNMENT,
  committedCostBetween,
  customerLabels,
  customerTags,
  findUnfinishedRun,
  getAutomation,
  insertAssignments,
  insertRunWithPlan,
  loadCustomerFacts,
  parseAutomationConfig,
  productSummary,
  secondOrderGapsDays,
  shopAverageOrderMinor,
  withAutomationPlanningLock,
  type AutomationConfig,
  type NewAssignment,
} from "../../models/automations";
import type { Db } from "../../models/db-types.server";
import { getShopSettings } from "../../models/shops.server";
import { offerArmOutcomes } from "./measure.server";
import type { ShopSettings } from "../../models/shop-settings";
import {
  AutomationError,
  clock,
  DAY_MS,
  offerCode,
  resolveConfig,
  seedFrom,
  type AutomationDeps,
  type ReadDeps,
} from "./shared.server";

/** Planning a run (eligibility, guardrails, stratified holdout, codes), and its read-only preview. */

function monthStart(at: Date): Date {
  return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1));
}

/** Everything planning needs, read inside the planning lock. */
async function buildPlanInput(
  db: Db,
  shop: string,
  type: AutomationType,
  config: AutomationConfig,
  settings: ShopSettings,
  now: Date,
  allocation: Allocation | null = null,
) {
  const r = resolveConfig(config, settings);
  const kind = ENGINE_KINDS[type];
  const [gaps, shopAov, committed] = await Promise.all([
    kind.needs.secondOrderGaps ? secondOrderGapsDays(db, shop) : Promise.resolve([] as number[]),
    shopAverageOrderMinor(db, shop),
    committedCostBetween(db, shop, monthStart(now), new Date(now.getTime() + 1)),
  ]);
  const { productA, productB } = config.rules.bundle;
  const productBInfo = kind.discountProducts(config.rules) ? await productSummary(db, shop, productB!) : null;
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
    ...(config.arms.length ? { arms: toArms(config.arms), allocation, maxDiscountShare: config.maxDiscountShare } : {}),
  };
  return { input, resolved: r };
}

/** Why this plan input cannot be planned (kind set-up, or arms beyond the merchant's maximum), or null. */
function planProblem(type: AutomationType, input: PlanInput): string | null {
  const missing = ENGINE_KINDS[type].missingSetup(input);
  if (missing) return missing;
  if (!input.arms?.length) return null;
  const problem = armsProblem(input.arms, input.maxDiscountShare ?? 1, input.shopAovMinor);
  return problem ? `${problem} Edit the arms or the maximum discount.` : null;
}

/**
 * The split of treated customers between an offer test's arms (D39): learned by the bandit from
 * every earlier armed run's outcomes so far; equal on the first run. Null without arms.
 */
async function learnedAllocation(
  deps: ReadDeps,
  shop: string,
  automationId: string,
  config: AutomationConfig,
  now: Date,
): Promise<Allocation | null> {
  if (!config.arms.length) return null;
  const units = await offerArmOutcomes(deps, shop, automationId);
  const keys = toArms(config.arms).map((a) => a.key);
  return allocateArms(units, keys, mulberry32(seedFrom(`bandit:${automationId}:${now.toISOString()}`)));
}

// ------------------------------------------------------------------------------------------------
// Audience

/**
 * The customers an automation of this type and config qualifies right now — exactly the preview's
 * "Qualify" number (same facts, same plan input, same kind qualifier), before any guardrail. The
 * home page's "Do this now" items count with this (D37), so a count equals what its link opens.
 */
export async function qualifyingCustomers(
  deps: ReadDeps,
  shop: string,
  type: AutomationType,
  config: AutomationConfig,
  /** Facts already loaded for this request (without products), shared by several audiences. */
  loaded?: Promise<CustomerFacts[]>,
): Promise<CustomerFacts[]> {
  const kind = ENGINE_KINDS[type];
  if (kind.mode === "writeback") return [];
  const settings = await getShopSettings(deps.prisma, shop);
  const now = clock(deps);
  const withProducts = kind.needs.productsBought;
  const facts = await (loaded && !withProducts ? loaded : loadCustomerFacts(deps.prisma, shop, { withProducts }));
  if (facts.length === 0) return [];
  const { input } = await buildPlanInput(deps.prisma, shop, type, config, settings, now);
  if (kind.missingSetup(input)) return [];
  return selectQualifying(facts, input, now.getTime());
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
export async function previewAutomation(
  deps: ReadDeps,
  shop: string,
  automationId: string,
): Promise<AutomationPreview> {
  const automation = await getAutomation(deps.prisma, shop, automationId);
  if (!automation) throw new AutomationError("Automation not found");
  const type = automation.type as AutomationType;
  const config = parseAutomationConfig(automation.config);
  const settings = await getShopSettings(deps.prisma, shop);
  const now = clock(deps);
  const facts = await loadCustomerFacts(deps.prisma, shop, { withProducts: ENGINE_KINDS[type].needs.productsBought });
  const resolved = resolveConfig(config, settings);
  if (facts.length === 0) {
    return {
      automationId,
      type,
      plan: null,
      notEnoughData: "No customer scores yet: sync and scoring must run first.",
      resolved,
      planInput: null,
      sample: [],
      writebackChanges: null,
    };
  }
  if (ENGINE_KINDS[type].mode === "writeback") {
    const tags = await customerTags(
      deps.prisma,
      shop,
      facts.map((f) => f.gid),
    );
    const changes = facts.filter((f) => {
      const c = writebackTags(tags.get(f.gid) ?? [], f.segment, f.churnRisk);
      return c.add.length + c.remove.length > 0;
    }).length;
    return {
      automationId,
      type,
      plan: null,
      notEnoughData: null,
      resolved,
      planInput: null,
      sample: [],
      writebackChanges: changes,
    };
  }
  const allocation = await learnedAllocation(deps, shop, automationId, config, now);
  const { input } = await buildPlanInput(deps.prisma, shop, type, config, settings, now, allocation);
  const missing = planProblem(type, input);
  if (missing)
    return {
      automationId,
      type,
      plan: null,
      notEnoughData: missing,
      resolved,
      planInput: null,
      sample: [],
      writebackChanges: null,
    };
  const plan = planAutomation(facts, input, now.getTime(), mulberry32(seedFrom(`preview:${automationId}`)));
  const first = plan.assignments.slice(0, 15);
  const labels = await customerLabels(
    deps.prisma,
    shop,
    first.map((a) => a.gid),
  );
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
      segment: stratumSegment(a.stratum),
      arm: a.arm,
      expectedCostMinor: Math.round(a.expectedCostMinor),
      pWindow: a.pWindow,
    })),
    writebackChanges: null,
  };
}

/** Plans and persists a run under the shop's planning lock (or returns a concurrent planner's run). */
export async function planRun(
  deps: AutomationDeps,
  shop: string,
  automationId: string,
  type: AutomationType,
  config: AutomationConfig,
): Promise<AutomationRun> {
  const settings = await getShopSettings(deps.prisma, shop);
  const now = clock(deps);
  // Read before the lock: earlier runs' outcomes do not change while this run is planned.
  const allocation = await learnedAllocation(deps, shop, automationId, config, now);
  return withAutomationPlanningLock(deps.prisma, shop, async (tx) => {
    const concurrent = await findUnfinishedRun(tx, shop, automationId);
    if (concurrent) return concurrent;
    const facts = await loadCustomerFacts(tx, shop, { withProducts: ENGINE_KINDS[type].needs.productsBought });
    if (facts.length === 0) throw new AutomationError("No customer scores yet: sync and scoring must run first");
    const seed = seedFrom(`${automationId}:${now.toISOString()}`);
    const measureFrom = now;
    if (ENGINE_KINDS[type].mode === "writeback") {
      const tags = await customerTags(
        tx,
        shop,
        facts.map((f) => f.gid),
      );
      const assignments: NewAssignment[] = [];
      for (const f of facts) {
        const change = writebackTags(tags.get(f.gid) ?? [], f.segment, f.churnRisk);
        if (change.add.length + change.remove.length === 0) continue;
        // The stratum records what to write, so a resumed run writes exactly what was planned.
        assignments.push({
          customerGid: f.gid,
          arm: "WRITEBACK",
          stratum: `${f.segment}|${change.band}`,
          status: ASSIGNMENT.PENDING,
          code: null,
          expiresAt: null,
          expectedCostMinor: 0,
        });
      }
      return insertRunWithPlan(tx, shop, {
        automationId,
        seed,
        asOf: now,
        startedAt: now,
        measureUntil: measureFrom,
        config,
        summary: { kind: "writeback", customers: facts.length, changes: assignments.length },
        assignments,
      });
    }
    const { input, resolved } = await buildPlanInput(tx, shop, type, config, settings, now, allocation);
    const missing = planProblem(type, input);
    if (missing) throw new AutomationError(missing);
    const plan = planAutomation(facts, input, now.getTime(), mulberry32(seed));
    const expiresAt = new Date(now.getTime() + resolved.codeExpiryDays * DAY_MS);
    // The run id is needed for codes; insert first with codes filled in right after in the same tx.
    const run = await insertRunWithPlan(tx, shop, {
      automationId,
      seed,
      asOf: now,
      startedAt: now,
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
        ...(plan.arms ? { arms: plan.arms, allocation: plan.allocation } : {}),
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
      ...(a.armProbability === undefined ? {} : { offerArm: a.offerArm ?? null, armProbability: a.armProbability }),
    }));
    await insertAssignments(tx, shop, { runId: run.id, automationId, createdAt: now }, rows);
    return run;
  });
}
