/**
 * The "Growthpilot offer issued" Flow trigger: its handle and payload keys exactly as declared in
 * extensions/growthpilot-offer-issued/shopify.extension.toml (tests/shopify/flow-trigger.test.ts
 * compares the two). Per https://shopify.dev/docs/apps/build/flow/triggers/reference a
 * `customer_reference` field travels as `customer_id` (the numeric legacy id) and custom field
 * keys are the TOML keys verbatim (letters and spaces).
 */
export const OFFER_TRIGGER_HANDLE = "growthpilot-offer-issued";

const PRODUCT_SLOTS = ["one", "two", "three"] as const;

export const OFFER_TRIGGER_KEYS = [
  "customer_id",
  "Discount code",
  "Discount text",
  "Expires at",
  "Automation name",
  "Segment",
  ...PRODUCT_SLOTS.flatMap((n) => [`Product ${n} title`, `Product ${n} url`]),
] as const;

export interface OfferIssued {
  customerGid: string;
  code: string;
  discountText: string;
  expiresAt: Date;
  automationName: string;
  segment: string;
  /** Up to 3 "for you" products; fewer leave their keys out. */
  products: { title: string; url: string }[];
}

export function offerTriggerPayload(o: OfferIssued): Record<string, string | number> {
  const legacyId = Number(o.customerGid.split("/").pop());
  const payload: Record<string, string | number> = {
    customer_id: legacyId,
    "Discount code": o.code,
    "Discount text": o.discountText,
    "Expires at": o.expiresAt.toISOString(),
    "Automation name": o.automationName,
    Segment: o.segment,
  };
  o.products.slice(0, PRODUCT_SLOTS.length).forEach((p, i) => {
    payload[`Product ${PRODUCT_SLOTS[i]} title`] = p.title;
    payload[`Product ${PRODUCT_SLOTS[i]} url`] = p.url;
  });
  return payload;
}
