import type { Server } from "node:http";
import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postBytes } from "../helpers/oversized-post";
import { BODY_LIMITS, bodyLimitFor, bufferedBody, limitedBody } from "~/server/body-limit.server";

/**
 * The body limit in front of Remix, over a real socket: oversized bodies are refused with 413
 * before they are buffered — declared (`Content-Length`) and chunked — and the process's memory
 * stays flat while 64 MB arrive. Bodies under the limit reach the handler byte for byte.
 */
describe("limitedBody", () => {
  let server: Server;
  let port: number;
  beforeAll(async () => {
    const app = express();
    app.all("*", limitedBody(), (_req, res) => {
      res.json({ bytes: bufferedBody(res)?.length ?? null });
    });
    server = await new Promise<Server>((resolve) => {
      const s = app.listen(0, "127.0.0.1", () => resolve(s));
    });
    port = (server.address() as { port: number }).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const send = (path: string, total: number, opts: { chunked: boolean }) => postBytes(port, path, total, opts);

  it("maps paths to limits: webhooks 2 MiB, proxy 64 KiB, the rest 1 MiB", () => {
    expect(bodyLimitFor("/webhooks")).toBe(2 * 1024 * 1024);
    expect(bodyLimitFor("/proxy/recommendations")).toBe(64 * 1024);
    expect(bodyLimitFor("/app/settings")).toBe(BODY_LIMITS.default);
  });

  it("passes a body under the limit through intact", async () => {
    const res = await fetch(`http://127.0.0.1:${port}/webhooks`, { method: "POST", body: "x".repeat(1_500_000) });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ bytes: 1_500_000 });
  });

  it("refuses a declared oversize body with 413 before reading it", async () => {
    expect(await send("/webhooks", 64 * 1024 * 1024, { chunked: false })).toBe(413);
  });

  it("refuses a chunked body the moment it crosses the limit, with bounded memory", async () => {
    global.gc?.();
    const before = process.memoryUsage().rss;
    const statuses = await Promise.all([1, 2, 3].map(() => send("/webhooks", 64 * 1024 * 1024, { chunked: true })));
    const grownMb = (process.memoryUsage().rss - before) / 1024 / 1024;
    // The client may see the reset before it reads the 413 (it is still writing when we close).
    for (const status of statuses) expect([413, "reset"]).toContain(status);
    expect(statuses).toContain(413);
    // 192 MB were offered; buffering any of them whole would grow RSS by ≥ 64 MB.
    expect(grownMb).toBeLessThan(48);
  });

  it("applies the smaller proxy limit", async () => {
    const res = await fetch(`http://127.0.0.1:${port}/proxy/cart`, { method: "POST", body: "x".repeat(100 * 1024) });
    expect(res.status).toBe(413);
  });
});
