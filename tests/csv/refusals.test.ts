import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CsvInputError, parseOrdersCsv, parseProductsCsv } from "~/csv";

/**
 * Spreadsheet-mangled exports are refused with one line that says what happened and what to do,
 * naming only header columns and row numbers — never a cell (cells hold customers' personal data).
 */
const FIXTURES = join(import.meta.dirname, "../fixtures/exports");
const read = (name: string) => readFileSync(join(FIXTURES, name), "utf8");

function refusal(parse: () => unknown): string {
  try {
    parse();
  } catch (error) {
    expect(error).toBeInstanceOf(CsvInputError);
    const message = (error as Error).message;
    expect(message.split("\n")).toHaveLength(1);
    expect(message).not.toMatch(/@|example\.test|#10\d\d|Linen|Soap/); // no email, order name or product
    return message;
  }
  throw new Error("expected the file to be refused");
}

describe("refusals", () => {
  it("a file whose every row is one quoted field", () => {
    expect(refusal(() => parseOrdersCsv(read("orders-rowquoted.csv")))).toBe(
      "row 1: every row is one quoted field (the file looks re-saved by a spreadsheet): export again from Shopify admin",
    );
  });

  it("only the data rows quoted whole (the header intact) — refused on the first such row", () => {
    const [, ...quotedRows] = read("orders-rowquoted.csv").trimEnd().split("\n");
    const header = read("orders.csv").split("\n")[0];
    expect(refusal(() => parseOrdersCsv([header, ...quotedRows].join("\n")))).toMatch(
      /^row 2: every row is one quoted field/,
    );
  });

  it("';' and tab separators", () => {
    expect(refusal(() => parseOrdersCsv(read("orders-semicolon.csv")))).toBe(
      "row 1: the file looks re-saved by a spreadsheet with ';' separators: export again from Shopify admin",
    );
    const tabbed = read("orders-semicolon.csv").replaceAll(";", "\t");
    expect(refusal(() => parseOrdersCsv(tabbed))).toMatch(/with tab separators: export again from Shopify admin$/);
    expect(refusal(() => parseProductsCsv(read("products.csv").replaceAll(",", ";")))).toMatch(/';' separators/);
    const quotedHeader = read("orders-semicolon.csv").replace(/^[^\n]*/, (h) =>
      h
        .split(";")
        .map((f) => `"${f}"`)
        .join(";"),
    );
    expect(refusal(() => parseOrdersCsv(quotedHeader))).toMatch(
      /^row 1: the file looks re-saved by a spreadsheet with ';' separators/,
    );
  });

  it("dd/mm/yyyy dates name the column and the row", () => {
    expect(refusal(() => parseOrdersCsv(read("orders-ddmm.csv")))).toBe(
      'row 2: "Created at" has dd/mm/yyyy dates (the file looks re-saved by a spreadsheet): export again from Shopify admin',
    );
  });

  it("decimal commas say so", () => {
    const text = read("orders.csv").replace(",33.00,", ',"33,00",');
    expect(refusal(() => parseOrdersCsv(text))).toMatch(/^row 2: "Subtotal" is not a number \(decimal comma/);
  });

  it("quote errors name the column: padding after a closing quote, a quote never closed", () => {
    const padded = read("orders.csv").replace("ann@example.test,paid", '"ann@example.test" ,paid');
    expect(refusal(() => parseOrdersCsv(padded))).toBe(
      'row 2: unexpected character after the closing quote in column "Email": export again from Shopify admin',
    );
    const lines = read("orders.csv").split("\n");
    lines[3] = lines[3].replace("ben@example.test", '"ben@example.test');
    expect(refusal(() => parseOrdersCsv(lines.join("\n")))).toMatch(
      /^row 4: a quoted field in column "Email" is never closed/,
    );
  });

  it("a products export given as the orders file says which columns are missing", () => {
    expect(refusal(() => parseOrdersCsv(read("products.csv")))).toMatch(
      /^row 1: missing required columns "Name", "Email"/,
    );
  });
});
