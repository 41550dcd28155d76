import { z } from "zod";

/**
 * Zod building blocks for what Postgres can store. The record schemas are built from these, so
 * one definition is both the records' TypeScript type (`z.infer`) and the check a webhook's mapped
 * records must pass before anything is written (a hostile body gets 400, not a 500 Shopify retries).
 */

/** Postgres `integer`. */
export const INT4 = z.number().int().min(-2_147_483_648).max(2_147_483_647);

/** Postgres text/jsonb cannot hold NUL; jsonb refuses unpaired surrogates. */
// eslint-disable-next-line no-control-regex -- matching NUL is the point: Postgres text cannot store it.
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
export const text = z.string().refine((s) => !UNSTORABLE.test(s), "contains a NUL byte or an invalid character");

/** GIDs and other keys. */
export const id = text.pipe(z.string().min(1).max(500));

/** timestamp(3): years 1–9999 are safe everywhere (JS dates reach ±275760, Postgres refuses some). */
export const iso = z.string().refine((s) => {
  const year = new Date(s).getUTCFullYear();
  return year >= 1 && year <= 9999;
}, "timestamp out of range");

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/**
 * JSON stored in jsonb columns (order attributes, line properties): any value whose strings are
 * storable. REST payloads pass these through as Shopify sent them, so the type is any JSON value.
 */
export const jsonb: z.ZodType<JsonValue> = z.lazy(() =>
  z.union([z.null(), z.boolean(), z.number().finite(), text, z.array(jsonb), z.record(text, jsonb)]),
);

/** A custom attribute / line property (`{ key, value }`). */
export const KeyValueSchema = z.object({ key: jsonb, value: jsonb });
