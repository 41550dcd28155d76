/**
 * Checks a bulk query against Shopify's bulk rules and turns it into an export plan: which
 * response keys of each node are nested connections (exported as separate JSONL lines carrying
 * `__parentId`) and which stay inline.
 *
 * Rules mimicked (shopify.dev "Perform bulk operations"): exactly one top-level field and it must
 * be a connection; at most 5 connections; at most 2 levels of nested connections; a node with a
 * nested connection must select `id` (the child lines point at it); connections inside list
 * fields are not supported.
 */
import {
  Kind,
  getNamedType,
  isListType,
  isNonNullType,
  parse,
  valueFromASTUntyped,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLNamedType,
  type SelectionSetNode,
  isObjectType,
  isInterfaceType,
} from "graphql";
import { adminSchema } from "./schema.js";
import { prepareDocument } from "./graphql/executor.js";
import { isConnectionType } from "./graphql/defaults.js";
import { isRootListField } from "./graphql/resolvers/lists.js";

export const MAX_BULK_CONNECTIONS = 5;
export const MAX_BULK_NESTING = 2;

/** How to split one node's data into its own line and child lines. */
export interface NodePlan {
  /** Response key → plan of the nested connection's nodes. */
  connections: Map<string, NodePlan>;
}

export interface BulkPlan {
  doc: DocumentNode;
  rootField: string;
  rootKey: string;
  rootArgs: Record<string, unknown>;
  node: NodePlan;
}

type PlanResult = { plan: BulkPlan; error: null } | { plan: null; error: string };

class BulkQueryError extends Error {}

function fieldsOf(set: SelectionSetNode | undefined, fragments: Record<string, FragmentDefinitionNode>): FieldNode[] {
  if (!set) return [];
  return set.selections.flatMap((s) => {
    if (s.kind === Kind.FIELD) return [s];
    if (s.kind === Kind.INLINE_FRAGMENT) return fieldsOf(s.selectionSet, fragments);
    const frag = fragments[s.name.value];
    return frag ? fieldsOf(frag.selectionSet, fragments) : [];
  });
}

function fieldType(parent: GraphQLNamedType, name: string) {
  if (!isObjectType(parent) && !isInterfaceType(parent)) return undefined;
  return parent.getFields()[name]?.type;
}

interface Walk {
  fragments: Record<string, FragmentDefinitionNode>;
  connections: number;
}

/** Node selections reachable through `edges { node }` or `nodes` of a connection field. */
function nodeSelections(
  w: Walk,
  conn: FieldNode,
  connType: GraphQLNamedType,
): { fields: FieldNode[]; type: GraphQLNamedType } {
  const fields: FieldNode[] = [];
  let nodeType: GraphQLNamedType | undefined;
  for (const f of fieldsOf(conn.selectionSet, w.fragments)) {
    if (f.name.value === "nodes") {
      nodeType = getNamedType(fieldType(connType, "nodes")!);
      fields.push(...fieldsOf(f.selectionSet, w.fragments));
    } else if (f.name.value === "edges") {
      const edgeType = getNamedType(fieldType(connType, "edges")!);
      for (const e of fieldsOf(f.selectionSet, w.fragments)) {
        if (e.name.value === "node") {
          nodeType = getNamedType(fieldType(edgeType, "node")!);
          fields.push(...fieldsOf(e.selectionSet, w.fragments));
        }
      }
    }
  }
  if (!nodeType) throw new BulkQueryError(`Connection '${conn.name.value}' must select 'edges { node }' or 'nodes'.`);
  return { fields, type: nodeType };
}

function planNode(w: Walk, fields: FieldNode[], type: GraphQLNamedType, depth: number): NodePlan {
  const plan: NodePlan = { connections: new Map() };
  for (const f of fields) {
    const t = fieldType(type, f.name.value);
    if (!t) continue;
    if (isConnectionType(t)) {
      w.connections += 1;
      if (depth + 1 > MAX_BULK_NESTING) {
        throw new BulkQueryError(
          `Bulk queries cannot contain connections with a nesting depth greater than ${MAX_BULK_NESTING}.`,
        );
      }
      if (!fields.some((x) => x.name.value === "id" && !x.alias)) {
        throw new BulkQueryError(
          `The parent 'node' field for a nested connection must select the 'id' field. Connection fields without 'id': ${f.name.value}.`,
        );
      }
      const child = nodeSelections(w, f, getNamedType(t));
      plan.connections.set(f.alias?.value ?? f.name.value, planNode(w, child.fields, child.type, depth + 1));
    } else {
      rejectNestedConnections(w, f, t, false);
    }
  }
  return plan;
}

/** Connections are only exportable directly under a node; reject them deeper (lists or objects). */
function rejectNestedConnections(w: Walk, f: FieldNode, t: ReturnType<typeof fieldType>, insideList: boolean): void {
  if (!t || !f.selectionSet) return;
  const unwrapped = isNonNullType(t) ? t.ofType : t;
  const inList = insideList || isListType(unwrapped);
  const named = getNamedType(t);
  for (const inner of fieldsOf(f.selectionSet, w.fragments)) {
    const it = fieldType(named, inner.name.value);
    if (it && isConnectionType(it)) {
      throw new BulkQueryError(
        inList
          ? "Queries that contain a connection field within a list field are not currently supported."
          : `Connection '${inner.name.value}' must be selected directly on a node, not inside the object field '${f.name.value}'.`,
      );
    }
    rejectNestedConnections(w, inner, it, inList);
  }
}

/** Validates `query` as a bulk query and returns its export plan or Shopify-style error text. */
export function planBulkQuery(query: string): PlanResult {
  const prepared = prepareDocument(query);
  if (!prepared.doc)
    return { plan: null, error: `Invalid bulk query: ${prepared.errors.map((e) => e.message).join("; ")}` };
  const doc = prepared.doc;
  const ops = doc.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
  if (ops.length !== 1 || ops[0].kind !== Kind.OPERATION_DEFINITION || ops[0].operation !== "query") {
    return { plan: null, error: "Invalid bulk query: the document must contain exactly one query operation." };
  }
  const fragments: Record<string, FragmentDefinitionNode> = {};
  for (const d of doc.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments[d.name.value] = d;
  const w: Walk = { fragments, connections: 0 };
  const roots = fieldsOf(ops[0].selectionSet, fragments).filter((f) => f.name.value !== "__typename");
  if (roots.length !== 1) return { plan: null, error: "Bulk queries must contain exactly one top-level field." };
  const root = roots[0];
  const queryRoot = adminSchema().getQueryType()!;
  const rootType = fieldType(queryRoot, root.name.value);
  if (!rootType || !isConnectionType(rootType))
    return { plan: null, error: "Bulk queries must contain at least one connection." };
  if (!isRootListField(root.name.value)) {
    return { plan: null, error: `The Growthpilot dev store cannot export '${root.name.value}' in bulk.` };
  }
  if (ops[0].variableDefinitions?.length) return { plan: null, error: "Bulk queries cannot use variables." };
  try {
    w.connections = 1;
    const nodes = nodeSelections(w, root, getNamedType(rootType));
    const node = planNode(w, nodes.fields, nodes.type, 0);
    if (w.connections > MAX_BULK_CONNECTIONS) {
      return { plan: null, error: `Bulk queries cannot contain more than ${MAX_BULK_CONNECTIONS} connections.` };
    }
    const rootArgs: Record<string, unknown> = {};
    for (const a of root.arguments ?? []) rootArgs[a.name.value] = valueFromASTUntyped(a.value);
    return {
      plan: { doc, rootField: root.name.value, rootKey: root.alias?.value ?? root.name.value, rootArgs, node },
      error: null,
    };
  } catch (e) {
    if (e instanceof BulkQueryError) return { plan: null, error: e.message };
    throw e;
  }
}

/** Parses a bulk mutation document: one mutation operation with one root field. */
export function checkBulkMutation(mutation: string): { doc: DocumentNode | null; error: string | null } {
  const prepared = prepareDocument(mutation);
  if (!prepared.doc)
    return { doc: null, error: `Invalid mutation: ${prepared.errors.map((e) => e.message).join("; ")}` };
  const ops = prepared.doc.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
  if (ops.length !== 1 || ops[0].kind !== Kind.OPERATION_DEFINITION || ops[0].operation !== "mutation") {
    return { doc: null, error: "Invalid mutation: the document must contain exactly one mutation operation." };
  }
  return { doc: prepared.doc, error: null };
}

export { parse };
