import type { ProductInfo } from "../analytics/types";
import { CsvInputError } from "./errors";
import { keepMask, locateColumns, readCsv } from "./reader";
import { optionalText, parseBoolean, parseMoneyMinor } from "./values";

/**
 * A variant row of Shopify's products export. A variant is identified by its product (`Handle`) and
 * its option values — never by SKU: Shopify lets a SKU be empty or repeat across products.
 */
export interface ParsedProductVariant extends Omit<ProductInfo, "sku"> {
  handle: string;
  /** `Variant SKU` exactly as exported (trimmed); null when empty — never invented. */
  sku: string | null;
  /** Option values in order ("Red", "L"); empty for a product without options. */
  options: string[];
  /** Shopify's variant title: the option values joined by " / ", or "Default Title". */
  variantTitle: string;
  /**
   * What the orders export writes in `Lineitem name` for this variant: the product title, then
   * " - " and the variant title unless it is the default variant ("Tee - Red / L", "Soap").
   */
  lineItemName: string;
  /** 1-based CSV row of the variant. */
  row: number;
}

const REQUIRED = { handle: "Handle" } as const;

const OPTIONAL = {
  title: "Title",
  vendor: "Vendor",
  type: "Type",
  // Older header generations: before "Type" (2023) the product type was "Custom Product Type",
  // beside the taxonomy's "Standard Product Type"; current files add "Product Category".
  customType: "Custom Product Type",
  standardType: "Standard Product Type",
  category: "Product Category",
  tags: "Tags",
  published: "Published",
  status: "Status",
  sku: "Variant SKU",
  price: "Variant Price",
  cost: "Cost per item",
  inventory: "Variant Inventory Qty",
  policy: "Variant Inventory Policy",
  giftCard: "Gift Card",
  collection: "Collection",
  option1: "Option1 Value",
  option2: "Option2 Value",
  option3: "Option3 Value",
  imageSrc: "Image Src",
};

interface ProductFields {
  title: string;
  vendor?: string;
  productType?: string;
  tags: string[];
  collections: string[];
  published?: boolean;
  status?: ProductInfo["status"];
  giftCard?: boolean;
}

/**
 * Parses Shopify's products export (several rows per product sharing `Handle`: the first row holds
 * product fields, later rows hold more variants or only images). Returns one record per variant
 * row; the importer keys each by handle + option values.
 */
export function parseProductsCsv(text: string): ParsedProductVariant[] {
  if (text.trim() === "") throw new CsvInputError("the products file is empty");
  const products = new Map<string, ProductFields>();
  const variants: ParsedProductVariant[] = [];
  let columns: Record<string, number> = {};
  let dataRows = 0;

  readCsv(text, {
    header(headers) {
      columns = locateColumns(headers, REQUIRED, OPTIONAL);
      return keepMask(headers.length, columns);
    },
    record(fields, row) {
      dataRows++;
      const get = (key: string): string => (columns[key] >= 0 ? (fields[columns[key]] ?? "") : "");
      const handle = get("handle").trim();
      if (handle === "") throw new CsvInputError(`"Handle" is empty`, row);
      let product = products.get(handle);
      if (product === undefined) {
        product = parseProductFields(handle, get);
        products.set(handle, product);
      } else {
        mergeCollections(product, get);
      }
      if (!isVariantRow(get)) return;
      variants.push(parseVariant(handle, product, get, row));
    },
  });
  if (dataRows === 0) throw new CsvInputError("the products file has a header but no rows", 1);
  return variants;
}

function parseProductFields(handle: string, get: (key: string) => string): ProductFields {
  const status = optionalText(get("status"))?.toUpperCase();
  return {
    title: optionalText(get("title")) ?? handle,
    vendor: optionalText(get("vendor")) ?? undefined,
    productType: productType(get),
    tags: splitList(get("tags")),
    collections: splitList(get("collection")),
    published: parseBoolean(get("published")) ?? undefined,
    status: status === "ACTIVE" || status === "DRAFT" || status === "ARCHIVED" ? status : undefined,
    giftCard: parseBoolean(get("giftCard")) ?? undefined,
  };
}

/**
 * The merchant's product type from whichever header generation the file has: "Type" (current),
 * "Custom Product Type" (older), else the taxonomy: "Standard Product Type" or the current
 * "Product Category", whose last path segment is the type ("Home > Decor > Vases" → "Vases").
 */
function productType(get: (key: string) => string): string | undefined {
  const custom = optionalText(get("type")) ?? optionalText(get("customType"));
  if (custom !== null) return custom;
  const taxonomy = optionalText(get("standardType")) ?? optionalText(get("category"));
  return taxonomy?.split(">").pop()?.trim() || undefined;
}

/** Later rows may name further collections (custom exports); collect them all. */
function mergeCollections(product: ProductFields, get: (key: string) => string): void {
  for (const c of splitList(get("collection"))) if (!product.collections.includes(c)) product.collections.push(c);
}

/** Shopify's title for the only variant of a product without options. */
const DEFAULT_TITLE = "Default Title";

/** Image-only rows carry no variant fields. */
function isVariantRow(get: (key: string) => string): boolean {
  return get("sku").trim() !== "" || get("price").trim() !== "" || get("option1").trim() !== "";
}

function parseVariant(
  handle: string,
  product: ProductFields,
  get: (key: string) => string,
  row: number,
): ParsedProductVariant {
  const options = ["option1", "option2", "option3"].map((k) => get(k).trim()).filter((v) => v !== "");
  const isDefault = options.length === 0 || (options.length === 1 && options[0] === DEFAULT_TITLE);
  const variantTitle = isDefault ? DEFAULT_TITLE : options.join(" / ");
  const inventoryText = get("inventory").trim();
  if (inventoryText !== "" && !/^-?\d+$/.test(inventoryText)) {
    throw new CsvInputError(`"Variant Inventory Qty" is not a whole number`, row);
  }
  const policy = get("policy").trim().toLowerCase();
  return {
    handle,
    sku: optionalText(get("sku")),
    options: isDefault ? [] : options,
    variantTitle,
    lineItemName: isDefault ? product.title : `${product.title} - ${variantTitle}`,
    title: product.title,
    productType: product.productType,
    vendor: product.vendor,
    tags: product.tags,
    collections: product.collections,
    priceMinor: parseMoneyMinor(get("price"), row, "Variant Price") ?? undefined,
    costMinor: parseMoneyMinor(get("cost"), row, "Cost per item"),
    inventory: inventoryText === "" ? undefined : Number(inventoryText),
    continueSelling: policy === "continue",
    status: product.status,
    published: product.published,
    giftCard: product.giftCard,
    row,
  };
}

/** "a, b ,c" → ["a","b","c"]. */
function splitList(raw: string): string[] {
  return raw
    .split(",")
    .map((t) => t.trim())
    .filter((t) => t !== "");
}
