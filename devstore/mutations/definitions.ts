/**
 * metafieldDefinitionCreate. A definition is unique per (owner type, namespace, key); an omitted
 * namespace is the app-reserved "$app" (stored as such, where Shopify resolves it to
 * `app--<api client id>`). Errors use the MetafieldDefinitionCreateUserErrorCode values of the
 * pinned schema: TAKEN (the code the app treats as "exists already"), BLANK, TOO_SHORT, TOO_LONG,
 * INVALID_CHARACTER, INCLUSION.
 */
import { appState } from "../app-state.js";
import type { GraphqlContext } from "../runtime.js";
import { mintGid } from "../shop.js";
import { isKnownMetafieldType } from "./metafields.js";
import { nowIso } from "./util.js";

interface DefinitionInput {
  name: string;
  namespace?: string | null;
  key: string;
  ownerType: string;
  type: string;
  description?: string | null;
  access?: { admin?: string | null; storefront?: string | null } | null;
}

const OWNER_LABEL: Record<string, string> = {
  PRODUCT: "Product",
  CUSTOMER: "Customer",
  ORDER: "Order",
  PRODUCTVARIANT: "Variant",
};

function problems(ctx: GraphqlContext, d: DefinitionInput) {
  const at = (field: string, message: string, code: string) => ({
    field: ["definition", field],
    message,
    code,
    elementIndex: null,
    elementKey: null,
  });
  const namespace = d.namespace ?? "$app";
  const errors = [];
  if (!d.name?.trim()) errors.push(at("name", "Name can't be blank", "BLANK"));
  if (d.key.length < 2) errors.push(at("key", "Key is too short (minimum is 2 characters)", "TOO_SHORT"));
  if (d.key.length > 64) errors.push(at("key", "Key is too long (maximum is 64 characters)", "TOO_LONG"));
  if (!/^[\w-]+$/.test(d.key))
    errors.push(at("key", "Key contains one or more invalid characters.", "INVALID_CHARACTER"));
  if (!isKnownMetafieldType(d.type)) errors.push(at("type", "Type name is not included in the list.", "INCLUSION"));
  const taken = appState(ctx.shop).metafieldDefinitions.some(
    (x) => x.ownerType === d.ownerType && x.namespace === namespace && x.key === d.key,
  );
  if (taken) {
    const owner = OWNER_LABEL[d.ownerType] ?? d.ownerType;
    errors.push(at("key", `Key is in use for ${owner} metafields on the '${namespace}' namespace.`, "TAKEN"));
  }
  return errors;
}

export const DEFINITION_MUTATIONS = {
  metafieldDefinitionCreate: (_r: unknown, args: { definition: DefinitionInput }, ctx: GraphqlContext) => {
    const d = args.definition;
    const userErrors = problems(ctx, d);
    if (userErrors.length) return { createdDefinition: null, userErrors };
    const created = {
      id: mintGid(ctx.shop, "MetafieldDefinition"),
      name: d.name,
      namespace: d.namespace ?? "$app",
      key: d.key,
      ownerType: d.ownerType,
      type: d.type,
      description: d.description ?? null,
      access: { admin: d.access?.admin ?? "MERCHANT_READ_WRITE", storefront: d.access?.storefront ?? "NONE" },
      createdAt: nowIso(ctx),
    };
    appState(ctx.shop).metafieldDefinitions.push(created);
    return { createdDefinition: { ...created, type: { name: created.type, category: null } }, userErrors: [] };
  },
};
