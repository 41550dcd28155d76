import type { AutomationRun } from "@prisma/client";
import { ENGINE_KINDS, toArms, type AutomationType, type OfferSpec } from "../../analytics/automations";
import {
  ASSIGNMENT,
  countAssignmentsByStatus,
  findUnfinishedRun,
  getAutomation,
  getRun,
  listOpenAssignments,
  listScheduledAutomations,
  parseAutomationConfig,
  setRunStatus,
  type AutomationConfig,
} from "../../models/automations";
import { isFlowTriggerInUse } from "../../models/shops.server";
import { DISCOUNT_TITLE_PREFIX } from "../../shopify/discounts.server";
import { cleanupExpiredCodes } from "./cleanup.server";
import { DEFAULT_BATCH_SIZE, issueBatch, type BatchContext } from "./issue-batch.server";
import { APP_KINDS } from "./kinds";
import { tagIssuedCustomers } from "./offer-tags.server";
import { planRun } from "./plan.server";
import {
  AutomationError,
  clock,
  completeRun,
  DAY_MS,
  describe,
  MAX_ATTEMPTS,
  offerTags,
  type AutomationDeps,
} from "./shared.server";
import { issueWriteback } from "./writeback.server";

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

  if (ENGINE_KINDS[type].mode === "writeback") await issueWriteback(deps, shop, run);
  else await issueOffers(deps, shop, run, type);
  const counts = await countAssignmentsByStatus(deps.prisma, shop, run.id);
  const finished = (await getRun(deps.prisma, shop, run.id))!;
  return { runId: run.id, resumed, status: finished.status, counts };
}

function offerSummary(offer: OfferSpec, type: AutomationType, currency = "$"): string {
  const v =
    offer.kind === "PERCENTAGE"
      ? `${Math.round(offer.value * 100)}% off`
      : `${currency}${(offer.value / 100).toFixed(2)} off`;
  return `${v} ${APP_KINDS[type].offerTarget}`;
}

/**
 * The discount one treated customer gets: their arm's in an offer test (D39), else the single
 * offer. An assignment naming an arm the run's config does not have is refused, never given the
 * default — the run's config snapshot is what was planned.
 */
function offerFor(config: AutomationConfig, a: { offerArm: string | null }): OfferSpec {
  if (!a.offerArm) return config.offer;
  const arm = toArms(config.arms).find((x) => x.key === a.offerArm);
  if (!arm) throw new AutomationError("An assignment names an arm the run does not have");
  return { kind: arm.kind, value: arm.value };
}

/**
 * Issues codes to the run's pending treated customers in batches (issue-batch.server.ts, D28),
 * then tags every issued customer with one bulk mutation (offer-tags.server.ts, D33); every step
 * is committed so the run can be resumed at any point.
 */
async function issueOffers(
  deps: AutomationDeps,
  shop: string,
  run: AutomationRun,
  type: AutomationType,
): Promise<void> {
  const { prisma } = deps;
  const config = parseAutomationConfig(run.config);
  await setRunStatus(prisma, shop, run.id, { status: "ISSUING" });
  const open = await listOpenAssignments(prisma, shop, run.id, [
    ASSIGNMENT.PENDING,
    ASSIGNMENT.CODE_CREATED,
    ASSIGNMENT.FAILED,
  ]);
  const summary = (a: { offerArm: string | null }) => offerSummary(offerFor(config, a), type);
  const bundle = ENGINE_KINDS[type].discountProducts(config.rules) ?? undefined;
  const ctx: BatchContext = {
    deps,
    shop,
    run,
    summary,
    automationName: (await getAutomation(prisma, shop, run.automationId))?.name ?? APP_KINDS[type].label,
    flowInUse: await isFlowTriggerInUse(prisma, shop),
    discountSpec: (a) => ({
      code: a.code!,
      title: `${DISCOUNT_TITLE_PREFIX} · ${APP_KINDS[type].label} · ${a.code}`,
      customerGid: a.customerGid,
      startsAt: run.startedAt,
      endsAt: a.expiresAt!,
      offer: offerFor(config, a),
      bundle,
    }),
    metafields: (a) => [
      { ownerId: a.customerGid, key: "offer_code", type: "single_line_text_field", value: a.code! },
      { ownerId: a.customerGid, key: "offer_expires_at", type: "date_time", value: a.expiresAt!.toISOString() },
      { ownerId: a.customerGid, key: "offer_summary", type: "single_line_text_field", value: summary(a) },
    ],
  };
  // Holdout rows are never open; a customer whose create failed MAX_ATTEMPTS times is left FAILED.
  const due = open.filter(
    (a) =>
      a.arm === "TREATMENT" && a.code && a.expiresAt && !(a.status === ASSIGNMENT.FAILED && a.attempts >= MAX_ATTEMPTS),
  );
  const size = Math.max(1, deps.batchSize ?? DEFAULT_BATCH_SIZE);
  try {
    for (let i = 0; i < due.length; i += size) await issueBatch(ctx, due.slice(i, i + size));
    // One tagsAdd bulk mutation for every issued customer of the run (D33).
    await tagIssuedCustomers(deps, shop, run, offerTags(type));
  } catch (error) {
    // Outage, auth, exhausted throttling, a failed tag operation, or a crash: the run stays resumable from here.
    await setRunStatus(prisma, shop, run.id, { status: "FAILED", error: describe(error) });
    throw error;
  }
  await completeRun(deps, shop, run, "issued", ASSIGNMENT.ISSUED);
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
export async function runAutomations(
  deps: AutomationDeps,
  shop: string,
  data: { automationId?: string } = {},
): Promise<RunResult[]> {
  await cleanupExpiredCodes(deps, shop);
  if (data.automationId) return [await runAutomation(deps, shop, data.automationId)];
  const now = clock(deps);
  const results: RunResult[] = [];
  for (const a of await listScheduledAutomations(deps.prisma, shop)) {
    const last = a.runs[0];
    const unfinished = last && last.status !== "COMPLETED";
    if (unfinished || isDue(a.schedule, last?.startedAt ?? null, now))
      results.push(await runAutomation(deps, shop, a.id));
  }
  return results;
}
