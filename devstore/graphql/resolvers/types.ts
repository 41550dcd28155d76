import type { GraphQLResolveInfo } from "graphql";
import type { GraphqlContext } from "../../runtime.js";

/** A field resolver over a stand-in record (`source` is the record or view for the parent type). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Resolver = (source: any, args: any, ctx: GraphqlContext, info: GraphQLResolveInfo) => unknown;

/** Resolvers by schema type name, then field name. */
export type ResolverMap = Record<string, Record<string, Resolver>>;

/** Memoises a per-request aggregate in `ctx.memo`. */
export function memo<T>(ctx: GraphqlContext, key: string, build: () => T): T {
  if (!ctx.memo.has(key)) ctx.memo.set(key, build());
  return ctx.memo.get(key) as T;
}
