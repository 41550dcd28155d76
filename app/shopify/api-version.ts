import { ApiVersion } from "@shopify/shopify-api";

/**
 * The one Admin API version this app speaks. `shopify.app.toml` ([webhooks] api_version) mirrors it
 * and tests/shopify/api-version.test.ts checks they agree; GraphQL documents are validated against
 * this version's schema (shopify-schema/admin_<version>.json.gz).
 */
export const ADMIN_API_VERSION = ApiVersion.October26;
