import { createHash } from "node:crypto";
import { CsvInputError, type ParsedOrder, type ParsedProductVariant } from "../../csv";
import { lineNetMinor } from "../../analytics/money";
import { newestPerGid, type ProductForLineMatching } from "../../models/catalog.server";
import type { CustomerRecord } from "../../shopify/records/customers";
import type { OrderLineRecord, OrderRecord } from "../../shopify/records/orders";
import type { ProductRecord, VariantRecord } from "../../shopify/records/products";

/**
 * Shopify CSV exports → the sync's record shapes, pure mapping with no database access: synthetic
 * GIDs, the customer list derived from orders, products from the variant rows, and order lines matched
 * to stored variants. Split out of csv-import.server.ts, which runs the import in one transaction.
 */

export interface CsvImportInput {
  orders: ParsedOrder[];
  products?: ParsedProductVariant[];
  /** Timestamp recorded as `shopifyUpdated` (exports have no updated_at). */
  importedAt: Date;
  /**
   * Without a products export: the catalogue already stored for the shop, so an orders-only
   * re-import keeps lines joined to the products an earlier import brought in.
   */
  storedCatalogue?: ProductForLineMatching[];
}

const CSV_GID = "gid://growthpilot-csv";

export function customerGidForEmail(email: string): string {
  return `${CSV_GID}/Customer/${createHash("sha256").update(email.trim().toLowerCase()).digest("hex").slice(0, 24)}`;
}

/** Postgres `integer` (money in minor units, quantities, inventory). */
const INT4_MIN = -2_147_483_648;
const INT4_MAX = 2_147_483_647;
/** Postgres text/jsonb cannot store NUL, and jsonb refuses unpaired UTF-16 surrogates. */
// eslint-disable-next-line no-control-regex -- matching NUL is the point: Postgres text cannot store it.
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * What the parsers accept but Postgres cannot store: values beyond `integer` (an order total over
 * $21,474,836.47, a line whose price × quantity overflows) and text with NUL bytes or broken
 * surrogates (binary junk in a cell). Checked before the transaction so the merchant gets a
 * row-numbered `CsvInputError` (CLI exit 2) instead of a database error.
 */
function assertStorable(input: CsvImportInput): void {
  const int = (value: number | null | undefined, row: number, what: string) => {
    if (value !== null && value !== undefined && (value < INT4_MIN || value > INT4_MAX)) {
      throw new CsvInputError(`${what} is too large to import`, row);
    }
  };
  const text = (value: string | null | undefined, row: number, what: string) => {
    if (value && UNSTORABLE.test(value))
      throw new CsvInputError(`${what} contains a NUL byte or invalid characters`, row);
  };
  for (const o of input.orders) {
    for (const [what, v] of [
      ["Name", o.name],
      ["Email", o.email],
      ["Id", o.id],
      ["Financial Status", o.financialStatus],
      ["Currency", o.currency],
      ["Discount Code", o.discountCode],
    ] as const) {
      text(v, o.row, what);
    }
    for (const [what, v] of [
      ["Subtotal", o.subtotalMinor],
      ["Shipping", o.shippingMinor],
      ["Taxes", o.taxesMinor],
      ["Total", o.totalMinor],
      ["Discount Amount", o.discountAmountMinor],
      ["Refunded Amount", o.refundedAmountMinor],
    ] as const) {
      int(v, o.row, what);
    }
    let linesTotal = 0;
    for (const l of o.lines) {
      text(l.name, l.row, "Lineitem name");
      text(l.sku, l.row, "Lineitem sku");
      int(l.quantity, l.row, "Lineitem quantity");
      int(l.priceMinor, l.row, "Lineitem price");
      const lineTotal = l.priceMinor * l.quantity - (l.discountMinor ?? 0);
      int(lineTotal, l.row, "Lineitem price × quantity");
      linesTotal += Math.max(0, lineTotal);
    }
    if (o.subtotalMinor === null) int(linesTotal, o.row, "The order's line total");
  }
  for (const v of input.products ?? []) {
    for (const [what, s] of [
      ["Handle", v.handle],
      ["Title", v.title],
      ["Variant SKU", v.sku],
      ["Vendor", v.vendor],
      ["Type", v.productType],
    ] as const)
      text(s, v.row, what);
    for (const t of [...(v.tags ?? []), ...(v.collections ?? [])]) text(t, v.row, "Tags/Collection");
    int(v.priceMinor, v.row, "Variant Price");
    int(v.costMinor, v.row, "Cost per item");
    int(v.inventory, v.row, "Variant Inventory Qty");
  }
}

/**
 * Maps parsed exports to the sync's internal records (pure; no database). Throws a row-numbered
 * `CsvInputError` for values the database cannot store.
 */
export function csvToRecords(input: CsvImportInput): {
  products: ProductRecord[];
  customers: CustomerRecord[];
  orders: OrderRecord[];
  duplicateVariantRows: number;
} {
  assertStorable(input);
  const stamp = input.importedAt.toISOString();
  const { products, duplicateVariantRows } = productRecords(input.products ?? [], stamp);
  const findVariant = variantMatcher(input.products ? products : (input.storedCatalogue ?? []));
  const gidFor = memoisedCustomerGid();
  const customers = customerRecords(input.orders, gidFor);
  const orders = input.orders.map((order): OrderRecord => {
    const email = order.email?.trim().toLowerCase() || null;
    const customerGid = email ? gidFor(email) : null;
    const created = order.createdAt.toISOString();
    const orderKey = order.id ?? order.name.replace(/^#/, "");
    const gid = order.id ? `gid://shopify/Order/${order.id}` : `${CSV_GID}/Order/${encodeURIComponent(orderKey)}`;
    const lines = order.lines.map((line, i): OrderLineRecord => {
      const match = findVariant(line.sku, line.name);
      return {
        gid: `${CSV_GID}/LineItem/${encodeURIComponent(orderKey)}-${i + 1}`,
        productGid: match?.productGid ?? null,
        variantGid: match?.variantGid ?? null,
        sku: line.sku,
        name: line.name,
        quantity: line.quantity,
        unitPriceMinor: line.priceMinor,
        totalMinor: lineNetMinor(line.priceMinor, line.quantity, line.discountMinor),
        refundedQty: 0,
        properties: [],
      };
    });
    const subtotal = order.subtotalMinor ?? lines.reduce((s, l) => s + l.totalMinor, 0);
    const status = (order.financialStatus ?? "paid").toUpperCase();
    return {
      gid,
      name: order.name,
      customerGid,
      email,
      financialStatus: status,
      currencyCode: order.currency ?? "USD",
      subtotalMinor: subtotal,
      discountMinor: order.discountAmountMinor ?? 0,
      shippingMinor: order.shippingMinor ?? 0,
      taxMinor: order.taxesMinor ?? 0,
      totalMinor: order.totalMinor ?? subtotal,
      refundedMinor: order.refundedAmountMinor ?? 0,
      discountCodes: order.discountCode
        ? order.discountCode
            .split(",")
            .map((c) => c.trim())
            .filter(Boolean)
        : [],
      attributes: [],
      shopifyCreated: created,
      // Exports carry no updated_at: the newest import's values win on re-import.
      shopifyUpdated: stamp,
      processedAt: created,
      cancelledAt: order.cancelledAt?.toISOString() ?? null,
      lines,
      linesComplete: true,
    };
  });
  return { products, customers, orders: newestPerGid(orders), duplicateVariantRows };
}

/**
 * One customer per email. Consent (`Accepts Marketing`) is what the customer said on their most
 * recent order, and `shopifyUpdated` is that order's time, so the conditional upsert lets a later
 * import of an older, overlapping export never overwrite newer consent.
 */
function customerRecords(orders: ParsedOrder[], gidFor: (email: string) => string): CustomerRecord[] {
  const byGid = new Map<string, CustomerRecord>();
  for (const order of orders) {
    const email = order.email?.trim().toLowerCase();
    if (!email) continue;
    const gid = gidFor(email);
    const created = order.createdAt.toISOString();
    const known = byGid.get(gid);
    const newest = !known || known.shopifyUpdated <= created;
    byGid.set(gid, {
      gid,
      email,
      firstName: null,
      lastName: null,
      tags: [],
      marketingState: newest ? (order.acceptsMarketing ? "SUBSCRIBED" : "NOT_SUBSCRIBED") : known.marketingState,
      shopifyCreated: known && known.shopifyCreated < created ? known.shopifyCreated : created,
      shopifyUpdated: newest ? created : known.shopifyUpdated,
    });
  }
  return [...byGid.values()];
}

/** One SHA-256 per distinct email, not two per order (a 400k-row export repeats customers). */
function memoisedCustomerGid(): (email: string) => string {
  const cache = new Map<string, string>();
  return (email) => {
    let gid = cache.get(email);
    if (gid === undefined) cache.set(email, (gid = customerGidForEmail(email)));
    return gid;
  };
}

type VariantMatch = { productGid: string; variantGid: string };

/**
 * Joins an order line to an imported variant: by SKU when exactly one variant has it; otherwise
 * (no SKU, an unknown SKU, or a SKU several variants share) by the `Lineitem name` the orders
 * export writes — "Product title - Variant title", or the product title for a default variant —
 * when exactly one variant has that name. Ambiguous lines stay unlinked rather than guessed.
 */
function variantMatcher(
  products: ProductForLineMatching[],
): (sku: string | null, name: string) => VariantMatch | undefined {
  const bySku = new Map<string, VariantMatch[]>();
  const byName = new Map<string, VariantMatch | null>();
  for (const p of products) {
    for (const v of p.variants) {
      const match = { productGid: p.gid, variantGid: v.gid };
      const name = lineItemName(p.title, v.title);
      if (v.sku) bySku.set(v.sku, [...(bySku.get(v.sku) ?? []), match]);
      byName.set(name, byName.has(name) ? null : match);
    }
  }
  return (sku, name) => {
    const candidates = sku ? bySku.get(sku) : undefined;
    if (candidates?.length === 1) return candidates[0];
    return byName.get(name.trim()) ?? undefined;
  };
}

/** The orders export's `Lineitem name` for a variant. */
function lineItemName(productTitle: string, variantTitle: string): string {
  return variantTitle === "Default Title" ? productTitle : `${productTitle} - ${variantTitle}`;
}

/** A variant's GID from its product and option values ("tee/Red/L"); the default variant is the handle. */
function variantGid(handle: string, options: string[]): string {
  return `${CSV_GID}/ProductVariant/${[handle, ...options].map(encodeURIComponent).join("/")}`;
}

function productRecords(
  variants: ParsedProductVariant[],
  stamp: string,
): { products: ProductRecord[]; duplicateVariantRows: number } {
  const byHandle = new Map<string, ProductRecord>();
  let duplicateVariantRows = 0;
  for (const v of variants) {
    let product = byHandle.get(v.handle);
    if (!product) {
      product = {
        gid: `${CSV_GID}/Product/${encodeURIComponent(v.handle)}`,
        title: v.title,
        handle: v.handle,
        productType: v.productType ?? "",
        vendor: v.vendor ?? "",
        tags: v.tags ?? [],
        collections: v.collections ?? [],
        status: v.status ?? "ACTIVE",
        publishedAt: v.published === false ? null : stamp,
        isGiftCard: v.giftCard ?? false,
        shopifyCreated: stamp,
        shopifyUpdated: stamp,
        variants: [],
        variantsComplete: true,
      };
      byHandle.set(v.handle, product);
    }
    const variant: VariantRecord = {
      gid: variantGid(v.handle, v.options),
      productGid: product.gid,
      sku: v.sku,
      title: v.variantTitle,
      priceMinor: v.priceMinor ?? 0,
      compareAtMinor: null,
      costMinor: v.costMinor ?? null,
      inventoryQty: v.inventory ?? 0,
      inventoryPolicy: v.continueSelling ? "CONTINUE" : "DENY",
      shopifyUpdated: stamp,
    };
    const same = product.variants.findIndex((x) => x.gid === variant.gid);
    if (same >= 0) {
      product.variants[same] = variant;
      duplicateVariantRows++;
    } else product.variants.push(variant);
  }
  return { products: [...byHandle.values()], duplicateVariantRows };
}
