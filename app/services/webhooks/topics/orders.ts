import { z } from "zod";
import { applyRefund, orderCustomerGid, upsertOrders } from "~/models/orders.server";
import { orderFromRest, OrderRecordSchema } from "~/shopify/records/orders";
import { refundFromRest, RefundRecordSchema } from "~/shopify/records/refunds";
import { gidOf, restId, timestamp } from "./rest";
import { defineTopic } from "./types";

/** Line item inside orders/* and refund line items: ids kept as strings, the rest passed through. */
const restLineItem = z
  .object({
    id: restId,
    admin_graphql_api_id: gidOf("LineItem").optional(),
    product_id: restId.nullish(),
    variant_id: restId.nullish(),
    quantity: z.number().int(),
  })
  .passthrough();

const refundLineItems = z.array(
  z
    .object({
      line_item_id: restId.optional(),
      line_item: restLineItem.partial().passthrough().optional(),
      quantity: z.number().int().optional(),
    })
    .passthrough(),
);
const refundFields = {
  id: restId.optional(),
  admin_graphql_api_id: gidOf("Refund").optional(),
  transactions: z.array(z.object({}).passthrough()).optional(),
};
/** A refund inside an order payload's `refunds`. */
const restRefund = z
  .object({ ...refundFields, order_id: restId.optional(), refund_line_items: refundLineItems.optional() })
  .passthrough();

const orderBody = z
  .object({
    id: restId,
    admin_graphql_api_id: gidOf("Order").optional(),
    created_at: timestamp,
    updated_at: timestamp,
    line_items: z.array(restLineItem),
    refunds: z.array(restRefund).optional(),
    customer: z
      .object({ id: restId, admin_graphql_api_id: gidOf("Customer").optional() })
      .passthrough()
      .nullish(),
  })
  .passthrough();

const refundBody = z.object({ ...refundFields, order_id: restId, refund_line_items: refundLineItems }).passthrough();

/**
 * orders/create|updated|cancelled carry the whole order; the upsert is conditional on
 * `updated_at`. Each changes the customer's history and rescores them (orders/paid is not
 * subscribed: a payment also arrives as orders/updated).
 */
const orderUpsert = defineTopic({
  schema: orderBody,
  map: (body) => orderFromRest(body),
  records: OrderRecordSchema,
  async apply({ prisma }, { shop }, order) {
    const r = await upsertOrders(prisma, shop, [order]);
    return { order: order.gid, written: r.written, staleIgnored: r.skipped };
  },
  // The stored order's customer (a stale delivery keeps the stored one).
  customerOf: (prisma, shop, order) => orderCustomerGid(prisma, shop, order.gid),
});

/** refunds/create is applied from the payload (no Admin API call): see `applyRefund`. */
const refundCreate = defineTopic({
  schema: refundBody,
  map: (body, now) => refundFromRest(body, now),
  records: RefundRecordSchema,
  async apply({ prisma }, { shop }, refund) {
    return { order: refund.orderGid, applied: await applyRefund(prisma, shop, refund) };
  },
  customerOf: (prisma, shop, refund) => orderCustomerGid(prisma, shop, refund.orderGid),
});

export const ORDER_TOPICS = {
  "orders/create": orderUpsert,
  "orders/updated": orderUpsert,
  "orders/cancelled": orderUpsert,
  "refunds/create": refundCreate,
};
