import { z } from "zod";

/**
 * Merchant settings, stored as JSON on the Shop row and validated here on every read and write
 * (a missing or outdated field falls back to its default rather than breaking a page).
 */
export const ShopSettingsSchema = z.object({
  recommendationFilters: z
    .object({
      /** Recommend out-of-stock items whose variants allow overselling (inventory policy CONTINUE). */
      allowContinueSelling: z.boolean().default(true),
      /** Minimum gross margin share (0–0.95) where cost is known; null = no floor. */
      marginFloor: z.number().min(0).max(0.95).nullable().default(null),
      /** Product GIDs never recommended. */
      excludedSkus: z.array(z.string()).default([]),
    })
    .default({}),
  /** Horizon of churn risk, P(purchase) and CLV. */
  churnHorizonDays: z.number().int().min(14).max(365).default(90),
  automation: z
    .object({
      holdoutShare: z.number().min(0.05).max(0.5).default(0.2),
      suppressionDays: z.number().int().min(0).max(365).default(30),
      codeExpiryDays: z.number().int().min(1).max(90).default(14),
      /** Gross margin assumed where variant cost is unknown. */
      defaultMarginShare: z.number().min(0).max(1).default(0.5),
    })
    .default({}),
  /** Days to keep order history used for modelling; null = keep everything. */
  dataRetentionDays: z.number().int().min(365).nullable().default(null),
});

export type ShopSettings = z.infer<typeof ShopSettingsSchema>;

export function parseShopSettings(json: unknown): ShopSettings {
  const result = ShopSettingsSchema.safeParse(json ?? {});
  return result.success ? result.data : ShopSettingsSchema.parse({});
}
