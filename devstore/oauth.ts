import type { IncomingMessage, ServerResponse } from "node:http";
import { randomBytes } from "node:crypto";
import type { DsShop } from "./model.js";
import type { Clock, DevStoreRuntime } from "./runtime.js";
import type { DevStoreOptions } from "./server-options.js";
import { verifySessionToken } from "./jwt.js";
import { parseJsonOrForm, readBody, sendJson } from "./http-util.js";

/** Shopify's refresh tokens last 90 days. */
const REFRESH_TOKEN_TTL_S = 90 * 86_400;

/**
 * The stand-in's `/admin/oauth/access_token`: token exchange (an App Bridge session token for an
 * online or offline token, expiring or not) and the refresh of expiring offline tokens.
 */
export function createTokenEndpoint(deps: {
  opts: Pick<DevStoreOptions, "apiKey" | "apiSecret" | "offlineTokenTtlSeconds">;
  clock: Clock;
  shops: Map<string, DsShop>;
  runtime: DevStoreRuntime;
}) {
  const { opts, clock, shops, runtime } = deps;
  /** Expiring offline tokens → expiry (clock ms); refresh tokens → shop and expiry. */
  const tokenExpiry = new Map<string, number>();
  const refreshTokens = new Map<string, { domain: string; expiresAt: number }>();
  let refreshCount = 0;

  async function handleTokenExchange(req: IncomingMessage, res: ServerResponse, domain: string): Promise<void> {
    const shop = shops.get(domain);
    if (!shop) return sendJson(res, 404, { errors: "Not Found" });
    let params: Record<string, unknown>;
    try {
      params = parseJsonOrForm(req, await readBody(req));
    } catch {
      return sendJson(res, 400, { error: "invalid_request" });
    }
    if (params.client_id !== opts.apiKey || params.client_secret !== opts.apiSecret) {
      return sendJson(res, 401, { error: "invalid_client" });
    }
    if (params.grant_type === "refresh_token")
      return refreshOfflineToken(res, shop, String(params.refresh_token ?? ""));
    if (params.grant_type !== "urn:ietf:params:oauth:grant-type:token-exchange") {
      return sendJson(res, 400, { error: "unsupported_grant_type" });
    }
    const payload = verifySessionToken(String(params.subject_token ?? ""), {
      apiKey: opts.apiKey,
      apiSecret: opts.apiSecret,
      shopDomain: domain,
      nowMs: clock(),
    });
    if (!payload) return sendJson(res, 400, { error: "invalid_subject_token" });
    const accessToken = `shpat_${randomBytes(16).toString("hex")}`;
    shop.accessTokens.add(accessToken);
    const scope = runtime.access.scopes;
    if (params.requested_token_type === "urn:shopify:params:oauth:token-type:online-access-token") {
      const userId = Number(payload.sub ?? 1);
      return sendJson(res, 200, {
        access_token: accessToken,
        scope,
        expires_in: 86399,
        associated_user_scope: scope,
        associated_user: {
          id: userId,
          first_name: "Dev",
          last_name: "Owner",
          email: `owner@${domain}`,
          email_verified: true,
          account_owner: true,
          locale: "en",
          collaborator: false,
        },
      });
    }
    if (params.expiring === "1" || params.expiring === 1)
      return sendJson(res, 200, { scope, ...issueExpiring(shop, accessToken) });
    sendJson(res, 200, { access_token: accessToken, scope });
  }

  /**
   * Expiring offline tokens (https://shopify.dev/docs/apps/build/authentication-authorization/access-tokens/offline-access-tokens):
   * `access_token` + `expires_in`, a `refresh_token` + `refresh_token_expires_in` (90 days). A
   * refresh (`grant_type=refresh_token` at /admin/oauth/access_token) returns a new pair. The
   * previous refresh token stays usable, as Shopify retains it until the replacement is used
   * (https://shopify.dev/changelog/more-resilient-refreshes-for-expiring-offline-access-tokens).
   */
  function issueExpiring(shop: DsShop, accessToken: string) {
    const ttl = opts.offlineTokenTtlSeconds ?? 3600;
    tokenExpiry.set(accessToken, clock() + ttl * 1000);
    const refreshToken = `shprt_${randomBytes(16).toString("hex")}`;
    refreshTokens.set(refreshToken, { domain: shop.domain, expiresAt: clock() + REFRESH_TOKEN_TTL_S * 1000 });
    return {
      access_token: accessToken,
      expires_in: ttl,
      refresh_token: refreshToken,
      refresh_token_expires_in: REFRESH_TOKEN_TTL_S,
    };
  }

  function refreshOfflineToken(res: ServerResponse, shop: DsShop, refreshToken: string) {
    const known = refreshTokens.get(refreshToken);
    if (!known || known.domain !== shop.domain || clock() >= known.expiresAt)
      return sendJson(res, 400, { error: "invalid_grant" });
    const accessToken = `shpat_${randomBytes(16).toString("hex")}`;
    shop.accessTokens.add(accessToken);
    refreshCount += 1;
    sendJson(res, 200, { scope: runtime.access.scopes, ...issueExpiring(shop, accessToken) });
  }

  return {
    handleTokenExchange,
    /** True when `token` is an expiring offline token past its expiry (it answers 401 like an unknown one). */
    isExpired: (token: string) => {
      const expiresAt = tokenExpiry.get(token);
      return expiresAt !== undefined && clock() >= expiresAt;
    },
    /** How many offline tokens were refreshed (grant_type=refresh_token). */
    refreshes: () => refreshCount,
  };
}
