/**
 * Aliased batch documents: one request carrying n copies of one mutation (`m0: metafieldsSet(…)`,
 * `m1: …`). Shopify charges every mutation field its own cost (10 points each; shopify.dev
 * "GraphQL Admin API rate limits"), so batching saves round trips and per-request latency, not
 * points — except metafieldsSet, which takes up to 25 inputs per field. Each alias has its own
 * `userErrors`, so one customer's rejection maps back to that customer by alias (`m<i>`).
 * Built for any n and validated against the 2026-10 schema by tests/shopify/documents.test.ts.
 */

/** Alias of the i-th field of a batch document. */
export const batchAlias = (i: number) => `m${i}`;

function build(name: string, n: number, vars: (i: number) => string, field: (i: number) => string): string {
  if (!Number.isInteger(n) || n < 1) throw new Error("a batch document needs at least one field");
  const decl = Array.from({ length: n }, (_, i) => vars(i)).join(", ");
  const body = Array.from({ length: n }, (_, i) => `  ${batchAlias(i)}: ${field(i)}`).join("\n");
  return `mutation ${name}(${decl}) {\n${body}\n}\n`;
}

/** n × flowTriggerReceive(handle: $handle, payload: $payload<i>) — one handle for the batch. */
export function flowTriggerReceiveBatch(n: number): string {
  const doc = build(
    `GrowthpilotFlowTriggerReceiveBatch${n}`,
    n,
    (i) => `$payload${i}: JSON`,
    (i) => `flowTriggerReceive(handle: $handle, payload: $payload${i}) { userErrors { field message } }`,
  );
  return doc.replace("(", "($handle: String, ");
}

/** n × metafieldsSet(metafields: $metafields<i>), each at most METAFIELDS_SET_MAX_INPUTS inputs. */
export function metafieldsSetBatch(n: number): string {
  return build(
    `GrowthpilotMetafieldsSetBatch${n}`,
    n,
    (i) => `$metafields${i}: [MetafieldsSetInput!]!`,
    (i) =>
      `metafieldsSet(metafields: $metafields${i}) { metafields { id } userErrors { field message code elementIndex } }`,
  );
}

/** Sizes the documents test validates (a document export must be a string, so examples are built here). */
export const BATCH_EXAMPLE_FLOW_1 = flowTriggerReceiveBatch(1);
export const BATCH_EXAMPLE_FLOW_25 = flowTriggerReceiveBatch(25);
export const BATCH_EXAMPLE_METAFIELDS_1 = metafieldsSetBatch(1);
export const BATCH_EXAMPLE_METAFIELDS_3 = metafieldsSetBatch(3);
