/**
 * Shopify's calculated query cost and leaky-bucket throttle.
 *
 * Cost rules (shopify.dev "API rate limits"): scalars and enums cost 0; each object costs 1;
 * a connection costs 2 plus `first`/`last` × the cost of one node's selection; a mutation field
 * costs 10. The *requested* cost is computed from the document before execution and must fit in
 * the bucket; the *actual* cost uses the number of nodes really returned and the difference is
 * refunded. A single query may not request more than 1000 points.
 *
 * Checked against https://shopify.dev/docs/apps/build/apis/graphql-admin/rate-limits (2026-12):
 * Standard plan 100 points/second (Advanced 200, Plus 1000, Enterprise 2000) — the bucket's
 * restore rate below. Mutations: 10 points per mutation *field*, so n aliased mutations cost
 * 10·n (aliases save round trips, not points); the 10-point base is also stated in
 * https://shopify.dev/changelog/dynamic-complexity-cost-for-productset-mutation ("Base cost:
 * 10 points"). The 2,000-point bucket is what Shopify reports as `maximumAvailable` for a 100/s
 * shop (20 × the restore rate); the stored page excerpt did not show the bucket size itself.
 */
import {
  Kind,
  getNamedType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  isInterfaceType,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLOutputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from "graphql";
import { isConnectionType } from "./defaults.js";

export const MAX_SINGLE_QUERY_COST = 1000;
export const MUTATION_COST = 10;

export interface ThrottleStatus {
  maximumAvailable: number;
  currentlyAvailable: number;
  restoreRate: number;
}

export interface CostExtension {
  requestedQueryCost: number;
  actualQueryCost: number | null;
  throttleStatus: ThrottleStatus;
}

type Data = Record<string, unknown> | null | undefined;

interface Walk {
  schema: GraphQLSchema;
  fragments: Record<string, FragmentDefinitionNode>;
  variables: Record<string, unknown>;
  /** Requested mode walks the document only; actual mode also walks the result data. */
  actual: boolean;
}

function intArg(node: FieldNode, name: string, variables: Record<string, unknown>): number | null {
  const arg = node.arguments?.find((a) => a.name.value === name);
  if (!arg) return null;
  return intValue(arg.value, variables);
}

function intValue(value: ValueNode, variables: Record<string, unknown>): number | null {
  if (value.kind === Kind.INT) return Number(value.value);
  if (value.kind === Kind.VARIABLE) {
    const v = variables[value.name.value];
    return typeof v === "number" ? v : null;
  }
  return null;
}

function listArgLength(node: FieldNode, name: string, variables: Record<string, unknown>): number | null {
  const arg = node.arguments?.find((a) => a.name.value === name);
  if (!arg) return null;
  if (arg.value.kind === Kind.LIST) return arg.value.values.length;
  if (arg.value.kind === Kind.VARIABLE) {
    const v = variables[arg.value.name.value];
    return Array.isArray(v) ? v.length : 1;
  }
  return 1;
}

function fieldDef(parent: GraphQLNamedType, name: string): GraphQLField<unknown, unknown> | undefined {
  if (isObjectType(parent) || isInterfaceType(parent)) return parent.getFields()[name];
  return undefined;
}

function selectionCost(w: Walk, set: SelectionSetNode | undefined, parent: GraphQLNamedType, data: Data): number {
  if (!set) return 0;
  let total = 0;
  for (const sel of set.selections) {
    if (sel.kind === Kind.FIELD) total += fieldCost(w, sel, parent, data);
    else if (sel.kind === Kind.INLINE_FRAGMENT) {
      const cond = sel.typeCondition ? (w.schema.getType(sel.typeCondition.name.value) ?? parent) : parent;
      total += selectionCost(w, sel.selectionSet, cond, data);
    } else {
      const frag = w.fragments[sel.name.value];
      if (frag)
        total += selectionCost(w, frag.selectionSet, w.schema.getType(frag.typeCondition.name.value) ?? parent, data);
    }
  }
  return total;
}

/** Cost of one connection node: its object point plus its selection, via `edges.node` and/or `nodes`. */
function connectionItemCost(
  w: Walk,
  set: SelectionSetNode,
  connType: GraphQLNamedType,
  value: Data,
  index: number,
): number {
  let total = 0;
  for (const sel of set.selections) {
    if (sel.kind !== Kind.FIELD) continue;
    const key = sel.alias?.value ?? sel.name.value;
    const def = fieldDef(connType, sel.name.value);
    if (!def) continue;
    if (sel.name.value === "nodes") {
      const item = w.actual ? ((value?.[key] as Data[] | undefined)?.[index] ?? null) : undefined;
      if (!w.actual || item) total += 1 + selectionCost(w, sel.selectionSet, getNamedType(def.type), item);
    } else if (sel.name.value === "edges" && sel.selectionSet) {
      const edgeType = getNamedType(def.type);
      const edge = w.actual ? ((value?.[key] as Data[] | undefined)?.[index] ?? null) : undefined;
      for (const inner of sel.selectionSet.selections) {
        if (inner.kind !== Kind.FIELD || inner.name.value !== "node") continue;
        const nodeDef = fieldDef(edgeType, "node");
        const node = w.actual ? ((edge?.[inner.alias?.value ?? "node"] as Data) ?? null) : undefined;
        if (nodeDef && (!w.actual || node))
          total += 1 + selectionCost(w, inner.selectionSet, getNamedType(nodeDef.type), node);
      }
    }
  }
  return total;
}

function connectionCost(w: Walk, node: FieldNode, type: GraphQLNamedType, value: Data): number {
  if (!node.selectionSet) return 2;
  if (!w.actual) {
    const size = intArg(node, "first", w.variables) ?? intArg(node, "last", w.variables) ?? 0;
    return 2 + size * connectionItemCost(w, node.selectionSet, type, undefined, 0);
  }
  if (!value) return 0;
  const count = Math.max(
    Array.isArray(value.edges) ? value.edges.length : 0,
    Array.isArray(value.nodes) ? value.nodes.length : 0,
    ...Object.values(value).map((v) => (Array.isArray(v) ? v.length : 0)),
  );
  let total = 2;
  for (let i = 0; i < count; i++) total += connectionItemCost(w, node.selectionSet, type, value, i);
  return total;
}

function fieldCost(w: Walk, node: FieldNode, parent: GraphQLNamedType, parentData: Data): number {
  const def = fieldDef(parent, node.name.value);
  if (!def) return 0;
  const named = getNamedType(def.type);
  if (isLeafType(named)) return 0;
  const value = w.actual ? (parentData?.[node.alias?.value ?? node.name.value] as unknown) : undefined;
  if (w.actual && (value === null || value === undefined)) return 0;
  if (isConnectionType(def.type)) return connectionCost(w, node, named, value as Data);
  const unwrapped: GraphQLOutputType = isNonNullType(def.type) ? def.type.ofType : def.type;
  if (isListType(unwrapped)) {
    if (w.actual) {
      return (value as Data[]).reduce(
        (s: number, item) => s + (item ? 1 + selectionCost(w, node.selectionSet, named, item) : 0),
        0,
      );
    }
    const size = intArg(node, "first", w.variables) ?? listArgLength(node, "ids", w.variables) ?? 1;
    return size * (1 + selectionCost(w, node.selectionSet, named, undefined));
  }
  return 1 + selectionCost(w, node.selectionSet, named, value as Data);
}

function fragmentsOf(doc: { definitions: readonly { kind: string }[] }): Record<string, FragmentDefinitionNode> {
  const out: Record<string, FragmentDefinitionNode> = {};
  for (const d of doc.definitions)
    if (d.kind === Kind.FRAGMENT_DEFINITION)
      out[(d as FragmentDefinitionNode).name.value] = d as FragmentDefinitionNode;
  return out;
}

/**
 * Requested (data omitted) or actual (data given) cost of an operation. Mutations cost 10 per
 * root field regardless of the payload selection.
 */
export function queryCost(
  schema: GraphQLSchema,
  doc: { definitions: readonly { kind: string }[] },
  op: OperationDefinitionNode,
  variables: Record<string, unknown>,
  data?: Record<string, unknown> | null,
): number {
  if (op.operation === "mutation") {
    return (
      op.selectionSet.selections.filter((s) => s.kind === Kind.FIELD && s.name.value !== "__typename").length *
      MUTATION_COST
    );
  }
  const root = schema.getQueryType();
  if (!root) return 0;
  const walk: Walk = { schema, fragments: fragmentsOf(doc), variables, actual: data !== undefined };
  return selectionCost(walk, op.selectionSet, root, data ?? null);
}

/**
 * One leaky bucket per shop + app (the stand-in serves one app, so per shop): 2000 points,
 * refilled at 100 points/second of the injected clock — Shopify's Standard plan (see the top).
 */
export class ThrottleBucket {
  private available: number;
  private lastMs: number;

  constructor(
    private readonly clock: () => number,
    readonly maximumAvailable = 2000,
    readonly restoreRate = 100,
  ) {
    this.available = maximumAvailable;
    this.lastMs = clock();
  }

  private refill(): void {
    const now = this.clock();
    const elapsed = Math.max(0, now - this.lastMs) / 1000;
    this.available = Math.min(this.maximumAvailable, this.available + elapsed * this.restoreRate);
    this.lastMs = now;
  }

  /** Deducts `cost` if the bucket holds it; false means the request is THROTTLED. */
  tryTake(cost: number): boolean {
    this.refill();
    if (cost > this.available) return false;
    this.available -= cost;
    return true;
  }

  /** Returns the unused part of a request's requested cost. */
  refund(points: number): void {
    this.refill();
    this.available = Math.min(this.maximumAvailable, this.available + Math.max(0, points));
  }

  status(): ThrottleStatus {
    this.refill();
    return {
      maximumAvailable: this.maximumAvailable,
      currentlyAvailable: Math.floor(this.available),
      restoreRate: this.restoreRate,
    };
  }
}
