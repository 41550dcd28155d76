/**
 * In-memory data model of the Shopify stand-in ("dev store"). Field names follow the Admin
 * GraphQL API (2026-10) so the schema-driven executor can resolve most fields by property name;
 * references between records are by GID and are resolved by the executor.
 *
 * Money follows Shopify: decimal strings ("19.99") inside MoneyV2-shaped objects.
 * Timestamps are ISO-8601 strings, as Shopify returns them.
 */

export interface MoneyV2 {
  amount: string;
  currencyCode: string;
}

export interface MoneyBag {
  shopMoney: MoneyV2;
  presentmentMoney: MoneyV2;
}

export interface DsMetafield {
  id: string;
  namespace: string;
  key: string;
  type: string;
  value: string;
  createdAt: string;
  updatedAt: string;
}

export interface DsVariant {
  id: string; // gid://shopify/ProductVariant/N
  productId: string;
  title: string;
  sku: string | null;
  price: string;
  compareAtPrice: string | null;
  inventoryQuantity: number;
  inventoryPolicy: "DENY" | "CONTINUE";
  /** InventoryItem GID and unit cost (null when the merchant never entered a cost). */
  inventoryItemId: string;
  unitCost: MoneyV2 | null;
  createdAt: string;
  updatedAt: string;
}

export interface DsProduct {
  id: string; // gid://shopify/Product/N
  title: string;
  handle: string;
  descriptionHtml: string;
  productType: string;
  vendor: string;
  tags: string[];
  status: "ACTIVE" | "DRAFT" | "ARCHIVED";
  /** Null when unpublished from the online store. */
  publishedAt: string | null;
  isGiftCard: boolean;
  /** Collection titles (the stand-in keeps collections as simple labels). */
  collections: string[];
  variantIds: string[];
  metafields: DsMetafield[];
  createdAt: string;
  updatedAt: string;
}

export interface DsCustomer {
  id: string; // gid://shopify/Customer/N
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  tags: string[];
  /** emailMarketingConsent.marketingState */
  marketingState: "SUBSCRIBED" | "NOT_SUBSCRIBED" | "UNSUBSCRIBED" | "PENDING";
  metafields: DsMetafield[];
  createdAt: string;
  updatedAt: string;
}

export interface DsLineItem {
  id: string; // gid://shopify/LineItem/N
  name: string;
  sku: string | null;
  quantity: number;
  variantId: string | null;
  productId: string | null;
  originalUnitPrice: string;
  /** Line total after line-level discounts. */
  discountedTotal: string;
  /** Line item custom attributes (e.g. recommendation attribution). */
  customAttributes: { key: string; value: string }[];
}

export interface DsRefund {
  id: string;
  createdAt: string;
  totalRefunded: string;
  /** Refunded quantity per line item id. */
  lines: { lineItemId: string; quantity: number; subtotal: string }[];
}

export interface DsOrder {
  id: string; // gid://shopify/Order/N
  name: string; // "#1001"
  email: string | null;
  customerId: string | null;
  createdAt: string;
  updatedAt: string;
  processedAt: string;
  cancelledAt: string | null;
  /** displayFinancialStatus: PAID, REFUNDED, PARTIALLY_REFUNDED, VOIDED, PENDING, … */
  financialStatus: string;
  currencyCode: string;
  subtotal: string;
  totalDiscounts: string;
  totalShipping: string;
  totalTax: string;
  total: string;
  discountCodes: string[];
  /** Cart attributes (`customAttributes` on Order). */
  customAttributes: { key: string; value: string }[];
  lineItems: DsLineItem[];
  refunds: DsRefund[];
  /** Order tags (appended for `tagsAdd` on orders; absent = no tags). */
  tags?: string[];
}

export interface DsDiscountCode {
  id: string; // gid://shopify/DiscountRedeemCode/N
  code: string;
  discountId: string;
  usageCount: number;
  createdAt: string;
}

export interface DsDiscount {
  id: string; // gid://shopify/DiscountCodeNode/N
  title: string;
  kind: "BASIC" | "BXGY";
  /** Percentage (0..1) or fixed amount off. */
  value: { percentage: number } | { amount: string };
  startsAt: string;
  endsAt: string | null;
  usageLimit: number | null;
  appliesOncePerCustomer: boolean;
  /** Customer GIDs the code is restricted to; empty = everyone. */
  customerIds: string[];
  combinesWith: { orderDiscounts: boolean; productDiscounts: boolean; shippingDiscounts: boolean };
  status: "ACTIVE" | "EXPIRED" | "SCHEDULED";
  codeIds: string[];
  createdAt: string;
  updatedAt: string;
}

export interface DsWebhookSubscription {
  id: string;
  topic: string; // ORDERS_CREATE …
  callbackUrl: string;
  createdAt: string;
}

export interface DsBulkOperation {
  id: string; // gid://shopify/BulkOperation/N
  type: "QUERY" | "MUTATION";
  status: "CREATED" | "RUNNING" | "COMPLETED" | "FAILED" | "CANCELED" | "EXPIRED";
  query: string;
  errorCode: string | null;
  objectCount: number;
  rootObjectCount: number;
  fileSize: number | null;
  url: string | null;
  partialDataUrl: string | null;
  createdAt: string;
  completedAt: string | null;
}

/** Everything one shop holds. */
export interface DsShop {
  domain: string; // example.myshopify.com
  name: string;
  currencyCode: string;
  ianaTimezone: string;
  /** Access tokens the stand-in accepts for this shop (token exchange issues new ones). */
  accessTokens: Set<string>;
  products: Map<string, DsProduct>;
  variants: Map<string, DsVariant>;
  customers: Map<string, DsCustomer>;
  orders: Map<string, DsOrder>;
  discounts: Map<string, DsDiscount>;
  discountCodes: Map<string, DsDiscountCode>;
  webhooks: Map<string, DsWebhookSubscription>;
  bulkOperations: Map<string, DsBulkOperation>;
  /** Monotonic id counter used to mint GIDs. */
  nextId: number;
}
