/**
 * The Shopify stand-in's HTTP server.
 *
 * URL scheme (base = returned `url`):
 *   POST {base}/shops/{shop}/admin/api/{version}/graphql.json   Admin GraphQL (X-Shopify-Access-Token)
 *   POST {base}/admin/api/{version}/graphql.json                same, shop taken from the Host header
 *   POST {base}/shops/{shop}/admin/oauth/access_token           token exchange (App Bridge session token)
 *   GET  {base}/bulk/{file}.jsonl                                bulk operation results
 *   POST {base}/staged-uploads                                   staged upload target (multipart form)
 *   /_devstore/...                                               control API (control.ts)
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createReadStream, statSync } from "node:fs";
import type { AddressInfo } from "node:net";
import type { DsShop } from "./model.js";
import type { DevStoreRuntime, GraphqlContext } from "./runtime.js";
import { Faults } from "./faults.js";
import { SUPPORTED_API_VERSIONS, adminSchema } from "./schema.js";
import { ThrottleBucket } from "./graphql/cost.js";
import { executeAdminGraphql, type GraphqlRequest } from "./graphql/executor.js";
import { BulkManager } from "./bulk.js";
import { WebhookDispatcher, attachWebhookSink } from "./webhooks.js";
import { createControlHandler } from "./control.js";
import { createTokenEndpoint } from "./oauth.js";
import { parseMultipart, readBody, sendJson } from "./http-util.js";
import { DEFAULT_SCOPES, type DevStore, type DevStoreHandler, type DevStoreOptions } from "./server-options.js";

export type { FaultConfig } from "./faults.js";
export {
  registerSimulator,
  type DevStore,
  type DevStoreHandler,
  type DevStoreOptions,
  type Simulator,
} from "./server-options.js";

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
  const tokens = createTokenEndpoint({ opts, clock, shops, runtime });
  const handleControl = createControlHandler({ opts, clock, shops, addShop, runtime, faults, webhooks, bulk });

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
    if (tokens.isExpired(token)) return sendJson(res, 401, INVALID_TOKEN_BODY);
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
          return await tokens.handleTokenExchange(req, res, domain);
        }
      }
      // Requests addressed like Shopify's own hosts (https://<shop>/admin/api/…), e.g. via a proxying fetch.
      if (segments[0] === "admin" && segments[1] === "api" && segments[3] === "graphql.json" && method === "POST") {
        const host =
          (req.headers["x-shopify-shop-domain"] as string | undefined) ?? (req.headers.host ?? "").replace(/:\d+$/, "");
        return await handleGraphql(req, res, host, segments[2]);
      }
      if (segments[0] === "admin" && segments[1] === "oauth" && segments[2] === "access_token" && method === "POST") {
        return await tokens.handleTokenExchange(req, res, (req.headers.host ?? "").replace(/:\d+$/, ""));
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
    tokenRefreshes: tokens.refreshes,
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
