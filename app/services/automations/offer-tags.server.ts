import type { AutomationRun } from "@prisma/client";
import {
  beginTagOperation,
  getTagOperation,
  listTagLines,
  markTagOperationFailed,
  markTagOperationRunning,
  recordTagResults,
  TAG_OPERATION,
} from "../../models/automation-tags.server";
import {
  BulkOperationFailedError,
  TruncatedBulkFileError,
  UntrustedBulkUrlError,
  waitForBulkOperation,
} from "../../shopify/bulk.server";
import {
  lineFailure,
  readBulkMutationResult,
  stageBulkVariables,
  startBulkMutation,
} from "../../shopify/bulk-mutation.server";
import { TAGS_ADD } from "../../shopify/documents/tags";
import { clock, describe, type AutomationDeps } from "./shared.server";

/**
 * The tag phase of an offer run (D33): after the batches, ONE tagsAdd bulk mutation for every
 * issued customer of the run, instead of one 10-point tagsAdd field per customer. tagsAdd is
 * idempotent, so the only thing resumability has to protect is "one operation, not two": the
 * bulk operation id is committed before the first poll, and a resumed run polls the stored
 * operation. A failed operation or an unreadable/truncated result file fails the phase (the run
 * stays resumable) without recording anything per customer; the next resume uploads again.
 * A customer whose line has userErrors is counted as failed — the code stays issued.
 */

/** The stand-in serves uploads and result files itself (demo and tests); real Shopify never talks to it. */
function standInOrigins(deps: AutomationDeps): string[] {
  return deps.client.standInBase ? [new URL(deps.client.standInBase).origin] : [];
}

const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export async function tagIssuedCustomers(
  deps: AutomationDeps,
  shop: string,
  run: AutomationRun,
  tags: string[],
): Promise<void> {
  const { prisma, client } = deps;
  const sleep = deps.sleep ?? defaultSleep;
  const transfer = { fetch: deps.fetch, allowedOrigins: standInOrigins(deps) };
  let op = await getTagOperation(prisma, shop, run.id);
  if (op?.status === TAG_OPERATION.COMPLETED) return;

  let operationId = op?.status === TAG_OPERATION.RUNNING ? op.operationId : null;
  if (!operationId) {
    const gids = await beginTagOperation(prisma, shop, run.id);
    if (gids.length === 0) return recordTagResults(prisma, shop, run.id, [], clock(deps));
    const path = await stageBulkVariables(
      client,
      gids.map((id) => ({ id, tags })),
      transfer,
    );
    const started = await startBulkMutation(client, TAGS_ADD, path, { sleep });
    await markTagOperationRunning(prisma, shop, run.id, started.id);
    operationId = started.id;
    await deps.hooks?.afterTagStart?.(operationId);
  }

  try {
    const done = await waitForBulkOperation(client, operationId, { sleep });
    op = await getTagOperation(prisma, shop, run.id);
    const lines = await listTagLines(prisma, shop, run.id);
    if (!done.url) throw new MissingResultError(`Bulk operation ${operationId} completed without a result file`);
    const result = await readBulkMutationResult(done.url, op!.lines, transfer);
    const outcomes = [...lines].map(([line, customerGid]) => ({
      customerGid,
      error: lineFailure(result.get(line)!, "tagsAdd"),
    }));
    await recordTagResults(prisma, shop, run.id, outcomes, clock(deps));
  } catch (error) {
    // Outages, throttling and broken downloads leave the operation RUNNING: the resume polls it again.
    if (endsOperation(error))
      await markTagOperationFailed(prisma, shop, run.id, `Offer tags: ${describe(error)}`, clock(deps));
    throw error;
  }
}

/** The bulk operation or its result file is unusable: polling the same operation again cannot help. */
function endsOperation(error: unknown): boolean {
  return (
    error instanceof BulkOperationFailedError ||
    error instanceof TruncatedBulkFileError ||
    error instanceof UntrustedBulkUrlError ||
    error instanceof MissingResultError
  );
}

class MissingResultError extends Error {
  override name = "MissingResultError";
}
