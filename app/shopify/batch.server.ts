import type { AdminClient } from "./admin-client.server";
import { batchAlias, flowTriggerReceiveBatch, metafieldsSetBatch } from "./documents/batch";
import { METAFIELDS_SET_MAX_INPUTS } from "./documents/metafields";
import { ShopifyGraphqlError, ShopifyUserErrors, type UserErrorEntry } from "./errors.server";
import { OFFER_TRIGGER_HANDLE, offerTriggerPayload, type OfferIssued } from "./flow-trigger";
import type { CustomerMetafield } from "./discounts.server";

/**
 * Batched Admin calls for offer issuing (D28; offer tags moved to one bulk mutation per run, D33): one request per step for a whole batch of
 * customers, with aliased mutation fields (documents/batch.ts). Each returns the rejections per
 * input index, so the caller marks only the customers Shopify rejected; transport failures
 * (outage, exhausted throttling, auth) still throw and leave the batch to be resumed.
 */

/** Input index → that input's userErrors (typed like the one-by-one path's ShopifyUserErrors). */
export type BatchRejections = Map<number, ShopifyUserErrors>;

type Payload = { userErrors?: UserErrorEntry[] | null } | null | undefined;

function payloads(shop: string, data: Record<string, unknown> | null, n: number, mutation: string): Payload[] {
  return Array.from({ length: n }, (_, i) => {
    const p = data?.[batchAlias(i)] as Payload;
    if (!p)
      throw new ShopifyGraphqlError(shop, [{ message: `${mutation} payload ${batchAlias(i)} missing from response` }]);
    return p;
  });
}

const rejection = (shop: string, mutation: string, errors: UserErrorEntry[]) =>
  new ShopifyUserErrors(
    shop,
    mutation,
    errors.map((e) => ({ field: e.field ?? null, code: e.code ?? null, message: e.message })),
  );

/**
 * One "Growthpilot offer issued" trigger run per offer, in one request. Not retried on 5xx or a
 * timeout: Shopify may have started the workflows, and a second run would email the customer twice.
 */
export async function sendOfferIssuedBatch(client: AdminClient, offers: OfferIssued[]): Promise<BatchRejections> {
  const out: BatchRejections = new Map();
  if (offers.length === 0) return out;
  const variables: Record<string, unknown> = { handle: OFFER_TRIGGER_HANDLE };
  offers.forEach((o, i) => (variables[`payload${i}`] = offerTriggerPayload(o)));
  const data = await client.request<Record<string, unknown>>(flowTriggerReceiveBatch(offers.length), variables, {
    retryOnServerError: false,
  });
  payloads(client.shop, data, offers.length, "flowTriggerReceive").forEach((p, i) => {
    if (p?.userErrors?.length) out.set(i, rejection(client.shop, "flowTriggerReceive", p.userErrors));
  });
  return out;
}

/**
 * Writes `$app` metafields, 25 inputs per metafieldsSet field, all fields in one request. Each
 * field is atomic (one bad input rejects its 25), so a rejected field reports every input it
 * carried: inputs named by `elementIndex` (or the `metafields.<i>` field path) get their errors,
 * the others in that field get {@link NOT_WRITTEN} and are the caller's to re-send.
 */
export async function setMetafieldsBatch(
  client: AdminClient,
  metafields: CustomerMetafield[],
): Promise<BatchRejections> {
  const out: BatchRejections = new Map();
  if (metafields.length === 0) return out;
  const chunks: CustomerMetafield[][] = [];
  for (let i = 0; i < metafields.length; i += METAFIELDS_SET_MAX_INPUTS)
    chunks.push(metafields.slice(i, i + METAFIELDS_SET_MAX_INPUTS));
  const variables: Record<string, unknown> = {};
  chunks.forEach((c, i) => (variables[`metafields${i}`] = c.map((m) => ({ ...m, namespace: "$app" }))));
  const data = await client.request<Record<string, unknown>>(metafieldsSetBatch(chunks.length), variables);
  payloads(client.shop, data, chunks.length, "metafieldsSet").forEach((p, c) => {
    const errors = p?.userErrors ?? [];
    if (errors.length === 0) return;
    const base = c * METAFIELDS_SET_MAX_INPUTS;
    const named = new Map<number, UserErrorEntry[]>();
    for (const e of errors) {
      const index = elementIndexOf(e);
      if (index === null) continue;
      named.set(index, [...(named.get(index) ?? []), e]);
    }
    for (let i = 0; i < chunks[c].length; i++) {
      const own = named.get(i);
      out.set(base + i, own ? rejection(client.shop, "metafieldsSet", own) : NOT_WRITTEN);
    }
    // A field-level error naming no input (e.g. the 25 limit) rejects the whole chunk as such.
    if (named.size === 0)
      for (let i = 0; i < chunks[c].length; i++) out.set(base + i, rejection(client.shop, "metafieldsSet", errors));
  });
  return out;
}

/** Marker: this input was valid but shared an atomic metafieldsSet with a rejected one. */
export const NOT_WRITTEN = new ShopifyUserErrors("-", "metafieldsSet", [
  { field: null, code: "NOT_WRITTEN", message: "not written: another input of the same call was rejected" },
]);

function elementIndexOf(e: UserErrorEntry & { elementIndex?: number | null }): number | null {
  if (typeof e.elementIndex === "number") return e.elementIndex;
  const at = e.field?.[0] === "metafields" ? Number(e.field[1]) : Number.NaN;
  return Number.isInteger(at) ? at : null;
}
