import type { ProductInfo } from "../analytics/types";
import { CsvInputError } from "./errors";
import { keepMask, locateColumns, readCsv } from "./reader";
import { optionalText, parseBoolean, parseMoneyMinor } from "./values";

/** A variant row of Shopify's products export, shaped as the engine's `ProductInfo` plus the handle. */
export interface ParsedProductVariant extends ProductInfo {
  handle: string;
  /** 1-based CSV row of the variant. */
  row: number;
}

const REQUIRED = { handle: "Handle" } as const;

const OPTIONAL = {
  title: "Title",
  vendor: "Vendor",
  type: "Type",
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
 * product fields, later rows hold more variants or only images). Returns one record per variant.
 *
 * Product key: `Variant SKU`, falling back to what the orders export puts in `Lineitem name`
 * ("Title" for single-variant products, "Title - Red / L" otherwise) so that shops without SKUs
 * still join orders to the catalogue.
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
    productType: optionalText(get("type")) ?? undefined,
    tags: splitList(get("tags")),
    collections: splitList(get("collection")),
    published: parseBoolean(get("published")) ?? undefined,
    status: status === "ACTIVE" || status === "DRAFT" || status === "ARCHIVED" ? status : undefined,
    giftCard: parseBoolean(get("giftCard")) ?? undefined,
  };
}

/** Later rows may name further collections (custom exports); collect them all. */
function mergeCollections(product: ProductFields, get: (key: string) => string): void {
  for (const c of splitList(get("collection"))) if (!product.collections.includes(c)) product.collections.push(c);
}

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
  const isDefault = options.length === 0 || (options.length === 1 && options[0] === "Default Title");
  const fallbackKey = isDefault ? product.title : `${product.title} - ${options.join(" / ")}`;
  const inventoryText = get("inventory").trim();
  if (inventoryText !== "" && !/^-?\d+$/.test(inventoryText)) {
    throw new CsvInputError(`Variant Inventory Qty "${inventoryText}" is not a whole number`, row);
  }
  const policy = get("policy").trim().toLowerCase();
  return {
    handle,
    sku: optionalText(get("sku")) ?? fallbackKey,
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
