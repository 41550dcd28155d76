/**
 * Key-by-key, recursive comparison of two JSON values' shapes: at every object the same key set,
 * at every leaf the same JSON type. `null` on either side matches any type (Shopify's fields are
 * nullable and its samples are full of nulls); arrays compare their first elements when both
 * have one. Returns human-readable differences ("line_items[0].tax_lines: missing").
 */
export function shapeDiff(expected: unknown, actual: unknown, path = "$"): string[] {
  if (expected === null || actual === null) return [];
  const te = jsonType(expected);
  const ta = jsonType(actual);
  if (te !== ta) return [`${path}: ${ta}, Shopify sends ${te}`];
  if (te === "array") {
    const [e] = expected as unknown[];
    const [a] = actual as unknown[];
    return e === undefined || a === undefined ? [] : shapeDiff(e, a, `${path}[0]`);
  }
  if (te !== "object") return [];
  const eo = expected as Record<string, unknown>;
  const ao = actual as Record<string, unknown>;
  const out: string[] = [];
  for (const key of Object.keys(eo)) {
    if (!(key in ao)) out.push(`${path}.${key}: missing`);
    else out.push(...shapeDiff(eo[key], ao[key], `${path}.${key}`));
  }
  for (const key of Object.keys(ao)) if (!(key in eo)) out.push(`${path}.${key}: not in Shopify's payload`);
  return out;
}

function jsonType(v: unknown): string {
  if (Array.isArray(v)) return "array";
  return typeof v;
}
