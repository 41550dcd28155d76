import { PassThrough } from "stream";
import { renderToPipeableStream } from "react-dom/server";
import { RemixServer } from "@remix-run/react";
import { createReadableStreamFromReadable, type EntryContext } from "@remix-run/node";
import { isbot } from "isbot";
import { addDocumentResponseHeaders } from "./shopify.server";

export const streamTimeout = 5000;

/**
 * Server errors Remix reports. A URL no route matches is an everyday event (scanners, stale
 * links): one warning line with method and path, no stack. Aborted requests (the client went
 * away) are not errors. Everything else keeps its stack for the operator.
 */
export function handleError(error: unknown, { request }: { request: Request }) {
  if (request.signal.aborted) return;
  if (isNoRouteMatch(error)) {
    console.warn(`404 ${request.method} ${new URL(request.url).pathname}`);
    return;
  }
  console.error(error);
}

/**
 * Remix's 404s (no route for the URL, or a data request for a route that does not match it):
 * ErrorResponses with status 404. Thrown `Response`s never reach handleError.
 */
export function isNoRouteMatch(error: unknown): boolean {
  return (
    !!error && typeof error === "object" && (error as { status?: unknown }).status === 404 && "statusText" in error
  );
}

/** Shopify's template entry: streams HTML and adds the headers an embedded app needs (CSP frame-ancestors). */
export default async function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
) {
  addDocumentResponseHeaders(request, responseHeaders);
  const userAgent = request.headers.get("user-agent");
  const callbackName = isbot(userAgent ?? "") ? "onAllReady" : "onShellReady";

  return new Promise((resolve, reject) => {
    const { pipe, abort } = renderToPipeableStream(<RemixServer context={remixContext} url={request.url} />, {
      [callbackName]: () => {
        const body = new PassThrough();
        const stream = createReadableStreamFromReadable(body);
        responseHeaders.set("Content-Type", "text/html");
        resolve(new Response(stream, { headers: responseHeaders, status: responseStatusCode }));
        pipe(body);
      },
      onShellError(error) {
        reject(error);
      },
      onError(error) {
        responseStatusCode = 500;
        console.error(error);
      },
    });
    setTimeout(abort, streamTimeout + 1000);
  });
}
