import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseProductsCsv } from "~/csv";

const fixture = readFileSync(join(import.meta.dirname, "../fixtures/shopify_products_small.csv"), "utf8");

describe("parseProductsCsv", () => {
  const variants = parseProductsCsv(fixture);

  it("returns one record per variant, skipping image-only rows", () => {
    expect(variants).toHaveLength(10);
    expect(new Set(variants.map((v) => v.sku)).size).toBe(10);
  });

  it("maps Shopify columns onto ProductInfo", () => {
    const tea = variants.find((v) => v.sku === "TEA-GREEN")!;
    expect(tea).toMatchObject({
      handle: "green-tea",
      title: "Green Tea, loose leaf",
      vendor: "Leafy",
      productType: "Tea",
      tags: ["tea", "green", "organic"],
      priceMinor: 1250,
      costMinor: 400,
      inventory: 40,
      continueSelling: false,
      status: "ACTIVE",
      published: true,
      giftCard: false,
    });
    expect(variants.find((v) => v.sku === "TEA-BLACK")!.continueSelling).toBe(true);
    expect(variants.find((v) => v.sku === "GIFT")!.giftCard).toBe(true);
    expect(variants.find((v) => v.sku === "DRAFT-KETTLE")!.status).toBe("DRAFT");
  });

  it("keeps an empty SKU empty; the variant title is the option values; the line-item name is derived", () => {
    const text =
      "Handle,Title,Option1 Name,Option1 Value,Option2 Name,Option2 Value,Variant SKU,Variant Price\n" +
      "shirt,Shirt,Size,S,Colour,Red,,20.00\nshirt,,,M,,Blue,,20.00\nsoap,Soap,Title,Default Title,,,,3.00\n";
    const parsed = parseProductsCsv(text);
    expect(parsed.map((v) => v.sku)).toEqual([null, null, null]);
    expect(parsed.map((v) => v.variantTitle)).toEqual(["S / Red", "M / Blue", "Default Title"]);
    expect(parsed.map((v) => v.options)).toEqual([["S", "Red"], ["M", "Blue"], []]);
    expect(parsed.map((v) => v.lineItemName)).toEqual(["Shirt - S / Red", "Shirt - M / Blue", "Soap"]);
  });

  it("needs a Handle column", () => {
    expect(() => parseProductsCsv("Title,Variant SKU\nSoap,S1\n")).toThrowError(
      'row 1: missing required column "Handle"',
    );
  });
});
