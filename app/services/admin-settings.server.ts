import { z } from "zod";
import { getDb } from "../db.server";
import { productGidsByHandle } from "../models/admin-catalog.server";
import { ShopSettingsSchema, type ShopSettings } from "../models/shop-settings";
import { getShopSettings, saveShopSettings } from "../models/shops.server";
import { getSyncProgress } from "../models/sync-runs.server";
import { loadRuns, runStatusView } from "./admin-runs.server";

/**
 * Settings form ⇄ stored settings. The form speaks the merchant's units (percentages, product
 * handles, blank = "no limit"); this module converts both ways and validates with zod, returning
 * errors keyed by form field so each input can show its own message.
 */

const blankToNull = (v: unknown) => (typeof v === "string" && v.trim() === "" ? null : v);

const numberField = (label: string, min: number, max: number, opts: { int?: boolean } = {}) =>
  z
    .string({ required_error: `${label} is required` })
    .trim()
    .min(1, `${label} is required`)
    .refine((v) => Number.isFinite(Number(v)), `${label} must be a number`)
    .transform(Number)
    .pipe(
      z
        .number()
        .refine((v) => !opts.int || Number.isInteger(v), `${label} must be a whole number`)
        .refine((v) => v >= min, `${label} must be at least ${min}`)
        .refine((v) => v <= max, `${label} must be at most ${max}`),
    );

const optionalNumberField = (label: string, min: number, max: number, opts: { int?: boolean } = {}) =>
  z.preprocess(blankToNull, numberField(label, min, max, opts).nullable());

/** The settings form as submitted (all strings). */
export const SettingsFormSchema = z.object({
  allowContinueSelling: z.enum(["on"]).optional(),
  marginFloorPercent: optionalNumberField("Margin floor", 0, 95),
  excludedHandles: z.string().max(20_000).default(""),
  churnHorizonDays: numberField("Churn horizon", 14, 365, { int: true }),
  holdoutPercent: numberField("Holdout share", 5, 50),
  suppressionDays: numberField("Suppression window", 0, 365, { int: true }),
  codeExpiryDays: numberField("Code expiry", 1, 90, { int: true }),
  defaultMarginPercent: numberField("Default margin", 0, 100),
  dataRetentionDays: optionalNumberField("Data retention", 365, 3650, { int: true }),
});

export type SettingsFormValues = Record<keyof z.infer<typeof SettingsFormSchema>, string>;
export type FieldErrors = Partial<Record<keyof SettingsFormValues, string>>;

const round4 = (v: number) => Math.round(v * 10_000) / 10_000;

/** Stored settings → form strings (percentages, handles). */
export async function settingsToForm(shop: string, settings: ShopSettings): Promise<SettingsFormValues> {
  const { prisma } = await getDb();
  const rows = settings.recommendationFilters.excludedSkus.length
    ? await prisma.product.findMany({ where: { shop, gid: { in: settings.recommendationFilters.excludedSkus } }, select: { handle: true } })
    : [];
  const pctText = (v: number) => String(round4(v * 100));
  return {
    allowContinueSelling: settings.recommendationFilters.allowContinueSelling ? "on" : "",
    marginFloorPercent: settings.recommendationFilters.marginFloor === null ? "" : pctText(settings.recommendationFilters.marginFloor),
    excludedHandles: rows.map((r) => r.handle).sort().join("\n"),
    churnHorizonDays: String(settings.churnHorizonDays),
    holdoutPercent: pctText(settings.automation.holdoutShare),
    suppressionDays: String(settings.automation.suppressionDays),
    codeExpiryDays: String(settings.automation.codeExpiryDays),
    defaultMarginPercent: pctText(settings.automation.defaultMarginShare),
    dataRetentionDays: settings.dataRetentionDays === null ? "" : String(settings.dataRetentionDays),
  };
}

export async function getSettingsPage(shop: string) {
  const { prisma } = await getDb();
  const [settings, progress, runs] = await Promise.all([getShopSettings(prisma, shop), getSyncProgress(prisma, shop), loadRuns(prisma, shop)]);
  return {
    values: await settingsToForm(shop, settings),
    sync: progress.map((p) => ({
      resource: p.resource,
      kind: p.kind,
      status: p.status,
      rowsUpserted: p.rowsUpserted,
      percent: p.status === "COMPLETED" ? 100 : p.linesTotal ? Math.min(100, Math.round((p.linesProcessed / p.linesTotal) * 100)) : 0,
      finishedAt: p.finishedAt?.toISOString() ?? null,
      error: p.error,
    })),
    run: runStatusView(runs.latest),
  };
}

export type SaveResult = { ok: true; settings: ShopSettings; horizonChanged: boolean } | { ok: false; fieldErrors: FieldErrors; values: SettingsFormValues };

/** Validates the submitted form and saves it; on failure returns per-field messages and the input back. */
export async function saveSettingsForm(shop: string, form: FormData): Promise<SaveResult> {
  const raw = Object.fromEntries([...form.entries()].filter(([, v]) => typeof v === "string")) as Record<string, string>;
  const values = Object.fromEntries(Object.keys(SettingsFormSchema.shape).map((k) => [k, raw[k] ?? ""])) as SettingsFormValues;
  const parsed = SettingsFormSchema.safeParse({ ...raw, allowContinueSelling: raw.allowContinueSelling || undefined });
  const fieldErrors: FieldErrors = {};
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const key = issue.path[0] as keyof SettingsFormValues;
      fieldErrors[key] ??= issue.message;
    }
    return { ok: false, fieldErrors, values };
  }
  const { prisma } = await getDb();
  const handles = [...new Set(parsed.data.excludedHandles.split(/[\s,]+/).map((h) => h.trim().toLowerCase()).filter(Boolean))];
  const gids = await productGidsByHandle(prisma, shop, handles);
  const unknown = handles.filter((h) => !gids.has(h));
  if (unknown.length > 0) {
    return { ok: false, fieldErrors: { excludedHandles: `No product with the handle ${unknown.slice(0, 3).map((h) => `“${h}”`).join(", ")}${unknown.length > 3 ? ` (+${unknown.length - 3} more)` : ""}` }, values };
  }
  const previous = await getShopSettings(prisma, shop);
  const next = ShopSettingsSchema.parse({
    recommendationFilters: {
      allowContinueSelling: parsed.data.allowContinueSelling === "on",
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
