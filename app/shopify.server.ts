import "@shopify/shopify-app-remix/adapters/node";
import { setAbstractFetchFunc } from "@shopify/shopify-api/runtime";
import { AppDistribution, shopifyApp } from "@shopify/shopify-app-remix/server";
import { getDb } from "./db.server";
import { env } from "./env.server";
import { ADMIN_API_VERSION } from "./shopify/api-version";
import { devstoreFetch } from "./shopify/devstore-fetch.server";
import { APP_SCOPES } from "./shopify/scopes";
import { DeferredPrismaSessionStorage } from "./shopify/session-storage.server";

const config = env();

// Demo and tests only: route the Shopify library's own calls (token exchange) to the stand-in.
if (config.DEVSTORE_URL) setAbstractFetchFunc(devstoreFetch(config.DEVSTORE_URL));

/**
 * The Shopify app: embedded, token-exchange auth (the default for embedded apps in
 * shopify-app-remix 6), sessions in Postgres through Prisma. Webhooks are declared app-wide in
 * shopify.app.toml, so nothing is registered from here.
 */
const shopify = shopifyApp({
  apiKey: config.SHOPIFY_API_KEY,
  apiSecretKey: config.SHOPIFY_API_SECRET,
  apiVersion: ADMIN_API_VERSION,
  scopes: config.SCOPES?.split(",") ?? [...APP_SCOPES],
  appUrl: config.SHOPIFY_APP_URL,
  authPathPrefix: "/auth",
  sessionStorage: new DeferredPrismaSessionStorage(async () => (await getDb()).prisma),
  distribution: AppDistribution.AppStore,
  isEmbeddedApp: true,
  // Expiring offline tokens (+ refresh tokens): required for public apps created after
  // 2026-04-01, and for all public apps from 2027-01-01
  // (https://shopify.dev/docs/apps/build/authentication-authorization/access-tokens/offline-access-tokens).
  // Background work gets its client through shopify/offline-session.server.ts.
  future: { unstable_newEmbeddedAuthStrategy: true, expiringOfflineAccessTokens: true },
  hooks: {
    // After every token exchange (install, re-install, an offline token exchanged again): refresh
    // the shop, clear a previous uninstall, start the first sync. Loaded lazily so this module
    // does not pull the job queue into every importer (services import `authenticate`).
    afterAuth: async ({ session }) => {
      const { afterShopAuth } = await import("./services/shop/after-auth.server");
      await afterShopAuth(session);
    },
  },
});

export default shopify;
export const apiVersion = ADMIN_API_VERSION;
export const addDocumentResponseHeaders = shopify.addDocumentResponseHeaders;
export const authenticate = shopify.authenticate;
export const unauthenticated = shopify.unauthenticated;
export const login = shopify.login;
export const sessionStorage = shopify.sessionStorage;
