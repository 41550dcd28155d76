import { z } from "zod";
import { restGid, toIso, toMinor, type Json } from "./scalars";
import { id, INT4, iso } from "./storable";

/** What `applyRefund` needs from a refunds/create payload. */
export const RefundRecordSchema = z.object({
  /** The refund's GID: a refund already counted (by id) is never added twice. */
  refundGid: id.nullable(),
  orderGid: id,
  createdAt: iso,
  amountMinor: INT4,
  lines: z.array(z.object({ lineGid: id, quantity: INT4 })),
});
export type RefundRecord = z.infer<typeof RefundRecordSchema>;

/**
 * A `refunds/create` payload → a refund record. Amount: successful refund transactions, else the
 * refunded lines' subtotals. `now` stands in for a payload without `created_at`/`processed_at`.
 */
export function refundFromRest(payload: Json, now: Date): RefundRecord {
  const orderGid = restGid("Order", payload.order_id)!;
  let amount = 0;
  let sawTransactions = false;
  for (const t of payload.transactions ?? []) {
    if (t.kind === "refund" && (t.status === undefined || t.status === "success")) {
      sawTransactions = true;
      amount += toMinor(t.amount);
    }
  }
  const lines = (payload.refund_line_items ?? []).map((rl: Json) => ({
    lineGid: restGid("LineItem", rl.line_item_id ?? rl.line_item?.id, rl.line_item?.admin_graphql_api_id)!,
    quantity: rl.quantity ?? 0,
  }));
  if (!sawTransactions) {
    for (const rl of payload.refund_line_items ?? [])
      amount += toMinor(rl.subtotal_set?.shop_money?.amount ?? rl.subtotal ?? 0);
  }
  return {
    refundGid: restGid("Refund", payload.id, payload.admin_graphql_api_id),
    orderGid,
    createdAt: toIso(payload.created_at ?? payload.processed_at) ?? now.toISOString(),
    amountMinor: amount,
    lines,
  };
}
