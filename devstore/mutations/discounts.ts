/**
 * Code discounts: basic (percentage / amount off), BXGY, redeem-code bulk add, delete and
 * deactivate. Codes are unique per shop, case-insensitively, as in Shopify.
 */
import type { DsDiscount, DsShop } from "../model.js";
import type { GraphqlContext } from "../runtime.js";
import { mintGid } from "../shop.js";
import { bulkCreations } from "../graphql/resolvers/root.js";
import { nowIso, type UserError } from "./util.js";

/** Shopify caps redeem codes per `discountRedeemCodeBulkAdd` call. */
export const MAX_BULK_CODES = 250;

interface DiscountInput {
  title?: string | null;
  code?: string | null;
  startsAt?: string | null;
  endsAt?: string | null;
  usageLimit?: number | null;
  appliesOncePerCustomer?: boolean | null;
  combinesWith?: { orderDiscounts?: boolean; productDiscounts?: boolean; shippingDiscounts?: boolean } | null;
  customerSelection?: { all?: boolean | null; customers?: { add?: string[] | null } | null } | null;
  context?: { all?: string | null; customers?: { add?: string[] | null } | null } | null;
  customerGets?: {
    value?: {
      percentage?: number | null;
      discountAmount?: { amount?: string | number | null } | null;
      discountOnQuantity?: {
        quantity?: string | null;
        effect?: { percentage?: number | null; amount?: string | null } | null;
      } | null;
    } | null;
  } | null;
}

function codeTaken(shop: DsShop, code: string): boolean {
  const wanted = code.toLowerCase();
  for (const c of shop.discountCodes.values()) if (c.code.toLowerCase() === wanted) return true;
  return false;
}

function discountValue(input: DiscountInput): DsDiscount["value"] | null {
  const v = input.customerGets?.value;
  if (!v) return null;
  if (v.percentage != null) return { percentage: v.percentage };
  if (v.discountAmount?.amount != null) return { amount: String(v.discountAmount.amount) };
  const effect = v.discountOnQuantity?.effect;
  if (effect?.percentage != null) return { percentage: effect.percentage };
  if (effect?.amount != null) return { amount: String(effect.amount) };
  return null;
}

/** Input checks shared by basic and BXGY creation; `root` is the input argument name. */
function validateDiscount(shop: DsShop, input: DiscountInput, root: string): UserError[] {
  const errors: UserError[] = [];
  const code = input.code?.trim() ?? "";
  if (!input.title?.trim()) errors.push({ field: [root, "title"], message: "Title can't be blank", code: "BLANK" });
  if (!code) errors.push({ field: [root, "code"], message: "Code can't be blank", code: "BLANK" });
  else if (code.length > 255)
    errors.push({ field: [root, "code"], message: "Code is too long (maximum is 255 characters)", code: "TOO_LONG" });
  else if (/[\r\n]/.test(code))
    errors.push({ field: [root, "code"], message: "Code cannot contain newline characters.", code: "INVALID" });
  else if (codeTaken(shop, code)) {
    errors.push({ field: [root, "code"], message: "Code must be unique. Please try a different code.", code: "TAKEN" });
  }
  if (!input.startsAt) errors.push({ field: [root, "startsAt"], message: "Starts at can't be blank", code: "BLANK" });
  if (input.startsAt && input.endsAt && Date.parse(input.endsAt) <= Date.parse(input.startsAt)) {
    errors.push({
      field: [root, "endsAt"],
      message: "Ends at needs to be after starts_at",
      code: "END_DATE_BEFORE_START_DATE",
    });
  }
  const value = discountValue(input);
  if (!value) errors.push({ field: [root, "customerGets"], message: "Customer gets can't be blank", code: "BLANK" });
  else if ("percentage" in value && (value.percentage < 0 || value.percentage > 1)) {
    errors.push({
      field: [root, "customerGets", "value", "percentage"],
      message: "Value must be between 0.0 and 1.0",
      code: "VALUE_OUTSIDE_RANGE",
    });
  }
  if (input.usageLimit != null && input.usageLimit < 1) {
    errors.push({ field: [root, "usageLimit"], message: "Usage limit must be greater than 0", code: "GREATER_THAN" });
  }
  const ids = customerIdsOf(input);
  ids.forEach((id, i) => {
    if (!shop.customers.has(id)) {
      errors.push({
        field: [root, input.context ? "context" : "customerSelection", "customers", "add", String(i)],
        message: "Customer does not exist",
        code: "INVALID",
      });
    }
  });
  return errors;
}

function customerIdsOf(input: DiscountInput): string[] {
  return input.context?.customers?.add ?? input.customerSelection?.customers?.add ?? [];
}

function createDiscount(ctx: GraphqlContext, input: DiscountInput, kind: DsDiscount["kind"]): DsDiscount {
  const { shop } = ctx;
  const now = nowIso(ctx);
  const discount: DsDiscount = {
    id: mintGid(shop, "DiscountCodeNode"),
    title: input.title!.trim(),
    kind,
    value: discountValue(input)!,
    startsAt: new Date(input.startsAt!).toISOString(),
    endsAt: input.endsAt ? new Date(input.endsAt).toISOString() : null,
    usageLimit: input.usageLimit ?? null,
    appliesOncePerCustomer: input.appliesOncePerCustomer ?? false,
    customerIds: customerIdsOf(input),
    combinesWith: {
      orderDiscounts: input.combinesWith?.orderDiscounts ?? false,
      productDiscounts: input.combinesWith?.productDiscounts ?? false,
      shippingDiscounts: input.combinesWith?.shippingDiscounts ?? false,
    },
    status: "ACTIVE",
    codeIds: [],
    createdAt: now,
    updatedAt: now,
  };
  shop.discounts.set(discount.id, discount);
  addCode(ctx, discount, input.code!.trim());
  return discount;
}

function addCode(ctx: GraphqlContext, discount: DsDiscount, code: string): void {
  const id = mintGid(ctx.shop, "DiscountRedeemCode");
  ctx.shop.discountCodes.set(id, { id, code, discountId: discount.id, usageCount: 0, createdAt: nowIso(ctx) });
  discount.codeIds.push(id);
}

function createMutation(kind: DsDiscount["kind"], argName: string) {
  return (_root: unknown, args: Record<string, DiscountInput>, ctx: GraphqlContext) => {
    const input = args[argName];
    const userErrors = validateDiscount(ctx.shop, input, argName).map((e) => ({ ...e, extraInfo: null }));
    if (userErrors.length) return { codeDiscountNode: null, userErrors };
    return { codeDiscountNode: createDiscount(ctx, input, kind), userErrors: [] };
  };
}

function notFound(): { field: string[]; message: string; code: string; extraInfo: null } {
  return { field: ["id"], message: "Discount does not exist", code: "INVALID", extraInfo: null };
}

export const DISCOUNT_MUTATIONS = {
  discountCodeBasicCreate: createMutation("BASIC", "basicCodeDiscount"),
  discountCodeBxgyCreate: createMutation("BXGY", "bxgyCodeDiscount"),

  discountRedeemCodeBulkAdd: (
    _r: unknown,
    args: { discountId: string; codes: { code: string }[] },
    ctx: GraphqlContext,
  ) => {
    const discount = ctx.shop.discounts.get(args.discountId);
    if (!discount) {
      return {
        bulkCreation: null,
        userErrors: [
          { field: ["discountId"], message: "Code discount does not exist.", code: "INVALID", extraInfo: null },
        ],
      };
    }
    if (args.codes.length > MAX_BULK_CODES) {
      return {
        bulkCreation: null,
        userErrors: [
          {
            field: ["codes"],
            message: `Codes can't exceed ${MAX_BULK_CODES} codes`,
            code: "TOO_MANY_ARGUMENTS",
            extraInfo: null,
          },
        ],
      };
    }
    // Shopify imports asynchronously; the stand-in finishes at once and reports `done: true`.
    const results = args.codes.map(({ code }) => {
      const trimmed = code.trim();
      const errors = !trimmed
        ? [{ field: ["code"], message: "Code can't be blank", code: "BLANK", extraInfo: null }]
        : codeTaken(ctx.shop, trimmed)
          ? [
              {
                field: ["code"],
                message: "Code must be unique. Please try a different code.",
                code: "TAKEN",
                extraInfo: null,
              },
            ]
          : [];
      if (errors.length === 0) addCode(ctx, discount, trimmed);
      const redeem = errors.length ? null : ctx.shop.discountCodes.get(discount.codeIds[discount.codeIds.length - 1]);
      return {
        id: `gid://shopify/DiscountRedeemCodeBulkCreationCode/${ctx.shop.nextId++}`,
        code: trimmed,
        errors,
        discountRedeemCode: redeem,
      };
    });
    discount.updatedAt = nowIso(ctx);
    const creation = {
      id: `gid://shopify/DiscountRedeemCodeBulkCreation/${ctx.shop.nextId++}`,
      __typename: "DiscountRedeemCodeBulkCreation",
      createdAt: nowIso(ctx),
      done: true,
      codesCount: results.length,
      importedCount: results.filter((r) => r.errors.length === 0).length,
      failedCount: results.filter((r) => r.errors.length > 0).length,
      discountCode: discount,
      codes: results,
    };
    bulkCreations(ctx).set(creation.id, creation);
    return { bulkCreation: creation, userErrors: [] };
  },

  discountCodeDelete: (_r: unknown, args: { id: string }, ctx: GraphqlContext) => {
    const discount = ctx.shop.discounts.get(args.id);
    if (!discount) return { deletedCodeDiscountId: null, userErrors: [notFound()] };
    for (const codeId of discount.codeIds) ctx.shop.discountCodes.delete(codeId);
    ctx.shop.discounts.delete(args.id);
    return { deletedCodeDiscountId: args.id, userErrors: [] };
  },

  discountCodeDeactivate: (_r: unknown, args: { id: string }, ctx: GraphqlContext) => {
    const discount = ctx.shop.discounts.get(args.id);
    if (!discount) return { codeDiscountNode: null, userErrors: [notFound()] };
    // Deactivating ends the active period now; the discount then reads as EXPIRED.
    discount.endsAt = nowIso(ctx);
    discount.status = "EXPIRED";
    discount.updatedAt = discount.endsAt;
    return { codeDiscountNode: discount, userErrors: [] };
  },
};

/**
 * Counts one use of `code` (case-insensitive) for a simulated order. Returns false when the code
 * is unknown, expired, not yet active or used up — the order should then not carry the code.
 */
export function redeemCode(shop: DsShop, code: string, at: number = Date.now(), customerId?: string | null): boolean {
  const wanted = code.toLowerCase();
  const redeem = [...shop.discountCodes.values()].find((c) => c.code.toLowerCase() === wanted);
  if (!redeem) return false;
  const discount = shop.discounts.get(redeem.discountId);
  if (!discount || discount.status === "EXPIRED") return false;
  if (Date.parse(discount.startsAt) > at || (discount.endsAt && Date.parse(discount.endsAt) <= at)) return false;
  if (discount.customerIds.length && (!customerId || !discount.customerIds.includes(customerId))) return false;
  const used = discount.codeIds.reduce((s, id) => s + (shop.discountCodes.get(id)?.usageCount ?? 0), 0);
  if (discount.usageLimit !== null && used >= discount.usageLimit) return false;
  redeem.usageCount += 1;
  return true;
}
