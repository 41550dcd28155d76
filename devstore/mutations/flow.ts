/**
 * flowTriggerReceive(handle, payload): starts the workflows of an app's Flow trigger
 * (https://shopify.dev/docs/apps/build/flow/triggers). The stand-in checks what it can know —
 * the handle belongs to a deployed trigger, the payload is an object of that trigger's properties
 * within Shopify's 50 KB payload limit — and records each accepted run so tests and the demo can
 * show what reached Flow. It runs no workflow.
 */
import { appState } from "../app-state.js";
import type { GraphqlContext } from "../runtime.js";
import { nowIso } from "./util.js";

export const FLOW_PAYLOAD_LIMIT_BYTES = 50_000;

export const FLOW_MUTATIONS = {
  flowTriggerReceive: (
    _r: unknown,
    args: { handle?: string | null; payload?: unknown; body?: string | null },
    ctx: GraphqlContext,
  ) => {
    const err = (field: string, message: string) => ({ userErrors: [{ field: [field], message }] });
    if (args.body != null) return err("body", "The body argument is deprecated: send handle and payload.");
    if (!args.handle) return err("handle", "Handle can't be blank.");
    const allowed = ctx.runtime.flowTriggers.get(args.handle);
    if (!allowed) return err("handle", `No Flow trigger with handle '${args.handle}' exists for this app.`);
    const payload = args.payload;
    if (!payload || typeof payload !== "object" || Array.isArray(payload))
      return err("payload", "Payload must be a JSON object.");
    if (Buffer.byteLength(JSON.stringify(payload)) > FLOW_PAYLOAD_LIMIT_BYTES)
      return err("payload", "Payload exceeds the maximum size of 50 KB.");
    const unknown = Object.keys(payload).filter((k) => !allowed.has(k));
    if (unknown.length)
      return err("payload", `Payload has properties the trigger does not define: ${unknown.join(", ")}.`);
    appState(ctx.shop).flowTriggerRuns.push({
      handle: args.handle,
      payload: payload as Record<string, unknown>,
      receivedAt: nowIso(ctx),
    });
    return { userErrors: [] };
  },
};
