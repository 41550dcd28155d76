/**
 * One internal record type per synced resource, and the mappers that produce it from Shopify's
 * two shapes: Admin GraphQL nodes (bulk JSONL lines and reconciliation pages) and REST-shaped
 * webhook payloads. Models only ever see these records, so the bulk, reconcile and webhook paths
 * write exactly the same rows.
 *
 * A field left `undefined` means "this source does not carry it — keep what is stored" (webhooks
 * carry neither unit cost nor collections); `null` means "Shopify says there is none".
 */

export interface VariantRecord {
  gid: string;
  productGid: string;
  sku: string | null;
  title: string;
  priceMinor: number;
  compareAtMinor: number | null;
  costMinor?: number | null;
  inventoryQty: number;
  inventoryPolicy: string;
  shopifyUpdated: string;
}

export interface ProductRecord {
  gid: string;
  title: string;
  handle: string;
  productType: string;
  vendor: string;
  tags: string[];
  collections?: string[];
  status: string;
  publishedAt: string | null;
  isGiftCard?: boolean;
  shopifyCreated: string;
  shopifyUpdated: string;
  variants: VariantRecord[];
  /** True when `variants` is the product's full list, so stored variants not in it were deleted. */
  variantsComplete: boolean;
}

export interface CustomerRecord {
  gid: string;
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  /** `undefined`: the source does not carry tags (customers/* webhooks since 2025-01) — keep stored ones. */
  tags?: string[];
  /** `undefined`: the source does not carry consent (customers/* webhooks since 2025-01) — keep stored. */
  marketingState?: string;
  shopifyCreated: string;
  shopifyUpdated: string;
}

export interface OrderLineRecord {
  gid: string;
  productGid: string | null;
  variantGid: string | null;
  sku: string | null;
  name: string;
  quantity: number;
  unitPriceMinor: number;
  totalMinor: number;
  refundedQty: number;
  properties: { key: string; value: string | null }[];
}

export interface OrderRecord {
  gid: string;
  name: string;
  customerGid: string | null;
  email: string | null;
  financialStatus: string;
  currencyCode: string;
  subtotalMinor: number;
  discountMinor: number;
  shippingMinor: number;
  taxMinor: number;
  totalMinor: number;
  refundedMinor: number;
  discountCodes: string[];
  attributes: { key: string; value: string | null }[];
  shopifyCreated: string;
  shopifyUpdated: string;
  processedAt: string | null;
  cancelledAt: string | null;
  lines: OrderLineRecord[];
  /** True when `lines` is the order's full list. */
  linesComplete: boolean;
  /** GIDs of the refunds this version counts (REST payloads list them); `undefined`: not carried. */
  refundGids?: string[];
}

// ---------------------------------------------------------------------------------------------
// Scalars

/**
 * Shopify decimal string ("19.99", "5", "0.125", "-3.5") → integer minor units (×100), exactly:
 * string arithmetic, no float. Extra fraction digits (unit costs can carry more than two) round
 * half away from zero.
 */
export function toMinor(amount: string | number | null | undefined): number {
  if (amount === null || amount === undefined || amount === "") return 0;
  const text = typeof amount === "number" ? numberToPlain(amount) : amount.trim();
  const m = /^([+-])?(\d*)(?:\.(\d*))?$/.exec(text);
  if (!m || (m[2] === "" && (m[3] ?? "") === "")) throw new Error(`Not a decimal amount: ${JSON.stringify(amount)}`);
  const [, sign, whole, fraction = ""] = m;
  const padded = (fraction + "000").slice(0, 3);
  let minor = Number(whole || "0") * 100 + Number(padded.slice(0, 2));
  if (Number(padded[2]) >= 5) minor += 1;
  if (!Number.isSafeInteger(minor)) throw new Error(`Amount out of range: ${JSON.stringify(amount)}`);
  return sign === "-" && minor !== 0 ? -minor : minor;
}

/** Nullable variant of {@link toMinor}. */
export function toMinorOrNull(amount: string | number | null | undefined): number | null {
  return amount === null || amount === undefined || amount === "" ? null : toMinor(amount);
}

function numberToPlain(n: number): string {
  // REST payloads occasionally send numbers; toFixed(6) keeps them decimal (no exponent) for sane money values.
  return Number.isInteger(n) ? String(n) : n.toFixed(6);
}

/** Any Shopify timestamp (`Z` or `-05:00` offsets, as REST webhooks send) → ISO-8601 UTC. */
export function toIso(value: string | null | undefined): string | null {
  if (!value) return null;
  const t = Date.parse(value);
  if (Number.isNaN(t)) throw new Error(`Not a timestamp: ${JSON.stringify(value)}`);
  return new Date(t).toISOString();
}

function requiredIso(value: string | null | undefined, field: string): string {
  const iso = toIso(value);
  if (!iso) throw new Error(`Missing timestamp ${field}`);
  return iso;
}

/** REST webhooks send tags as one comma-separated string; GraphQL as a list. */
export function toTags(tags: string | string[] | null | undefined): string[] {
  if (!tags) return [];
  const list = Array.isArray(tags) ? tags : tags.split(",");
  return list.map((t) => t.trim()).filter((t) => t.length > 0);
}

/**
 * REST id → GID; `admin_graphql_api_id` wins when present. Ids arrive as exact digit strings
 * (webhook bodies are parsed losslessly: 64-bit ids exceed 2^53) or as safe integers; either is
 * only ever concatenated into the GID, never used as a number.
 */
export function restGid(type: string, id: number | string | null | undefined, gid?: string | null): string | null {
  if (gid) return gid;
  if (id === null || id === undefined || id === "") return null;
  if (typeof id === "number" && !Number.isSafeInteger(id)) throw new Error(`${type} id lost digits (parse webhook bodies with parseJsonLossless)`);
  return `gid://shopify/${type}/${id}`;
}

type Money = { shopMoney?: { amount?: string | null } | null } | null | undefined;
const amountOf = (bag: Money) => bag?.shopMoney?.amount ?? null;

// ---------------------------------------------------------------------------------------------
// GraphQL (bulk JSONL lines / reconcile nodes)

/* eslint-disable @typescript-eslint/no-explicit-any -- Shopify payloads are validated by shape here. */
type Json = any;

/** GID type segment of a JSONL line's `id` ("gid://shopify/ProductVariant/1" → "ProductVariant"). */
export function gidType(gid: unknown): string | null {
  if (typeof gid !== "string") return null;
  const m = /^gid:\/\/shopify\/([A-Za-z]+)\//.exec(gid);
  return m ? m[1] : null;
}

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
export function productFromGraphql(node: Json, variants: Json[], collections: Json[] | undefined, variantsComplete: boolean): ProductRecord {
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

export function customerFromGraphql(node: Json): CustomerRecord {
  const email = node.defaultEmailAddress?.emailAddress ?? node.email ?? null;
  return {
    gid: node.id,
    email: email ? String(email).toLowerCase() : null,
    firstName: node.firstName ?? null,
    lastName: node.lastName ?? null,
    tags: toTags(node.tags),
    // Read without protected customer fields (not approved) the export has no `defaultEmailAddress`
    // at all: consent is then unknown and the stored state is kept (undefined), not reset.
    marketingState: "defaultEmailAddress" in node ? (node.defaultEmailAddress?.marketingState ?? "NOT_SUBSCRIBED") : undefined,
    shopifyCreated: requiredIso(node.createdAt, "customer.createdAt"),
    shopifyUpdated: requiredIso(node.updatedAt, "customer.updatedAt"),
  };
}

export function lineFromGraphql(node: Json): OrderLineRecord {
  const quantity = node.quantity ?? 0;
  const current = typeof node.currentQuantity === "number" ? node.currentQuantity : quantity;
  return {
    gid: node.id,
    productGid: node.product?.id ?? null,
    variantGid: node.variant?.id ?? null,
    sku: node.sku || null,
    name: node.name ?? "",
    quantity,
    unitPriceMinor: toMinor(amountOf(node.originalUnitPriceSet)),
    totalMinor: toMinor(amountOf(node.discountedTotalSet)),
    refundedQty: Math.max(0, quantity - current),
    properties: (node.customAttributes ?? []).map((a: Json) => ({ key: a.key, value: a.value ?? null })),
  };
}

export function orderFromGraphql(node: Json, lines: Json[], linesComplete: boolean): OrderRecord {
  return {
    gid: node.id,
    name: node.name ?? "",
    customerGid: node.customer?.id ?? null,
    email: node.email ? String(node.email).toLowerCase() : null,
    financialStatus: node.displayFinancialStatus ?? "PENDING",
    currencyCode: node.currencyCode ?? "USD",
    subtotalMinor: toMinor(amountOf(node.subtotalPriceSet)),
    discountMinor: toMinor(amountOf(node.totalDiscountsSet)),
    shippingMinor: toMinor(amountOf(node.totalShippingPriceSet)),
    taxMinor: toMinor(amountOf(node.totalTaxSet)),
    totalMinor: toMinor(amountOf(node.totalPriceSet)),
    refundedMinor: toMinor(amountOf(node.totalRefundedSet)),
    discountCodes: node.discountCodes ?? [],
    attributes: (node.customAttributes ?? []).map((a: Json) => ({ key: a.key, value: a.value ?? null })),
    shopifyCreated: requiredIso(node.createdAt, "order.createdAt"),
    shopifyUpdated: requiredIso(node.updatedAt, "order.updatedAt"),
    processedAt: toIso(node.processedAt),
    cancelledAt: toIso(node.cancelledAt),
    lines: lines.map(lineFromGraphql),
    linesComplete,
  };
}

// ---------------------------------------------------------------------------------------------
// REST (webhook payloads)

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
    variants: (p.variants ?? []).map(
      (v: Json): VariantRecord => ({
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
      }),
    ),
    variantsComplete: Array.isArray(p.variants),
  };
}

/**
 * customers/create|update. Since API 2025-01 these carry no `tags` and no `email_marketing_consent`
 * (they moved to customer.tags_added/removed and customers_email_marketing_consent/update):
 * absent → `undefined`, so the upsert keeps what is stored instead of erasing tags and consent.
 * https://shopify.dev/changelog/new-customer-s-webhook-and-changes-to-existing-customer-s-webhooks-payload
 */
export function customerFromRest(c: Json): CustomerRecord {
  const email = c.email ?? null;
  return {
    gid: restGid("Customer", c.id, c.admin_graphql_api_id)!,
    email: email ? String(email).toLowerCase() : null,
    firstName: c.first_name ?? null,
    lastName: c.last_name ?? null,
    tags: c.tags === undefined ? undefined : toTags(c.tags),
    marketingState: c.email_marketing_consent?.state ? restConsentState(c.email_marketing_consent.state) : undefined,
    shopifyCreated: requiredIso(c.created_at, "customer.created_at"),
    shopifyUpdated: requiredIso(c.updated_at, "customer.updated_at"),
  };
}

/** REST consent state ("subscribed", "not_subscribed", …) → the GraphQL enum the app stores. */
export function restConsentState(state: string): string {
  return String(state).toUpperCase();
}

function restMoney(value: Json, set?: Json): string | null {
  return set?.shop_money?.amount ?? (value === undefined ? null : value);
}

export function orderFromRest(o: Json): OrderRecord {
  const refunds: Json[] = Array.isArray(o.refunds) ? o.refunds : [];
  const refundedQty = new Map<string, number>();
  let refundedFromTransactions = 0;
  let refundedFromLines = 0;
  let sawTransactions = false;
  for (const refund of refunds) {
    for (const rl of refund.refund_line_items ?? []) {
      const key = String(rl.line_item_id ?? rl.line_item?.id);
      refundedQty.set(key, (refundedQty.get(key) ?? 0) + (rl.quantity ?? 0));
      refundedFromLines += toMinor(rl.subtotal_set?.shop_money?.amount ?? rl.subtotal ?? 0);
    }
    for (const t of refund.transactions ?? []) {
      if (t.kind === "refund" && (t.status === undefined || t.status === "success")) {
        sawTransactions = true;
        refundedFromTransactions += toMinor(t.amount);
      }
    }
  }
  const lines = (o.line_items ?? []).map((li: Json): OrderLineRecord => {
    const quantity = li.quantity ?? 0;
    const unit = toMinor(restMoney(li.price, li.price_set));
    const allocations: Json[] = li.discount_allocations ?? [];
    const discount = allocations.length
      ? allocations.reduce((sum, a) => sum + toMinor(a.amount_set?.shop_money?.amount ?? a.amount), 0)
      : toMinor(restMoney(li.total_discount, li.total_discount_set) ?? 0);
    const fromRefunds = refundedQty.get(String(li.id));
    const fromCurrent = typeof li.current_quantity === "number" ? Math.max(0, quantity - li.current_quantity) : 0;
    return {
      gid: restGid("LineItem", li.id, li.admin_graphql_api_id)!,
      productGid: restGid("Product", li.product_id),
      variantGid: restGid("ProductVariant", li.variant_id),
      sku: li.sku || null,
      name: li.name ?? li.title ?? "",
      quantity,
      unitPriceMinor: unit,
      totalMinor: unit * quantity - discount,
      refundedQty: fromRefunds ?? fromCurrent,
      properties: (li.properties ?? []).map((p: Json) => ({ key: p.name ?? p.key, value: p.value ?? null })),
    };
  });
  const customer = o.customer ?? null;
  return {
    gid: restGid("Order", o.id, o.admin_graphql_api_id)!,
    name: o.name ?? "",
    customerGid: customer ? restGid("Customer", customer.id, customer.admin_graphql_api_id) : null,
    email: o.email || o.contact_email ? String(o.email || o.contact_email).toLowerCase() : null,
    financialStatus: String(o.financial_status ?? "pending").toUpperCase(),
    currencyCode: o.currency ?? "USD",
    subtotalMinor: toMinor(restMoney(o.subtotal_price, o.subtotal_price_set)),
    discountMinor: toMinor(restMoney(o.total_discounts, o.total_discounts_set)),
    shippingMinor: toMinor(restMoney(undefined, o.total_shipping_price_set)),
    taxMinor: toMinor(restMoney(o.total_tax, o.total_tax_set)),
    totalMinor: toMinor(restMoney(o.total_price, o.total_price_set)),
    refundedMinor: sawTransactions ? refundedFromTransactions : refundedFromLines,
    discountCodes: (o.discount_codes ?? []).map((d: Json) => (typeof d === "string" ? d : d.code)),
    attributes: (o.note_attributes ?? []).map((a: Json) => ({ key: a.name ?? a.key, value: a.value ?? null })),
    shopifyCreated: requiredIso(o.created_at, "order.created_at"),
    shopifyUpdated: requiredIso(o.updated_at, "order.updated_at"),
    processedAt: toIso(o.processed_at),
    cancelledAt: toIso(o.cancelled_at),
    lines,
    linesComplete: Array.isArray(o.line_items),
    refundGids: refunds.map((r) => restGid("Refund", r.id, r.admin_graphql_api_id)).filter((g): g is string => g !== null),
  };
}

/** A `refunds/create` payload → what `applyRefund` needs. Amount: successful refund transactions, else the refunded lines' subtotals. */
export function refundFromRest(payload: Json, now: Date): { refundGid: string | null; orderGid: string; createdAt: string; amountMinor: number; lines: { lineGid: string; quantity: number }[] } {
  const orderGid = restGid("Order", payload.order_id)!;
  let amount = 0;
  let sawTransactions = false;
  for (const t of payload.transactions ?? []) {
    if (t.kind === "refund" && (t.status === undefined || t.status === "success")) {
      sawTransactions = true;
      amount += toMinor(t.amount);
    }
  }
  const lines = (payload.refund_line_items ?? []).map((rl: Json) => ({
    lineGid: restGid("LineItem", rl.line_item_id ?? rl.line_item?.id, rl.line_item?.admin_graphql_api_id)!,
    quantity: rl.quantity ?? 0,
  }));
  if (!sawTransactions) {
    for (const rl of payload.refund_line_items ?? []) amount += toMinor(rl.subtotal_set?.shop_money?.amount ?? rl.subtotal ?? 0);
  }
  return { refundGid: restGid("Refund", payload.id, payload.admin_graphql_api_id), orderGid, createdAt: toIso(payload.created_at ?? payload.processed_at) ?? now.toISOString(), amountMinor: amount, lines };
}
