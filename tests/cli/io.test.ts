import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readInputPieces } from "~/cli/io";
import { parseOrdersCsv } from "~/csv";

const dir = mkdtempSync(join(tmpdir(), "gp-io-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("readInputPieces", () => {
  it("decodes UTF-8 characters that straddle a piece boundary", () => {
    const text = "Name,Note\n#1,Crème brûlée 抹茶 🍵 ±\n#2,Ünïcödé\n";
    const path = join(dir, "multibyte.csv");
    writeFileSync(path, text);
    for (const size of [1, 2, 3, 5, 7]) {
      const pieces = [...readInputPieces(path, "orders", size)];
      expect(pieces.length).toBeGreaterThan(1);
      expect(pieces.join("")).toBe(text);
    }
  });

  it("gives parseOrdersCsv the same orders as the whole text", () => {
    const path = join(import.meta.dirname, "../fixtures/shopify_orders_small.csv");
    const whole = parseOrdersCsv(readFileSync(path, "utf8"));
    expect(parseOrdersCsv(readInputPieces(path, "orders", 97))).toEqual(whole);
  });

  it("refuses a missing file before reading anything", () => {
    expect(() => readInputPieces(join(dir, "nope.csv"), "orders")).toThrow(/does not exist/);
  });

  it("says a whitespace-only file is empty, as for a string", () => {
    const path = join(dir, "blank.csv");
    writeFileSync(path, "\n\n  \n");
    expect(() => parseOrdersCsv(readInputPieces(path, "orders", 2))).toThrow(/the orders file is empty/);
  });
});
