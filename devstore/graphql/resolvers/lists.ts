/**
 * The top-level list fields (`products`, `orders`, …): which records they range over, how
 * `query:` filters them and how each `sortKey` orders them. Shared by the normal connection
 * resolvers and the bulk-operation runner, which walks the same list without page limits.
 */
import type { DsOrder, DsShop } from "../../model.js";
import type { DevStoreRuntime } from "../../runtime.js";
import { orderVisible } from "../../access.js";
import { gidNumber } from "../../shop.js";
import { paginate, timeValue, type Connection, type ConnectionArgs, type SortValue } from "../connection.js";
import { searchPredicate, type FieldAccessors } from "../search.js";
import { CUSTOMER_FIELDS, DISCOUNT_FIELDS, ORDER_FIELDS, PRODUCT_FIELDS, VARIANT_FIELDS } from "./search-fields.js";

export interface ListArgs extends ConnectionArgs {
  query?: string | null;
  topics?: string[] | null;
}

interface ListSpec<T> {
  /** `runtime` (absent only in unit-level callers) applies the app's access, e.g. the 60-day order window. */
  records(shop: DsShop, args: ListArgs, runtime?: DevStoreRuntime): Iterable<T>;
  fields(shop: DsShop): FieldAccessors<T>;
  freeText(record: T): string;
  sortValue(record: T, sortKey: string): SortValue;
}

type Timestamped = { id: string; createdAt: string; updatedAt?: string };

/** Sort keys every resource supports; others fall back to ID (the stand-in's "relevance"). */
function commonSort(record: Timestamped, sortKey: string): SortValue {
  if (sortKey === "CREATED_AT") return timeValue(record.createdAt);
  if (sortKey === "UPDATED_AT") return timeValue(record.updatedAt ?? record.createdAt);
  return gidNumber(record.id);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const LISTS: Record<string, ListSpec<any>> = {
  products: {
    records: (shop) => shop.products.values(),
    fields: PRODUCT_FIELDS,
    freeText: (p) => `${p.title} ${p.vendor} ${p.productType} ${p.tags.join(" ")}`,
    sortValue: (p, key) =>
      key === "TITLE"
        ? p.title.toLowerCase()
        : key === "PUBLISHED_AT"
          ? timeValue(p.publishedAt)
          : key === "VENDOR"
            ? p.vendor
            : commonSort(p, key),
  },
  productVariants: {
    records: (shop) => shop.variants.values(),
    fields: () => VARIANT_FIELDS,
    freeText: (v) => `${v.title} ${v.sku ?? ""}`,
    sortValue: (v, key) => (key === "SKU" ? (v.sku ?? "") : key === "TITLE" ? v.title : commonSort(v, key)),
  },
  customers: {
    records: (shop) => shop.customers.values(),
    fields: () => CUSTOMER_FIELDS,
    freeText: (c) => `${c.email ?? ""} ${c.firstName ?? ""} ${c.lastName ?? ""}`,
    sortValue: (c, key) =>
      key === "NAME" ? `${c.firstName ?? ""} ${c.lastName ?? ""}`.toLowerCase() : commonSort(c, key),
  },
  orders: {
    records: (shop, _args, runtime) => (runtime ? visibleOrders(runtime, shop.orders.values()) : shop.orders.values()),
    fields: () => ORDER_FIELDS,
    freeText: (o) => `${o.name} ${o.email ?? ""}`,
    sortValue: (o, key) =>
      key === "PROCESSED_AT"
        ? timeValue(o.processedAt)
        : key === "ORDER_NUMBER"
          ? Number(o.name.replace(/\D/g, "")) || 0
          : key === "TOTAL_PRICE"
            ? Number(o.total)
            : commonSort(o, key),
  },
  codeDiscountNodes: {
    records: (shop) => shop.discounts.values(),
    fields: DISCOUNT_FIELDS,
    freeText: (d) => d.title,
    sortValue: (d, key) =>
      key === "TITLE" ? d.title : key === "STARTS_AT" ? timeValue(d.startsAt) : commonSort(d, key),
  },
  webhookSubscriptions: {
    records: (shop, args) =>
      [...shop.webhooks.values()].filter(
        (w) => !args.topics || args.topics.length === 0 || args.topics.includes(w.topic),
      ),
    fields: () => ({}),
    freeText: (w) => w.callbackUrl,
    sortValue: (w, key) => commonSort(w, key),
  },
};

export const ROOT_LIST_FIELDS = Object.keys(LISTS);

/** Orders the app may see: the last 60 days unless it holds `read_all_orders` (devstore/access.ts). */
export function visibleOrders(runtime: DevStoreRuntime, orders: Iterable<DsOrder>): DsOrder[] {
  const now = runtime.clock();
  return [...orders].filter((o) => orderVisible(runtime.access, now, o));
}

/** Records of a root list, filtered by `query` and ordered by `sortKey`/`reverse`, as a connection. */
export function listConnection(
  shop: DsShop,
  field: string,
  args: ListArgs,
  unbounded: boolean,
  runtime?: DevStoreRuntime,
): Connection<unknown> {
  const spec = LISTS[field];
  const keep = searchPredicate(args.query, spec.fields(shop), spec.freeText);
  const sortKey = args.sortKey ?? "ID";
  const records = [...spec.records(shop, args, runtime)].filter(keep);
  return paginate(
    records,
    args,
    (r: { id: string }) => r.id,
    (r) => spec.sortValue(r, sortKey),
    unbounded,
  );
}

/** All records of a root list in order (bulk operations walk this in pages). */
export function listAll(shop: DsShop, field: string, args: ListArgs, runtime?: DevStoreRuntime): unknown[] {
  return listConnection(shop, field, { ...args, first: null, last: null, after: null, before: null }, true, runtime)
    .nodes;
}

export function isRootListField(field: string): boolean {
  return field in LISTS;
}
