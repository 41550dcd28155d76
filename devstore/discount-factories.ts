import type { DsDiscount, DsDiscountCode, DsShop } from "./model.js";
import { parseMinor } from "./money.js";
import { mintGid } from "./shop.js";
import { DEFAULT_TIME } from "./factory-time.js";

/** Discount codes as `discountCodeBasicCreate` makes them, and how much one takes off an order (factories.ts). */

export interface DiscountCodeInput {
  code: string;
  title?: string;
  /** Share off (0..1); exclusive with `amount`. Default 0.1. */
  percentage?: number;
  /** Fixed amount off the order, decimal string. */
  amount?: string;
  startsAt?: string;
  endsAt?: string | null;
  usageLimit?: number | null;
  appliesOncePerCustomer?: boolean;
  customerIds?: string[];
  createdAt?: string;
}

/** Creates a basic order discount with one redeem code (what `discountCodeBasicCreate` makes). */
export function makeDiscountCode(
  shop: DsShop,
  input: DiscountCodeInput,
): { discount: DsDiscount; code: DsDiscountCode } {
  const createdAt = input.createdAt ?? input.startsAt ?? DEFAULT_TIME;
  const discount: DsDiscount = {
    id: mintGid(shop, "DiscountCodeNode"),
    title: input.title ?? input.code,
    kind: "BASIC",
    value: input.amount !== undefined ? { amount: input.amount } : { percentage: input.percentage ?? 0.1 },
    startsAt: input.startsAt ?? createdAt,
    endsAt: input.endsAt ?? null,
    usageLimit: input.usageLimit ?? null,
    appliesOncePerCustomer: input.appliesOncePerCustomer ?? false,
    customerIds: input.customerIds ?? [],
    combinesWith: { orderDiscounts: false, productDiscounts: false, shippingDiscounts: false },
    status: "ACTIVE",
    codeIds: [],
    createdAt,
    updatedAt: createdAt,
  };
  const code: DsDiscountCode = {
    id: mintGid(shop, "DiscountRedeemCode"),
    code: input.code,
    discountId: discount.id,
    usageCount: 0,
    createdAt,
  };
  discount.codeIds.push(code.id);
  shop.discounts.set(discount.id, discount);
  shop.discountCodes.set(code.id, code);
  return { discount, code };
}

/** Redeem code and its discount by code text; Shopify matches codes case-insensitively. */
export function findDiscountCode(shop: DsShop, code: string): { discount: DsDiscount; code: DsDiscountCode } | null {
  const wanted = code.toLowerCase();
  for (const redeem of shop.discountCodes.values()) {
    if (redeem.code.toLowerCase() !== wanted) continue;
    const discount = shop.discounts.get(redeem.discountId);
    if (discount) return { discount, code: redeem };
  }
  return null;
}

/** Order-level amount a discount takes off `linesMinor` (never more than the lines). */
export function discountAmountMinor(discount: DsDiscount, linesMinor: number): number {
  const off =
    "percentage" in discount.value
      ? Math.round(linesMinor * discount.value.percentage)
      : parseMinor(discount.value.amount);
  return Math.max(0, Math.min(off, linesMinor));
}
