import { z } from "zod";
import { requiredIso, restGid, toIso, toMinor, toMinorOrNull, toTags, type Json } from "./scalars";
import { id, INT4, iso, text } from "./storable";

/** One variant as the models store it (GraphQL and REST sources map to the same record). */
export const VariantRecordSchema = z.object({
  gid: id,
  productGid: id,
  sku: text.nullable(),
  title: text,
  priceMinor: INT4,
  compareAtMinor: INT4.nullable(),
  /** `undefined`: webhooks do not carry unit cost — keep the stored one. */
  costMinor: INT4.nullish(),
  inventoryQty: INT4,
  inventoryPolicy: text,
  shopifyUpdated: iso,
});
export type VariantRecord = z.infer<typeof VariantRecordSchema>;

export const ProductRecordSchema = z.object({
  gid: id,
  title: text,
  handle: text,
  productType: text,
  vendor: text,
  tags: z.array(text),
  /** `undefined`: webhooks do not carry collections — keep the stored ones. */
  collections: z.array(text).optional(),
  status: text,
  publishedAt: iso.nullable(),
  isGiftCard: z.boolean().optional(),
  shopifyCreated: iso,
  shopifyUpdated: iso,
  variants: z.array(VariantRecordSchema),
  /** True when `variants` is the product's full list, so stored variants not in it were deleted. */
  variantsComplete: z.boolean(),
});
export type ProductRecord = z.infer<typeof ProductRecordSchema>;

// ---------------------------------------------------------------------------------------------
// GraphQL (bulk JSONL lines / reconcile nodes)

export function variantFromGraphql(node: Json, productGid: string): VariantRecord {
  return {
    gid: node.id,
    productGid,
    sku: node.sku || null,
    title: node.title ?? "",
    priceMinor: toMinor(node.price),
    compareAtMinor: toMinorOrNull(node.compareAtPrice),
    costMinor: node.inventoryItem === undefined ? undefined : toMinorOrNull(node.inventoryItem?.unitCost?.amount),
    inventoryQty: node.inventoryQuantity ?? 0,
    inventoryPolicy: node.inventoryPolicy ?? "DENY",
    shopifyUpdated: requiredIso(node.updatedAt, "variant.updatedAt"),
  };
}

/**
 * Product node → record. `variants`/`collections` are the already-collected child nodes (bulk
 * children lines, or the nested connection's nodes on a reconcile page).
 */
export function productFromGraphql(
  node: Json,
  variants: Json[],
  collections: Json[] | undefined,
  variantsComplete: boolean,
): ProductRecord {
  return {
    gid: node.id,
    title: node.title ?? "",
    handle: node.handle ?? "",
    productType: node.productType ?? "",
    vendor: node.vendor ?? "",
    tags: toTags(node.tags),
    collections: collections?.map((c) => c.title as string),
    status: node.status ?? "ACTIVE",
    publishedAt: toIso(node.publishedAt),
    isGiftCard: Boolean(node.isGiftCard),
    shopifyCreated: requiredIso(node.createdAt, "product.createdAt"),
    shopifyUpdated: requiredIso(node.updatedAt, "product.updatedAt"),
    variants: variants.map((v) => variantFromGraphql(v, node.id)),
    variantsComplete,
  };
}

// ---------------------------------------------------------------------------------------------
// REST (products/create|update webhook payloads)

export function productFromRest(p: Json): ProductRecord {
  const gid = restGid("Product", p.id, p.admin_graphql_api_id)!;
  const updated = requiredIso(p.updated_at, "product.updated_at");
  return {
    gid,
    title: p.title ?? "",
    handle: p.handle ?? "",
    productType: p.product_type ?? "",
    vendor: p.vendor ?? "",
    tags: toTags(p.tags),
    collections: undefined,
    status: String(p.status ?? "active").toUpperCase(),
    publishedAt: toIso(p.published_at),
    isGiftCard: undefined,
    // Shopify's products/create|update samples send `"created_at": null`: fall back to updated_at
    // (upsertProducts keeps the earlier of stored and incoming, so a real creation time survives).
    shopifyCreated: toIso(p.created_at) ?? updated,
    shopifyUpdated: updated,
    variants: (p.variants ?? []).map((v: Json): VariantRecord => ({
      gid: restGid("ProductVariant", v.id, v.admin_graphql_api_id)!,
      productGid: gid,
      sku: v.sku || null,
      title: v.title ?? "",
      priceMinor: toMinor(v.price),
      compareAtMinor: toMinorOrNull(v.compare_at_price),
      costMinor: undefined,
      inventoryQty: v.inventory_quantity ?? 0,
      inventoryPolicy: String(v.inventory_policy ?? "deny").toUpperCase(),
      shopifyUpdated: toIso(v.updated_at) ?? updated,
    })),
    variantsComplete: Array.isArray(p.variants),
  };
}
