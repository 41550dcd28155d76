import { parseForm, percentText, type FieldErrors as FormFieldErrors } from "../forms/fields";
import { SettingsFormSchema, type SettingsFormValues } from "../forms/settings";
import { productGidsByHandle, productTitles } from "../models/admin-catalog.server";
import { ShopSettingsSchema, type ShopSettings } from "../models/shop-settings";
import { getShopSettings, saveShopSettings } from "../models/shops.server";
import { getSyncProgress } from "../models/sync-runs.server";
import type { AdminDeps } from "./deps.server";
import { loadRuns, runStatusView } from "./runs.server";

/**
 * Settings form ⇄ stored settings. The form speaks the merchant's units (percentages, product
 * handles, blank = "no limit"); this module converts both ways and validates with zod, returning
 * errors keyed by form field so each input can show its own message.
 */

export type FieldErrors = FormFieldErrors<keyof SettingsFormValues>;
export type { SettingsFormValues };

const round4 = (v: number) => Math.round(v * 10_000) / 10_000;

/** Stored settings → form strings (percentages, handles). */
export async function settingsToForm(
  deps: AdminDeps,
  shop: string,
  settings: ShopSettings,
): Promise<SettingsFormValues> {
  const excluded = await productTitles(deps.prisma, shop, settings.recommendationFilters.excludedSkus);
  const pctText = percentText;
  return {
    allowContinueSelling: settings.recommendationFilters.allowContinueSelling ? "true" : "false",
    marginFloorPercent:
      settings.recommendationFilters.marginFloor === null ? "" : pctText(settings.recommendationFilters.marginFloor),
    excludedHandles: [...excluded.values()]
      .map((p) => p.handle)
      .sort()
      .join("\n"),
    churnHorizonDays: String(settings.churnHorizonDays),
    holdoutPercent: pctText(settings.automation.holdoutShare),
    suppressionDays: String(settings.automation.suppressionDays),
    codeExpiryDays: String(settings.automation.codeExpiryDays),
    defaultMarginPercent: pctText(settings.automation.defaultMarginShare),
    dataRetentionDays: settings.dataRetentionDays === null ? "" : String(settings.dataRetentionDays),
  };
}

export async function getSettingsPage(deps: AdminDeps, shop: string) {
  const { prisma } = deps;
  const [settings, progress, runs] = await Promise.all([
    getShopSettings(prisma, shop),
    getSyncProgress(prisma, shop),
    loadRuns(prisma, shop),
  ]);
  return {
    values: await settingsToForm(deps, shop, settings),
    sync: progress.map((p) => ({
      resource: p.resource,
      kind: p.kind,
      status: p.status,
      rowsUpserted: p.rowsUpserted,
      percent:
        p.status === "COMPLETED"
          ? 100
          : p.linesTotal
            ? Math.min(100, Math.round((p.linesProcessed / p.linesTotal) * 100))
            : 0,
      finishedAt: p.finishedAt?.toISOString() ?? null,
      error: p.error,
    })),
    run: runStatusView(runs.latest),
  };
}

export type SaveResult =
  | { ok: true; settings: ShopSettings; horizonChanged: boolean }
  | { ok: false; fieldErrors: FieldErrors; values: SettingsFormValues };

/** Validates the submitted form and saves it; on failure returns per-field messages and the input back. */
export async function saveSettingsForm(deps: AdminDeps, shop: string, form: FormData): Promise<SaveResult> {
  const parsed = parseForm(SettingsFormSchema, form);
  // What was typed, echoed back on failure so the inputs keep it.
  const typed = (k: string) => {
    const v = form.get(k);
    return typeof v === "string" ? v : "";
  };
  const values = Object.fromEntries(
    Object.keys(SettingsFormSchema.shape).map((k) => [k, typed(k)]),
  ) as SettingsFormValues;
  if (!parsed.ok) return { ok: false, fieldErrors: parsed.fieldErrors, values };
  const { prisma } = deps;
  const handles = [
    ...new Set(
      parsed.data.excludedHandles
        .split(/[\s,]+/)
        .map((h) => h.trim().toLowerCase())
        .filter(Boolean),
    ),
  ];
  const gids = await productGidsByHandle(prisma, shop, handles);
  const unknown = handles.filter((h) => !gids.has(h));
  if (unknown.length > 0) {
    return {
      ok: false,
      fieldErrors: {
        excludedHandles: `No product with the handle ${unknown
          .slice(0, 3)
          .map((h) => `“${h}”`)
          .join(", ")}${unknown.length > 3 ? ` (+${unknown.length - 3} more)` : ""}`,
      },
      values,
    };
  }
  const previous = await getShopSettings(prisma, shop);
  const next = ShopSettingsSchema.parse({
    recommendationFilters: {
      allowContinueSelling: parsed.data.allowContinueSelling,
      marginFloor: parsed.data.marginFloorPercent === null ? null : round4(parsed.data.marginFloorPercent / 100),
      excludedSkus: handles.map((h) => gids.get(h)!),
    },
    churnHorizonDays: parsed.data.churnHorizonDays,
    automation: {
      holdoutShare: round4(parsed.data.holdoutPercent / 100),
      suppressionDays: parsed.data.suppressionDays,
      codeExpiryDays: parsed.data.codeExpiryDays,
      defaultMarginShare: round4(parsed.data.defaultMarginPercent / 100),
    },
    dataRetentionDays: parsed.data.dataRetentionDays,
  });
  const settings = await saveShopSettings(prisma, shop, next);
  return { ok: true, settings, horizonChanged: previous.churnHorizonDays !== settings.churnHorizonDays };
}
