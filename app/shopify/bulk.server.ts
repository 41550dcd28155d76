import type { AdminClient } from "./admin-client.server";
import { BULK_OPERATION_NODE_QUERY, BULK_OPERATION_RUN_QUERY } from "./documents/sync";
import { ShopifyUserErrors } from "./errors.server";

/**
 * Bulk operations: start a bulk query, poll it to completion, and stream its JSONL result line
 * by line (never the whole file in memory — a large shop's orders file is gigabytes).
 */

export type BulkOperationStatus = "CREATED" | "RUNNING" | "COMPLETED" | "FAILED" | "CANCELING" | "CANCELED" | "EXPIRED";

export interface BulkOperation {
  id: string;
  status: BulkOperationStatus;
  errorCode: string | null;
  /** Objects written so far — with children on their own lines this is the JSONL line count. */
  objectCount: number;
  rootObjectCount: number;
  url: string | null;
  partialDataUrl: string | null;
}

/** The bulk operation ended without a usable result (FAILED, CANCELED, EXPIRED). */
export class BulkOperationFailedError extends Error {
  constructor(
    readonly operationId: string,
    readonly status: string,
    readonly errorCode: string | null,
  ) {
    super(`Bulk operation ${operationId} ended ${status}${errorCode ? ` (${errorCode})` : ""}`);
    this.name = "BulkOperationFailedError";
  }
}

/** The JSONL file ended in the middle of a line or before all announced objects arrived. */
export class TruncatedBulkFileError extends Error {
  constructor(
    readonly linesRead: number,
    detail: string,
  ) {
    super(`Bulk result file is truncated after ${linesRead} complete line(s): ${detail}`);
    this.name = "TruncatedBulkFileError";
  }
}

export function toOperation(raw: Record<string, unknown>): BulkOperation {
  return {
    id: raw.id as string,
    status: raw.status as BulkOperationStatus,
    errorCode: (raw.errorCode as string | null) ?? null,
    // UnsignedInt64 is serialised as a string by Shopify.
    objectCount: Number(raw.objectCount ?? 0),
    rootObjectCount: Number(raw.rootObjectCount ?? 0),
    url: (raw.url as string | null) ?? null,
    partialDataUrl: (raw.partialDataUrl as string | null) ?? null,
  };
}

/**
 * The app asks for ungrouped output (`groupObjects: false`, the default since 2026-01): Shopify
 * says grouping "can slow down operations and increase failure rates, especially with large
 * datasets" and recommends it only for apps that depend on grouped files
 * (https://shopify.dev/changelog/bulk-operations-group-objects-default-changed-to-false). The
 * importer reassembles children wherever they are (services/sync/shop-sync.server.ts). Decision D-entry in
 * docs/decisions.md. Sent explicitly so a future default change cannot alter the file silently.
 */
export const BULK_GROUP_OBJECTS = false;

export interface StartBulkOptions {
  sleep: (ms: number) => Promise<void>;
  /** How often to retry while another bulk query of this app is still running (default 30). */
  maxInProgressRetries?: number;
}

/**
 * Starts a bulk query. Shopify limits concurrent bulk operations per shop; OPERATION_IN_PROGRESS /
 * LIMIT_REACHED mean "wait for the running one to finish", so those are retried with a pause.
 */
export async function startBulkQuery(
  client: AdminClient,
  query: string,
  opts: StartBulkOptions,
): Promise<BulkOperation> {
  return retryWhileBusy(opts, async () => {
    const payload = await client.mutate<{ bulkOperation: Record<string, unknown> | null }>(
      BULK_OPERATION_RUN_QUERY,
      { query, groupObjects: BULK_GROUP_OBJECTS },
      "bulkOperationRunQuery",
    );
    if (!payload.bulkOperation) throw new Error("bulkOperationRunQuery returned no bulk operation");
    return toOperation(payload.bulkOperation);
  });
}

/** The userError codes that mean "the shop's bulk slots are taken; try again later". */
export function isBulkBusy(error: unknown): boolean {
  return (
    error instanceof ShopifyUserErrors &&
    error.userErrors.some((e) => e.code === "OPERATION_IN_PROGRESS" || e.code === "LIMIT_REACHED")
  );
}

/**
 * Runs `start` until it is not refused as busy: pauses 2, 4, 8, 16, then 30 s (at most
 * `maxInProgressRetries`, default 30 — about a quarter of an hour), then gives up with the refusal.
 */
export async function retryWhileBusy<T>(opts: StartBulkOptions, start: () => Promise<T>): Promise<T> {
  const retries = opts.maxInProgressRetries ?? 30;
  for (let attempt = 0; ; attempt++) {
    try {
      return await start();
    } catch (error) {
      if (!isBulkBusy(error) || attempt >= retries) throw error;
      await opts.sleep(Math.min(30_000, 2_000 * 2 ** Math.min(attempt, 4)));
    }
  }
}

/** Reads a bulk operation's current state. */
export async function getBulkOperation(client: AdminClient, id: string): Promise<BulkOperation> {
  const data = await client.request<{ node: Record<string, unknown> | null }>(BULK_OPERATION_NODE_QUERY, { id });
  if (!data.node || !data.node.id) throw new Error(`Bulk operation ${id} not found`);
  return toOperation(data.node);
}

export interface PollOptions {
  sleep: (ms: number) => Promise<void>;
  /** First poll interval (default 1 s), doubling up to `maxIntervalMs` (default 15 s). */
  initialIntervalMs?: number;
  maxIntervalMs?: number;
  onProgress?: (op: BulkOperation) => void | Promise<void>;
}

/** Polls until the bulk operation is COMPLETED (returned) or ends otherwise (throws). */
export async function waitForBulkOperation(client: AdminClient, id: string, opts: PollOptions): Promise<BulkOperation> {
  let interval = opts.initialIntervalMs ?? 1_000;
  const max = opts.maxIntervalMs ?? 15_000;
  for (;;) {
    const op = await getBulkOperation(client, id);
    await opts.onProgress?.(op);
    if (op.status === "COMPLETED") return op;
    if (op.status === "FAILED" || op.status === "CANCELED" || op.status === "EXPIRED") {
      throw new BulkOperationFailedError(op.id, op.status, op.errorCode);
    }
    await opts.sleep(interval);
    interval = Math.min(max, interval * 2);
  }
}

/** The download broke off mid-file (connection reset, server closed the stream). Resumable. */
export class BulkDownloadInterruptedError extends Error {
  constructor(
    readonly linesRead: number,
    cause: unknown,
  ) {
    super(`Bulk result download interrupted after line ${linesRead}: ${(cause as Error)?.message ?? String(cause)}`);
    this.name = "BulkDownloadInterruptedError";
  }
}

export interface JsonlLine {
  /** 1-based line number in the file. */
  number: number;
  text: string;
  /** False only for a final segment that had no trailing newline. */
  terminated: boolean;
}

/**
 * Splits a byte stream into lines as it arrives. Memory is bounded by the longest line, not the
 * file; the consumer's awaits propagate backpressure to the socket.
 */
export async function* readLines(body: ReadableStream<Uint8Array>): AsyncGenerator<JsonlLine> {
  const decoder = new TextDecoder();
  let pending = "";
  let number = 0;
  const reader = body.getReader();
  for (;;) {
    let chunk: Uint8Array;
    try {
      const next = await reader.read();
      if (next.done) break;
      chunk = next.value;
    } catch (error) {
      throw new BulkDownloadInterruptedError(number, error);
    }
    pending += decoder.decode(chunk, { stream: true });
    let start = 0;
    for (let nl = pending.indexOf("\n", start); nl !== -1; nl = pending.indexOf("\n", start)) {
      const end = nl > start && pending.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
      const text = pending.slice(start, end);
      start = nl + 1;
      if (text.length === 0) continue;
      yield { number: ++number, text, terminated: true };
    }
    pending = pending.slice(start);
  }
  pending += decoder.decode();
  if (pending.length > 0) yield { number: ++number, text: pending, terminated: false };
}

/**
 * Where Shopify serves bulk results: signed Google Cloud Storage URLs
 * (`https://storage.googleapis.com/…`, as in the completed-operation example of Shopify's API
 * client docs, https://github.com/Shopify/shopify-api-ruby README "Retrieve your data"). Nothing
 * else is fetched: the URL comes from an API response, and following it anywhere would let a
 * spoofed or redirected URL make the app download (and store) someone else's data.
 */
export const SHOPIFY_BULK_ORIGINS = ["https://storage.googleapis.com"] as const;

/** The bulk result URL is not on a host the adapter expects (or redirected away from it). */
export class UntrustedBulkUrlError extends Error {
  constructor(detail: string) {
    super(`Refusing to download the bulk result: ${detail}`);
    this.name = "UntrustedBulkUrlError";
  }
}

export interface OpenBulkOptions {
  fetch?: typeof globalThis.fetch;
  /** Further origins allowed besides Shopify's storage (the stand-in in demo and tests). */
  allowedOrigins?: string[];
}

function assertBulkUrl(url: string, allowed: readonly string[]): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UntrustedBulkUrlError("the URL is not valid");
  }
  // Only the origin is named: the query string is a signature.
  if (!allowed.includes(parsed.origin)) throw new UntrustedBulkUrlError(`${parsed.origin} is not an expected host`);
}

/** Opens the bulk result URL (signed, no token needed) as a byte stream. Redirects are refused. */
export async function openBulkResult(url: string, opts: OpenBulkOptions = {}): Promise<ReadableStream<Uint8Array>> {
  const allowed = [...SHOPIFY_BULK_ORIGINS, ...(opts.allowedOrigins ?? [])];
  assertBulkUrl(url, allowed);
  const response = await (opts.fetch ?? fetch)(url, { redirect: "manual" });
  if (response.status >= 300 && response.status < 400) {
    throw new UntrustedBulkUrlError(`the download answered a redirect (HTTP ${response.status})`);
  }
  if (!response.ok || !response.body) {
    throw new Error(`Downloading the bulk result failed: HTTP ${response.status}`);
  }
  return response.body;
}
