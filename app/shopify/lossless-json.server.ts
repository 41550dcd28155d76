/**
 * JSON.parse for Shopify's REST-shaped webhook bodies, without losing digits.
 *
 * REST ids are 64-bit integers written as bare JSON numbers ("product_id": 788032119674292922);
 * `JSON.parse` turns anything above 2^53 into the nearest double (788032119674292900), so an order
 * line would point at a different product and a refund at a different order. This parser keeps
 * every integer literal outside the safe range as its exact decimal string; everything else is
 * what `JSON.parse` would return. Ids below 2^53 stay numbers (exact anyway) — mappers turn every
 * id into a string GID with `restGid`, never into arithmetic.
 * https://shopify.dev/docs/api/admin-rest/usage/ids ("IDs … can exceed 2^53")
 *
 * Depth is capped (a signed body nested 2,000 deep is not something Shopify sends: it is a 400,
 * never a stack overflow / 500). Malformed input throws {@link JsonSyntaxError}.
 */
export class JsonSyntaxError extends SyntaxError {
  constructor(message: string, position: number) {
    super(`${message} at position ${position}`);
    this.name = "JsonSyntaxError";
  }
}

/** Deepest nesting Shopify's published webhook samples reach is 6; 64 leaves room for growth. */
export const MAX_JSON_DEPTH = 64;

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const INTEGER = /^-?(?:0|[1-9]\d*)$/;
const WS = /[ \t\n\r]*/y;
const ESCAPES: Record<string, string> = { '"': '"', "\\": "\\", "/": "/", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t" };

export function parseJsonLossless(text: string, maxDepth = MAX_JSON_DEPTH): unknown {
  let i = 0;
  const fail = (message: string): never => {
    throw new JsonSyntaxError(message, i);
  };
  const skip = () => {
    WS.lastIndex = i;
    WS.exec(text);
    i = WS.lastIndex;
  };

  const string = (): string => {
    i++; // opening quote
    let out = "";
    let start = i;
    for (;;) {
      const c = text.charCodeAt(i);
      if (Number.isNaN(c)) fail("Unterminated string");
      if (c === 0x22) break;
      if (c < 0x20) fail("Control character in string");
      if (c === 0x5c) {
        out += text.slice(start, i);
        const e = text[i + 1];
        if (e === "u") {
          const hex = text.slice(i + 2, i + 6);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail("Bad unicode escape");
          out += String.fromCharCode(parseInt(hex, 16));
          i += 6;
        } else {
          const mapped = ESCAPES[e];
          if (mapped === undefined) fail("Bad escape");
          out += mapped;
          i += 2;
        }
        start = i;
        continue;
      }
      i++;
    }
    out += text.slice(start, i);
    i++; // closing quote
    return out;
  };

  const number = (): number | string => {
    NUMBER.lastIndex = i;
    const m = NUMBER.exec(text);
    if (!m) return fail("Unexpected token");
    i = NUMBER.lastIndex;
    const literal = m[0];
    const value = Number(literal);
    // Large integers keep their exact digits; large non-integers cannot be ids, so they stay numbers.
    if (INTEGER.test(literal) && !Number.isSafeInteger(value)) return literal;
    return value;
  };

  const value = (depth: number): unknown => {
    skip();
    const c = text[i];
    if (c === "{" || c === "[") {
      if (depth >= maxDepth) fail(`Nesting deeper than ${maxDepth}`);
      return c === "{" ? object(depth + 1) : array(depth + 1);
    }
    if (c === '"') return string();
    if (c === "t" && text.startsWith("true", i)) return ((i += 4), true);
    if (c === "f" && text.startsWith("false", i)) return ((i += 5), false);
    if (c === "n" && text.startsWith("null", i)) return ((i += 4), null);
    return number();
  };

  const object = (depth: number): Record<string, unknown> => {
    i++;
    const out: Record<string, unknown> = {};
    skip();
    if (text[i] === "}") return (i++, out);
    for (;;) {
      skip();
      if (text[i] !== '"') fail("Expected a property name");
      const key = string();
      skip();
      if (text[i] !== ":") fail("Expected ':'");
      i++;
      // defineProperty: a "__proto__" key is data, as with JSON.parse, never a prototype change.
      Object.defineProperty(out, key, { value: value(depth), enumerable: true, writable: true, configurable: true });
      skip();
      if (text[i] === ",") {
        i++;
        continue;
      }
      if (text[i] === "}") return (i++, out);
      fail("Expected ',' or '}'");
    }
  };

  const array = (depth: number): unknown[] => {
    i++;
    const out: unknown[] = [];
    skip();
    if (text[i] === "]") return (i++, out);
    for (;;) {
      out.push(value(depth));
      skip();
      if (text[i] === ",") {
        i++;
        continue;
      }
      if (text[i] === "]") return (i++, out);
      fail("Expected ',' or ']'");
    }
  };

  const result = value(0);
  skip();
  if (i !== text.length) fail("Unexpected data after JSON");
  return result;
}
