import type { PrismaClient, SyncRun } from "@prisma/client";
import {
  addOrphanChildren,
  stageChildren,
  takeStagedChildren,
  takeStagedChunk,
  type StagedChild,
} from "~/models/bulk-staging.server";
import { BATCH_TX_OPTIONS } from "~/models/db-types.server";
import { checkpointSyncRun, type SyncResource } from "~/models/sync-runs.server";
import type { AdminClient } from "~/shopify/admin-client.server";
import { BulkDownloadInterruptedError, openBulkResult, readLines, TruncatedBulkFileError } from "~/shopify/bulk.server";
import { maxUpdated, SPECS, type AnyRecord, type ResourceSpec } from "./resources.server";
import { defaultSleep, type SyncDeps } from "./run-state.server";

/**
 * Imports the file, re-opening it after a broken download and continuing from the committed
 * checkpoint. Retries are unlimited while each attempt commits more lines, and bounded (3) when
 * attempts stop making progress — a slow consumer can outlive a server's idle timeout near the
 * end of a large file, which is no reason to fail a sync that is 99% done.
 */
export async function importWithRetries(
  deps: SyncDeps,
  shop: string,
  run: SyncRun,
  resource: SyncResource,
  url: string,
): Promise<void> {
  let stalled = 0;
  for (;;) {
    const before = run.linesProcessed;
    try {
      return await importJsonl(deps, shop, run, resource, url);
    } catch (error) {
      if (!(error instanceof BulkDownloadInterruptedError)) throw error;
      stalled = run.linesProcessed > before ? 0 : stalled + 1;
      if (stalled >= 3) throw error;
      await (deps.sleep ?? defaultSleep)(500 * 2 ** stalled);
    }
  }
}

/** The stand-in serves bulk files itself (demo and tests); real Shopify never talks to it. */
function standInOrigin(client: AdminClient): string[] {
  return client.standInBase ? [new URL(client.standInBase).origin] : [];
}

/**
 * Streams the JSONL file, skipping the run's committed lines, and upserts root records in
 * batches. In 2026-10 `groupObjects` defaults to false and Shopify does not promise that a child
 * line follows its parent (its documented example has a variant of the first product after four
 * other products — docs/shopify/sync-and-auth.md). So one batch of roots is held in memory;
 * children of those roots attach in memory, every other child line is staged in the database
 * with the batch's checkpoint (`models/bulk-staging.server.ts`). A staged child is attached when
 * its parent's batch is written or, for a child that came after its parent, once the whole file
 * has been read; children that never meet a parent are counted on the run (`orphanChildren`).
 */
async function importJsonl(
  deps: SyncDeps,
  shop: string,
  run: SyncRun,
  resource: SyncResource,
  url: string,
): Promise<void> {
  const spec = SPECS[resource];
  const batchSize = deps.batchSize ?? 500;
  const skip = run.linesProcessed;
  const body = await openBulkResult(url, {
    fetch: deps.fetch,
    allowedOrigins: [...(deps.bulkHosts ?? []), ...standInOrigin(deps.client)],
  });

  /** Roots of the open batch, by id, with the child lines seen while the batch was open. */
  let roots = new Map<string, { root: Record<string, unknown>; children: Record<string, unknown>[] }>();
  /** Child lines whose parent is not in the open batch: staged when the batch commits. */
  let unplaced: StagedChild[] = [];
  /** Last line whose content is held in `roots`/`unplaced` (or already committed). */
  let readThrough = skip;
  let lastLine = 0;

  const flush = async () => {
    if (readThrough === run.linesProcessed && roots.size === 0 && unplaced.length === 0) return;
    const open = roots;
    const staged = unplaced;
    const linesProcessed = readThrough;
    let records: AnyRecord[] = [];
    await deps.prisma.$transaction(async (tx) => {
      const db = tx as PrismaClient;
      // Children staged before their parent arrived come first: they are earlier in the file.
      const early = new Map<string, Record<string, unknown>[]>();
      for (const c of await takeStagedChildren(db, shop, run.id, [...open.keys()])) {
        early.set(c.parentGid, [...(early.get(c.parentGid) ?? []), c.data]);
      }
      records = [...open.values()].map(({ root, children }) =>
        spec.assemble(root, [...(early.get(String(root.id)) ?? []), ...children]),
      );
      const { written } = await spec.upsert(db, shop, records);
      await stageChildren(db, shop, run.id, staged);
      await checkpointSyncRun(tx, shop, run.id, {
        linesProcessed,
        rowsUpserted: written,
        watermark: maxUpdated(records),
      });
    }, BATCH_TX_OPTIONS);
    run.linesProcessed = linesProcessed;
    roots = new Map();
    unplaced = [];
    await deps.onBatch?.({ resource, runId: run.id, linesProcessed, linesTotal: run.linesTotal });
  };

  try {
    for await (const line of readLines(body)) {
      lastLine = line.number;
      if (line.number <= skip) continue;
      let obj: Record<string, unknown>;
      try {
        obj = JSON.parse(line.text);
      } catch {
        if (!line.terminated) throw new TruncatedBulkFileError(line.number - 1, `line ${line.number} is cut off`);
        throw new Error(`Bulk result line ${line.number} is not valid JSON`);
      }
      if (!line.terminated && line.number < (run.linesTotal ?? 0)) {
        throw new TruncatedBulkFileError(line.number - 1, `file ends without a newline after line ${line.number}`);
      }
      if (obj.__parentId === undefined) {
        // Batches close at a root line, so grouped output never stages anything.
        if (roots.size >= batchSize) await flush();
        roots.set(String(obj.id), { root: obj, children: [] });
      } else {
        const parentId = String(obj.__parentId);
        const open = roots.get(parentId);
        if (open) open.children.push(obj);
        else unplaced.push({ parentGid: parentId, line: line.number, data: obj });
      }
      readThrough = line.number;
      // Many children far from their parents must not grow memory either.
      if (unplaced.length >= batchSize * 4) await flush();
    }
    if (run.linesTotal !== null && lastLine < run.linesTotal) {
      throw new TruncatedBulkFileError(lastLine, `expected ${run.linesTotal} lines, got ${lastLine}`);
    }
    await flush();
    await attachLateChildren(deps, shop, run, spec);
  } catch (error) {
    if (error instanceof TruncatedBulkFileError || error instanceof BulkDownloadInterruptedError) {
      // Every line read before the cut is whole: keep it (roots written, children staged), so
      // nothing already read is lost and a re-opened download continues after it.
      await flush();
    }
    throw error;
  }
}

/**
 * After the last line: children still staged belong to parents written earlier in the file (or
 * stored before), or to no parent at all. Attached in chunks, each chunk in one transaction.
 */
async function attachLateChildren(deps: SyncDeps, shop: string, run: SyncRun, spec: ResourceSpec): Promise<void> {
  let orphans = 0;
  for (;;) {
    const done = await deps.prisma.$transaction(async (tx) => {
      const db = tx as PrismaClient;
      const chunk = await takeStagedChunk(db, shop, run.id, 2_000);
      if (chunk.length === 0) return true;
      const { orphans: missing } = await spec.attach(db, shop, chunk);
      await addOrphanChildren(db, shop, run.id, missing);
      orphans += missing;
      return false;
    }, BATCH_TX_OPTIONS);
    if (done) break;
  }
  // Counts only: child lines can carry customer data.
  if (orphans > 0)
    console.warn(`Bulk ${run.resource} import for ${shop}: ${orphans} child line(s) without a parent in the file`);
}
