import { createHash } from "node:crypto";
import type { PrismaClient } from "@prisma/client";
import { CsvInputError, type ParsedOrder, type ParsedProductVariant } from "../csv";
import { upsertProducts } from "../models/catalog.server";
import { upsertCustomers } from "../models/customers.server";
import { BATCH_TX_OPTIONS } from "../models/db-types.server";
import { upsertOrders } from "../models/orders.server";
import { ensureShop } from "../models/sync-runs.server";
import type { CustomerRecord, OrderLineRecord, OrderRecord, ProductRecord, VariantRecord } from "../shopify/records.server";

/**
 * Loads Shopify admin "Export orders" / "Export products" CSVs into the same tables the sync fills.
 * Exports carry no customer, product or line ids, so records get stable synthetic GIDs in a
 * `gid://growthpilot-csv/…` namespace (customers by a hash of the email — no PII in ids; products
 * by handle; variants by SKU or handle+row). Re-importing the same file updates, never duplicates.
 */
export interface CsvImportInput {
  orders: ParsedOrder[];
  products?: ParsedProductVariant[];
  /** Timestamp recorded as `shopifyUpdated` (exports have no updated_at). */
  importedAt: Date;
}

export interface CsvImportCounts {
  products: number;
  variants: number;
  customers: number;
  orders: number;
  lines: number;
}

const CSV_GID = "gid://growthpilot-csv";

export function customerGidForEmail(email: string): string {
  return `${CSV_GID}/Customer/${createHash("sha256").update(email.trim().toLowerCase()).digest("hex").slice(0, 24)}`;
}

/** Postgres `integer` (money in minor units, quantities, inventory). */
const INT4_MIN = -2_147_483_648;
const INT4_MAX = 2_147_483_647;
/** Postgres text/jsonb cannot store NUL, and jsonb refuses unpaired UTF-16 surrogates. */
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
    if (value && UNSTORABLE.test(value)) throw new CsvInputError(`${what} contains a NUL byte or invalid characters`, row);
  };
  for (const o of input.orders) {
    for (const [what, v] of [["Name", o.name], ["Email", o.email], ["Id", o.id], ["Financial Status", o.financialStatus], ["Currency", o.currency], ["Discount Code", o.discountCode]] as const) {
      text(v, o.row, what);
    }
    for (const [what, v] of [["Subtotal", o.subtotalMinor], ["Shipping", o.shippingMinor], ["Taxes", o.taxesMinor], ["Total", o.totalMinor], ["Discount Amount", o.discountAmountMinor], ["Refunded Amount", o.refundedAmountMinor]] as const) {
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
    for (const [what, s] of [["Handle", v.handle], ["Title", v.title], ["Variant SKU", v.sku], ["Vendor", v.vendor], ["Type", v.productType]] as const) text(s, v.row, what);
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
export function csvToRecords(input: CsvImportInput): { products: ProductRecord[]; customers: CustomerRecord[]; orders: OrderRecord[] } {
  assertStorable(input);
  const stamp = input.importedAt.toISOString();
  const products = productRecords(input.products ?? [], stamp);
  const productBySku = new Map<string, { productGid: string; variantGid: string }>();
  for (const p of products) for (const v of p.variants) if (v.sku) productBySku.set(v.sku, { productGid: p.gid, variantGid: v.gid });

  const customers = new Map<string, CustomerRecord>();
  const orders = input.orders.map((order): OrderRecord => {
    const email = order.email?.trim().toLowerCase() || null;
    const customerGid = email ? customerGidForEmail(email) : null;
    const created = order.createdAt.toISOString();
    if (email && customerGid) {
      const known = customers.get(customerGid);
      if (!known || known.shopifyCreated > created) {
        customers.set(customerGid, {
          gid: customerGid,
          email,
          firstName: null,
          lastName: null,
          tags: [],
          marketingState: order.acceptsMarketing ? "SUBSCRIBED" : "NOT_SUBSCRIBED",
          shopifyCreated: known && known.shopifyCreated < created ? known.shopifyCreated : created,
          shopifyUpdated: stamp,
        });
      }
    }
    const orderKey = order.id ?? order.name.replace(/^#/, "");
    const gid = order.id ? `gid://shopify/Order/${order.id}` : `${CSV_GID}/Order/${encodeURIComponent(orderKey)}`;
    const lines = order.lines.map((line, i): OrderLineRecord => {
      const match = line.sku ? productBySku.get(line.sku) : undefined;
      const gross = line.priceMinor * line.quantity;
      return {
        gid: `${CSV_GID}/LineItem/${encodeURIComponent(orderKey)}-${i + 1}`,
        productGid: match?.productGid ?? null,
        variantGid: match?.variantGid ?? null,
        sku: line.sku,
        name: line.name,
        quantity: line.quantity,
        unitPriceMinor: line.priceMinor,
        totalMinor: Math.max(0, gross - (line.discountMinor ?? 0)),
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
      discountCodes: order.discountCode ? order.discountCode.split(",").map((c) => c.trim()).filter(Boolean) : [],
      attributes: [],
      shopifyCreated: created,
      shopifyUpdated: stamp,
      processedAt: created,
      cancelledAt: order.cancelledAt?.toISOString() ?? null,
      lines,
      linesComplete: true,
    };
  });
  return { products, customers: [...customers.values()], orders };
}

function productRecords(variants: ParsedProductVariant[], stamp: string): ProductRecord[] {
  const byHandle = new Map<string, ProductRecord>();
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
      gid: `${CSV_GID}/ProductVariant/${encodeURIComponent(v.sku || `${v.handle}-${v.row}`)}`,
      productGid: product.gid,
      sku: v.sku || null,
      title: v.title,
      priceMinor: v.priceMinor ?? 0,
      compareAtMinor: null,
      costMinor: v.costMinor ?? null,
      inventoryQty: v.inventory ?? 0,
      inventoryPolicy: v.continueSelling ? "CONTINUE" : "DENY",
      shopifyUpdated: stamp,
    };
    product.variants.push(variant);
  }
  return [...byHandle.values()];
}

/**
 * Writes an import in ONE transaction: a failure anywhere leaves the database exactly as it was.
 * Parsing (where malformed input is caught, with row numbers) happens before this is called.
 */
export async function importCsvRecords(prisma: PrismaClient, shop: string, input: CsvImportInput): Promise<CsvImportCounts> {
  const records = csvToRecords(input);
  await prisma.$transaction(async (tx) => {
    await ensureShop(tx, shop);
    for (let i = 0; i < records.products.length; i += 200) await upsertProducts(tx, shop, records.products.slice(i, i + 200));
    for (let i = 0; i < records.customers.length; i += 500) await upsertCustomers(tx, shop, records.customers.slice(i, i + 500));
    for (let i = 0; i < records.orders.length; i += 500) await upsertOrders(tx, shop, records.orders.slice(i, i + 500));
  }, BATCH_TX_OPTIONS);
  return {
    products: records.products.length,
    variants: records.products.reduce((s, p) => s + p.variants.length, 0),
    customers: records.customers.length,
    orders: records.orders.length,
    lines: records.orders.reduce((s, o) => s + o.lines.length, 0),
  };
}
