/** Which `query:` fields each list resolver understands (names as in Shopify's search docs). */
import type { DsCustomer, DsDiscount, DsOrder, DsProduct, DsShop, DsVariant } from "../../model.js";
import { gidNumber } from "../../shop.js";
import type { FieldAccessors } from "../search.js";

export const PRODUCT_FIELDS = (shop: DsShop): FieldAccessors<DsProduct> => ({
  id: (p) => gidNumber(p.id),
  title: (p) => p.title,
  handle: (p) => p.handle,
  status: (p) => p.status,
  product_type: (p) => p.productType,
  vendor: (p) => p.vendor,
  tag: (p) => p.tags,
  created_at: (p) => p.createdAt,
  updated_at: (p) => p.updatedAt,
  published_at: (p) => p.publishedAt,
  published_status: (p) => (p.publishedAt ? "published" : "unpublished"),
  gift_card: (p) => p.isGiftCard,
  sku: (p) => p.variantIds.map((id) => shop.variants.get(id)?.sku ?? "").filter(Boolean),
});

export const VARIANT_FIELDS: FieldAccessors<DsVariant> = {
  id: (v) => gidNumber(v.id),
  sku: (v) => v.sku,
  title: (v) => v.title,
  product_id: (v) => gidNumber(v.productId),
  created_at: (v) => v.createdAt,
  updated_at: (v) => v.updatedAt,
  inventory_quantity: (v) => v.inventoryQuantity,
};

export const CUSTOMER_FIELDS: FieldAccessors<DsCustomer> = {
  id: (c) => gidNumber(c.id),
  email: (c) => c.email,
  first_name: (c) => c.firstName,
  last_name: (c) => c.lastName,
  tag: (c) => c.tags,
  created_at: (c) => c.createdAt,
  updated_at: (c) => c.updatedAt,
  email_marketing_state: (c) => c.marketingState,
  accepts_marketing: (c) => c.marketingState === "SUBSCRIBED",
};

export const ORDER_FIELDS: FieldAccessors<DsOrder> = {
  id: (o) => gidNumber(o.id),
  name: (o) => o.name,
  email: (o) => o.email,
  customer_id: (o) => (o.customerId ? gidNumber(o.customerId) : null),
  created_at: (o) => o.createdAt,
  updated_at: (o) => o.updatedAt,
  processed_at: (o) => o.processedAt,
  financial_status: (o) => o.financialStatus,
  status: (o) => (o.cancelledAt ? "cancelled" : "open"),
  tag: (o) => o.tags ?? [],
  discount_code: (o) => o.discountCodes,
  sku: (o) => o.lineItems.map((l) => l.sku ?? "").filter(Boolean),
};

export const DISCOUNT_FIELDS = (shop: DsShop): FieldAccessors<DsDiscount> => ({
  id: (d) => gidNumber(d.id),
  title: (d) => d.title,
  status: (d) => d.status,
  code: (d) => d.codeIds.map((id) => shop.discountCodes.get(id)?.code ?? ""),
  created_at: (d) => d.createdAt,
  updated_at: (d) => d.updatedAt,
  starts_at: (d) => d.startsAt,
  ends_at: (d) => d.endsAt,
  type: (d) => (d.kind === "BASIC" ? "percentage" : "bxgy"),
});
