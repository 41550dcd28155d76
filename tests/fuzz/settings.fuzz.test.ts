import type { PrismaClient } from "@prisma/client";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isolatedAppEnv } from "../helpers/app-env";
import { ZodError } from "zod";
import {
  AutomationConfigSchema,
  createAutomation,
  defaultConfigFor,
  updateAutomation,
  type AutomationConfig,
} from "~/models/automations";
import { ShopSettingsSchema, type ShopSettings } from "~/models/shop-settings";
import { FUZZ_SEED, runs } from "./seed";
import { jsonMutation, nastyJson } from "./payloads";

/**
 * Automation configs and shop settings under random input. zod must accept only configs whose
 * every value is in range (checked here against an independent oracle, not the schema itself),
 * and whatever it rejects must leave the stored row untouched — through the model functions and
 * through the merchant-facing forms (saveSettingsForm, saveAutomationForm), which must answer with
 * field errors, never throw.
 */
const appEnv = isolatedAppEnv("fuzz-settings");

const SHOP = "fuzz-settings.myshopify.com";
let prisma: PrismaClient;
let closeDb: () => Promise<void>;

beforeAll(async () => {
  const db = await import("~/db.server");
  closeDb = db.closeDb;
  ({ prisma } = await db.getDb());
  await prisma.shop.create({ data: { shop: SHOP } });
  await prisma.product.create({
    data: {
      shop: SHOP,
      gid: "gid://shopify/Product/1",
      title: "Tea",
      handle: "tea",
      tags: [],
      collections: [],
      status: "ACTIVE",
      shopifyCreated: new Date(),
      shopifyUpdated: new Date(),
    },
  });
});
afterAll(async () => {
  await closeDb?.();
  appEnv.cleanup();
});

const inRange = (v: unknown, min: number, max: number, int = false) =>
  typeof v === "number" && Number.isFinite(v) && v >= min && v <= max && (!int || Number.isInteger(v));
const opt = (v: unknown, check: (v: unknown) => boolean) => v === undefined || check(v);
const posIntOrNull = (v: unknown) => v === null || (typeof v === "number" && Number.isSafeInteger(v) && v > 0);

/** Independent statement of what a valid automation config is. */
function validConfig(c: AutomationConfig): boolean {
  const r = c.rules;
  return (
    (c.offer.kind === "PERCENTAGE" || c.offer.kind === "AMOUNT") &&
    typeof c.offer.value === "number" &&
    Number.isFinite(c.offer.value) &&
    c.offer.value > 0 &&
    opt(c.holdoutShare, (v) => inRange(v, 0.05, 0.5)) &&
    opt(c.codeExpiryDays, (v) => inRange(v, 1, 90, true)) &&
    opt(c.measurementDays, (v) => inRange(v, 7, 180, true)) &&
    opt(c.suppressionDays, (v) => inRange(v, 0, 365, true)) &&
    posIntOrNull(c.budgetPerRunMinor) &&
    posIntOrNull(c.budgetPerMonthMinor) &&
    posIntOrNull(c.maxCustomers) &&
    typeof c.sendsMessages === "boolean" &&
    typeof c.skipLikelyBuyers.enabled === "boolean" &&
    inRange(c.skipLikelyBuyers.pPurchaseAbove, 0, 1) &&
    inRange(c.skipLikelyBuyers.minOrders, 1, Infinity, true) &&
    inRange(c.assumedUplift, 0, 0.5) &&
    inRange(r.winBack.minChurnRisk, 0, 1) &&
    inRange(r.winBack.minPAlive, 0, 1) &&
    inRange(r.winBack.minOrders, 1, Infinity, true) &&
    Array.isArray(r.vip.segments) &&
    r.vip.segments.every((s) => typeof s === "string") &&
    inRange(r.vip.topClvShare, 0, 0.5) &&
    inRange(r.secondPurchase.gapMultiplier, 0.25, 10) &&
    inRange(r.secondPurchase.maxGapMultiplier, 0.5, 20) &&
    (r.bundle.productA === null || typeof r.bundle.productA === "string") &&
    (r.bundle.productB === null || typeof r.bundle.productB === "string")
  );
}

function validSettings(s: ShopSettings): boolean {
  const f = s.recommendationFilters;
  return (
    typeof f.allowContinueSelling === "boolean" &&
    (f.marginFloor === null || inRange(f.marginFloor, 0, 0.95)) &&
    Array.isArray(f.excludedSkus) &&
    f.excludedSkus.every((x) => typeof x === "string") &&
    inRange(s.churnHorizonDays, 14, 365, true) &&
    inRange(s.automation.holdoutShare, 0.05, 0.5) &&
    inRange(s.automation.suppressionDays, 0, 365, true) &&
    inRange(s.automation.codeExpiryDays, 1, 90, true) &&
    inRange(s.automation.defaultMarginShare, 0, 1) &&
    (s.dataRetentionDays === null || inRange(s.dataRetentionDays, 365, Infinity, true))
  );
}

/** Random objects: mutations of a valid config (most interesting) or anything at all. */
const nearValid = (valid: unknown) =>
  fc.oneof(
    {
      weight: 4,
      arbitrary: fc
        .array(jsonMutation, { minLength: 1, maxLength: 4 })
        .map((ms) => ms.reduce((v, m) => m(v), structuredClone(valid))),
    },
    { weight: 1, arbitrary: nastyJson },
  );

const configs = fc.oneof(
  nearValid(defaultConfigFor("WIN_BACK")),
  nearValid(defaultConfigFor("BUNDLE_OFFER")),
  nearValid({}),
);
const settingsObjects = fc.oneof(nearValid(ShopSettingsSchema.parse({})), nearValid({}));

describe("automation config (zod)", () => {
  it("accepts only valid configs; parsing is idempotent", () => {
    let accepted = 0;
    fc.assert(
      fc.property(configs, (input) => {
        const r = AutomationConfigSchema.safeParse(input);
        if (!r.success) return;
        accepted++;
        expect(validConfig(r.data), JSON.stringify(r.data)).toBe(true);
        expect(AutomationConfigSchema.parse(r.data)).toEqual(r.data);
      }),
      { seed: FUZZ_SEED, numRuns: runs(600) },
    );
    expect(accepted).toBeGreaterThan(0);
  });

  it("createAutomation / updateAutomation write only valid configs; a rejected one changes nothing", async () => {
    const existing = await createAutomation(prisma, SHOP, { type: "WIN_BACK", name: "fuzz" });
    await fc.assert(
      fc.asyncProperty(configs, async (config) => {
        const count = await prisma.automation.count({ where: { shop: SHOP } });
        const before = (await prisma.automation.findUniqueOrThrow({ where: { id: existing.id } })).config;
        let created = false;
        try {
          const row = await createAutomation(prisma, SHOP, { type: "WIN_BACK", name: "x", config });
          created = true;
          expect(validConfig(row.config as AutomationConfig)).toBe(true);
          await prisma.automation.delete({ where: { id: row.id } });
        } catch (error) {
          expect(error).toBeInstanceOf(ZodError);
        }
        expect(await prisma.automation.count({ where: { shop: SHOP } })).toBe(count);
        try {
          await updateAutomation(prisma, SHOP, existing.id, { config });
          expect(created).toBe(true);
          const after = (await prisma.automation.findUniqueOrThrow({ where: { id: existing.id } }))
            .config as AutomationConfig;
          expect(validConfig(after)).toBe(true);
          await updateAutomation(prisma, SHOP, existing.id, { config: before });
        } catch (error) {
          expect(error).toBeInstanceOf(ZodError);
          expect(created).toBe(false);
          expect((await prisma.automation.findUniqueOrThrow({ where: { id: existing.id } })).config).toEqual(before);
        }
      }),
      { seed: FUZZ_SEED, numRuns: runs(60) },
    );
  });
});

describe("shop settings (zod)", () => {
  it("accepts only valid settings; saveShopSettings writes nothing when it rejects", async () => {
    const { saveShopSettings, getShopSettings } = await import("~/models/shops.server");
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(settingsObjects, async (input) => {
        const r = ShopSettingsSchema.safeParse(input);
        if (r.success) expect(validSettings(r.data), JSON.stringify(r.data)).toBe(true);
        const before = await getShopSettings(prisma, SHOP);
        try {
          const saved = await saveShopSettings(prisma, SHOP, input);
          accepted++;
          expect(r.success).toBe(true);
          expect(await getShopSettings(prisma, SHOP)).toEqual(saved);
          await saveShopSettings(prisma, SHOP, before);
        } catch (error) {
          expect(error).toBeInstanceOf(ZodError);
          expect(await getShopSettings(prisma, SHOP)).toEqual(before);
        }
      }),
      { seed: FUZZ_SEED, numRuns: runs(150) },
    );
    expect(accepted).toBeGreaterThan(0);
  });
});

/** What a merchant (or a forged POST) can type into a number box. */
const formValue = fc.oneof(
  fc.constantFrom(
    "",
    " ",
    "0",
    "5",
    "14",
    "20",
    "50",
    "90",
    "99",
    "100",
    "365",
    "400",
    "-1",
    "1e1",
    "1e400",
    "Infinity",
    "NaN",
    "0x10",
    "12.5",
    "0.0001",
    "0.004",
    "1,5",
    "abc",
    "99999999999999999999",
  ),
  fc.integer({ min: -1000, max: 1000 }).map(String),
  fc.double({ min: -1000, max: 1000, noNaN: true }).map(String),
  fc.string({ maxLength: 10 }),
);

describe("merchant forms", () => {
  it("settings form: field errors and nothing written, or valid settings saved — never a throw", async () => {
    const { saveSettingsForm } = await import("~/admin/settings.server");
    const { getShopSettings, saveShopSettings } = await import("~/models/shops.server");
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          marginFloorPercent: formValue,
          churnHorizonDays: formValue,
          holdoutPercent: formValue,
          suppressionDays: formValue,
          codeExpiryDays: formValue,
          defaultMarginPercent: formValue,
          dataRetentionDays: formValue,
          excludedHandles: fc.oneof(
            fc.constantFrom("", "tea", "tea, nope", "TEA\n\ntea"),
            fc.string({ maxLength: 20 }),
          ),
          allowContinueSelling: fc.constantFrom("true", "false", "on", "", "yes"),
        }),
        async (fields) => {
          const form = new FormData();
          for (const [k, v] of Object.entries(fields)) form.append(k, v);
          const before = await getShopSettings(prisma, SHOP);
          const result = await saveSettingsForm({ prisma, now: () => new Date() }, SHOP, form);
          if (result.ok) {
            expect(validSettings(result.settings)).toBe(true);
            expect(await getShopSettings(prisma, SHOP)).toEqual(result.settings);
            await saveShopSettings(prisma, SHOP, before);
          } else {
            expect(Object.keys(result.fieldErrors).length).toBeGreaterThan(0);
            expect(await getShopSettings(prisma, SHOP)).toEqual(before);
          }
        },
      ),
      { seed: FUZZ_SEED, numRuns: runs(120) },
    );
  });

  it("automation form: field errors and nothing written, or a valid config saved — never a throw", async () => {
    const { saveAutomationForm } = await import("~/admin/automation-actions.server");
    const automation = await createAutomation(prisma, SHOP, { type: "WIN_BACK", name: "form fuzz" });
    const read = async () =>
      prisma.automation.findUniqueOrThrow({
        where: { id: automation.id },
        select: { name: true, schedule: true, config: true },
      });
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          name: fc.oneof(fc.constantFrom("", " ", "Win back"), fc.string({ maxLength: 20 })),
          offerPercent: formValue,
          holdoutPercent: formValue,
          budgetPerRun: formValue,
          budgetPerMonth: formValue,
          schedule: fc.constantFrom("MANUAL", "DAILY", "WEEKLY", "HOURLY", ""),
          sendsMessages: fc.constantFrom("true", "false", "on", ""),
        }),
        async (fields) => {
          const form = new FormData();
          for (const [k, v] of Object.entries(fields)) form.append(k, v);
          const before = await read();
          let result: Awaited<ReturnType<typeof saveAutomationForm>>;
          try {
            result = await saveAutomationForm({ prisma, now: () => new Date() }, SHOP, automation.id, form);
          } catch (error) {
            throw new Error(`saveAutomationForm threw for ${JSON.stringify(fields)}: ${(error as Error)?.message}`, {
              cause: error,
            });
          }
          const after = await read();
          if (result.ok) {
            expect(validConfig(after.config as AutomationConfig)).toBe(true);
          } else {
            expect(Object.keys(result.errors).length).toBeGreaterThan(0);
            expect(after).toEqual(before);
          }
        },
      ),
      { seed: FUZZ_SEED, numRuns: runs(150) },
    );
  });
});
