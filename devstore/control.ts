import type { IncomingMessage, ServerResponse } from "node:http";
import { randomBytes } from "node:crypto";
import type { BulkManager } from "./bulk.js";
import { COMPLIANCE_TOPICS, compliancePayload, type ComplianceTopic } from "./compliance.js";
import type { Faults, FaultConfig } from "./faults.js";
import { flowLifecycleRequest, sendFlowLifecycle } from "./flow-lifecycle.js";
import { parseJsonOrForm, readBody, sendJson } from "./http-util.js";
import type { DsShop } from "./model.js";
import type { Clock, DevStoreRuntime } from "./runtime.js";
import { currentSimulator, type DevStoreOptions } from "./server-options.js";
import { createEmptyShop } from "./shop.js";
import type { WebhookDispatcher } from "./webhooks.js";

/**
 * The stand-in's control API under `/_devstore/…` (tests and the demo drive it): shops and their
 * tokens, simulated orders, compliance webhooks, Flow workflow toggles, access scopes, fault
 * knobs, webhook delivery and log, bulk idleness.
 */
export function createControlHandler(deps: {
  opts: Pick<DevStoreOptions, "apiSecret" | "simulate">;
  clock: Clock;
  shops: Map<string, DsShop>;
  addShop: (shop: DsShop) => DsShop;
  runtime: DevStoreRuntime;
  faults: Faults;
  webhooks: WebhookDispatcher;
  bulk: BulkManager;
}) {
  const { opts, clock, shops, addShop, runtime, faults, webhooks, bulk } = deps;
  return async function handleControl(req: IncomingMessage, res: ServerResponse, path: string[]): Promise<void> {
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
        const simulate = opts.simulate ?? currentSimulator();
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
  };
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
