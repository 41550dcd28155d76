import type { ProductInfo } from "../types";

/**
 * Content-based similarity for cold-start products: TF-IDF over title words, product type, vendor,
 * tags and collections, cosine between L2-normalised sparse vectors. Structured fields get a
 * prefix ("vendor:acme") so a vendor named "Tea" never matches the word "tea" in a title, and a
 * higher field weight because merchants curate them.
 */
export interface ContentIndex {
  /** Per item (global id): sparse (token id, weight) vector, L2-normalised; empty when unknown. */
  vectors: { tokens: Int32Array; weights: Float64Array }[];
  /** Token id → items containing it. */
  postings: number[][];
  tokenNames: string[];
  /** Display form of each token (original capitalisation, no prefix). */
  tokenDisplay: string[];
  /** Tokens in more than this many items are not used to generate candidates (they carry little idf). */
  maxPostings: number;
}

const FIELD_WEIGHT = { title: 1, type: 1.5, vendor: 1, tag: 1.5, collection: 1 } as const;
const STOPWORDS = new Set(["the", "and", "for", "with", "of", "a", "an", "in", "on", "to", "by", "x"]);

/** Builds the index over `items` (global id order) using whatever catalogue facts are known. */
export function buildContentIndex(items: string[], products: ProductInfo[]): ContentIndex {
  const bySku = new Map(products.map((p) => [p.sku, p]));
  const tokenIds = new Map<string, number>();
  const tokenNames: string[] = [];
  const tokenDisplay: string[] = [];
  const raw = items.map((sku) => {
    const product = bySku.get(sku);
    const tf = new Map<number, number>();
    if (product === undefined) return tf;
    for (const [token, weight, display] of productTokens(product)) {
      let id = tokenIds.get(token);
      if (id === undefined) {
        id = tokenNames.length;
        tokenIds.set(token, id);
        tokenNames.push(token);
        tokenDisplay.push(display);
      }
      tf.set(id, (tf.get(id) ?? 0) + weight);
    }
    return tf;
  });
  const df = new Float64Array(tokenNames.length);
  for (const tf of raw) for (const id of tf.keys()) df[id]++;
  const documents = raw.filter((tf) => tf.size > 0).length;
  const postings: number[][] = tokenNames.map(() => []);
  const vectors = raw.map((tf, item) => {
    const tokens = [...tf.keys()].sort((a, b) => a - b);
    const weights = Float64Array.from(tokens, (id) => tf.get(id)! * Math.log(1 + documents / df[id]));
    const norm = Math.hypot(...weights) || 1;
    for (let k = 0; k < weights.length; k++) weights[k] /= norm;
    for (const id of tokens) postings[id].push(item);
    return { tokens: Int32Array.from(tokens), weights };
  });
  return { vectors, postings, tokenNames, tokenDisplay, maxPostings: Math.max(50, Math.ceil(documents / 5)) };
}

/** Weighted tokens of one product: [key, weight, display text]. */
function productTokens(p: ProductInfo): [string, number, string][] {
  const out: [string, number, string][] = [];
  for (const word of words(p.title)) out.push([word, FIELD_WEIGHT.title, word]);
  if (p.productType) out.push([`type:${p.productType.toLowerCase()}`, FIELD_WEIGHT.type, p.productType]);
  if (p.vendor) out.push([`vendor:${p.vendor.toLowerCase()}`, FIELD_WEIGHT.vendor, p.vendor]);
  for (const tag of p.tags ?? []) out.push([`tag:${tag.toLowerCase()}`, FIELD_WEIGHT.tag, tag]);
  for (const c of p.collections ?? []) out.push([`collection:${c.toLowerCase()}`, FIELD_WEIGHT.collection, c]);
  return out;
}

function words(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length >= 2 && !STOPWORDS.has(w));
}

/** Cosine similarities of `item` to every other item sharing a selective token (sparse map). */
export function contentSimilarities(index: ContentIndex, item: number): Map<number, number> {
  const sims = new Map<number, number>();
  const { tokens, weights } = index.vectors[item];
  tokens.forEach((token, k) => {
    const posting = index.postings[token];
    if (posting.length > index.maxPostings) return;
    for (const other of posting) {
      if (other === item) continue;
      const v = index.vectors[other];
      const pos = lowerBound(v.tokens, token);
      sims.set(other, (sims.get(other) ?? 0) + weights[k] * v.weights[pos]);
    }
  });
  return sims;
}

/** "same vendor (Acme), same type (Tea), shared tags: organic, loose-leaf" — what two products share. */
export function sharedFeatures(index: ContentIndex, a: number, b: number): string {
  const tb = new Set(index.vectors[b].tokens);
  const shared = [...index.vectors[a].tokens].filter((t) => tb.has(t));
  const parts: string[] = [];
  const pick = (prefix: string) =>
    shared.filter((t) => index.tokenNames[t].startsWith(prefix)).map((t) => index.tokenDisplay[t]);
  const vendor = pick("vendor:");
  const type = pick("type:");
  const tags = pick("tag:");
  const collections = pick("collection:");
  const titleWords = shared.filter((t) => !index.tokenNames[t].includes(":")).map((t) => index.tokenDisplay[t]);
  if (vendor.length) parts.push(`same vendor (${vendor[0]})`);
  if (type.length) parts.push(`same type (${type[0]})`);
  if (tags.length) parts.push(`shared tags: ${tags.slice(0, 3).join(", ")}`);
  if (collections.length) parts.push(`same collection (${collections[0]})`);
  if (parts.length === 0 && titleWords.length) parts.push(`similar name (${titleWords.slice(0, 3).join(", ")})`);
  return parts.join(", ");
}

function lowerBound(arr: Int32Array, value: number): number {
  let lo = 0;
  let hi = arr.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (arr[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
