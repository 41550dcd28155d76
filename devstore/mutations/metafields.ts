/**
 * metafieldsSet / metafieldsDelete. `metafieldsSet` is atomic like Shopify's: any invalid input
 * rejects the whole call. An omitted namespace means the app-reserved namespace ("$app").
 */
import type { DsMetafield } from "../model.js";
import type { GraphqlContext } from "../runtime.js";
import { mintGid } from "../shop.js";
import { metafieldOwner } from "../graphql/lookup.js";
import { nowIso } from "./util.js";

export const MAX_METAFIELDS_PER_SET = 25;

interface SetInput {
  ownerId: string;
  namespace?: string | null;
  key: string;
  type?: string | null;
  value: string;
  compareDigest?: string | null;
}

interface SetError {
  field: string[];
  message: string;
  code: string;
  elementIndex: number | null;
}

const BASE_TYPES = new Set([
  "single_line_text_field",
  "multi_line_text_field",
  "rich_text_field",
  "json",
  "boolean",
  "number_integer",
  "number_decimal",
  "date",
  "date_time",
  "url",
  "color",
  "money",
  "rating",
  "product_reference",
  "variant_reference",
  "customer_reference",
  "collection_reference",
  "page_reference",
  "file_reference",
  "metaobject_reference",
]);

export function isKnownMetafieldType(type: string): boolean {
  return BASE_TYPES.has(type.startsWith("list.") ? type.slice(5) : type);
}

/** Value check per type; returns an explanation when the value does not fit. */
function valueProblem(type: string, value: string): string | null {
  const isJson = (): unknown => {
    try {
      return JSON.parse(value);
    } catch {
      return undefined;
    }
  };
  if (type.startsWith("list.")) return Array.isArray(isJson()) ? null : "Value must be a JSON array.";
  switch (type) {
    case "json":
    case "money":
    case "rating":
    case "rich_text_field":
      return isJson() === undefined ? "Value is invalid JSON." : null;
    case "boolean":
      return value === "true" || value === "false" ? null : "Value must be true or false.";
    case "number_integer":
      return /^-?\d+$/.test(value) ? null : "Value must be an integer.";
    case "number_decimal":
      return /^-?\d+(\.\d+)?$/.test(value) ? null : "Value must be a decimal.";
    case "date":
      return /^\d{4}-\d{2}-\d{2}$/.test(value) ? null : "Value must be in YYYY-MM-DD format.";
    case "date_time":
      return Number.isNaN(Date.parse(value)) ? "Value must be in ISO 8601 format." : null;
    case "single_line_text_field":
      return /[\r\n]/.test(value) ? "Value must be a single line." : null;
    default:
      if (type.endsWith("_reference"))
        return /^gid:\/\/shopify\/\w+\/\d+$/.test(value) ? null : "Value must be a valid GID.";
      return null;
  }
}

function validateInput(ctx: GraphqlContext, input: SetInput, i: number): SetError[] {
  const at = (field: string, message: string, code: string): SetError => ({
    field: ["metafields", String(i), field],
    message,
    code,
    elementIndex: i,
  });
  const errors: SetError[] = [];
  const owner = metafieldOwner(ctx.shop, input.ownerId);
  if (!owner) return [at("ownerId", "Owner does not exist.", "INVALID")];
  const namespace = input.namespace ?? "$app";
  if (namespace.length < 2)
    errors.push(at("namespace", "Namespace is too short (minimum is 3 characters)", "TOO_SHORT"));
  if (input.key.length < 2) errors.push(at("key", "Key is too short (minimum is 2 characters)", "TOO_SHORT"));
  if (input.key.length > 64) errors.push(at("key", "Key is too long (maximum is 64 characters)", "TOO_LONG"));
  if (!/^[\w-]+$/.test(input.key)) errors.push(at("key", "Key contains one or more invalid characters.", "INVALID"));
  const existing = owner.metafields.find((m) => m.namespace === namespace && m.key === input.key);
  const type = input.type ?? existing?.type;
  if (!type) {
    errors.push(at("type", "Type can't be blank", "BLANK"));
    return errors;
  }
  if (!isKnownMetafieldType(type)) errors.push(at("type", `Type '${type}' is not a valid type.`, "INVALID_TYPE"));
  else if (existing && existing.type !== type)
    errors.push(at("type", `Type must be '${existing.type}' to match the existing metafield.`, "INVALID_TYPE"));
  else {
    const problem = valueProblem(type, input.value);
    if (problem) errors.push(at("value", problem, "INVALID_VALUE"));
  }
  return errors;
}

function upsert(ctx: GraphqlContext, input: SetInput): DsMetafield & { __ownerId: string } {
  const owner = metafieldOwner(ctx.shop, input.ownerId)!;
  const namespace = input.namespace ?? "$app";
  const now = nowIso(ctx);
  let mf = owner.metafields.find((m) => m.namespace === namespace && m.key === input.key);
  if (mf) {
    mf.value = input.value;
    mf.type = input.type ?? mf.type;
    mf.updatedAt = now;
  } else {
    mf = {
      id: mintGid(ctx.shop, "Metafield"),
      namespace,
      key: input.key,
      type: input.type!,
      value: input.value,
      createdAt: now,
      updatedAt: now,
    };
    owner.metafields.push(mf);
  }
  return { ...mf, __ownerId: input.ownerId };
}

export const METAFIELD_MUTATIONS = {
  metafieldsSet: (_r: unknown, args: { metafields: SetInput[] }, ctx: GraphqlContext) => {
    if (args.metafields.length > MAX_METAFIELDS_PER_SET) {
      return {
        metafields: null,
        userErrors: [
          {
            field: ["metafields"],
            message: `Exceeded the maximum metafields input limit of ${MAX_METAFIELDS_PER_SET}.`,
            code: "LESS_THAN_OR_EQUAL_TO",
            elementIndex: null,
          },
        ],
      };
    }
    const userErrors = args.metafields.flatMap((m, i) => validateInput(ctx, m, i));
    if (userErrors.length) return { metafields: null, userErrors };
    return { metafields: args.metafields.map((m) => upsert(ctx, m)), userErrors: [] };
  },

  metafieldsDelete: (
    _r: unknown,
    args: { metafields: { ownerId: string; namespace: string; key: string }[] },
    ctx: GraphqlContext,
  ) => {
    const deletedMetafields = args.metafields.map((id) => {
      const owner = metafieldOwner(ctx.shop, id.ownerId);
      const index = owner?.metafields.findIndex((m) => m.namespace === id.namespace && m.key === id.key) ?? -1;
      if (!owner || index < 0) return null;
      owner.metafields.splice(index, 1);
      return { ownerId: id.ownerId, namespace: id.namespace, key: id.key };
    });
    return { deletedMetafields, userErrors: [] };
  },
};
