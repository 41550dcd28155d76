/**
 * Scalar conversions shared by the GraphQL (bulk JSONL, reconcile) and REST (webhook) mappers.
 * A field left `undefined` in a record means "this source does not carry it — keep what is
 * stored"; `null` means "Shopify says there is none".
 */

/**
 * Shopify decimal string ("19.99", "5", "0.125", "-3.5") → integer minor units (×100), exactly:
 * string arithmetic, no float. Extra fraction digits (unit costs can carry more than two) round
 * half away from zero.
 */
export function toMinor(amount: string | number | null | undefined): number {
  if (amount === null || amount === undefined || amount === "") return 0;
  const text = typeof amount === "number" ? numberToPlain(amount) : amount.trim();
  const m = /^([+-])?(\d*)(?:\.(\d*))?$/.exec(text);
  if (!m || (m[2] === "" && (m[3] ?? "") === "")) throw new Error(`Not a decimal amount: ${JSON.stringify(amount)}`);
  const [, sign, whole, fraction = ""] = m;
  const padded = (fraction + "000").slice(0, 3);
  let minor = Number(whole || "0") * 100 + Number(padded.slice(0, 2));
  if (Number(padded[2]) >= 5) minor += 1;
  if (!Number.isSafeInteger(minor)) throw new Error(`Amount out of range: ${JSON.stringify(amount)}`);
  return sign === "-" && minor !== 0 ? -minor : minor;
}

/** Nullable variant of {@link toMinor}. */
export function toMinorOrNull(amount: string | number | null | undefined): number | null {
  return amount === null || amount === undefined || amount === "" ? null : toMinor(amount);
}

function numberToPlain(n: number): string {
  // REST payloads occasionally send numbers; toFixed(6) keeps them decimal (no exponent) for sane money values.
  return Number.isInteger(n) ? String(n) : n.toFixed(6);
}

/** Any Shopify timestamp (`Z` or `-05:00` offsets, as REST webhooks send) → ISO-8601 UTC. */
export function toIso(value: string | null | undefined): string | null {
  if (!value) return null;
  const t = Date.parse(value);
  if (Number.isNaN(t)) throw new Error(`Not a timestamp: ${JSON.stringify(value)}`);
  return new Date(t).toISOString();
}

export function requiredIso(value: string | null | undefined, field: string): string {
  const iso = toIso(value);
  if (!iso) throw new Error(`Missing timestamp ${field}`);
  return iso;
}

/** REST webhooks send tags as one comma-separated string; GraphQL as a list. */
export function toTags(tags: string | string[] | null | undefined): string[] {
  if (!tags) return [];
  const list = Array.isArray(tags) ? tags : tags.split(",");
  return list.map((t) => t.trim()).filter((t) => t.length > 0);
}

/**
 * REST id → GID; `admin_graphql_api_id` wins when present. Ids arrive as exact digit strings
 * (webhook bodies are parsed losslessly: 64-bit ids exceed 2^53) or as safe integers; either is
 * only ever concatenated into the GID, never used as a number.
 */
export function restGid(type: string, id: number | string | null | undefined, gid?: string | null): string | null {
  if (gid) return gid;
  if (id === null || id === undefined || id === "") return null;
  if (typeof id === "number" && !Number.isSafeInteger(id))
    throw new Error(`${type} id lost digits (parse webhook bodies with parseJsonLossless)`);
  return `gid://shopify/${type}/${id}`;
}

/** GID type segment of a JSONL line's `id` ("gid://shopify/ProductVariant/1" → "ProductVariant"). */
export function gidType(gid: unknown): string | null {
  if (typeof gid !== "string") return null;
  const m = /^gid:\/\/shopify\/([A-Za-z]+)\//.exec(gid);
  return m ? m[1] : null;
}

type Money = { shopMoney?: { amount?: string | null } | null } | null | undefined;

/** A GraphQL `MoneyBag`'s shop-currency amount. */
export const amountOf = (bag: Money) => bag?.shopMoney?.amount ?? null;

/* eslint-disable @typescript-eslint/no-explicit-any -- Shopify payloads are validated by shape before mapping. */
export type Json = any;

/** REST money: the `*_set.shop_money` amount when present, else the plain field. */
export function restMoney(value: Json, set?: Json): string | null {
  return set?.shop_money?.amount ?? (value === undefined ? null : value);
}
