import type { Server } from "node:http";
import { request as httpRequest } from "node:http";
import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
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

  /** Sends `total` bytes in 64 KiB chunks; resolves with the status (or "reset" if the socket died first). */
  function send(path: string, total: number, opts: { chunked: boolean }): Promise<number | "reset"> {
    return new Promise((resolve) => {
      const headers: Record<string, string | number> = { "content-type": "application/json" };
      if (!opts.chunked) headers["content-length"] = total;
      const req = httpRequest({ host: "127.0.0.1", port, path, method: "POST", headers });
      let settled = false;
      const done = (value: number | "reset") => {
        if (!settled) (settled = true), resolve(value);
      };
      req.on("response", (res) => {
        res.resume();
        done(res.statusCode ?? 0);
      });
      req.on("error", () => done("reset"));
      const chunk = Buffer.alloc(64 * 1024, 0x61);
      let sent = 0;
      const pump = () => {
        while (sent < total && !settled) {
          const n = Math.min(chunk.length, total - sent);
          sent += n;
          if (!req.write(n === chunk.length ? chunk : chunk.subarray(0, n))) return void req.once("drain", pump);
        }
        req.end();
      };
      pump();
    });
  }

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
