import type { PrismaClient } from "@prisma/client";
import { z } from "zod";
import { redactCustomer } from "~/models/customers.server";
import { deleteShopData, shopIsInstalled } from "~/models/shop-data.server";
import { restGid } from "~/shopify/records/scalars";
import { id } from "~/shopify/records/storable";
import { recordDataRequest } from "../../shop/data-requests.server";
import { WebhookPayloadError } from "../payload-error";
import { restId } from "./rest";
import { defineTopic } from "./types";

/**
 * The mandatory compliance topics. Their bodies must name the header shop in `shop_domain` (the
 * topic and shop headers are not signed), and only the customer and orders the signed body names
 * are touched (ids as exact strings).
 * https://shopify.dev/docs/apps/build/compliance/privacy-law-compliance
 */
const complianceBase = { shop_id: z.union([z.number(), z.string()]), shop_domain: z.string() };
const namesShopDomain = (body: { shop_domain: string }) => ({ field: "shop_domain", domain: String(body.shop_domain) });

const customersRedactBody = z
  .object({ ...complianceBase, customer: z.object({ id: restId }).passthrough(), orders_to_redact: z.array(restId) })
  .passthrough();
const dataRequestBody = z
  .object({
    ...complianceBase,
    customer: z.object({ id: restId }).passthrough(),
    orders_requested: z.array(restId),
    data_request: z.object({ id: z.union([z.number(), z.string()]) }).passthrough(),
  })
  .passthrough();
/** shop/redact is `{shop_id, shop_domain}`: a customers/redact or data_request body is not one. */
const shopRedactBody = z
  .object({
    ...complianceBase,
    customer: z.undefined(),
    orders_to_redact: z.undefined(),
    orders_requested: z.undefined(),
  })
  .passthrough();

const CustomerOrdersSchema = z.object({ customerGid: id, orderGids: z.array(id) });
const orderGids = (ids: string[]) => ids.map((i) => restGid("Order", i)!);

const customersRedact = defineTopic({
  schema: customersRedactBody,
  namedShop: namesShopDomain,
  map: (body) => ({ customerGid: restGid("Customer", body.customer.id)!, orderGids: orderGids(body.orders_to_redact) }),
  records: CustomerOrdersSchema,
  async apply({ prisma }, { shop, now }, { customerGid, orderGids }) {
    const r = await redactCustomer(prisma, shop, customerGid, orderGids, now);
    return {
      customerGid,
      customerFound: r.customer,
      orders: r.orders,
      scores: r.scores,
      recommendations: r.recommendations,
    };
  },
  /** Jobs whose data names the customer (jobs enqueued before webhook bodies moved to Postgres carried whole payloads). */
  async purgeJobs(queue, shop, { customerGid }) {
    const restCustomerId = customerGid.slice(customerGid.lastIndexOf("/") + 1);
    const mentions = new RegExp(`(^|[^0-9])${restCustomerId}([^0-9]|$)`);
    await queue.removeShopJobs(shop, (job) => mentions.test(JSON.stringify(job.data ?? null)));
  },
});

const dataRequest = defineTopic({
  schema: dataRequestBody,
  namedShop: namesShopDomain,
  map: (body) => ({
    customerGid: restGid("Customer", body.customer.id)!,
    orderGids: orderGids(body.orders_requested),
    dataRequestId: body.data_request?.id != null ? String(body.data_request.id) : null,
  }),
  records: CustomerOrdersSchema.extend({ dataRequestId: z.string().nullable() }),
  async apply({ prisma }, { shop, webhookId, triggeredAt }, request) {
    // The 30 days run from Shopify's event (X-Shopify-Triggered-At), not from when we got to it.
    const stored = await recordDataRequest(prisma, shop, {
      requestKey: request.dataRequestId ?? webhookId,
      customerGid: request.customerGid,
      orderGids: request.orderGids,
      receivedAt: triggeredAt,
    });
    return { customer: request.customerGid, dataRequest: stored.id, found: stored.found, orders: stored.orders };
  },
});

const shopRedact = defineTopic({
  schema: shopRedactBody,
  namedShop: namesShopDomain,
  map: () => ({}),
  records: z.object({}),
  /** Shopify sends shop/redact 48 h after uninstall; for a live shop it is a replay or a forgery. */
  async guard(prisma: PrismaClient, shop: string, webhookId: string) {
    if (!(await shopIsInstalled(prisma, shop))) return;
    console.warn(`webhook shop/redact refused for ${shop} (webhook ${webhookId}): the app is still installed`);
    throw new WebhookPayloadError("shop/redact for a shop that is still installed", 409);
  },
  async apply({ prisma }, { shop }) {
    return { deleted: await deleteShopData(prisma, shop) };
  },
  /** Every job and dead letter of the shop. */
  async purgeJobs(queue, shop) {
    await queue.removeShopJobs(shop);
  },
});

export const COMPLIANCE_TOPICS = {
  "customers/data_request": dataRequest,
  "customers/redact": customersRedact,
  "shop/redact": shopRedact,
};
