/**
 * The real Shopify Admin GraphQL schema (introspection JSON shipped in `shopify-schema/`), loaded
 * once per process. Building the client schema takes ~1 s for the 11 MB file, so every server
 * and test in a process shares the same instance.
 */
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { fileURLToPath } from "node:url";
import { buildClientSchema, type GraphQLSchema, type IntrospectionQuery } from "graphql";

/** The Admin API version the stand-in serves; other versions answer 404 like a retired version. */
export const API_VERSION = "2026-10";
export const SUPPORTED_API_VERSIONS: readonly string[] = [API_VERSION];

const SCHEMA_FILE = fileURLToPath(new URL(`../shopify-schema/admin_${API_VERSION}.json.gz`, import.meta.url));

let cached: GraphQLSchema | null = null;

/** The Admin schema for {@link API_VERSION}, built on first use. */
export function adminSchema(): GraphQLSchema {
  if (!cached) {
    const json = JSON.parse(gunzipSync(readFileSync(SCHEMA_FILE)).toString("utf8")) as {
      data: IntrospectionQuery;
    };
    cached = buildClientSchema(json.data, { assumeValid: true });
  }
  return cached;
}
