/**
 * The subset of Shopify's search syntax (`query:` argument on list fields) that a sync and the
 * app use: `field:value`, comparators `field:>v`, `field:>=v`, `field:<v`, `field:<=v`, quoted
 * values, terms joined by whitespace or `AND` (both mean AND), `OR` between terms, a leading `-`
 * or `NOT` to negate, and bare words matched as free text. Unknown fields match nothing, like
 * Shopify ignoring results for a field it cannot search (it would warn in `extensions.search`).
 */

export type Comparator = ":" | ">" | ">=" | "<" | "<=";

export interface SearchTerm {
  field: string | null;
  comparator: Comparator;
  value: string;
  negated: boolean;
}

/** A query in disjunctive normal form: OR of AND-groups. */
export type SearchQuery = SearchTerm[][];

/** Record accessor per searchable field: returns the value(s) a term compares against. */
export type FieldAccessors<T> = Record<string, (record: T) => string | number | boolean | null | string[]>;

const TOKEN = /\s*(-?[A-Za-z_.]+:(?:>=|<=|>|<)?(?:'[^']*'|"[^"]*"|[^\s()]+)|'[^']*'|"[^"]*"|[^\s()]+)/y;

function unquote(value: string): string {
  if ((value.startsWith("'") && value.endsWith("'")) || (value.startsWith('"') && value.endsWith('"'))) {
    return value.slice(1, -1);
  }
  return value;
}

function tokenize(query: string): string[] {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  let match: RegExpExecArray | null;
  while (TOKEN.lastIndex < query.length && (match = TOKEN.exec(query))) tokens.push(match[1]);
  return tokens;
}

function parseTerm(token: string, negated: boolean): SearchTerm {
  let neg = negated;
  let text = token;
  if (text.startsWith("-")) {
    neg = !neg;
    text = text.slice(1);
  }
  const m = /^([A-Za-z_.]+):(>=|<=|>|<)?(.*)$/.exec(text);
  if (!m) return { field: null, comparator: ":", value: unquote(text), negated: neg };
  let field = m[1].toLowerCase();
  // Shopify's `tag_not:x` (and other `*_not` fields) is the negation of `tag:x`.
  if (field.endsWith("_not")) {
    field = field.slice(0, -4);
    neg = !neg;
  }
  return { field, comparator: (m[2] as Comparator) ?? ":", value: unquote(m[3]), negated: neg };
}

/** Parses a Shopify search string into OR-of-AND groups. */
export function parseSearchQuery(query: string | null | undefined): SearchQuery {
  if (!query || !query.trim()) return [];
  const groups: SearchTerm[][] = [[]];
  let negateNext = false;
  for (const token of tokenize(query)) {
    if (token === "AND") continue;
    if (token === "OR") {
      groups.push([]);
      continue;
    }
    if (token === "NOT") {
      negateNext = true;
      continue;
    }
    groups[groups.length - 1].push(parseTerm(token, negateNext));
    negateNext = false;
  }
  return groups.filter((g) => g.length > 0);
}

function compareScalar(actual: string | number | boolean, term: SearchTerm): boolean {
  if (typeof actual === "number") {
    const wanted = Number(term.value);
    return compareOrdered(actual, wanted, term.comparator);
  }
  if (typeof actual === "boolean") return String(actual) === term.value.toLowerCase();
  const asTime = Date.parse(actual);
  const wantedTime = Date.parse(term.value);
  if (term.comparator !== ":" || (/^\d{4}-\d{2}-\d{2}/.test(term.value) && !Number.isNaN(asTime))) {
    if (!Number.isNaN(asTime) && !Number.isNaN(wantedTime)) return compareOrdered(asTime, wantedTime, term.comparator);
    return compareOrdered(actual.toLowerCase(), term.value.toLowerCase(), term.comparator);
  }
  // Shopify matches `field:value` case-insensitively; a trailing * is a prefix match.
  const a = actual.toLowerCase();
  const v = term.value.toLowerCase();
  return v.endsWith("*") ? a.startsWith(v.slice(0, -1)) : a === v;
}

function compareOrdered<V extends number | string>(actual: V, wanted: V, comparator: Comparator): boolean {
  switch (comparator) {
    case ">":
      return actual > wanted;
    case ">=":
      return actual >= wanted;
    case "<":
      return actual < wanted;
    case "<=":
      return actual <= wanted;
    default:
      return actual === wanted;
  }
}

function termMatches<T>(record: T, term: SearchTerm, fields: FieldAccessors<T>, freeText: (r: T) => string): boolean {
  let result: boolean;
  if (term.field === null) {
    result = freeText(record).toLowerCase().includes(term.value.toLowerCase());
  } else {
    const accessor = fields[term.field];
    if (!accessor) return false;
    const actual = accessor(record);
    if (actual === null) result = false;
    else if (Array.isArray(actual)) result = actual.some((v) => compareScalar(v, term));
    else result = compareScalar(actual, term);
  }
  return term.negated ? !result : result;
}

/** Builds a predicate for `query` over records described by `fields`. */
export function searchPredicate<T>(
  query: string | null | undefined,
  fields: FieldAccessors<T>,
  freeText: (record: T) => string,
): (record: T) => boolean {
  const groups = parseSearchQuery(query);
  if (groups.length === 0) return () => true;
  return (record) => groups.some((group) => group.every((term) => termMatches(record, term, fields, freeText)));
}
