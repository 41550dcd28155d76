/**
 * segmentCreate(name, query). Names are unique per shop; the query must use the segment query
 * language's `<attribute> <operator> <value>` clauses joined by AND / OR
 * (https://shopify.dev/docs/api/shopifyql/segment-query-language-reference). The stand-in
 * knows the attributes the app writes segments with and refuses others, as Shopify refuses
 * unknown filters. It does not evaluate membership.
 */
import { appState } from "../app-state.js";
import type { GraphqlContext } from "../runtime.js";
import { mintGid } from "../shop.js";
import { nowIso } from "./util.js";

const KNOWN_ATTRIBUTES = new Set([
  "customer_tags",
  "amount_spent",
  "number_of_orders",
  "last_order_date",
  "first_order_date",
  "customer_added_date",
  "email_subscription_status",
  "sms_subscription_status",
  "rfm_group",
  "predicted_spend_tier",
  "customer_email_domain",
]);
const CLAUSE = /^\s*([a-z_]+)\s*(=|!=|>=|<=|>|<|CONTAINS|NOT CONTAINS|BETWEEN|IS NULL|IS NOT NULL)/;

function queryProblem(query: string): string | null {
  if (!query.trim()) return "Query can't be blank.";
  for (const clause of query.split(/\s+(?:AND|OR)\s+/)) {
    const m = CLAUSE.exec(clause.replace(/^\(+/, ""));
    if (!m) return `Query is invalid near '${clause.trim().slice(0, 40)}'.`;
    if (!KNOWN_ATTRIBUTES.has(m[1])) return `Query filter '${m[1]}' cannot be found.`;
  }
  return null;
}

export const SEGMENT_MUTATIONS = {
  segmentCreate: (_r: unknown, args: { name: string; query: string }, ctx: GraphqlContext) => {
    const err = (field: string, message: string) => ({ segment: null, userErrors: [{ field: [field], message }] });
    const name = args.name.trim();
    if (!name) return err("name", "Name can't be blank.");
    const segments = appState(ctx.shop).segments;
    if ([...segments.values()].some((s) => s.name.toLowerCase() === name.toLowerCase()))
      return err("name", "Name has already been taken.");
    const problem = queryProblem(args.query);
    if (problem) return err("query", problem);
    const now = nowIso(ctx);
    const segment = { id: mintGid(ctx.shop, "Segment"), name, query: args.query, creationDate: now, lastEditDate: now };
    segments.set(segment.id, segment);
    return { segment, userErrors: [] };
  },
};
