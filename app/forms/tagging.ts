import { z } from "zod";

/** "Tag these customers in Shopify" (app.segments.$segment.tsx). */

/** Shopify tags: up to 255 characters, no commas (a comma splits tags in Shopify's UI). */
export const TagSchema = z
  .string({ required_error: "Enter a tag" })
  .trim()
  .min(1, "Enter a tag")
  .max(40, "Keep tags to 40 characters or fewer")
  .regex(/^[^,<>]+$/, "Tags cannot contain commas or angle brackets");

export const TagFormSchema = z.object({ tag: TagSchema });
