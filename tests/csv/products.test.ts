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

  it("falls back to the order export's line-item name when a variant has no SKU", () => {
    const text =
      "Handle,Title,Option1 Name,Option1 Value,Variant SKU,Variant Price\n" +
      "shirt,Shirt,Size,S,,20.00\nshirt,,,M,,20.00\nsoap,Soap,Title,Default Title,,3.00\n";
    expect(parseProductsCsv(text).map((v) => v.sku)).toEqual(["Shirt - S", "Shirt - M", "Soap"]);
  });

  it("needs a Handle column", () => {
    expect(() => parseProductsCsv("Title,Variant SKU\nSoap,S1\n")).toThrowError('row 1: missing required column "Handle"');
  });
});
