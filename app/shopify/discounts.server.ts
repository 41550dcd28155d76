import type { AdminClient } from "./admin-client.server";
import {
  AUTOMATION_DISCOUNT_BASIC_CREATE,
  AUTOMATION_DISCOUNT_BXGY_CREATE,
  AUTOMATION_DISCOUNT_BY_CODE,
  AUTOMATION_DISCOUNT_DELETE,
  AUTOMATION_METAFIELDS_DELETE,
  AUTOMATION_TAGS_REMOVE,
} from "./documents/automations";
import { METAFIELDS_SET, METAFIELDS_SET_MAX_INPUTS } from "./documents/metafields";
import { TAGS_ADD } from "./documents/tags";
import { ShopifyUserErrors } from "./errors.server";

/**
 * Admin API adapter for automation offers: customer-scoped single-use codes, customer tags and
 * app-owned customer metafields. Titles carry no PII (they show in the merchant's discount list).
 */

/** Every automation discount title starts with this, so we can recognise our own discounts. */
export const DISCOUNT_TITLE_PREFIX = "Growthpilot";

export interface CustomerOfferSpec {
  code: string;
  title: string;
  customerGid: string;
  startsAt: Date;
  endsAt: Date;
  offer: { kind: "PERCENTAGE" | "AMOUNT"; value: number };
  /** BXGY bundle: buy one of A, get one of B at the offer. */
  bundle?: { productA: string; productB: string };
}

const money = (minor: number) => (minor / 100).toFixed(2);

/**
 * Creates one discount with one code, usable once, by one customer, until `endsAt`, combinable
 * with nothing. If Shopify answers that the code is taken, the code is ours from an attempt whose
 * answer was lost, and the existing discount is adopted (`adopted: true`) — never a second one.
 */
export async function createCustomerDiscount(
  client: AdminClient,
  spec: CustomerOfferSpec,
): Promise<{ discountGid: string; adopted: boolean }> {
  const common = {
    title: spec.title,
    code: spec.code,
    startsAt: spec.startsAt.toISOString(),
    endsAt: spec.endsAt.toISOString(),
    usageLimit: 1,
    appliesOncePerCustomer: true,
    context: { customers: { add: [spec.customerGid] } },
    combinesWith: { orderDiscounts: false, productDiscounts: false, shippingDiscounts: false },
  };
  const effect =
    spec.offer.kind === "PERCENTAGE" ? { percentage: spec.offer.value } : { amount: money(spec.offer.value) };
  try {
    if (spec.bundle) {
      const payload = await client.mutate<{ codeDiscountNode: { id: string } }>(
        AUTOMATION_DISCOUNT_BXGY_CREATE,
        {
          bxgyCodeDiscount: {
            ...common,
            usesPerOrderLimit: 1,
            customerBuys: { value: { quantity: "1" }, items: { products: { productsToAdd: [spec.bundle.productA] } } },
            customerGets: {
              value: { discountOnQuantity: { quantity: "1", effect } },
              items: { products: { productsToAdd: [spec.bundle.productB] } },
            },
          },
        },
        "discountCodeBxgyCreate",
        // A timed-out create may have been applied; the retry would answer TAKEN, handled below.
        { retryOnServerError: true },
      );
      return { discountGid: payload.codeDiscountNode.id, adopted: false };
    }
    const value =
      spec.offer.kind === "PERCENTAGE"
        ? { percentage: spec.offer.value }
        : { discountAmount: { amount: money(spec.offer.value), appliesOnEachItem: false } };
    const payload = await client.mutate<{ codeDiscountNode: { id: string } }>(
      AUTOMATION_DISCOUNT_BASIC_CREATE,
      { basicCodeDiscount: { ...common, customerGets: { value, items: { all: true } } } },
      "discountCodeBasicCreate",
      { retryOnServerError: true },
    );
    return { discountGid: payload.codeDiscountNode.id, adopted: false };
  } catch (error) {
    if (
      error instanceof ShopifyUserErrors &&
      error.userErrors.some((e) => e.code === "TAKEN" && e.field?.includes("code"))
    ) {
      const existing = await findDiscountByCode(client, spec.code);
      if (existing && existing.title.startsWith(DISCOUNT_TITLE_PREFIX))
        return { discountGid: existing.id, adopted: true };
    }
    throw error;
  }
}

export async function findDiscountByCode(
  client: AdminClient,
  code: string,
): Promise<{ id: string; title: string } | null> {
  const data = await client.request<{
    codeDiscountNodeByCode: { id: string; codeDiscount: { title?: string } | null } | null;
  }>(AUTOMATION_DISCOUNT_BY_CODE, { code });
  const node = data.codeDiscountNodeByCode;
  return node ? { id: node.id, title: node.codeDiscount?.title ?? "" } : null;
}

/** Deletes a discount; true when it was deleted or was already gone. */
export async function deleteDiscount(client: AdminClient, discountGid: string): Promise<boolean> {
  try {
    await client.mutate(AUTOMATION_DISCOUNT_DELETE, { id: discountGid }, "discountCodeDelete");
    return true;
  } catch (error) {
    if (error instanceof ShopifyUserErrors) return true; // already deleted (e.g. by the merchant)
    throw error;
  }
}

export async function addCustomerTags(client: AdminClient, customerGid: string, tags: string[]): Promise<void> {
  if (tags.length) await client.mutate(TAGS_ADD, { id: customerGid, tags }, "tagsAdd");
}

export async function removeCustomerTags(client: AdminClient, customerGid: string, tags: string[]): Promise<void> {
  if (tags.length) await client.mutate(AUTOMATION_TAGS_REMOVE, { id: customerGid, tags }, "tagsRemove");
}

export interface CustomerMetafield {
  ownerId: string;
  key: string;
  type: "single_line_text_field" | "date_time" | "json";
  value: string;
}

/** Writes app-owned (`$app`) metafields, 25 per call; each call is atomic. */
export async function setCustomerMetafields(client: AdminClient, metafields: CustomerMetafield[]): Promise<void> {
  for (let i = 0; i < metafields.length; i += METAFIELDS_SET_MAX_INPUTS) {
    const batch = metafields.slice(i, i + METAFIELDS_SET_MAX_INPUTS).map((m) => ({ ...m, namespace: "$app" }));
    await client.mutate(METAFIELDS_SET, { metafields: batch }, "metafieldsSet");
  }
}

export async function deleteCustomerMetafields(client: AdminClient, ownerId: string, keys: string[]): Promise<void> {
  if (keys.length === 0) return;
  await client.mutate(
    AUTOMATION_METAFIELDS_DELETE,
    { metafields: keys.map((key) => ({ ownerId, namespace: "$app", key })) },
    "metafieldsDelete",
  );
}
