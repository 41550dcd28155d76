/**
 * The Shopify stand-in's HTTP server.
 *
 * URL scheme (base = returned `url`):
 *   POST {base}/shops/{shop}/admin/api/{version}/graphql.json   Admin GraphQL (X-Shopify-Access-Token)
 *   POST {base}/admin/api/{version}/graphql.json                same, shop taken from the Host header
 *   POST {base}/shops/{shop}/admin/oauth/access_token           token exchange (App Bridge session token)
 *   GET  {base}/bulk/{file}.jsonl                                bulk operation results
 *   POST {base}/staged-uploads                                   staged upload target (multipart form)
 *   /_devstore/...                                               control API (see `handleControl`)
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createReadStream, statSync } from "node:fs";
import { randomBytes } from "node:crypto";
import type { AddressInfo } from "node:net";
import type { DsShop } from "./model.js";
import type { Clock, DevStoreRuntime, GraphqlContext } from "./runtime.js";
import { Faults, type FaultConfig } from "./faults.js";
import { SUPPORTED_API_VERSIONS, adminSchema } from "./schema.js";
import { createEmptyShop } from "./shop.js";
import { ThrottleBucket } from "./graphql/cost.js";
import { executeAdminGraphql, type GraphqlRequest } from "./graphql/executor.js";
import { BulkManager } from "./bulk.js";
import { WebhookDispatcher, attachWebhookSink } from "./webhooks.js";
import { verifySessionToken } from "./jwt.js";
import { COMPLIANCE_TOPICS, compliancePayload, type ComplianceTopic } from "./compliance.js";
import { flowLifecycleRequest, sendFlowLifecycle } from "./flow-lifecycle.js";
import { parseJsonOrForm, parseMultipart, readBody, sendJson } from "./http-util.js";

export type { FaultConfig } from "./faults.js";

/** Callback the data generator registers to add orders over time for the demo (`POST …/simulate`). */
export type Simulator = (
  shop: DsShop,
  params: Record<string, unknown>,
  env: { clock: Clock },
) => unknown | Promise<unknown>;

let registeredSimulator: Simulator | null = null;

/** Registers the simulator used by every stand-in started afterwards without `opts.simulate`. */
export function registerSimulator(fn: Simulator | null): void {
  registeredSimulator = fn;
}

export interface DevStoreOptions {
  port?: number;
  host?: string;
  apiKey: string;
  apiSecret: string;
  clock?: Clock;
  faults?: Partial<FaultConfig>;
  shops?: DsShop[];
  /**
   * Scopes granted by token exchange. Without `read_all_orders` every `orders` read (queries,
   * bulk, by id) sees only the last 60 days (devstore/access.ts).
   */
  scopes?: string;
  /**
   * Level 2 protected customer fields (name, email, phone, address) approved (default true, as
   * on a development store). False → those fields answer null with Shopify's ACCESS_DENIED error,
   * and a bulk query selecting them fails with errorCode ACCESS_DENIED (devstore/access.ts).
   */
  protectedCustomerFields?: boolean;
  simulate?: Simulator;
  /** Deliver webhooks as events happen (default true); false → only `deliverPending()`. */
  autoDeliverWebhooks?: boolean;
  webhookMaxAttempts?: number;
  /** Keep finished bulk operations reported as RUNNING for this many clock ms (poll-loop tests). */
  bulkMinDurationMs?: number;
  bulkDir?: string;
  /**
   * Lifetime of expiring offline access tokens (token exchange / refresh with `expiring=1`).
   * Shopify issues 3600 s (https://shopify.dev/changelog/offline-access-tokens-now-support-expiry-and-refresh);
   * the demo and tests set it short (DEMO_OFFLINE_TOKEN_TTL_SECONDS) so refreshes really happen.
   */
  offlineTokenTtlSeconds?: number;
  /**
   * Shopify Flow triggers the app has deployed (`flow_trigger` extensions): handle → the property
   * names its payload may carry. `flowTriggerReceive` refuses any other handle, as Shopify does.
   */
  flowTriggers?: Record<string, readonly string[]>;
}

export interface DevStoreHandler {
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
  runtime: DevStoreRuntime;
  shops: Map<string, DsShop>;
  addShop(shop: DsShop): DsShop;
  faults: FaultConfig;
  deliverPending(): Promise<void>;
  /** Resolves when no bulk operation is running. */
  bulkIdle(): Promise<void>;
  /** How many offline tokens were refreshed (grant_type=refresh_token). */
  tokenRefreshes(): number;
  webhookLog: WebhookDispatcher["log"];
  setBaseUrl(url: string): void;
  close(): void;
}

export interface DevStore extends Omit<DevStoreHandler, "handle" | "setBaseUrl" | "close"> {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** What an app approved for everything it asks for holds; `read_all_orders` lifts the 60-day order window. */
const DEFAULT_SCOPES =
  "read_products,write_products,read_customers,write_customers,read_orders,write_orders,read_all_orders,read_discounts,write_discounts";

/** Shopify's refresh tokens last 90 days. */
const REFRESH_TOKEN_TTL_S = 90 * 86_400;
const INVALID_TOKEN_BODY = { errors: "[API] Invalid API key or access token (unrecognized login or wrong password)" };

/** Builds the request handler and its state without binding a port. */
export function createDevStoreHandler(opts: DevStoreOptions): DevStoreHandler {
  adminSchema(); // load the schema up front so the first request is not slow
  const clock = opts.clock ?? Date.now;
  const faults = new Faults(opts.faults);
  let baseUrl = "http://127.0.0.1";
  const shops = new Map<string, DsShop>();
  const buckets = new Map<string, ThrottleBucket>();
  const webhooks = new WebhookDispatcher({
    apiSecret: opts.apiSecret,
    clock,
    faults,
    autoDeliver: opts.autoDeliverWebhooks ?? true,
    maxAttempts: opts.webhookMaxAttempts,
    access: () => runtime.access,
  });
  const runtime: DevStoreRuntime = {
    apiKey: opts.apiKey,
    apiSecret: opts.apiSecret,
    clock,
    faults,
    baseUrl: () => baseUrl,
    webhooks,
    bulk: undefined as unknown as BulkManager,
    stagedUploads: new Map(),
    flowTriggers: new Map(Object.entries(opts.flowTriggers ?? {}).map(([handle, keys]) => [handle, new Set(keys)])),
    access: { scopes: opts.scopes ?? DEFAULT_SCOPES, protectedCustomerFields: opts.protectedCustomerFields ?? true },
  };
  const bulk = new BulkManager({ runtime: () => runtime, dir: opts.bulkDir, minDurationMs: opts.bulkMinDurationMs });
  runtime.bulk = bulk;

  const addShop = (shop: DsShop): DsShop => {
    shops.set(shop.domain, shop);
    attachWebhookSink(shop, webhooks);
    return shop;
  };
  for (const shop of opts.shops ?? []) addShop(shop);

  /** Expiring offline tokens → expiry (clock ms); refresh tokens → shop and expiry. */
  const tokenExpiry = new Map<string, number>();
  const refreshTokens = new Map<string, { domain: string; expiresAt: number }>();
  let refreshCount = 0;

  const bucketFor = (domain: string): ThrottleBucket => {
    let b = buckets.get(domain);
    if (!b) {
      b = new ThrottleBucket(clock);
      buckets.set(domain, b);
    }
    return b;
  };

  async function handleGraphql(
    req: IncomingMessage,
    res: ServerResponse,
    domain: string,
    version: string,
  ): Promise<void> {
    const shop = shops.get(domain);
    if (!shop) return sendJson(res, 404, { errors: "Not Found" });
    if (!SUPPORTED_API_VERSIONS.includes(version)) return sendJson(res, 404, { errors: "Not Found" });
    const token = req.headers["x-shopify-access-token"];
    if (typeof token !== "string" || !shop.accessTokens.has(token)) return sendJson(res, 401, INVALID_TOKEN_BODY);
    // An expired offline token gets the same 401 as an unknown one: Shopify does not say why.
    const expiresAt = tokenExpiry.get(token);
    if (expiresAt !== undefined && clock() >= expiresAt) return sendJson(res, 401, INVALID_TOKEN_BODY);
    const body = await readBody(req);
    const cfg = faults.config;
    if (cfg.slowMs > 0) await new Promise((r) => setTimeout(r, cfg.slowMs));
    if (faults.roll(cfg.serverErrorRate)) {
      const status = faults.pick([502, 503]);
      return sendJson(res, status, { errors: status === 502 ? "Bad Gateway" : "Service Unavailable" });
    }
    if (faults.roll(cfg.http429Rate)) {
      return sendJson(
        res,
        429,
        { errors: "Exceeded 2 calls per second for api client. Reduce request rates to resume uninterrupted service." },
        { "Retry-After": "2.0" },
      );
    }
    let request: GraphqlRequest;
    try {
      request = parseGraphqlBody(req, body);
    } catch {
      return sendJson(res, 400, { errors: { query: "Required parameter missing or invalid" } });
    }
    const ctx: GraphqlContext = { shop, runtime, memo: new Map() };
    const result = await executeAdminGraphql(request, {
      ctx,
      bucket: bucketFor(domain),
      forceThrottle: faults.roll(cfg.throttleRate),
    });
    sendJson(res, 200, result);
  }

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

  function handleBulkFile(res: ServerResponse, fileId: string): void {
    const path = bulk.filePath(fileId);
    if (!path) return sendJson(res, 404, { errors: "Not Found" });
    res.writeHead(200, { "Content-Type": "application/jsonl", "Content-Length": statSync(path).size });
    createReadStream(path).pipe(res);
  }

  async function handleStagedUpload(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const parts = parseMultipart(req, await readBody(req));
    const key = parts.get("key")?.toString("utf8");
    const file = parts.get("file");
    if (!key || !file) return sendJson(res, 400, { error: "key and file are required" });
    runtime.stagedUploads.set(key, file);
    res.writeHead(201, { "Content-Type": "application/xml" });
    res.end(`<?xml version="1.0" encoding="UTF-8"?><PostResponse><Key>${key}</Key></PostResponse>`);
  }

  async function handleControl(req: IncomingMessage, res: ServerResponse, path: string[]): Promise<void> {
    const method = req.method ?? "GET";
    const body = method === "GET" ? {} : parseJsonOrForm(req, await readBody(req));
    // GET /_devstore/shops — shops with record counts
    if (path[0] === "shops" && path.length === 1) {
      if (method === "POST") {
        const domain = String(body.domain ?? "");
        if (!domain) return sendJson(res, 400, { error: "domain is required" });
        const shop = shops.get(domain) ?? addShop(createEmptyShop(domain, { name: body.name as string | undefined }));
        if (typeof body.accessToken === "string") shop.accessTokens.add(body.accessToken);
        return sendJson(res, 200, { shop: shopSummary(shop) });
      }
      return sendJson(res, 200, { shops: [...shops.values()].map(shopSummary) });
    }
    if (path[0] === "shops" && path.length >= 3) {
      const shop = shops.get(path[1]);
      if (!shop) return sendJson(res, 404, { error: "unknown shop" });
      const action = path[2];
      if (action === "tokens" && method === "POST") {
        const token = typeof body.token === "string" ? body.token : `shpat_${randomBytes(16).toString("hex")}`;
        shop.accessTokens.add(token);
        return sendJson(res, 200, { token });
      }
      if (action === "simulate" && method === "POST") {
        const simulate = opts.simulate ?? registeredSimulator;
        if (!simulate) return sendJson(res, 501, { error: "no simulator registered" });
        const result = await simulate(shop, body, { clock });
        return sendJson(res, 200, { result: result ?? null, shop: shopSummary(shop) });
      }
      if (action === "compliance" && method === "POST") {
        const topic = String(body.topic ?? "") as ComplianceTopic;
        if (!COMPLIANCE_TOPICS.includes(topic))
          return sendJson(res, 400, { error: `topic must be one of ${COMPLIANCE_TOPICS.join(", ")}` });
        const payload = compliancePayload(shop, topic, body.customerId as string | undefined);
        if (typeof body.url === "string") webhooks.emitTo(body.url, shop.domain, topic, payload);
        else webhooks.emit(shop, topic, payload);
        if (body.deliver !== false) await webhooks.deliverPending();
        return sendJson(res, 200, { queued: true });
      }
      if (action === "summary") return sendJson(res, 200, { shop: shopSummary(shop) });
      // POST /_devstore/shops/:shop/flow-workflow { url, enabled } — a merchant turning a workflow
      // on the app's trigger on or off: Flow's signed lifecycle callback goes to `url`.
      if (action === "flow-workflow" && method === "POST") {
        if (typeof body.url !== "string") return sendJson(res, 400, { error: "url is required" });
        const req = flowLifecycleRequest(shop, {
          enabled: body.enabled !== false,
          apiSecret: opts.apiSecret,
          nowMs: clock(),
        });
        return sendJson(res, 200, { accepted: await sendFlowLifecycle(body.url, req) });
      }
    }
    // GET/POST /_devstore/access — granted scopes and protected-customer-field approval (demo, tests)
    if (path[0] === "access") {
      if (method === "POST" || method === "PUT") {
        if (typeof body.scopes === "string") runtime.access.scopes = body.scopes;
        if (typeof body.protectedCustomerFields === "boolean")
          runtime.access.protectedCustomerFields = body.protectedCustomerFields;
      }
      return sendJson(res, 200, { access: runtime.access });
    }
    if (path[0] === "faults") {
      if (method === "POST" || method === "PUT") faults.set(body as Partial<FaultConfig>);
      return sendJson(res, 200, { faults: faults.config });
    }
    if (path[0] === "webhooks" && path[1] === "deliver" && method === "POST") {
      await webhooks.deliverPending();
      return sendJson(res, 200, { delivered: true, pending: webhooks.pendingCount() });
    }
    if (path[0] === "webhooks" && path[1] === "log") return sendJson(res, 200, { attempts: webhooks.log });
    if (path[0] === "bulk" && path[1] === "idle") {
      await bulk.idle();
      return sendJson(res, 200, { idle: true });
    }
    sendJson(res, 404, { error: "unknown control route" });
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const url = new URL(req.url ?? "/", "http://devstore.local");
      const segments = url.pathname.split("/").filter(Boolean).map(decodeURIComponent);
      const method = req.method ?? "GET";
      if (segments[0] === "shops" && segments[2] === "admin") {
        const domain = segments[1];
        if (segments[3] === "api" && segments[5] === "graphql.json" && method === "POST") {
          return await handleGraphql(req, res, domain, segments[4]);
        }
        if (segments[3] === "oauth" && segments[4] === "access_token" && method === "POST") {
          return await handleTokenExchange(req, res, domain);
        }
      }
      // Requests addressed like Shopify's own hosts (https://<shop>/admin/api/…), e.g. via a proxying fetch.
      if (segments[0] === "admin" && segments[1] === "api" && segments[3] === "graphql.json" && method === "POST") {
        const host =
          (req.headers["x-shopify-shop-domain"] as string | undefined) ?? (req.headers.host ?? "").replace(/:\d+$/, "");
        return await handleGraphql(req, res, host, segments[2]);
      }
      if (segments[0] === "admin" && segments[1] === "oauth" && segments[2] === "access_token" && method === "POST") {
        return await handleTokenExchange(req, res, (req.headers.host ?? "").replace(/:\d+$/, ""));
      }
      if (segments[0] === "bulk" && segments.length === 2 && method === "GET") {
        return handleBulkFile(res, segments[1].replace(/\.jsonl$/, ""));
      }
      if (segments[0] === "staged-uploads" && method === "POST") return await handleStagedUpload(req, res);
      if (segments[0] === "_devstore") return await handleControl(req, res, segments.slice(1));
      sendJson(res, 404, { errors: "Not Found" });
    } catch (error) {
      if (!res.headersSent) sendJson(res, 500, { errors: `Internal error: ${(error as Error).message}` });
      else res.destroy();
    }
  }

  return {
    handle,
    runtime,
    shops,
    addShop,
    faults: faults.config,
    deliverPending: () => webhooks.deliverPending(),
    bulkIdle: () => bulk.idle(),
    tokenRefreshes: () => refreshCount,
    webhookLog: webhooks.log,
    setBaseUrl: (url) => {
      baseUrl = url;
    },
    close: () => {
      webhooks.close();
      bulk.close();
    },
  };
}

function parseGraphqlBody(req: IncomingMessage, body: Buffer): GraphqlRequest {
  const type = req.headers["content-type"] ?? "";
  // Shopify also accepts `Content-Type: application/graphql` with the raw document as body.
  if (type.includes("application/graphql")) return { query: body.toString("utf8") };
  const parsed = JSON.parse(body.toString("utf8")) as GraphqlRequest;
  if (!parsed || typeof parsed !== "object") throw new Error("bad body");
  return parsed;
}

function shopSummary(shop: DsShop) {
  return {
    domain: shop.domain,
    name: shop.name,
    currencyCode: shop.currencyCode,
    products: shop.products.size,
    variants: shop.variants.size,
    customers: shop.customers.size,
    orders: shop.orders.size,
    discounts: shop.discounts.size,
    webhookSubscriptions: shop.webhooks.size,
  };
}

/** Starts the stand-in on `opts.port` (0 = random) on 127.0.0.1. */
export async function startDevStore(opts: DevStoreOptions): Promise<DevStore> {
  const handler = createDevStoreHandler(opts);
  const server: Server = createServer((req, res) => void handler.handle(req, res));
  // Long enough that a slow reader of a large bulk file is not cut off between chunks.
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, opts.host ?? "127.0.0.1", () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${opts.host ?? "127.0.0.1"}:${port}`;
  handler.setBaseUrl(url);
  return {
    url,
    port,
    runtime: handler.runtime,
    shops: handler.shops,
    addShop: handler.addShop,
    faults: handler.faults,
    deliverPending: handler.deliverPending,
    bulkIdle: handler.bulkIdle,
    tokenRefreshes: handler.tokenRefreshes,
    webhookLog: handler.webhookLog,
    close: async () => {
      handler.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
