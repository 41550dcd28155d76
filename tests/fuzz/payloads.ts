import fc from "fast-check";

/** Valid payloads (tests/helpers/webhook-payloads.ts), mutated here by {@link jsonMutation}. */
export { orderPayload, productPayload, customerPayload, refundPayload } from "../helpers/webhook-payloads";

/** JSON values a broken or hostile sender could put in any field. */
export const nastyJson: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(
    null,
    "",
    " ",
    "abc",
    "12.3.4",
    "1e400",
    "-1",
    "NaN",
    "Infinity",
    "0x10",
    "2026-13-45T99:00:00Z",
    "not a date",
    "\u0000",
    "a\u0000b",
    "\ud800",
    -1,
    0,
    1.5,
    -0.01,
    2 ** 31,
    -(2 ** 31) - 1,
    2 ** 53,
    1e308,
    Number.MAX_SAFE_INTEGER,
    true,
    false,
    [],
    {},
    [null],
    [{}],
    { shop_money: {} },
    "x".repeat(10_000),
    "gid://shopify/Order/",
    "gid://other/Thing/1",
    "../../etc/passwd",
  ),
  fc.jsonValue({ maxDepth: 2 }),
  fc.string({ unit: "binary", maxLength: 20 }),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);

type Json = unknown;

/** Paths to every node of a JSON value (objects and arrays), root excluded. */
function paths(value: Json, prefix: (string | number)[] = [], out: (string | number)[][] = []) {
  const entries: [string | number, Json][] = Array.isArray(value)
    ? value.map((v, i) => [i, v])
    : value && typeof value === "object"
      ? Object.entries(value)
      : [];
  for (const [key, child] of entries) {
    out.push([...prefix, key]);
    paths(child, [...prefix, key], out);
  }
  return out;
}

function setAt(value: Json, path: (string | number)[], replace: (old: Json) => Json | typeof DELETE): Json {
  if (path.length === 0) return replace(value) as Json;
  const [head, ...rest] = path;
  if (Array.isArray(value)) {
    const copy = [...value];
    const next = setAt(copy[head as number], rest, replace);
    if (next === DELETE) copy.splice(head as number, 1);
    else copy[head as number] = next;
    return copy;
  }
  if (value && typeof value === "object") {
    const copy: Record<string, Json> = { ...(value as Record<string, Json>) };
    const next = setAt(copy[head as string], rest, replace);
    if (next === DELETE) delete copy[head as string];
    else copy[head as string] = next;
    return copy;
  }
  return value;
}
const DELETE = Symbol("delete");

/** Replace, delete, or duplicate-into-array a random node of a payload. */
export const jsonMutation: fc.Arbitrary<(value: Json) => Json> = fc
  .tuple(fc.nat(), fc.constantFrom("replace", "replace", "replace", "delete", "wrap"), nastyJson)
  .map(([n, op, replacement]) => (value: Json) => {
    const all = paths(value);
    if (all.length === 0) return value;
    const path = all[n % all.length];
    return setAt(value, path, (old) => (op === "delete" ? DELETE : op === "wrap" ? [old, old] : replacement));
  });
