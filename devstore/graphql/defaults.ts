/**
 * Values for schema fields the stand-in does not model. The executor must answer every
 * schema-valid query, so an unmodelled field resolves to null when nullable and otherwise to the
 * emptiest value of its type (empty list, empty connection, "", 0, false, the first enum value).
 */
import {
  getNamedType,
  isAbstractType,
  isEnumType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  type GraphQLOutputType,
  type GraphQLSchema,
} from "graphql";

export function emptyConnection(): unknown {
  return {
    edges: [],
    nodes: [],
    pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null },
  };
}

/** True when `type` (unwrapped) is a Relay connection object. */
export function isConnectionType(type: GraphQLOutputType): boolean {
  const named = getNamedType(type);
  return isObjectType(named) && named.name.endsWith("Connection") && "pageInfo" in named.getFields();
}

const SCALAR_DEFAULTS: Record<string, unknown> = {
  Int: 0,
  Float: 0,
  Boolean: false,
  DateTime: "1970-01-01T00:00:00Z",
  Date: "1970-01-01",
  Money: "0.0",
  Decimal: "0.0",
  UnsignedInt64: "0",
  BigInt: "0",
  JSON: {},
};

export function defaultValueFor(type: GraphQLOutputType, schema: GraphQLSchema): unknown {
  if (!isNonNullType(type)) return null;
  const inner = type.ofType;
  if (isListType(inner)) return [];
  if (isConnectionType(inner)) return emptyConnection();
  if (isScalarType(inner)) return inner.name in SCALAR_DEFAULTS ? SCALAR_DEFAULTS[inner.name] : "";
  if (isEnumType(inner)) return inner.getValues()[0]?.value ?? null;
  if (isAbstractType(inner)) {
    const first = schema.getPossibleTypes(inner)[0];
    return { __typename: first?.name };
  }
  return {};
}
