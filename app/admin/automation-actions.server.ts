import { stratumSegment } from "../analytics/automations";
import {
  OfferAutomationFormSchema,
  OfferTestFormSchema,
  WritebackAutomationFormSchema,
  type ArmInput,
} from "../forms/automation";
import { parseForm } from "../forms/fields";
import { env } from "../env.server";
import {
  getAutomation,
  listAssignments,
  listRuns,
  parseAutomationConfig,
  updateAutomation,
  type AutomationType,
} from "../models/automations";
import { getJobQueue } from "../jobs/queue.server";
import type { AdminDeps } from "./deps.server";
import { adminClientForShop, adminJobId, isAdminJobPending } from "./jobs.server";
import { APP_KINDS } from "../services/automations/kinds";

/**
 * What the automation page's buttons do: save the settings, approve and run in the background,
 * pause / resume, and — in the demo only — simulate later orders in the stand-in.
 */

export interface AutomationFormErrors {
  [field: string]: string;
}

/** Saves the merchant-editable fields, parsed by the form's own schema (app/forms/automation.ts). */
export async function saveAutomationForm(
  deps: AdminDeps,
  shop: string,
  id: string,
  form: FormData,
): Promise<{ ok: true } | { ok: false; errors: AutomationFormErrors }> {
  const { prisma } = deps;
  const automation = await getAutomation(prisma, shop, id);
  if (!automation) throw new Response("Automation not found", { status: 404 });
  const config = parseAutomationConfig(automation.config);
  if (APP_KINDS[automation.type as AutomationType].form === "writeback") {
    const parsed = parseForm(WritebackAutomationFormSchema, form);
    if (!parsed.ok) return { ok: false, errors: parsed.fieldErrors as AutomationFormErrors };
    await updateAutomation(prisma, shop, id, { name: parsed.data.name, schedule: parsed.data.schedule });
    return { ok: true };
  }
  const parsed = parseForm(OfferAutomationFormSchema, form);
  // The offer test's fields are optional on the wire: a form without them keeps the stored arms.
  const test = form.has("offerArms") ? parseOfferTest(form) : null;
  if (!parsed.ok || (test && !test.ok))
    return {
      ok: false,
      errors: {
        ...(parsed.ok ? {} : parsed.fieldErrors),
        ...(test && !test.ok ? test.errors : {}),
      } as AutomationFormErrors,
    };
  const f = parsed.data;
  const next = {
    ...config,
    offer: { kind: "PERCENTAGE" as const, value: round4(f.offerPercent / 100) },
    holdoutShare: round4(f.holdoutPercent / 100),
    budgetPerRunMinor: f.budgetPerRun,
    budgetPerMonthMinor: f.budgetPerMonth,
    sendsMessages: f.sendsMessages,
    ...(test?.ok ? { arms: test.arms, maxDiscountShare: test.maxDiscountShare } : {}),
  };
  // The status is untouched: a schedule only runs once the merchant approved (ran) the automation.
  await updateAutomation(prisma, shop, id, { name: f.name, schedule: f.schedule, config: next });
  return { ok: true };
}

const round4 = (v: number) => Math.round(v * 10_000) / 10_000;

/** The offer test's fields (OfferTestFormSchema): the zod issue's message per field. */
function parseOfferTest(
  form: FormData,
): { ok: true; arms: ArmInput[]; maxDiscountShare: number } | { ok: false; errors: AutomationFormErrors } {
  const r = OfferTestFormSchema.safeParse({
    offerArms: form.get("offerArms") ?? "",
    maxDiscountPercent: form.get("maxDiscountPercent") ?? "",
  });
  if (r.success) return { ok: true, ...r.data };
  const errors: AutomationFormErrors = {};
  for (const issue of r.error.issues) errors[String(issue.path[0] ?? "offerArms")] ??= issue.message;
  return { ok: false, errors };
}

/** Approve → run: the plan is persisted first, then codes are issued in the background. */
export async function approveAndRun(
  deps: AdminDeps,
  shop: string,
  id: string,
): Promise<{ started: boolean; message: string }> {
  const { prisma } = deps;
  const automation = await getAutomation(prisma, shop, id);
  if (!automation) throw new Response("Automation not found", { status: 404 });
  await adminClientForShop(shop); // no offline token: say so now, not in a failed job
  const jobId = adminJobId.automation(shop, id);
  const started = !(await isAdminJobPending(jobId));
  // Approving activates the automation (its schedule, if any, takes over from here).
  if (automation.status === "DRAFT") await updateAutomation(prisma, shop, id, { status: "ACTIVE" });
  // The `automation.run` job resumes an unfinished run, so a retry after a failure is safe.
  if (started)
    await (await getJobQueue()).enqueue("automation.run", { automationId: id }, { shop, jobId, rerunFinished: true });
  return started
    ? { started, message: "Run started: codes are being created in Shopify." }
    : { started, message: "This automation is already running." };
}

export async function setAutomationStatus(
  deps: AdminDeps,
  shop: string,
  id: string,
  status: "ACTIVE" | "PAUSED" | "ARCHIVED",
) {
  await updateAutomation(deps.prisma, shop, id, { status });
}

/** Assignment states in which the customer's code exists in Shopify. */
const CODE_REACHED = new Set(["CODE_CREATED", "ISSUED", "REDEEMED", "CLEANED"]);

/**
 * Demo only: asks the stand-in to simulate the next 30 days of orders. It receives every assigned
 * customer of the runs (treated with their code, holdout without) and decides who buys from its
 * own view of each customer plus, for treated customers, the known true uplift
 * (devstore/simulate-uplift.ts). Refused (409) while a run is still being planned or issued:
 * customers without their code yet would be simulated as never offered.
 */
export async function simulateDemoOrders(
  deps: AdminDeps,
  shop: string,
  id: string,
): Promise<{ ok: boolean; status: number; message: string }> {
  const config = env();
  if (!config.DEMO_MODE || !config.DEVSTORE_URL) throw new Response("Only available in the demo", { status: 400 });
  const { prisma } = deps;
  const runs = await listRuns(prisma, shop, id);
  if (
    (await isAdminJobPending(adminJobId.automation(shop, id))) ||
    runs.some((r) => r.status === "PLANNED" || r.status === "ISSUING")
  ) {
    return { ok: false, status: 409, message: "Codes are still being issued: simulate once the run has finished." };
  }
  const rows = await listAssignments(
    prisma,
    shop,
    runs.map((r) => r.id),
  );
  const customers = rows
    .filter((r) => r.arm === "TREATMENT" || r.arm === "HOLDOUT")
    .map((r) => ({
      customerId: r.customerGid,
      arm: r.arm,
      code: r.arm === "TREATMENT" && r.code && CODE_REACHED.has(r.status) ? r.code : null,
      // Offer tests: the stand-in answers each segment by its own response curve (devstore/offer-response.ts).
      ...(r.armProbability !== null ? { segment: stratumSegment(r.stratum) } : {}),
    }));
  const response = await fetch(`${config.DEVSTORE_URL}/_devstore/shops/${encodeURIComponent(shop)}/simulate`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ days: 30, seed: runs[0]?.seed ?? 1, customers }),
  });
  if (!response.ok)
    return { ok: false, status: 409, message: `The stand-in could not simulate orders (HTTP ${response.status}).` };
  const body = (await response.json()) as { result?: { orders?: number; redeemed?: number } };
  return {
    ok: true,
    status: 200,
    message: `Simulated ${body.result?.orders ?? 0} orders over the next 30 days (${body.result?.redeemed ?? 0} used a code). They arrive as webhooks; results update in a few seconds.`,
  };
}
