/**
 * Record builders shared by tests, the demo seed, the CSV loader and the generator: the single way
 * to put products, customers, orders, refunds and discount codes into a DsShop, so every record has
 * minted GIDs, consistent timestamps and totals that add up like Shopify's.
 *
 * Order money follows the Admin API's meaning of the fields:
 *   lines        = Σ originalUnitPrice × quantity
 *   totalDiscounts = line-level discounts + order-level (code) discount
 *   subtotal     = lines − totalDiscounts            (Shopify: "after discounts, before shipping/tax")
 *   total        = subtotal + totalShipping + totalTax
 * so `total = lines − totalDiscounts + totalShipping + totalTax` holds to the cent.
 *
 * Orders never touch inventory: tests and the generator set stock levels explicitly.
 */
import type { DsCustomer, DsProduct, DsShop, DsVariant, MoneyV2 } from "./model.js";
import { gidNumber, mintGid } from "./shop.js";
import { DEFAULT_TIME, laterOf } from "./factory-time.js";

// Discount codes, orders, refunds and the timestamps live in their own files; this module is the
// one import for all record builders.
export { DEFAULT_TIME, isoSeconds } from "./factory-time.js";
export * from "./discount-factories.js";
export * from "./order-factories.js";

// ---------------------------------------------------------------------------------------------
// Products and variants

export type VariantInput = Partial<Omit<DsVariant, "id" | "productId" | "inventoryItemId" | "unitCost">> & {
  /** Unit cost as a MoneyV2, a decimal string in the shop currency, or null (never entered). */
  unitCost?: MoneyV2 | string | null;
};

export type ProductInput = Partial<Omit<DsProduct, "id" | "variantIds">> & {
  /** Variants to create; omitted → one "Default Title" variant, [] → none. */
  variants?: VariantInput[];
};

/** Handles already used per shop; rebuilt whenever products were added behind our back. */
const handleCache = new WeakMap<DsShop, { size: number; handles: Set<string> }>();

function usedHandles(shop: DsShop): Set<string> {
  const cached = handleCache.get(shop);
  if (cached && cached.size === shop.products.size) return cached.handles;
  const handles = new Set<string>();
  for (const p of shop.products.values()) handles.add(p.handle);
  handleCache.set(shop, { size: shop.products.size, handles });
  return handles;
}

/** "Ethiopia Yirgacheffe — 250 g" → "ethiopia-yirgacheffe-250-g". */
export function slugify(title: string): string {
  const slug = title
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  return slug === "" ? "product" : slug;
}

/** Shopify keeps handles unique per shop by appending "-1", "-2", … */
function uniqueHandle(shop: DsShop, wanted: string): string {
  const handles = usedHandles(shop);
  let handle = wanted;
  for (let i = 1; handles.has(handle); i++) handle = `${wanted}-${i}`;
  return handle;
}

/**
 * Inserts a product (and its variants) into the shop. ACTIVE products default to published at
 * creation; DRAFT/ARCHIVED ones default to unpublished, as Shopify does.
 */
export function makeProduct(shop: DsShop, input: ProductInput = {}): DsProduct {
  const id = mintGid(shop, "Product");
  const createdAt = input.createdAt ?? DEFAULT_TIME;
  const status = input.status ?? "ACTIVE";
  const title = input.title ?? `Product ${gidNumber(id)}`;
  const product: DsProduct = {
    id,
    title,
    handle: uniqueHandle(shop, input.handle ?? slugify(title)),
    descriptionHtml: input.descriptionHtml ?? `<p>${escapeHtml(title)}</p>`,
    productType: input.productType ?? "",
    vendor: input.vendor ?? shop.name,
    tags: input.tags ?? [],
    status,
    publishedAt: input.publishedAt !== undefined ? input.publishedAt : status === "ACTIVE" ? createdAt : null,
    isGiftCard: input.isGiftCard ?? false,
    collections: input.collections ?? [],
    variantIds: [],
    metafields: input.metafields ?? [],
    createdAt,
    updatedAt: laterOf(input.updatedAt ?? createdAt, createdAt),
  };
  shop.products.set(id, product);
  usedHandles(shop).add(product.handle);
  handleCache.get(shop)!.size = shop.products.size;
  for (const variant of input.variants ?? [{}]) makeVariant(shop, product, variant);
  return product;
}

/** Appends a variant to `product` (and the shop's variant map). Default SKU: "SKU-<variant number>". */
export function makeVariant(shop: DsShop, product: DsProduct, input: VariantInput = {}): DsVariant {
  const id = mintGid(shop, "ProductVariant");
  const createdAt = input.createdAt ?? product.createdAt;
  const variant: DsVariant = {
    id,
    productId: product.id,
    title: input.title ?? "Default Title",
    sku: input.sku !== undefined ? input.sku : `SKU-${gidNumber(id)}`,
    price: input.price ?? "10.00",
    compareAtPrice: input.compareAtPrice ?? null,
    inventoryQuantity: input.inventoryQuantity ?? 10,
    inventoryPolicy: input.inventoryPolicy ?? "DENY",
    inventoryItemId: mintGid(shop, "InventoryItem"),
    unitCost: toMoney(input.unitCost, shop.currencyCode),
    createdAt,
    updatedAt: laterOf(input.updatedAt ?? createdAt, createdAt),
  };
  shop.variants.set(id, variant);
  product.variantIds.push(id);
  return variant;
}

function toMoney(value: MoneyV2 | string | null | undefined, currencyCode: string): MoneyV2 | null {
  if (value === undefined || value === null) return null;
  return typeof value === "string" ? { amount: value, currencyCode } : value;
}

/** Minimal HTML escaping for generated descriptions. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

// ---------------------------------------------------------------------------------------------
// Customers

export type CustomerInput = Partial<Omit<DsCustomer, "id">>;

/** Inserts a customer. Default email "customer<N>@example.com", consent NOT_SUBSCRIBED. */
export function makeCustomer(shop: DsShop, input: CustomerInput = {}): DsCustomer {
  const id = mintGid(shop, "Customer");
  const createdAt = input.createdAt ?? DEFAULT_TIME;
  const customer: DsCustomer = {
    id,
    email: input.email !== undefined ? input.email : `customer${gidNumber(id)}@example.com`,
    firstName: input.firstName ?? null,
    lastName: input.lastName ?? null,
    tags: input.tags ?? [],
    marketingState: input.marketingState ?? "NOT_SUBSCRIBED",
    metafields: input.metafields ?? [],
    createdAt,
    updatedAt: laterOf(input.updatedAt ?? createdAt, createdAt),
  };
  shop.customers.set(id, customer);
  return customer;
}
