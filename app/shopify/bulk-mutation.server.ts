import type { AdminClient } from "./admin-client.server";
import {
  openBulkResult,
  readLines,
  retryWhileBusy,
  toOperation,
  TruncatedBulkFileError,
  type BulkOperation,
  type OpenBulkOptions,
  type StartBulkOptions,
} from "./bulk.server";
import { BULK_OPERATION_RUN_MUTATION, STAGED_UPLOADS_CREATE } from "./documents/bulk-mutation";

/**
 * Bulk mutations (D33; shopify.dev "Bulk import data with the GraphQL Admin API",
 * https://shopify.dev/docs/api/usage/bulk-operations/imports): the mutation runs once per line
 * of an uploaded JSONL file of variables, asynchronously and outside the request rate limit —
 * the app pays for stagedUploadsCreate, bulkOperationRunMutation and the polls, not per line.
 * In 2026-01 and later a shop runs up to five bulk mutations of an app at a time; a refusal
 * (OPERATION_IN_PROGRESS / LIMIT_REACHED) is retried with the sync's backoff (bulk.server.ts).
 * Any mutation may be run in bulk since 2026-01 (shopify.dev changelog "Faster bulk operations").
 */

/**
 * Where Shopify's staged upload targets live (the documented example posts to
 * `https://shopify-staged-uploads.storage.googleapis.com`). Variables are customer ids, so they
 * are posted nowhere else: a target on another host would be a spoofed response.
 */
export const SHOPIFY_UPLOAD_ORIGINS = ["https://shopify-staged-uploads.storage.googleapis.com"] as const;

interface StagedTarget {
  url: string;
  parameters: { name: string; value: string }[];
}

/** The upload was refused or its target was not one the adapter trusts. */
export class StagedUploadError extends Error {
  constructor(detail: string) {
    super(`Staged upload of bulk mutation variables failed: ${detail}`);
    this.name = "StagedUploadError";
  }
}

/**
 * Reserves a staged upload and posts the JSONL of `variables` (one object per line) to it as a
 * multipart form: the target's parameters first, `file` last (Shopify refuses it elsewhere).
 * Returns the `stagedUploadPath` for bulkOperationRunMutation (the target's `key` parameter).
 */
export async function stageBulkVariables(
  client: AdminClient,
  variables: Record<string, unknown>[],
  opts: OpenBulkOptions = {},
): Promise<string> {
  const payload = await client.mutate<{ stagedTargets: StagedTarget[] }>(
    STAGED_UPLOADS_CREATE,
    {
      input: [
        { resource: "BULK_MUTATION_VARIABLES", filename: "bulk_op_vars", mimeType: "text/jsonl", httpMethod: "POST" },
      ],
    },
    "stagedUploadsCreate",
  );
  const target = payload.stagedTargets?.[0];
  const key = target?.parameters.find((p) => p.name === "key")?.value;
  if (!target || !key) throw new StagedUploadError("stagedUploadsCreate returned no target with a key");
  const origin = new URL(target.url).origin;
  if (![...SHOPIFY_UPLOAD_ORIGINS, ...(opts.allowedOrigins ?? [])].includes(origin))
    throw new StagedUploadError(`${origin} is not an expected upload host`);

  const form = new FormData();
  for (const p of target.parameters) form.append(p.name, p.value);
  const jsonl = variables.map((v) => JSON.stringify(v)).join("\n") + "\n";
  form.append("file", new Blob([jsonl], { type: "text/jsonl" }), "bulk_op_vars");
  const response = await (opts.fetch ?? fetch)(target.url, { method: "POST", body: form, redirect: "manual" });
  if (!response.ok) throw new StagedUploadError(`HTTP ${response.status}`);
  return key;
}

/** Starts `mutation` over the staged file, waiting (backoff) while the shop's bulk slots are taken. */
export async function startBulkMutation(
  client: AdminClient,
  mutation: string,
  stagedUploadPath: string,
  opts: StartBulkOptions,
): Promise<BulkOperation> {
  return retryWhileBusy(opts, async () => {
    const payload = await client.mutate<{ bulkOperation: Record<string, unknown> | null }>(
      BULK_OPERATION_RUN_MUTATION,
      { mutation, stagedUploadPath },
      "bulkOperationRunMutation",
    );
    if (!payload.bulkOperation) throw new Error("bulkOperationRunMutation returned no bulk operation");
    return toOperation(payload.bulkOperation);
  });
}

/** One result line: the mutation's payload (`data`) or its top-level GraphQL `errors`. */
export interface BulkMutationLine {
  data?: Record<string, { userErrors?: { field?: string[] | null; message: string }[] } | null> | null;
  errors?: { message: string }[];
}

/**
 * Reads a completed bulk mutation's result file: one line per input line, each carrying
 * `__lineNumber` (zero-based input line; Shopify does not promise file order, so lines are
 * matched by it). A file that ends mid-line, has an unreadable line, or lacks any of the
 * `expected` lines is truncated — the caller must not take it as the result.
 */
export async function readBulkMutationResult(
  url: string,
  expected: number,
  opts: OpenBulkOptions = {},
): Promise<Map<number, BulkMutationLine>> {
  const out = new Map<number, BulkMutationLine>();
  let read = 0;
  for await (const line of readLines(await openBulkResult(url, opts))) {
    if (!line.terminated) throw new TruncatedBulkFileError(read, "the last line has no newline");
    let parsed: BulkMutationLine & { __lineNumber?: unknown };
    try {
      parsed = JSON.parse(line.text) as typeof parsed;
    } catch {
      throw new TruncatedBulkFileError(read, `line ${line.number} is not JSON`);
    }
    const n = parsed.__lineNumber;
    if (typeof n !== "number" || !Number.isInteger(n) || n < 0 || n >= expected)
      throw new TruncatedBulkFileError(read, `line ${line.number} has no valid __lineNumber`);
    out.set(n, parsed);
    read += 1;
  }
  if (out.size !== expected)
    throw new TruncatedBulkFileError(read, `${out.size} of ${expected} input lines have a result`);
  return out;
}

/** The userErrors (or GraphQL errors) of one result line, as one message; null when it applied. */
export function lineFailure(line: BulkMutationLine, payloadKey: string): string | null {
  if (line.errors?.length) return line.errors.map((e) => e.message).join("; ");
  const payload = line.data?.[payloadKey];
  if (!payload) return `${payloadKey} returned no payload`;
  return payload.userErrors?.length ? payload.userErrors.map((e) => e.message).join("; ") : null;
}

export type { BulkOperation };
