import { csvDocument } from "../csv/write";
import { getDb } from "../db.server";
import { automationFormValues, OfferAutomationFormSchema, WritebackAutomationFormSchema } from "../forms/automation";
import { parseForm } from "../forms/fields";
import { getTagSummary } from "../models/automation-tags.server";
import { env } from "../env.server";
import {
  AUTOMATION_TYPES,
  countAssignmentsByStatus,
  createAutomation,
  defaultConfigFor,
  countFlowDeliveries,
  getAutomation,
  listAssignments,
  listIssuedCodes,
  listAutomations,
  listRuns,
  parseAutomationConfig,
  productSummary,
  topBundlePair,
  updateAutomation,
  type AutomationType,
} from "../models/automations.server";
import { getShop } from "../models/shops.server";
import { getJobQueue } from "../jobs/queue.server";
import { ENGINE_KINDS, type Readiness } from "../analytics/automations";
import { DEMO_TRUE_UPLIFT } from "../../devstore/simulate-uplift";
import { adminClientForShop, adminJobId, isAdminJobPending } from "./jobs.server";
import { measureAutomation } from "../services/automations/measure.server";
import { previewAutomation } from "../services/automations/plan.server";
import { APP_KINDS } from "../services/automations/kinds";

/**
 * What the automation admin pages need (routes stay thin): list, create with defaults, the detail
 * page (config, preview, runs with results), save, approve-and-run in the background, and — in
 * the demo only — simulating later orders in the stand-in.
 */

export async function getAutomationsList(shop: string) {
  const { prisma } = await getDb();
  const [rows, shopRow] = await Promise.all([listAutomations(prisma, shop), getShop(prisma, shop)]);
  const items = await Promise.all(
    rows.map(async (a) => {
      const last = a.runs[0] ?? null;
      const results = last ? await measureAutomation({ prisma }, shop, a.id) : null;
      const headline = results ? (results.pooled ?? results.runs[0]?.measurement ?? null) : null;
      return {
        id: a.id,
        name: a.name,
        type: a.type as AutomationType,
        typeLabel: APP_KINDS[a.type as AutomationType].label,
        status: a.status,
        schedule: a.schedule,
        lastRun: last ? { status: last.status, startedAt: last.startedAt.toISOString() } : null,
        result: headline
          ? {
              status: headline.status,
              margin: headline.effect?.totalIncrementalMarginMinor ?? null,
              reason: headline.reasons[0] ?? null,
            }
          : null,
      };
    }),
  );
  return {
    currency: shopRow?.currencyCode ?? "USD",
    items,
    types: AUTOMATION_TYPES.map((t) => ({ value: t, label: APP_KINDS[t].label })),
  };
}

/** Creates an automation with the type's defaults (a bundle starts from the strongest bought-together pair). */
export async function createAutomationWithDefaults(shop: string, type: string): Promise<string> {
  if (!(AUTOMATION_TYPES as readonly string[]).includes(type))
    throw new Response("Unknown automation type", { status: 400 });
  const { prisma } = await getDb();
  const t = type as AutomationType;
  const config = defaultConfigFor(t);
  if (ENGINE_KINDS[t].rulesKey === "bundle") {
    // Bought-together kinds start from the strongest pair so the preview shows something real.
    const pair = await topBundlePair(prisma, shop);
    if (pair) config.rules.bundle = pair;
  }
  const created = await createAutomation(prisma, shop, { type: t, name: APP_KINDS[t].label, config });
  return created.id;
}

export async function getAutomationPage(shop: string, id: string) {
  const { prisma } = await getDb();
  const automation = await getAutomation(prisma, shop, id);
  if (!automation) throw new Response("Automation not found", { status: 404 });
  const type = automation.type as AutomationType;
  const config = parseAutomationConfig(automation.config);
  const [shopRow, preview, runs, results] = await Promise.all([
    getShop(prisma, shop),
    previewAutomation({ prisma }, shop, id),
    listRuns(prisma, shop, id),
    measureAutomation({ prisma }, shop, id, { overTime: true }),
  ]);
  const counts = await Promise.all(runs.map((r) => countAssignmentsByStatus(prisma, shop, r.id)));
  const flow = await Promise.all(runs.map((r) => countFlowDeliveries(prisma, shop, r.id)));
  const tags = await Promise.all(runs.map((r) => getTagSummary(prisma, shop, r.id)));
  const bundle =
    ENGINE_KINDS[type].rulesKey === "bundle"
      ? {
          a: config.rules.bundle.productA ? await productSummary(prisma, shop, config.rules.bundle.productA) : null,
          b: config.rules.bundle.productB ? await productSummary(prisma, shop, config.rules.bundle.productB) : null,
        }
      : null;
  const measured = new Map(results.runs.map((r) => [r.runId, r]));
  return {
    demo: env().DEMO_MODE,
    currency: shopRow?.currencyCode ?? "USD",
    automation: {
      id: automation.id,
      name: automation.name,
      type,
      typeLabel: APP_KINDS[type].label,
      form: APP_KINDS[type].form,
      discountHelp: APP_KINDS[type].discountHelp,
      status: automation.status,
      schedule: automation.schedule,
    },
    config,
    formValues: automationFormValues({
      name: automation.name,
      schedule: automation.schedule,
      offerShare: config.offer.value,
      holdoutShare: preview.resolved.holdoutShare,
      budgetPerRunMinor: config.budgetPerRunMinor,
      budgetPerMonthMinor: config.budgetPerMonthMinor,
      sendsMessages: config.sendsMessages,
    }),
    bundle,
    preview,
    running:
      (await isAdminJobPending(adminJobId.automation(shop, id))) ||
      runs.some((r) => r.status === "PLANNED" || r.status === "ISSUING"),
    runs: runs.map((r, i) => ({
      id: r.id,
      status: r.status,
      error: r.error,
      startedAt: r.startedAt.toISOString(),
      measureUntil: r.measureUntil.toISOString(),
      summary: r.summary as Record<string, unknown>,
      counts: counts[i],
      flow: flow[i],
      tags: tags[i],
      result: measured.get(r.id) ?? null,
    })),
    pooled: results.pooled,
    overTime: results.overTime
      ? {
          ...results.overTime,
          startedAt: results.overTime.startedAt?.toISOString() ?? null,
          expectedAt: expectedAt(results.overTime.readiness),
        }
      : null,
    demoTrueUplift: env().DEMO_MODE ? DEMO_TRUE_UPLIFT : null,
    knownCostShare: results.pooledKnownCostShare,
  };
}

/** The date "not enough data yet" is expected to end (readiness.ts), as ISO, or null. */
function expectedAt(r: Readiness): string | null {
  return r.status === "EXPECTED" ? new Date(Date.now() + r.inMs).toISOString() : null;
}

export interface AutomationFormErrors {
  [field: string]: string;
}

/** Saves the merchant-editable fields, parsed by the form's own schema (app/forms/automation.ts). */
export async function saveAutomationForm(
  shop: string,
  id: string,
  form: FormData,
): Promise<{ ok: true } | { ok: false; errors: AutomationFormErrors }> {
  const { prisma } = await getDb();
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
  if (!parsed.ok) return { ok: false, errors: parsed.fieldErrors as AutomationFormErrors };
  const f = parsed.data;
  const next = {
    ...config,
    offer: { kind: "PERCENTAGE" as const, value: round4(f.offerPercent / 100) },
    holdoutShare: round4(f.holdoutPercent / 100),
    budgetPerRunMinor: f.budgetPerRun,
    budgetPerMonthMinor: f.budgetPerMonth,
    sendsMessages: f.sendsMessages,
  };
  // The status is untouched: a schedule only runs once the merchant approved (ran) the automation.
  await updateAutomation(prisma, shop, id, { name: f.name, schedule: f.schedule, config: next });
  return { ok: true };
}

const round4 = (v: number) => Math.round(v * 10_000) / 10_000;

/** Approve → run: the plan is persisted first, then codes are issued in the background. */
export async function approveAndRun(shop: string, id: string): Promise<{ started: boolean; message: string }> {
  const { prisma } = await getDb();
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

export async function setAutomationStatus(shop: string, id: string, status: "ACTIVE" | "PAUSED" | "ARCHIVED") {
  const { prisma } = await getDb();
  await updateAutomation(prisma, shop, id, { status });
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
  shop: string,
  id: string,
): Promise<{ ok: boolean; status: number; message: string }> {
  const config = env();
  if (!config.DEMO_MODE || !config.DEVSTORE_URL) throw new Response("Only available in the demo", { status: 400 });
  const { prisma } = await getDb();
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

const CODES_CSV_COLUMNS = [
  "customer_id",
  "first_name",
  "last_name",
  "email",
  "code",
  "expires_at",
  "segment",
  "status",
  "flow_trigger",
] as const;

/** Per-customer codes of an automation (every run), for merchants who send offers by hand. Contains PII. */
export async function exportAutomationCodesCsv(shop: string, id: string): Promise<{ filename: string; body: string }> {
  const { prisma } = await getDb();
  const automation = await getAutomation(prisma, shop, id);
  if (!automation) throw new Response("Automation not found", { status: 404 });
  const runs = await listRuns(prisma, shop, id);
  const rows = await listIssuedCodes(
    prisma,
    shop,
    runs.map((r) => r.id),
  );
  const body = csvDocument(
    CODES_CSV_COLUMNS,
    rows.map((r) => [
      r.customerGid.slice(r.customerGid.lastIndexOf("/") + 1),
      r.customer?.firstName ?? "",
      r.customer?.lastName ?? "",
      r.customer?.email ?? "",
      r.code ?? "",
      r.expiresAt ? r.expiresAt.toISOString() : "",
      r.stratum,
      r.status.toLowerCase(),
      (r.flowStatus ?? "not sent").toLowerCase(),
    ]),
  );
  return { filename: `growthpilot-codes-${id}.csv`, body };
}
