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
export type AutomationFormValues = Record<keyof z.input<typeof OfferAutomationFormSchema>, string>;

/** Stored automation → the form's strings (holdout falls back to the shop setting it resolves to). */
export function automationFormValues(input: {
  name: string;
  schedule: string;
  offerShare: number;
  holdoutShare: number;
  budgetPerRunMinor: number | null;
  budgetPerMonthMinor: number | null;
  sendsMessages: boolean;
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
  };
}
