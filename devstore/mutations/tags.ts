/** tagsAdd / tagsRemove on customers, products and orders (each fires its resource's update webhook). */
import type { DsCustomer, DsOrder, DsProduct } from "../model.js";
import type { GraphqlContext } from "../runtime.js";
import { gidType } from "../shop.js";
import { taggable } from "../graphql/lookup.js";
import {
  recordCustomerTagsChanged,
  recordCustomerUpdated,
  recordOrderUpdated,
  recordProductUpdated,
} from "../webhooks.js";
import { normalizeTags, nowIso } from "./util.js";

function notifyUpdated(ctx: GraphqlContext, id: string, record: unknown): void {
  const type = gidType(id);
  if (type === "Customer") recordCustomerUpdated(ctx.shop, record as DsCustomer);
  else if (type === "Product") recordProductUpdated(ctx.shop, record as DsProduct);
  else if (type === "Order") recordOrderUpdated(ctx.shop, record as DsOrder);
}

function changeTags(mode: "add" | "remove") {
  return (_r: unknown, args: { id: string; tags: string[] }, ctx: GraphqlContext) => {
    const record = taggable(ctx.shop, args.id);
    if (!record) return { node: null, userErrors: [{ field: ["id"], message: "Resource not found" }] };
    const tags = normalizeTags(args.tags);
    const current = record.tags ?? [];
    const lower = new Set(current.map((t) => t.toLowerCase()));
    let next: string[];
    if (mode === "add") {
      next = [...current];
      for (const t of tags) {
        if (t.length > 255)
          return {
            node: null,
            userErrors: [{ field: ["tags"], message: `Tag '${t}' is too long (maximum is 255 characters)` }],
          };
        if (!lower.has(t.toLowerCase())) {
          next.push(t);
          lower.add(t.toLowerCase());
        }
      }
    } else {
      const drop = new Set(tags.map((t) => t.toLowerCase()));
      next = current.filter((t) => !drop.has(t.toLowerCase()));
    }
    if (next.length !== current.length) {
      record.tags = next;
      record.updatedAt = nowIso(ctx);
      if (gidType(args.id) === "Customer") {
        // Customers: the tag topics carry the change (customers/update has no tags since 2025-01).
        const before = new Set(current);
        const after = new Set(next);
        const added = next.filter((t) => !before.has(t));
        const removed = current.filter((t) => !after.has(t));
        recordCustomerTagsChanged(ctx.shop, record as DsCustomer, added, removed, record.updatedAt);
      } else notifyUpdated(ctx, args.id, record);
    }
    return { node: record, userErrors: [] };
  };
}

export const TAG_MUTATIONS = {
  tagsAdd: changeTags("add"),
  tagsRemove: changeTags("remove"),
};
