import { CsvInputError } from "./errors";

/**
 * Field-level parsers for Shopify exports. Money is parsed from the decimal string into integer
 * minor units (cents) without ever going through a float, so "0.1" + "0.2" stays 30 exactly.
 */

const MONEY = /^(-)?(\d+)(?:\.(\d*))?$/;
const THOUSANDS = /^-?\d{1,3}(,\d{3})+(\.\d*)?$/;

/**
 * "1,234.50" → 123450. Accepts an optional minus, thousands commas and a leading currency symbol
 * (some spreadsheet round-trips add them). More than two decimals round half away from zero.
 * Empty → `null`. Anything else throws with the row and column name.
 */
export function parseMoneyMinor(raw: string, row: number, column: string): number | null {
  const fast = plainMoneyMinor(raw);
  if (fast !== null) return fast;
  const symbolless = raw.trim().replace(/^([-]?)[$€£¥]/, "$1");
  // Commas only as thousands separators ("1,234.50"); "12,50" is a decimal comma, never 1250.
  if (symbolless.includes(",") && !THOUSANDS.test(symbolless)) {
    throw new CsvInputError(`"${column}" is not a number${decimalCommaHint(symbolless)}`, row);
  }
  const text = symbolless.replace(/,/g, "");
  if (text === "") return null;
  const match = MONEY.exec(text);
  if (!match) throw new CsvInputError(`"${column}" is not a number${decimalCommaHint(text)}`, row);
  const [, minus, whole, fraction = ""] = match;
  const cents = (fraction + "00").slice(0, 2);
  let minor = Number(whole) * 100 + Number(cents);
  // Round on the third decimal digit (half away from zero, like Shopify's rounding).
  if (fraction.length > 2 && fraction.charCodeAt(2) >= 53 /* '5' */) minor += 1;
  if (!Number.isSafeInteger(minor)) throw new CsvInputError(`"${column}" is too large`, row);
  return minus ? -minor : minor;
}

/** "12,50" / "1.234,50": a spreadsheet re-saved the export with a decimal comma. */
function decimalCommaHint(text: string): string {
  return /^-?\d{1,3}(\.\d{3})*,\d{1,2}$/.test(text)
    ? " (decimal comma: the file looks re-saved by a spreadsheet; export again from Shopify admin)"
    : "";
}

/**
 * Fast path for the common "123.45" / "12" / "-4.1" shapes: one charCode scan, no regex or
 * allocation (a 400k-row export has ~2M money cells). Returns null for anything else, including
 * "", so the general parser decides.
 */
function plainMoneyMinor(raw: string): number | null {
  const length = raw.length;
  if (length === 0 || length > 15) return null;
  let i = 0;
  const negative = raw.charCodeAt(0) === 45; // '-'
  if (negative) i++;
  let whole = 0;
  let digits = 0;
  for (; i < length; i++) {
    const c = raw.charCodeAt(i) - 48;
    if (c < 0 || c > 9) break;
    whole = whole * 10 + c;
    digits++;
  }
  if (digits === 0) return null;
  let cents = 0;
  if (i < length) {
    if (raw.charCodeAt(i) !== 46 /* '.' */ || length - i - 1 > 2) return null;
    i++;
    let scale = 10;
    for (; i < length; i++) {
      const c = raw.charCodeAt(i) - 48;
      if (c < 0 || c > 9) return null;
      cents += c * scale;
      scale /= 10;
    }
  }
  const minor = whole * 100 + cents;
  return negative ? -minor : minor;
}

/** Whole, non-negative quantity; empty → null. */
export function parseQuantity(raw: string, row: number, column: string): number | null {
  const text = raw.trim();
  if (text === "") return null;
  if (!/^\d+$/.test(text)) throw new CsvInputError(`"${column}" is not a whole number`, row);
  return Number(text);
}

const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?\s*(Z|UTC|[+-]\d{2}:?\d{2})?$/i;

/** "09/09/2025 23:01", "9.9.2025", "09-09-2025": a spreadsheet's local date format, not Shopify's. */
const DAY_MONTH_YEAR = /^\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\b/;

/**
 * Shopify export timestamps: "2024-03-05 14:22:01 -0500". Also ISO-8601 ("2024-03-05T19:22:01Z"),
 * "… UTC" and a bare date. No offset means UTC. Empty → null. Calendar-invalid dates throw.
 */
export function parseShopifyDate(raw: string, row: number, column: string): Date | null {
  const text = raw.trim();
  if (text === "") return null;
  const m = DATE_TIME.exec(text);
  if (!m) {
    if (DAY_MONTH_YEAR.test(text)) {
      throw new CsvInputError(
        `"${column}" has dd/mm/yyyy dates (the file looks re-saved by a spreadsheet): export again from Shopify admin`,
        row,
      );
    }
    throw new CsvInputError(`"${column}" is not a date like 2024-03-05 14:22:01 -0500`, row);
  }
  const [, y, mo, d, h = "0", mi = "0", s = "0", zone] = m;
  const utc = Date.UTC(+y, +mo - 1, +d, +h, +mi, +s);
  const check = new Date(utc);
  if (check.getUTCMonth() !== +mo - 1 || check.getUTCDate() !== +d || +h > 23 || +mi > 59 || +s > 59) {
    throw new CsvInputError(`"${column}" is not a valid calendar date`, row);
  }
  return new Date(utc - zoneOffsetMs(zone));
}

/** "-0500" → −5 h in ms; "Z"/"UTC"/missing → 0. */
function zoneOffsetMs(zone: string | undefined): number {
  if (!zone || /^(z|utc)$/i.test(zone)) return 0;
  const digits = zone.replace(":", "");
  const sign = digits[0] === "-" ? -1 : 1;
  return sign * (Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5))) * 60_000;
}

/** Shopify writes booleans as "true"/"false", "yes"/"no" or "TRUE"; empty → null. */
export function parseBoolean(raw: string): boolean | null {
  const text = raw.trim().toLowerCase();
  if (text === "") return null;
  return text === "true" || text === "yes" || text === "1" || text === "y";
}

/** Trimmed string, empty → null. */
export function optionalText(raw: string | undefined): string | null {
  if (raw === undefined) return null;
  const text = raw.trim();
  return text === "" ? null : text;
}
