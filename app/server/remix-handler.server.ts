import { createRequestHandler, writeReadableStreamToWritable, type ServerBuild } from "@remix-run/node";
import type { NextFunction, Request, Response } from "express";
import { bufferedBody } from "./body-limit.server";

/**
 * Remix behind `limitedBody`: the same as `@remix-run/express`'s handler, except that the request
 * body is the bounded buffer the middleware already read (the adapter would stream `req` again,
 * with no limit). Request headers, URL and the response path mirror the adapter's.
 */
export function remixHandler(build: ServerBuild, mode: "development" | "production") {
  const handle = createRequestHandler(build, mode);
  return async (req: Request, res: Response, next: NextFunction) => {
    try {
      await sendResponse(res, await handle(remixRequest(req, res)));
    } catch (error) {
      next(error);
    }
  };
}

function remixRequest(req: Request, res: Response): globalThis.Request {
  const url = new URL(`${req.protocol}://${hostWithPort(req)}${req.originalUrl}`);
  const controller = new AbortController();
  // Abort loaders/actions once the response can no longer be written (`close` before `finish`).
  let finished = false;
  res.on("finish", () => (finished = true));
  res.on("close", () => !finished && controller.abort());
  const body = bufferedBody(res);
  return new Request(url.href, {
    method: req.method,
    headers: requestHeaders(req),
    signal: controller.signal,
    ...(body ? { body: body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength) as ArrayBuffer } : {}),
  });
}

/** The adapter's host logic: `req.hostname` (respects "trust proxy") plus the forwarded or Host port. */
function hostWithPort(req: Request): string {
  const portOf = (value: string | undefined) => Number.parseInt(value?.split(":")[1] ?? "", 10);
  const forwarded = portOf(req.get("x-forwarded-host"));
  const direct = portOf(req.get("host"));
  const port = Number.isSafeInteger(forwarded) ? forwarded : Number.isSafeInteger(direct) ? direct : undefined;
  return `${req.hostname}${port ? `:${port}` : ""}`;
}

function requestHeaders(req: Request): Headers {
  const headers = new Headers();
  for (const [key, values] of Object.entries(req.headers)) {
    if (values === undefined) continue;
    for (const value of Array.isArray(values) ? values : [values]) headers.append(key, value);
  }
  return headers;
}

async function sendResponse(res: Response, response: globalThis.Response) {
  res.statusMessage = response.statusText;
  res.status(response.status);
  // `entries()` yields each Set-Cookie separately; `append` keeps them apart.
  for (const [key, value] of response.headers.entries()) res.append(key, value);
  if (/text\/event-stream/i.test(response.headers.get("content-type") ?? "")) res.flushHeaders();
  if (response.body) await writeReadableStreamToWritable(response.body, res);
  else res.end();
}
