/**
 * Relay cursor connections as Shopify serves them: `first`/`after`/`last`/`before`, `sortKey` +
 * `reverse`, opaque cursors that encode the sort position (Shopify's decode to
 * `{"last_id":…,"last_value":…}`), so a page boundary stays stable while records are inserted —
 * a walk with `after: endCursor` sees every record that existed at the start exactly once.
 */
import { GraphQLError } from "graphql";
import { gidNumber } from "../shop.js";

/** Shopify's maximum page size for `first`/`last`. */
export const MAX_PAGE_SIZE = 250;

export type SortValue = string | number;

export interface ConnectionArgs {
  first?: number | null;
  last?: number | null;
  after?: string | null;
  before?: string | null;
  reverse?: boolean | null;
  sortKey?: string | null;
}

export interface Edge<T> {
  cursor: string;
  node: T;
}

export interface Connection<T> {
  edges: Edge<T>[];
  nodes: T[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
}

interface Positioned<T> {
  value: SortValue;
  id: number;
  item: T;
}

/** Encodes a sort position the way Shopify's cursors decode: base64 JSON. */
export function encodeCursor(id: number, value: SortValue): string {
  return Buffer.from(JSON.stringify({ last_id: id, last_value: value })).toString("base64");
}

function decodeCursor(cursor: string): { id: number; value: SortValue } {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, "base64").toString("utf8")) as {
      last_id: unknown;
      last_value: unknown;
    };
    if (
      typeof parsed.last_id === "number" &&
      (typeof parsed.last_value === "number" || typeof parsed.last_value === "string")
    ) {
      return { id: parsed.last_id, value: parsed.last_value };
    }
  } catch {
    // fall through
  }
  throw new GraphQLError(`Invalid cursor for current pagination sort.`, { extensions: { code: "BAD_REQUEST" } });
}

function comparePositions(a: { value: SortValue; id: number }, b: { value: SortValue; id: number }): number {
  if (a.value < b.value) return -1;
  if (a.value > b.value) return 1;
  return a.id - b.id;
}

/** Checks the page-size arguments like Shopify: one of first/last is required, at most 250. */
export function assertPageSize(args: ConnectionArgs, unbounded: boolean): void {
  if (unbounded) return;
  if (args.first == null && args.last == null) {
    throw new GraphQLError("you must provide one of first or last", { extensions: { code: "BAD_REQUEST" } });
  }
  for (const name of ["first", "last"] as const) {
    const size = args[name];
    if (size != null && (size < 0 || size > MAX_PAGE_SIZE)) {
      throw new GraphQLError(`The ${name} argument must be between 0 and ${MAX_PAGE_SIZE}; received ${size}.`, {
        extensions: { code: "BAD_REQUEST", argumentName: name, maxPageSize: MAX_PAGE_SIZE },
      });
    }
  }
}

/** First index whose position is strictly greater than `pos` (binary search). */
function upperBound<T>(sorted: Positioned<T>[], pos: { value: SortValue; id: number }, ascending: boolean): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const cmp = comparePositions(sorted[mid], pos) * (ascending ? 1 : -1);
    if (cmp <= 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index whose position is greater than or equal to `pos`. */
function lowerBound<T>(sorted: Positioned<T>[], pos: { value: SortValue; id: number }, ascending: boolean): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const cmp = comparePositions(sorted[mid], pos) * (ascending ? 1 : -1);
    if (cmp < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Sorts `items` by `sortValue` (ties by numeric id), applies reverse/after/before/first/last and
 * returns a connection. `unbounded` lifts the page-size requirement (bulk operations).
 */
export function paginate<T>(
  items: Iterable<T>,
  args: ConnectionArgs,
  idOf: (item: T) => string,
  sortValue: (item: T) => SortValue = (item) => gidNumber(idOf(item)),
  unbounded = false,
): Connection<T> {
  assertPageSize(args, unbounded);
  const ascending = !args.reverse;
  const sorted: Positioned<T>[] = [];
  for (const item of items) sorted.push({ value: sortValue(item), id: gidNumber(idOf(item)), item });
  sorted.sort((a, b) => comparePositions(a, b) * (ascending ? 1 : -1));

  let start = args.after ? upperBound(sorted, decodeCursor(args.after), ascending) : 0;
  let end = args.before ? lowerBound(sorted, decodeCursor(args.before), ascending) : sorted.length;
  if (end < start) end = start;
  // Bulk operations ignore page sizes: every record of every connection is exported.
  if (args.first != null && !unbounded) end = Math.min(end, start + args.first);
  if (args.last != null && !unbounded) start = Math.max(start, end - args.last);

  const window = sorted.slice(start, end);
  const edges = window.map((p) => ({ cursor: encodeCursor(p.id, p.value), node: p.item }));
  return {
    edges,
    nodes: window.map((p) => p.item),
    pageInfo: {
      hasPreviousPage: start > 0,
      hasNextPage: end < sorted.length,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
    },
  };
}

/** Sort value of an ISO timestamp (epoch ms), so mixed offsets still order correctly. */
export function timeValue(iso: string | null | undefined): number {
  if (!iso) return 0;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? 0 : t;
}
