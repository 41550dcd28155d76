import { z } from "zod";
import { booleanField, optionalMoneyField, percentText } from "./fields";

/**
 * The automation settings form (app.automations.$id.tsx), for every automation type. Offer
 * automations add the discount, holdout, budgets and the marketing-consent checkbox; the segment
 * write-back has only a name and a schedule. `automationFormValues` turns the stored automation
 * into exactly the strings the page renders, so "save unchanged" stores what was loaded.
 */

export const AUTOMATION_SCHEDULE_OPTIONS = [
  { label: "Manual", value: "MANUAL" },
  { label: "Daily", value: "DAILY" },
  { label: "Weekly", value: "WEEKLY" },
] as const;

const percent = (message: string, min: number, max: number, exclusive = false) =>
  z
    .string({ required_error: message })
    .trim()
    .min(1, message)
    .transform(Number)
    .pipe(
      z
        .number({ invalid_type_error: message })
        .refine((v) => Number.isFinite(v) && (exclusive ? v > min && v < max : v >= min && v <= max), message),
    );

export const WritebackAutomationFormSchema = z.object({
  name: z
    .string({ required_error: "Give the automation a name" })
    .trim()
    .min(1, "Give the automation a name")
    .max(255, "Keep the name to 255 characters"),
  schedule: z.enum(["MANUAL", "DAILY", "WEEKLY"], { errorMap: () => ({ message: "Unknown schedule" }) }),
});

export const OfferAutomationFormSchema = WritebackAutomationFormSchema.extend({
  offerPercent: percent("Between 1 and 99", 0, 100, true),
  holdoutPercent: percent("Between 5 and 50 (the holdout is how the effect is measured)", 5, 50),
  budgetPerRun: optionalMoneyField("A positive amount (at least 0.01), or empty for no cap"),
  budgetPerMonth: optionalMoneyField("A positive amount (at least 0.01), or empty for no cap"),
  sendsMessages: booleanField("Only customers subscribed to marketing"),
});

export type OfferAutomationForm = z.output<typeof OfferAutomationFormSchema>;
export type AutomationFormValues = Record<
  keyof z.input<typeof OfferAutomationFormSchema> | "offerArms" | "maxDiscountPercent",
  string
>;

/** Stored automation → the form's strings (holdout falls back to the shop setting it resolves to). */
export function automationFormValues(input: {
  name: string;
  schedule: string;
  offerShare: number;
  holdoutShare: number;
  budgetPerRunMinor: number | null;
  budgetPerMonthMinor: number | null;
  sendsMessages: boolean;
  arms?: readonly ArmInput[];
  maxDiscountShare?: number;
}): AutomationFormValues {
  const money = (minor: number | null) => (minor === null ? "" : String(minor / 100));
  return {
    name: input.name,
    schedule: input.schedule,
    offerPercent: percentText(input.offerShare),
    holdoutPercent: percentText(input.holdoutShare),
    budgetPerRun: money(input.budgetPerRunMinor),
    budgetPerMonth: money(input.budgetPerMonthMinor),
    sendsMessages: input.sendsMessages ? "true" : "false",
    offerArms: offerArmsText(input.arms ?? []),
    maxDiscountPercent: percentText(input.maxDiscountShare ?? 0.3),
  };
}

/**
 * The offer test's fields (issue #18, D39), a schema of their own so an automation form without
 * them (older clients, scripts) keeps its arms as they are. `offerArms`: 2–4 discounts separated by
 * commas — "10, 15, 20" are percentages off, "fixed 5.00" a fixed amount in the shop's currency;
 * empty = the single discount above. None may be deeper than `maxDiscountPercent`.
 */
const ARM_TOKEN = /^(?:(\d{1,2}(?:\.\d{1,2})?)\s*%?|fixed\s+(\d{1,7}(?:\.\d{1,2})?))$/i;

export type ArmInput = { kind: "PERCENTAGE" | "AMOUNT"; value: number };

export const OfferTestFormSchema = z
  .object({
    offerArms: z.string().trim().max(200, "At most 4 arms"),
    maxDiscountPercent: percent("Between 1 and 90", 1, 90),
  })
  .transform((v, ctx) => {
    if (v.offerArms === "") return { arms: [] as ArmInput[], maxDiscountShare: v.maxDiscountPercent / 100 };
    const arms: ArmInput[] = [];
    for (const token of v.offerArms.split(",").map((t) => t.trim())) {
      const m = ARM_TOKEN.exec(token);
      const pct = m?.[1] !== undefined ? Number(m[1]) : null;
      if (!m || (pct !== null && (pct <= 0 || pct >= 100)) || (m[2] !== undefined && Number(m[2]) <= 0)) {
        ctx.addIssue({
          code: "custom",
          path: ["offerArms"],
          message: 'Each arm is a percentage ("15") or a fixed amount ("fixed 5.00"), separated by commas',
        });
        return z.NEVER;
      }
      arms.push(
        pct !== null
          ? { kind: "PERCENTAGE", value: Math.round(pct * 100) / 10_000 }
          : { kind: "AMOUNT", value: Math.round(Number(m[2]) * 100) },
      );
    }
    const fail = (message: string) => {
      ctx.addIssue({ code: "custom", path: ["offerArms"], message });
      return z.NEVER;
    };
    if (arms.length < 2 || arms.length > 4) return fail("An offer test needs 2 to 4 arms");
    if (new Set(arms.map((a) => `${a.kind}:${a.value}`)).size !== arms.length) return fail("Two arms are the same");
    if (arms.some((a) => a.kind === "PERCENTAGE" && a.value > v.maxDiscountPercent / 100 + 1e-9))
      return fail(`No arm may be deeper than the maximum discount (${v.maxDiscountPercent}%)`);
    return { arms, maxDiscountShare: v.maxDiscountPercent / 100 };
  });

/** Stored arms → the form's text ("10, 15, fixed 5.00"). */
export function offerArmsText(arms: readonly ArmInput[]): string {
  return arms
    .map((a) => (a.kind === "PERCENTAGE" ? percentText(a.value) : `fixed ${(a.value / 100).toFixed(2)}`))
    .join(", ");
}
