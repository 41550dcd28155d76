/**
 * GraphQL documents used by the sync (bulk import, polling, reconciliation). Each export is a
 * complete document validated against the 2026-10 Admin schema by the documents test.
 *
 * The three BULK_* queries are the *inner* queries of `bulkOperationRunQuery`: Shopify runs them
 * without pagination (connections take no `first`) and writes one JSONL line per node, children
 * on their own lines after their parent with `__parentId`. Nested lists that are not connections
 * (e.g. `customAttributes`) stay inline in their object's line.
 *
 * Longer than 300 lines on purpose: the bulk and the reconcile queries must select the same field
 * fragments (with and without protected customer data), and keeping fragments and the documents that
 * interpolate them in one file is what keeps the two paths from drifting apart.
 */
import { gql } from "graphql-request";

const PRODUCT_FIELDS = gql`
  id
  title
  handle
  productType
  vendor
  tags
  status
  publishedAt
  isGiftCard
  createdAt
  updatedAt
`;

const VARIANT_FIELDS = gql`
  id
  sku
  title
  price
  compareAtPrice
  inventoryQuantity
  inventoryPolicy
  updatedAt
  inventoryItem {
    unitCost {
      amount
    }
  }
`;

/**
 * Customer fields without the Level 2 protected customer fields (name, email, phone, address):
 * what the app reads when the shop has not approved those
 * (https://shopify.dev/docs/apps/launch/protected-customer-data). Consent (`marketingState`)
 * rides on `defaultEmailAddress`, so it is absent here and the stored state is kept.
 */
const CUSTOMER_FIELDS_WITHOUT_PII = gql`
  id
  tags
  createdAt
  updatedAt
`;

const CUSTOMER_FIELDS = gql`
  ${CUSTOMER_FIELDS_WITHOUT_PII}
  firstName
  lastName
  defaultEmailAddress {
    emailAddress
    marketingState
  }
`;

/** Order fields without the buyer's email (a protected customer field); see CUSTOMER_FIELDS_WITHOUT_PII. */
const ORDER_FIELDS_WITHOUT_PII = gql`
  id
  name
  customer {
    id
  }
  displayFinancialStatus
  currencyCode
  subtotalPriceSet {
    shopMoney {
      amount
    }
  }
  totalDiscountsSet {
    shopMoney {
      amount
    }
  }
  totalShippingPriceSet {
    shopMoney {
      amount
    }
  }
  totalTaxSet {
    shopMoney {
      amount
    }
  }
  totalPriceSet {
    shopMoney {
      amount
    }
  }
  totalRefundedSet {
    shopMoney {
      amount
    }
  }
  discountCodes
  customAttributes {
    key
    value
  }
  createdAt
  updatedAt
  processedAt
  cancelledAt
`;

const ORDER_FIELDS = gql`
  ${ORDER_FIELDS_WITHOUT_PII}
  email
`;

// Refunded quantity per line is `quantity - currentQuantity` (currentQuantity excludes refunded
// and removed units); this avoids a refunds → refundLineItems connection nested in a list, which
// bulk operations handle poorly, while order-level refunded money comes from totalRefundedSet.
const LINE_ITEM_FIELDS = gql`
  id
  name
  sku
  quantity
  currentQuantity
  variant {
    id
  }
  product {
    id
  }
  originalUnitPriceSet {
    shopMoney {
      amount
    }
  }
  discountedTotalSet {
    shopMoney {
      amount
    }
  }
  customAttributes {
    key
    value
  }
`;

/** Bulk: every product with its variants (incl. unit cost) and collections. */
export const BULK_PRODUCTS_QUERY = gql`
  query BulkProducts {
    products {
      edges {
        node {
          ${PRODUCT_FIELDS}
          variants {
            edges {
              node {
                ${VARIANT_FIELDS}
              }
            }
          }
          collections {
            edges {
              node {
                id
                title
              }
            }
          }
        }
      }
    }
  }
`;

const bulkCustomers = (name: string, fields: string) => gql`
  query ${name} {
    customers {
      edges {
        node {
          ${fields}
        }
      }
    }
  }
`;

const bulkOrders = (name: string, fields: string) => gql`
  query ${name} {
    orders {
      edges {
        node {
          ${fields}
          lineItems {
            edges {
              node {
                ${LINE_ITEM_FIELDS}
              }
            }
          }
        }
      }
    }
  }
`;

/** Bulk: every customer. */
export const BULK_CUSTOMERS_QUERY = bulkCustomers("BulkCustomers", CUSTOMER_FIELDS);
/** Bulk: every customer, without protected customer fields (the bulk query above ended ACCESS_DENIED). */
export const BULK_CUSTOMERS_WITHOUT_PII_QUERY = bulkCustomers("BulkCustomersWithoutPii", CUSTOMER_FIELDS_WITHOUT_PII);

/** Bulk: every order (the last 60 days without `read_all_orders`) with its line items. */
export const BULK_ORDERS_QUERY = bulkOrders("BulkOrders", ORDER_FIELDS);
/** Bulk: every order without the buyer's email (the bulk query above ended ACCESS_DENIED). */
export const BULK_ORDERS_WITHOUT_PII_QUERY = bulkOrders("BulkOrdersWithoutPii", ORDER_FIELDS_WITHOUT_PII);

/** The scopes the shop actually granted: `read_all_orders` is only there once Shopify approved it. */
export const ACCESS_SCOPES_QUERY = gql`
  query AccessScopes {
    currentAppInstallation {
      accessScopes {
        handle
      }
    }
  }
`;

const BULK_OPERATION_FIELDS = gql`
  id
  status
  errorCode
  objectCount
  rootObjectCount
  fileSize
  url
  partialDataUrl
  createdAt
  completedAt
`;

/** Starts a bulk query. `OPERATION_IN_PROGRESS` userError when one is already running. */
export const BULK_OPERATION_RUN_QUERY = gql`
  mutation BulkOperationRunQuery($query: String!, $groupObjects: Boolean!) {
    bulkOperationRunQuery(query: $query, groupObjects: $groupObjects) {
      bulkOperation {
        ${BULK_OPERATION_FIELDS}
      }
      userErrors {
        field
        message
        code
      }
    }
  }
`;

/** Polls a bulk operation by id. */
export const BULK_OPERATION_NODE_QUERY = gql`
  query BulkOperationNode($id: ID!) {
    node(id: $id) {
      ... on BulkOperation {
        ${BULK_OPERATION_FIELDS}
      }
    }
  }
`;

/** Reconciliation page of products updated since the watermark (variants/collections bounded). */
export const RECONCILE_PRODUCTS_QUERY = gql`
  query ReconcileProducts($query: String!, $after: String) {
    products(first: 5, after: $after, query: $query, sortKey: UPDATED_AT) {
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        ${PRODUCT_FIELDS}
        variants(first: 30) {
          nodes {
            ${VARIANT_FIELDS}
          }
        }
        collections(first: 5) {
          nodes {
            id
            title
          }
        }
      }
    }
  }
`;

const reconcileCustomers = (name: string, fields: string) => gql`
  query ${name}($query: String!, $after: String) {
    customers(first: 100, after: $after, query: $query, sortKey: UPDATED_AT) {
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        ${fields}
      }
    }
  }
`;

/** Reconciliation page of customers updated since the watermark. */
export const RECONCILE_CUSTOMERS_QUERY = reconcileCustomers("ReconcileCustomers", CUSTOMER_FIELDS);
/** Same, without protected customer fields (the query above answered ACCESS_DENIED). */
export const RECONCILE_CUSTOMERS_WITHOUT_PII_QUERY = reconcileCustomers(
  "ReconcileCustomersWithoutPii",
  CUSTOMER_FIELDS_WITHOUT_PII,
);

/** Reconciliation page of orders updated since the watermark. */
export const RECONCILE_ORDERS_QUERY = reconcileOrders("ReconcileOrders", ORDER_FIELDS);
/** Same, without the buyer's email (the query above answered ACCESS_DENIED). */
export const RECONCILE_ORDERS_WITHOUT_PII_QUERY = reconcileOrders(
  "ReconcileOrdersWithoutPii",
  ORDER_FIELDS_WITHOUT_PII,
);

function reconcileOrders(name: string, fields: string): string {
  return gql`
  query ${name}($query: String!, $after: String) {
    orders(first: 5, after: $after, query: $query, sortKey: UPDATED_AT) {
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        ${fields}
        lineItems(first: 20) {
          pageInfo {
            hasNextPage
            endCursor
          }
          nodes {
            ${LINE_ITEM_FIELDS}
          }
        }
      }
    }
  }
`;
}

/**
 * The next page of one order's line items (orders with more lines than a reconcile page holds).
 * Only line fields: no protected customer field, so it works whatever the shop approved.
 */
export const ORDER_LINE_ITEMS_PAGE_QUERY = gql`
  query OrderLineItemsPage($id: ID!, $after: String) {
    order(id: $id) {
      id
      lineItems(first: 90, after: $after) {
        pageInfo {
          hasNextPage
          endCursor
        }
        nodes {
          ${LINE_ITEM_FIELDS}
        }
      }
    }
  }
`;
