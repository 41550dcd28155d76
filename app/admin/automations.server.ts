import { csvDocument } from "../csv/write";
import { automationFormValues } from "../forms/automation";
import { getTagSummary } from "../models/automation-tags.server";
import { env } from "../env.server";
import {
  AUTOMATION_TYPES,
  countAssignmentsByStatus,
  createAutomation,
  defaultConfigFor,
  countFlowDeliveries,
  getAutomation,
  listIssuedCodes,
  listAutomations,
  listRuns,
  parseAutomationConfig,
  productSummary,
  topBundlePair,
  type AutomationType,
} from "../models/automations";
import { getShop } from "../models/shops.server";
import { ENGINE_KINDS, toArms, type Readiness } from "../analytics/automations";
import { DEMO_TRUE_UPLIFT } from "../../devstore/simulate-uplift";
import type { AdminDeps } from "./deps.server";
import { automationAudience } from "./audiences.server";
import { adminJobId, isAdminJobPending } from "./jobs.server";
import { measureAutomation, type OfferTestResults } from "../services/automations/measure.server";
import { previewAutomation } from "../services/automations/plan.server";
import { APP_KINDS } from "../services/automations/kinds";

/**
 * What the automation admin pages show (routes stay thin): the list, create with defaults, the
 * detail page (config, preview, runs with results) and the codes CSV. What the detail page's
 * buttons do is in automation-actions.server.ts.
 */

/**
 * The list page; with `template` (a "Do this now" link) also how many customers that kind
 * qualifies now with its default rules — the number the home item stated (D37).
 */
export async function getAutomationsList(deps: AdminDeps, shop: string, opts: { template?: AutomationType } = {}) {
  const { prisma } = deps;
  const [rows, shopRow] = await Promise.all([listAutomations(prisma, shop), getShop(prisma, shop)]);
  const items = await Promise.all(
    rows.map(async (a) => {
      const last = a.runs[0] ?? null;
      const results = last ? await measureAutomation(deps, shop, a.id) : null;
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
  const audience = opts.template ? await automationAudience(deps, shop, opts.template) : null;
  return {
    currency: shopRow?.currencyCode ?? "USD",
    items,
    templateAudience: opts.template && audience ? { type: opts.template, count: audience.count } : null,
    types: AUTOMATION_TYPES.map((t) => ({ value: t, label: APP_KINDS[t].label })),
  };
}

/** Creates an automation with the type's defaults (a bundle starts from the strongest bought-together pair). */
export async function createAutomationWithDefaults(deps: AdminDeps, shop: string, type: string): Promise<string> {
  if (!(AUTOMATION_TYPES as readonly string[]).includes(type))
    throw new Response("Unknown automation type", { status: 400 });
  const { prisma } = deps;
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

export async function getAutomationPage(deps: AdminDeps, shop: string, id: string) {
  const { prisma } = deps;
  const automation = await getAutomation(prisma, shop, id);
  if (!automation) throw new Response("Automation not found", { status: 404 });
  const type = automation.type as AutomationType;
  const config = parseAutomationConfig(automation.config);
  const [shopRow, preview, runs, results] = await Promise.all([
    getShop(prisma, shop),
    previewAutomation(deps, shop, id),
    listRuns(prisma, shop, id),
    measureAutomation(deps, shop, id, { overTime: true }),
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
      arms: config.arms,
      maxDiscountShare: config.maxDiscountShare,
    }),
    offerTest: offerTestView(config, runs, results.offerTest),
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
          expectedAt: expectedAt(results.overTime.readiness, deps.now()),
        }
      : null,
    // An offer test's truth is per segment and depth (devstore/offer-response.ts), not the flat uplift.
    demoTrueUplift: env().DEMO_MODE && !config.arms.length ? DEMO_TRUE_UPLIFT : null,
    knownCostShare: results.pooledKnownCostShare,
  };
}

/**
 * The offer test's section (D39): the configured arms, each run's split between them (oldest
 * first: how the allocation learned), and the measured per-arm results with the recommendation.
 */
function offerTestView(
  config: ReturnType<typeof parseAutomationConfig>,
  runs: Awaited<ReturnType<typeof listRuns>>,
  results: OfferTestResults | null,
) {
  if (!config.arms.length && !results) return null;
  const history = runs
    .map((r) => ({
      run: r,
      s: r.summary as { arms?: { key: string; treated: number }[]; allocation?: { source: string } },
    }))
    .filter((x) => x.s.arms?.length)
    .reverse()
    .map((x, i) => ({
      run: i + 1,
      startedAt: x.run.startedAt.toISOString(),
      source: x.s.allocation?.source ?? "equal",
      arms: x.s.arms!.map((a) => ({ key: a.key, treated: a.treated })),
    }));
  return {
    arms: toArms(config.arms),
    maxDiscountShare: config.maxDiscountShare,
    history,
    results,
  };
}

/** The date "not enough data yet" is expected to end (readiness.ts), as ISO, or null. */
function expectedAt(r: Readiness, now: Date): string | null {
  return r.status === "EXPECTED" ? new Date(now.getTime() + r.inMs).toISOString() : null;
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
export async function exportAutomationCodesCsv(
  deps: AdminDeps,
  shop: string,
  id: string,
): Promise<{ filename: string; body: string }> {
  const { prisma } = deps;
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
