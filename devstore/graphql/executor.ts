/**
 * Executes Admin GraphQL requests for one shop over the real schema: parse → validate →
 * cost check → throttle → execute with schema-driven resolvers → refund unused cost.
 * Responses follow Shopify: invalid documents answer `errors` without `data`, and every answer
 * that got as far as costing carries `extensions.cost`.
 */
import {
  GraphQLError,
  execute,
  getNamedType,
  getOperationAST,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type GraphQLFieldResolver,
  type GraphQLTypeResolver,
} from "graphql";
import { adminSchema } from "../schema.js";
import type { GraphqlContext } from "../runtime.js";
import { defaultValueFor, isConnectionType } from "./defaults.js";
import {
  executionError,
  maxCostError,
  syntaxError,
  throttledError,
  validationError,
  variableError,
  type ShopifyError,
} from "./errors.js";
import { MAX_SINGLE_QUERY_COST, queryCost, type CostExtension, type ThrottleBucket } from "./cost.js";
import { paginate } from "./connection.js";
import { typeNameOf } from "./lookup.js";
import { RESOLVERS } from "./resolvers/index.js";
import { accessDeniedError, fieldDenied } from "../access.js";

export interface GraphqlRequest {
  query: string;
  variables?: Record<string, unknown> | null;
  operationName?: string | null;
}

export interface GraphqlResponse {
  data?: Record<string, unknown> | null;
  errors?: ShopifyError[];
  extensions?: { cost: CostExtension };
}

interface Prepared {
  doc: DocumentNode | null;
  errors: ShopifyError[];
}

const PREPARED_CACHE_LIMIT = 500;
const prepared = new Map<string, Prepared>();

/** Parses and validates once per distinct document text (apps send the same few documents). */
export function prepareDocument(query: string): Prepared {
  const hit = prepared.get(query);
  if (hit) return hit;
  let result: Prepared;
  try {
    const doc = parse(query);
    const errors = validate(adminSchema(), doc, specifiedRules).map((e) => validationError(doc, e));
    result = { doc: errors.length ? null : doc, errors };
  } catch (error) {
    result = { doc: null, errors: [syntaxError(error as GraphQLError)] };
  }
  if (prepared.size >= PREPARED_CACHE_LIMIT) prepared.delete(prepared.keys().next().value as string);
  prepared.set(query, result);
  return result;
}

/**
 * Resolves a field from, in order: an explicit resolver for (parent type, field); a same-named
 * property on the record (arrays under connection types are paginated); otherwise the emptiest
 * schema-valid value, so unmodelled fields never crash a valid query.
 */
export const fieldResolver: GraphQLFieldResolver<unknown, GraphqlContext> = (source, args, ctx, info) => {
  // Redacted protected customer field: null plus an ACCESS_DENIED error at its path (devstore/access.ts).
  if (fieldDenied(ctx.runtime.access, info.parentType.name, info.fieldName))
    throw accessDeniedError(ctx.runtime.apiKey);
  const explicit = RESOLVERS[info.parentType.name]?.[info.fieldName];
  if (explicit) return explicit(source, args, ctx, info);
  if (info.parentType.name === "Mutation") {
    throw new GraphQLError(`The Growthpilot dev store does not implement the mutation '${info.fieldName}'.`, {
      extensions: { code: "NOT_IMPLEMENTED" },
    });
  }
  if (source && typeof source === "object" && info.fieldName in source) {
    const value = (source as Record<string, unknown>)[info.fieldName];
    if (Array.isArray(value) && isConnectionType(info.returnType)) {
      return paginate(value as { id: string }[], args, (v) => v.id, undefined, Boolean(ctx.bulk));
    }
    if (value !== undefined) return value;
  }
  if (info.fieldName === "legacyResourceId" && source && typeof source === "object" && "id" in source) {
    return String((source as { id: string }).id)
      .split("/")
      .pop();
  }
  return defaultValueFor(info.returnType, info.schema);
};

/** Picks the concrete type of an interface/union value from `__typename` or its GID. */
export const typeResolver: GraphQLTypeResolver<unknown, GraphqlContext> = (value, _ctx, info, abstractType) => {
  const name = typeNameOf(value);
  if (name && info.schema.getType(name)) return name;
  return info.schema.getPossibleTypes(abstractType)[0]?.name;
};

/** Runs a prepared operation with the stand-in's resolvers (no cost accounting). */
export async function executePrepared(
  doc: DocumentNode,
  ctx: GraphqlContext,
  variables: Record<string, unknown> | null | undefined,
  operationName?: string | null,
) {
  return execute({
    schema: adminSchema(),
    document: doc,
    contextValue: ctx,
    variableValues: variables ?? {},
    operationName: operationName ?? undefined,
    fieldResolver,
    typeResolver,
  });
}

export interface ExecuteOptions {
  ctx: GraphqlContext;
  bucket: ThrottleBucket;
  /** Forced THROTTLED (fault knob). */
  forceThrottle?: boolean;
}

/** Full Shopify request pipeline for one GraphQL POST body. */
export async function executeAdminGraphql(request: GraphqlRequest, opts: ExecuteOptions): Promise<GraphqlResponse> {
  if (typeof request.query !== "string" || !request.query.trim()) {
    return { errors: [{ message: "No query string was present", extensions: { code: "parseError" } }] };
  }
  const { doc, errors } = prepareDocument(request.query);
  if (!doc) return { errors };
  const op = getOperationAST(doc, request.operationName ?? undefined);
  if (!op) {
    const message = request.operationName
      ? `No operation named "${request.operationName}"`
      : "An operation name is required when sending multiple operations.";
    return { errors: [{ message, extensions: { code: "OPERATION_NOT_FOUND" } }] };
  }
  const variables = request.variables ?? {};
  const requested = queryCost(adminSchema(), doc, op, variables);
  const cost = (actual: number | null): CostExtension => ({
    requestedQueryCost: requested,
    actualQueryCost: actual,
    throttleStatus: opts.bucket.status(),
  });
  if (requested > MAX_SINGLE_QUERY_COST) {
    return { errors: [maxCostError(requested, MAX_SINGLE_QUERY_COST)], extensions: { cost: cost(null) } };
  }
  if (opts.forceThrottle || !opts.bucket.tryTake(requested)) {
    return { errors: [throttledError()], extensions: { cost: cost(null) } };
  }
  const result = await executePrepared(doc, opts.ctx, variables, request.operationName);
  if (!("data" in result) && result.errors?.length) {
    // Variable coercion failed before execution: nothing ran, so the whole cost is refunded.
    opts.bucket.refund(requested);
    return { errors: result.errors.map(variableError), extensions: { cost: cost(0) } };
  }
  const data = (result.data ?? null) as Record<string, unknown> | null;
  const actual = op.operation === "mutation" ? requested : queryCost(adminSchema(), doc, op, variables, data);
  opts.bucket.refund(requested - actual);
  const response: GraphqlResponse = { data };
  if (result.errors?.length) response.errors = result.errors.map(executionError);
  response.extensions = { cost: cost(actual) };
  return response;
}

/** Named type of a root field, used by the bulk validator. */
export function rootFieldType(field: string) {
  const def = adminSchema().getQueryType()?.getFields()[field];
  return def ? getNamedType(def.type) : undefined;
}
