import { CsvInputError } from "./errors";
import { flatCopy, stringInterner } from "./intern";
import { keepMask, locateColumns, readCsv, readCsvChunks } from "./reader";
import { optionalText, parseBoolean, parseMoneyMinor, parseQuantity, parseShopifyDate } from "./values";

/** One line item of a Shopify "Export orders" CSV. Money in integer minor units. */
export interface ParsedOrderLine {
  name: string;
  sku: string | null;
  quantity: number;
  /** Unit price. */
  priceMinor: number;
  compareAtPriceMinor?: number | null;
  vendor?: string | null;
  requiresShipping?: boolean | null;
  /** Line-level discount (whole line, not per unit). */
  discountMinor?: number | null;
  /** 1-based CSV row the line came from, for error messages downstream. */
  row: number;
}

/** One order as exported by Shopify admin (order-level fields come from the order's first row). */
export interface ParsedOrder {
  /** Shopify order name, e.g. "#1001" — the export's grouping key. */
  name: string;
  /** Numeric order id when the export has an "Id" column. */
  id: string | null;
  email: string | null;
  createdAt: Date;
  cancelledAt: Date | null;
  financialStatus: string | null;
  fulfillmentStatus: string | null;
  currency: string | null;
  subtotalMinor: number | null;
  shippingMinor: number | null;
  taxesMinor: number | null;
  totalMinor: number | null;
  discountCode: string | null;
  discountAmountMinor: number | null;
  refundedAmountMinor: number | null;
  acceptsMarketing: boolean | null;
  lines: ParsedOrderLine[];
  /** Row of the order's first line. */
  row: number;
}

const REQUIRED = {
  name: "Name",
  email: "Email",
  createdAt: "Created at",
  lineName: "Lineitem name",
  lineQuantity: "Lineitem quantity",
} as const;

const OPTIONAL = {
  id: "Id",
  cancelledAt: "Cancelled at",
  financialStatus: "Financial Status",
  fulfillmentStatus: "Fulfillment Status",
  currency: "Currency",
  subtotal: "Subtotal",
  shipping: "Shipping",
  taxes: "Taxes",
  total: "Total",
  discountCode: "Discount Code",
  discountAmount: "Discount Amount",
  refundedAmount: "Refunded Amount",
  acceptsMarketing: "Accepts Marketing",
  linePrice: "Lineitem price",
  lineCompareAt: "Lineitem compare at price",
  lineSku: "Lineitem sku",
  lineRequiresShipping: "Lineitem requires shipping",
  lineDiscount: "Lineitem discount",
  vendor: "Vendor",
};

/**
 * Order-level columns. Shopify fills them on the first row of each order and (depending on the
 * export version) either leaves them empty or repeats them on later rows; a later non-empty value
 * that differs from the first is a corrupted or hand-merged file, reported as a conflict.
 */
const ORDER_LEVEL_COLUMNS = [
  "email",
  "createdAt",
  "id",
  "cancelledAt",
  "financialStatus",
  "currency",
  "subtotal",
  "shipping",
  "taxes",
  "total",
  "discountCode",
  "discountAmount",
  "refundedAmount",
] as const;

/**
 * Parses Shopify admin's "Export orders" CSV (one row per line item; rows of an order share
 * `Name`). Columns are found by header name, case- and space-insensitively, in any order.
 * Throws `CsvInputError` (with the row number) on a missing required column, an unparsable date or
 * number, an empty file, or conflicting order-level values. Orders keep first-appearance order.
 */
export function parseOrdersCsv(text: string | Iterable<string>): ParsedOrder[] {
  if (typeof text === "string" && text.trim() === "") throw new CsvInputError("the orders file is empty");
  const orders = new Map<string, ParsedOrder>();
  /** The order-level values of each order's first row, joined (a fresh string: no slice of the input). */
  const firstValues = new Map<string, string>();
  let columns: Record<string, number> = {};
  let dataRows = 0;
  const intern = stringInterner();

  const row = new RowAccessor();
  const visitor = {
    header(headers: string[]) {
      columns = locateColumns(headers, REQUIRED, OPTIONAL);
      row.columns = columns;
      return keepMask(headers.length, columns);
    },
    record(fields: string[], rowNumber: number) {
      dataRows++;
      row.fields = fields;
      const name = flatCopy(row.get("name").trim());
      if (name === "") throw new CsvInputError(`"Name" is empty`, rowNumber);
      let order = orders.get(name);
      if (order === undefined) {
        order = parseOrderFields(name, row, rowNumber, intern);
        orders.set(name, order);
        firstValues.set(name, joinOrderLevel(row));
      } else {
        checkNoConflict(firstValues.get(name)!, order.row, row, rowNumber);
      }
      const line = parseLine(row, rowNumber, intern);
      if (line !== null) order.lines.push(line);
    },
  };
  if (typeof text === "string") readCsv(text, visitor);
  else readChunksOfFile(text, visitor);
  if (dataRows === 0) throw new CsvInputError("the orders file has a header but no rows", 1);
  return [...orders.values()];
}

/**
 * Field access by logical column name for the current record. One reusable object rather than a
 * closure per record: a 400k-row export would otherwise allocate (and, under tsx, name) 400k functions.
 */
class RowAccessor {
  columns: Record<string, number> = {};
  fields: string[] = [];

  get(key: string): string {
    const index = this.columns[key];
    return index >= 0 ? (this.fields[index] ?? "") : "";
  }
}

/** `readCsvChunks`, saying "the orders file is empty" for a file of nothing but whitespace, as for a string. */
function readChunksOfFile(chunks: Iterable<string>, visitor: Parameters<typeof readCsv>[1]): void {
  let content = false;
  const watched = (function* () {
    for (const chunk of chunks) {
      if (!content && chunk.trim() !== "") content = true;
      yield chunk;
    }
  })();
  try {
    readCsvChunks(watched, visitor);
  } catch (error) {
    if (!content) throw new CsvInputError("the orders file is empty");
    throw error;
  }
}

const SEPARATOR = "\u0001";

function joinOrderLevel(r: RowAccessor): string {
  return ORDER_LEVEL_COLUMNS.map((key) => r.get(key)).join(SEPARATOR);
}

function parseOrderFields(name: string, r: RowAccessor, row: number, intern: (s: string) => string): ParsedOrder {
  const get = r.get.bind(r);
  const text = (key: string) => {
    const value = optionalText(get(key));
    return value === null ? null : intern(value);
  };
  const createdAt = parseShopifyDate(get("createdAt"), row, "Created at");
  if (createdAt === null) throw new CsvInputError(`"Created at" is empty`, row);
  return {
    name,
    id: optionalFlat(get("id")),
    email: text("email"),
    createdAt,
    cancelledAt: parseShopifyDate(get("cancelledAt"), row, "Cancelled at"),
    financialStatus: text("financialStatus")?.toLowerCase() ?? null,
    fulfillmentStatus: text("fulfillmentStatus")?.toLowerCase() ?? null,
    currency: text("currency"),
    subtotalMinor: parseMoneyMinor(get("subtotal"), row, "Subtotal"),
    shippingMinor: parseMoneyMinor(get("shipping"), row, "Shipping"),
    taxesMinor: parseMoneyMinor(get("taxes"), row, "Taxes"),
    totalMinor: parseMoneyMinor(get("total"), row, "Total"),
    discountCode: text("discountCode"),
    discountAmountMinor: parseMoneyMinor(get("discountAmount"), row, "Discount Amount"),
    refundedAmountMinor: parseMoneyMinor(get("refundedAmount"), row, "Refunded Amount"),
    acceptsMarketing: parseBoolean(get("acceptsMarketing")),
    lines: [],
    row,
  };
}

function optionalFlat(raw: string): string | null {
  const value = optionalText(raw);
  return value === null ? null : flatCopy(value);
}

const ALL_EMPTY = ORDER_LEVEL_COLUMNS.map(() => "").join(SEPARATOR);

function checkNoConflict(firstJoined: string, firstRow: number, r: RowAccessor, row: number): void {
  const joined = joinOrderLevel(r);
  // The common cases, decided without splitting: later rows left empty (older exports) or repeated verbatim.
  if (joined === ALL_EMPTY || joined === firstJoined) return;
  const first = firstJoined.split(SEPARATOR);
  ORDER_LEVEL_COLUMNS.forEach((key, i) => {
    const raw = r.get(key);
    if (raw === first[i] || raw === "") return; // repeated verbatim (newer exports) or left empty
    const value = raw.trim();
    const firstValue = first[i].trim();
    if (value !== "" && firstValue !== "" && value !== firstValue) {
      // Neither the order name nor the values: in a mangled file either can be a whole row of PII.
      const column = OPTIONAL[key as keyof typeof OPTIONAL] ?? REQUIRED[key as keyof typeof REQUIRED];
      throw new CsvInputError(`"${column}" differs from the order's first row (row ${firstRow})`, row);
    }
  });
}

/** A line item from one row; null when the row carries no line (e.g. an order-only row). */
function parseLine(r: RowAccessor, row: number, intern: (s: string) => string): ParsedOrderLine | null {
  const name = r.get("lineName").trim();
  const quantity = parseQuantity(r.get("lineQuantity"), row, "Lineitem quantity");
  if (name === "" && quantity === null) return null;
  if (name === "") throw new CsvInputError(`"Lineitem name" is empty`, row);
  if (quantity === null) throw new CsvInputError(`"Lineitem quantity" is empty`, row);
  const sku = optionalText(r.get("lineSku"));
  const vendor = optionalText(r.get("vendor"));
  return {
    name: intern(name),
    sku: sku === null ? null : intern(sku),
    quantity,
    priceMinor: parseMoneyMinor(r.get("linePrice"), row, "Lineitem price") ?? 0,
    compareAtPriceMinor: parseMoneyMinor(r.get("lineCompareAt"), row, "Lineitem compare at price"),
    vendor: vendor === null ? null : intern(vendor),
    requiresShipping: parseBoolean(r.get("lineRequiresShipping")),
    discountMinor: parseMoneyMinor(r.get("lineDiscount"), row, "Lineitem discount"),
    row,
  };
}
