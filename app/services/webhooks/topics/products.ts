import { z } from "zod";
import { softDeleteProduct, upsertProducts } from "~/models/catalog.server";
import { productFromRest, ProductRecordSchema } from "~/shopify/records/products";
import { restGid } from "~/shopify/records/scalars";
import { id } from "~/shopify/records/storable";
import { deletedBody, gidOf, restId, timestamp } from "./rest";
import { defineTopic } from "./types";

const productBody = z
  .object({
    id: restId,
    admin_graphql_api_id: gidOf("Product").optional(),
    title: z.string(),
    // Shopify's own products/create|update samples send `"created_at": null`.
    created_at: timestamp.nullish(),
    updated_at: timestamp,
    variants: z.array(
      z
        .object({ id: restId, admin_graphql_api_id: gidOf("ProductVariant").optional(), product_id: restId.nullish() })
        .passthrough(),
    ),
  })
  .passthrough();

const productUpsert = defineTopic({
  schema: productBody,
  map: (body) => productFromRest(body),
  records: ProductRecordSchema,
  async apply({ prisma }, { shop }, product) {
    const r = await upsertProducts(prisma, shop, [product]);
    return { product: product.gid, written: r.written, staleIgnored: r.skipped };
  },
});

/** Deleted products are kept (soft delete): past orders and recommendations still name them. */
const productDelete = defineTopic({
  schema: deletedBody("Product"),
  map: (body) => ({ gid: restGid("Product", body.id, body.admin_graphql_api_id)! }),
  records: z.object({ gid: id }),
  async apply({ prisma }, { shop, now }, { gid }) {
    return { product: gid, deleted: await softDeleteProduct(prisma, shop, gid, now) };
  },
});

export const PRODUCT_TOPICS = {
  "products/create": productUpsert,
  "products/update": productUpsert,
  "products/delete": productDelete,
};
