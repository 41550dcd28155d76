/**
 * Typed Admin API failures. Messages never include the access token, request variables or
 * response bodies (they can carry customer PII); callers branch on the class, not on text.
 */

/** Base class of every Admin API failure. */
export class ShopifyApiError extends Error {
  constructor(
    message: string,
    readonly shop: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** 401/403: the token is invalid, revoked (app uninstalled) or lacks a scope. Never retried. */
export class ShopifyAuthError extends ShopifyApiError {
  constructor(
    shop: string,
    readonly status: number,
  ) {
    super(`Shopify refused the access token for ${shop} (HTTP ${status})`, shop);
  }
}

/** One entry of a GraphQL `errors` array, reduced to what is safe to keep. */
export interface GraphqlErrorEntry {
  message: string;
  code?: string;
  path?: (string | number)[];
}

/** The response carried GraphQL `errors` (bad query, access denied to a field, …). */
export class ShopifyGraphqlError extends ShopifyApiError {
  constructor(
    shop: string,
    readonly errors: GraphqlErrorEntry[],
  ) {
    super(`Shopify GraphQL error for ${shop}: ${errors.map((e) => e.message).join("; ")}`, shop);
  }
}

/** HTTP failure that survived every retry (5xx, 429, network error, timeout, THROTTLED). */
export class ShopifyHttpError extends ShopifyApiError {
  constructor(
    shop: string,
    readonly status: number | null,
    detail: string,
  ) {
    super(`Shopify request for ${shop} failed: ${detail}`, shop);
  }
}

/** A `userErrors` entry of a mutation payload. */
export interface UserErrorEntry {
  field: string[] | null;
  code: string | null;
  message: string;
}

/** A mutation answered with non-empty `userErrors`: the input was rejected, nothing happened. */
export class ShopifyUserErrors extends ShopifyApiError {
  constructor(
    shop: string,
    readonly mutation: string,
    readonly userErrors: UserErrorEntry[],
  ) {
    super(
      `${mutation} rejected for ${shop}: ${userErrors
        .map((e) => `${e.field?.join(".") ?? "-"}: ${e.message}${e.code ? ` (${e.code})` : ""}`)
        .join("; ")}`,
      shop,
    );
  }
}
