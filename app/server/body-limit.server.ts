import type { NextFunction, Request, Response } from "express";

/**
 * Request body limits, enforced while the body streams in and before anything parses it.
 *
 * Why not `express.raw({ limit })`: body-parser reads (and discards) the whole oversized upload
 * before it answers, so a 600 MB POST still ties the process up for seconds. Here a declared
 * `Content-Length` over the limit is refused before a byte is read, and a chunked body is refused
 * the moment it crosses the limit; the 413 carries `Connection: close` so Node drops the rest.
 * Memory per request is bounded by the limit. Shopify's webhook payloads are far below 2 MiB
 * (docs/reliability.md lists the limits and the matching load-balancer settings).
 */
export const BODY_LIMITS = {
  /** Shopify webhook deliveries (`/webhooks`). */
  webhooks: 2 * 1024 * 1024,
  /** Storefront requests through the app proxy (`/proxy/…`): tiny JSON at most. */
  proxy: 64 * 1024,
  /** Everything else: admin form posts. */
  default: 1024 * 1024,
} as const;

export function bodyLimitFor(path: string): number {
  if (path === "/webhooks" || path.startsWith("/webhooks/")) return BODY_LIMITS.webhooks;
  if (path === "/proxy" || path.startsWith("/proxy/")) return BODY_LIMITS.proxy;
  return BODY_LIMITS.default;
}

/** The buffered body `limitedBody` leaves for the Remix handler (undefined for GET/HEAD). */
export function bufferedBody(res: Response): Buffer | undefined {
  return res.locals.body as Buffer | undefined;
}

/** Express middleware: buffers the body up to its path's limit into `res.locals.body`, else 413. */
export function limitedBody(limitFor: (path: string) => number = bodyLimitFor) {
  return (req: Request, res: Response, next: NextFunction) => {
    if (req.method === "GET" || req.method === "HEAD") return next();
    const limit = limitFor(req.path);
    const declared = Number(req.headers["content-length"]);
    if (Number.isFinite(declared) && declared > limit) return refuse(req, res);

    const chunks: Buffer[] = [];
    let size = 0;
    let refused = false;
    req.on("data", (chunk: Buffer) => {
      if (refused) return;
      size += chunk.length;
      if (size > limit) {
        refused = true;
        chunks.length = 0;
        return refuse(req, res);
      }
      chunks.push(chunk);
    });
    req.on("end", () => {
      if (refused) return;
      res.locals.body = Buffer.concat(chunks, size);
      next();
    });
    req.on("error", (error) => {
      if (!refused) next(error);
    });
  };
}

function refuse(req: Request, res: Response) {
  res.status(413).set("Connection", "close").type("text/plain").send("Payload Too Large");
  // Stop reading: whatever else the client sends is discarded with the socket.
  res.on("finish", () => req.destroy());
}
