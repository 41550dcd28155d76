import type { ProductInfo, RecFilterSettings } from "../types";

export const DEFAULT_FILTERS: RecFilterSettings = { allowContinueSelling: true, marginFloor: null, excludedSkus: [] };

/**
 * Why a product may not be recommended (docs/contracts.md §6), or null when it may. Order matters only for
 * the message: the first failing rule is reported.
 */
export function ineligibilityReason(product: ProductInfo, settings: RecFilterSettings): string | null {
  if (settings.excludedSkus.includes(product.sku)) return "excluded by the merchant";
  if (product.giftCard) return "gift card";
  if (product.status === "DRAFT" || product.status === "ARCHIVED") return `status ${product.status.toLowerCase()}`;
  if (product.published === false) return "unpublished";
  if (product.priceMinor !== undefined && product.priceMinor <= 0) return "price 0";
  const outOfStock = product.inventory !== undefined && product.inventory <= 0;
  if (outOfStock && !(settings.allowContinueSelling && product.continueSelling)) return "out of stock";
  if (
    settings.marginFloor !== null &&
    product.costMinor != null &&
    product.priceMinor !== undefined &&
    product.priceMinor > 0 &&
    (product.priceMinor - product.costMinor) / product.priceMinor < settings.marginFloor
  ) {
    return "margin below the floor";
  }
  return null;
}

/**
 * Per-item eligibility for a SKU-sorted item list. Without a catalogue every item is eligible.
 * With one, SKUs missing from it (deleted products) are not recommended; excluded SKUs always go.
 */
export function eligibilityMask(
  items: string[],
  products: ProductInfo[] | undefined,
  settings: RecFilterSettings,
): Uint8Array {
  const mask = new Uint8Array(items.length).fill(1);
  const excluded = new Set(settings.excludedSkus);
  if (products === undefined) {
    items.forEach((sku, i) => (mask[i] = excluded.has(sku) ? 0 : 1));
    return mask;
  }
  const bySku = new Map(products.map((p) => [p.sku, p]));
  items.forEach((sku, i) => {
    const product = bySku.get(sku);
    mask[i] = product !== undefined && ineligibilityReason(product, settings) === null ? 1 : 0;
  });
  return mask;
}
