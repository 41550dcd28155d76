import type { Server } from "node:http";
import path from "node:path";
import type { ServerBuild } from "@remix-run/node";
import express from "express";
import { limitedBody } from "./body-limit.server";
import { remixHandler } from "./remix-handler.server";

export const BUILD_DIR = path.resolve(import.meta.dirname, "../../build");

/** Loads the production Remix build (`npm run build`). */
export async function loadServerBuild(): Promise<ServerBuild> {
  return (await import(path.join(BUILD_DIR, "server/index.js"))) as ServerBuild;
}

/**
 * Serves the Remix app: fingerprinted client assets with long caching, everything else through
 * Remix with a bounded body (413 past the path's limit, see body-limit.server.ts). Extra express routers (e.g. the app proxy fast path) can be mounted before Remix.
 */
export async function startHttpServer(opts: {
  port: number;
  host?: string;
  build: ServerBuild;
  mode?: "development" | "production";
}): Promise<{ server: Server; url: string; close(): Promise<void> }> {
  const app = express();
  app.disable("x-powered-by");
  app.use("/assets", express.static(path.join(BUILD_DIR, "client/assets"), { immutable: true, maxAge: "1y" }));
  app.use(express.static(path.join(BUILD_DIR, "client"), { maxAge: "1h" }));
  app.all("*", limitedBody(), remixHandler(opts.build, opts.mode ?? "production"));
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(opts.port, opts.host ?? "127.0.0.1", () => resolve(s));
  });
  // Slow-client bounds (Node's defaults are 60 s for headers and 300 s for the whole request):
  // no request Shopify or a merchant's browser sends needs more than this.
  server.headersTimeout = 15_000;
  server.requestTimeout = 30_000;
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : opts.port;
  return {
    server,
    url: `http://localhost:${port}`,
    close: () => new Promise((resolve, reject) => server.close((e) => (e ? reject(e) : resolve()))),
  };
}
