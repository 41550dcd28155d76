import { z } from "zod";
import { booleanField, numberField, optionalNumberField } from "./fields";

/** The settings form (app.settings.tsx), as submitted: every value a string. */
export const SettingsFormSchema = z.object({
  allowContinueSelling: booleanField("Recommend out-of-stock products that allow overselling"),
  marginFloorPercent: optionalNumberField("Margin floor", 0, 95),
  excludedHandles: z.string().max(20_000, "At most 20,000 characters").default(""),
  churnHorizonDays: numberField("Churn horizon", 14, 365, { int: true }),
  holdoutPercent: numberField("Holdout share", 5, 50),
  suppressionDays: numberField("Suppression window", 0, 365, { int: true }),
  codeExpiryDays: numberField("Code expiry", 1, 90, { int: true }),
  defaultMarginPercent: numberField("Default margin", 0, 100),
  dataRetentionDays: optionalNumberField("Data retention", 365, 3650, { int: true }),
});

export type SettingsFormValues = Record<keyof z.input<typeof SettingsFormSchema>, string>;
