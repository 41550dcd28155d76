import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { JsonSyntaxError, parseJsonLossless } from "~/shopify/lossless-json.server";

describe("parseJsonLossless", () => {
  it("keeps integers above 2^53 as their exact digits (JSON.parse rounds them)", () => {
    const text = '{"product_id":788032119674292922,"qty":2,"price":-1.5e2,"neg":-9007199254740993}';
    expect((JSON.parse(text) as { product_id: number }).product_id).not.toBe(788032119674292922n.toString());
    expect(parseJsonLossless(text)).toEqual({
      product_id: "788032119674292922",
      qty: 2,
      price: -150,
      neg: "-9007199254740993",
    });
  });

  it("returns what JSON.parse returns for any JSON without unsafe integers", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        const text = JSON.stringify(v);
        fc.pre(!/\d{16,}/.test(text));
        expect(parseJsonLossless(text)).toEqual(JSON.parse(text));
      }),
      { numRuns: 300, seed: 7 },
    );
  });

  it("decodes escapes and keeps __proto__ as data", () => {
    const parsed = parseJsonLossless('{"a":"x\\n\\u00e9\\"","__proto__":{"p":1}}') as Record<string, unknown>;
    expect(parsed.a).toBe('x\né"');
    expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype);
    expect(Object.keys(parsed)).toEqual(["a", "__proto__"]);
  });

  it("refuses malformed JSON and nesting beyond the cap with a JsonSyntaxError", () => {
    for (const bad of ["", "{", '{"a":}', "[1,]", "01", "tru", '"\u0001"', "{} x", '{"a" 1}']) {
      expect(() => parseJsonLossless(bad), bad).toThrow(JsonSyntaxError);
    }
    const deep = "[".repeat(2000) + "]".repeat(2000);
    expect(() => parseJsonLossless(deep)).toThrow(JsonSyntaxError);
    expect(parseJsonLossless("[".repeat(64) + "]".repeat(64))).toBeDefined();
  });
});
