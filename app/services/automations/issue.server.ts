import type { AutomationRun } from "@prisma/client";
import { ENGINE_KINDS, type AutomationType } from "../../analytics/automations";
import {
  ASSIGNMENT,
  countAssignmentsByStatus,
  findUnfinishedRun,
  forYouProducts,
  getAutomation,
  getRun,
  listOpenAssignments,
  listScheduledAutomations,
  parseAutomationConfig,
  setRunStatus,
  updateAssignment,
  type AutomationConfig,
} from "../../models/automations.server";
import {
  addCustomerTags,
  createCustomerDiscount,
  DISCOUNT_TITLE_PREFIX,
  setCustomerMetafields,
  type CustomerMetafield,
} from "../../shopify/discounts.server";
import { ShopifyUserErrors } from "../../shopify/errors.server";
import { sendOfferIssued } from "../../shopify/flow-trigger";
import { cleanupExpiredCodes } from "./cleanup.server";
import { APP_KINDS } from "./kinds";
import { planRun } from "./plan.server";
import { AutomationError, clock, completeRun, DAY_MS, describe, MAX_ATTEMPTS, offerTags, type AutomationDeps } from "./shared.server";
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

function offerSummary(config: AutomationConfig, type: AutomationType, currency = "$"): string {
  const v = config.offer.kind === "PERCENTAGE" ? `${Math.round(config.offer.value * 100)}% off` : `${currency}${(config.offer.value / 100).toFixed(2)} off`;
  return `${v} ${APP_KINDS[type].offerTarget}`;
}

/** Issues codes to the run's pending treated customers; commits after every Shopify step. */
async function issueOffers(deps: AutomationDeps, shop: string, run: AutomationRun, type: AutomationType): Promise<void> {
  const { prisma, client } = deps;
  const config = parseAutomationConfig(run.config);
  await setRunStatus(prisma, shop, run.id, { status: "ISSUING" });
  const open = await listOpenAssignments(prisma, shop, run.id, [ASSIGNMENT.PENDING, ASSIGNMENT.CODE_CREATED, ASSIGNMENT.FAILED]);
  const summary = offerSummary(config, type);
  const automationName = (await getAutomation(prisma, shop, run.automationId))?.name ?? APP_KINDS[type].label;
  const bundle = ENGINE_KINDS[type].discountProducts(config.rules) ?? undefined;
  for (const a of open) {
    if (a.arm !== "TREATMENT" || !a.code || !a.expiresAt) continue; // holdout rows are never here; defensive
    if (a.status === ASSIGNMENT.FAILED && a.attempts >= MAX_ATTEMPTS) continue;
    try {
      let discountGid = a.discountGid;
      if (!discountGid) {
        const created = await createCustomerDiscount(client, {
          code: a.code,
          title: `${DISCOUNT_TITLE_PREFIX} · ${APP_KINDS[type].label} · ${a.code}`,
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
