/**
 * Shopify-shaped GraphQL errors. Shopify runs graphql-ruby, whose validation messages and
 * `extensions.code` values differ from graphql-js; the common ones are translated so an app's
 * error handling sees what it would see in production. Errors carry `message`, `locations`,
 * `path` (operation then field names, graphql-ruby style) and `extensions.code`.
 */
import { GraphQLError, Kind, visit, type ASTNode, type DocumentNode, type OperationDefinitionNode } from "graphql";

export interface ShopifyError {
  message: string;
  locations?: { line: number; column: number }[];
  path?: (string | number)[];
  extensions?: Record<string, unknown>;
}

interface Translation {
  pattern: RegExp;
  build(m: RegExpExecArray): { message: string; extensions: Record<string, unknown> };
}

const TRANSLATIONS: Translation[] = [
  {
    pattern: /^Cannot query field "(\w+)" on type "(\w+)"/,
    build: (m) => ({
      message: `Field '${m[1]}' doesn't exist on type '${m[2]}'`,
      extensions: { code: "undefinedField", typeName: m[2], fieldName: m[1] },
    }),
  },
  {
    pattern: /^Unknown argument "(\w+)" on field "(\w+)\.(\w+)"/,
    build: (m) => ({
      message: `Field '${m[3]}' doesn't accept argument '${m[1]}'`,
      extensions: { code: "argumentNotAccepted", name: m[3], typeName: "Field", argumentName: m[1] },
    }),
  },
  {
    pattern: /^Field "(\w+)" argument "(\w+)" of type "([^"]+)" is required/,
    build: (m) => ({
      message: `Field '${m[1]}' is missing required arguments: ${m[2]}`,
      extensions: { code: "missingRequiredArguments", className: "Field", name: m[1], arguments: m[2] },
    }),
  },
  {
    pattern: /^Field "(\w+)" of type "([^"]+)" must have a selection of subfields/,
    build: (m) => ({
      message: `Field must have selections (field '${m[1]}' returns ${m[2].replace(/[![\]]/g, "")} but has no selections. Did you mean '${m[1]} { ... }'?)`,
      extensions: { code: "selectionMismatch", nodeName: `field '${m[1]}'`, typeName: m[2].replace(/[![\]]/g, "") },
    }),
  },
  {
    pattern: /^Field "(\w+)" must not have a selection since type "([^"]+)" has no subfields/,
    build: (m) => ({
      message: `Selections can't be made on scalars (field '${m[1]}' returns ${m[2]} but has selections [...])`,
      extensions: { code: "selectionMismatch", nodeName: `field '${m[1]}'`, typeName: m[2] },
    }),
  },
  {
    pattern: /^Variable "\$(\w+)" is never used/,
    build: (m) => ({
      message: `Variable $${m[1]} is declared but not used`,
      extensions: { code: "variableNotUsed", variableName: m[1] },
    }),
  },
  {
    pattern: /^Variable "\$(\w+)" is not defined/,
    build: (m) => ({
      message: `Variable $${m[1]} is used but not declared`,
      extensions: { code: "variableNotDefined", variableName: m[1] },
    }),
  },
  {
    pattern: /^Unknown type "(\w+)"/,
    build: (m) => ({
      message: `No such type ${m[1]}, so it can't be a fragment condition`,
      extensions: { code: "undefinedType", typeName: m[1] },
    }),
  },
];

/** graphql-ruby style path to the node an error is about: ["query Name", "field", …]. */
function pathTo(doc: DocumentNode, target: ASTNode | undefined): string[] | undefined {
  if (!target) return undefined;
  let found: string[] | undefined;
  visit(doc, {
    enter(node, _key, _parent, _path, ancestors) {
      if (found || node !== target) return undefined;
      const path: string[] = [];
      for (const a of [...ancestors, node] as ASTNode[]) {
        if (!a || Array.isArray(a) || typeof a !== "object" || !("kind" in a)) continue;
        if (a.kind === Kind.OPERATION_DEFINITION) {
          const op = a as OperationDefinitionNode;
          path.push(op.name ? `${op.operation} ${op.name.value}` : op.operation);
        } else if (a.kind === Kind.FRAGMENT_DEFINITION) path.push(`fragment ${a.name.value}`);
        else if (a.kind === Kind.FIELD) path.push(a.alias?.value ?? a.name.value);
        else if (a.kind === Kind.ARGUMENT) path.push(a.name.value);
      }
      found = path;
      return false;
    },
  });
  return found;
}

/** Converts a graphql-js validation error to Shopify's shape. */
export function validationError(doc: DocumentNode, error: GraphQLError): ShopifyError {
  const translated = TRANSLATIONS.map((t) => {
    const m = t.pattern.exec(error.message);
    return m ? t.build(m) : null;
  }).find(Boolean);
  return {
    message: translated?.message ?? error.message,
    locations: error.locations?.map((l) => ({ line: l.line, column: l.column })),
    path: pathTo(doc, error.nodes?.[0]),
    extensions: translated?.extensions ?? { code: "GRAPHQL_VALIDATION_FAILED" },
  };
}

/** A syntax error, reported at its location like graphql-ruby's parse errors. */
export function syntaxError(error: GraphQLError): ShopifyError {
  return {
    message: error.message.replace(/^Syntax Error: /, "syntax error, "),
    locations: error.locations?.map((l) => ({ line: l.line, column: l.column })),
    extensions: { code: "parseError" },
  };
}

/** Variable coercion failures, as graphql-ruby reports them (`problems` with explanations). */
export function variableError(error: GraphQLError): ShopifyError {
  const m = /^Variable "\$(\w+)" (?:got invalid value (.*?); |of required type "([^"]+)" was not provided)(.*)$/s.exec(
    error.message,
  );
  const name = m?.[1] ?? "unknown";
  return {
    message: m?.[3]
      ? `Variable $${name} of type ${m[3]} was provided invalid value`
      : `Variable $${name} was provided invalid value`,
    locations: error.locations?.map((l) => ({ line: l.line, column: l.column })),
    extensions: {
      code: "INVALID_VARIABLE",
      value: m?.[2] ? safeJson(m[2]) : null,
      problems: [{ path: error.path ?? [], explanation: (m?.[4] || error.message).trim() }],
    },
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** An execution (resolver) error, keeping its response path. */
export function executionError(error: GraphQLError): ShopifyError {
  return {
    message: error.message,
    locations: error.locations?.map((l) => ({ line: l.line, column: l.column })),
    path: error.path ? [...error.path] : undefined,
    extensions: { code: "INTERNAL_SERVER_ERROR", ...(error.extensions ?? {}) },
  };
}

export function throttledError(): ShopifyError {
  return {
    message: "Throttled",
    extensions: { code: "THROTTLED", documentation: "https://shopify.dev/api/usage/rate-limits" },
  };
}

export function maxCostError(cost: number, maxCost: number): ShopifyError {
  return {
    message:
      `Query cost is ${cost}, which exceeds the single query max cost limit (${maxCost}).\n\n` +
      "See https://shopify.dev/concepts/about-apis/rate-limits for more information on how the\n" +
      "cost of a query is calculated.\n\n" +
      "To query larger amounts of data with fewer limits, bulk operations should be used instead.\n" +
      "See https://shopify.dev/tutorials/perform-bulk-operations-with-admin-api for usage details.\n",
    extensions: { code: "MAX_COST_EXCEEDED", cost, maxCost },
  };
}
