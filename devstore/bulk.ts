/**
 * Bulk operations: `bulkOperationRunQuery` exports a connection to a JSONL file, one line per
 * node; nodes of nested connections are separate lines carrying `__parentId` (their parent's
 * id), nested objects and lists stay inline — Shopify's format. Results are streamed to a temp
 * file one page of root records at a time, so a 100k-order export never builds a giant string.
 *
 * Lifecycle: CREATED (returned by the mutation) → RUNNING (job started on the next tick) →
 * COMPLETED / FAILED / CANCELED. `idle()` resolves when no job runs, so tests never sleep; an
 * optional `minDurationMs` keeps a finished op reported as RUNNING until the injected clock
 * passes it, for exercising poll loops.
 *
 * Longer than 300 lines on purpose: one class (BulkManager) and the JSONL writer it owns.
 */
import {
  createWriteStream,
  mkdtempSync,
  statSync,
  truncateSync,
  readFileSync,
  rmSync,
  type WriteStream,
} from "node:fs";
import { once } from "node:events";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { DocumentNode } from "graphql";
import type { DsBulkOperation, DsShop } from "./model.js";
import type { BulkRunner, BulkUserError, DevStoreRuntime, GraphqlContext } from "./runtime.js";
import { mintGid, gidNumber } from "./shop.js";
import { planBulkQuery, checkBulkMutation, type BulkPlan, type NodePlan } from "./bulk-plan.js";
import { executePrepared } from "./graphql/executor.js";
import { listAll, type ListArgs } from "./graphql/resolvers/lists.js";
import { recordEvent } from "./webhooks.js";
import { BulkAccessDeniedError } from "./access.js";
import { restBulkOperationFinish } from "./webhook-payloads.js";
import { mulberry32, subSeed, type Rng } from "./seed/random.js";

/** Root records per executed page (each page is one execution of the bulk query). */
const PAGE_SIZE = 250;

/**
 * Bulk operations of one app and shop that may run at once. Mutations: "In API versions 2026-01
 * and higher, you can run up to five bulk mutation operations at a time per shop"
 * (https://shopify.dev/docs/api/usage/bulk-operations/imports, Limitations); the sixth is
 * refused with OPERATION_IN_PROGRESS, the code whose schema description says "another bulk
 * mutation is already running". Queries stay at one, the pre-2026-01 rule (2026-01 allows five
 * bulk queries too; the sync runs one at a time and its tests pin the refusal of a second).
 */
export const CONCURRENT_LIMIT: Record<DsBulkOperation["type"], number> = { QUERY: 1, MUTATION: 5 };

type Json = Record<string, unknown>;

interface Job {
  cancel: boolean;
  done: Promise<void>;
}

export interface BulkManagerOptions {
  runtime: () => DevStoreRuntime;
  /** Directory for result files (default: a fresh temp dir, removed on close). */
  dir?: string;
  minDurationMs?: number;
}

/** Splits a node's data into its own line (connections removed) and its child lines. */
function* nodeLines(data: Json, plan: NodePlan, parentId: string | null): Generator<Json> {
  const own: Json = {};
  for (const [k, v] of Object.entries(data)) if (!plan.connections.has(k)) own[k] = v;
  if (parentId !== null) own.__parentId = parentId;
  yield own;
  for (const [key, childPlan] of plan.connections) {
    const conn = data[key] as { edges?: { node: Json }[]; nodes?: Json[] } | null | undefined;
    if (!conn) continue;
    const children = conn.nodes ?? conn.edges?.map((e) => e.node) ?? [];
    for (const child of children) yield* nodeLines(child, childPlan, String(data.id));
  }
}

async function writeLine(stream: WriteStream, line: string): Promise<number> {
  if (!stream.write(line)) await once(stream, "drain");
  return Buffer.byteLength(line);
}

/** Cuts a file in the middle of a line (fault knob: a truncated download). */
function truncateMidLine(path: string, size: number): void {
  if (size < 4) return;
  let cut = Math.floor(size / 2);
  const content = readFileSync(path);
  while (cut < size - 1 && (content[cut - 1] === 0x0a || content[cut] === 0x0a)) cut += 1;
  truncateSync(path, cut);
}

/**
 * `groupObjects: false` (the default since 2026-01): Shopify does not keep a child next to its
 * parent. Its documented example has the first product's second variant after four other
 * products (https://github.com/Shopify/shopify-api-ruby README, "Retrieve your data"). The
 * stand-in models that: about a third of child lines are held back and written after the next
 * 1–4 root objects' lines. Children still come after their parent; the app does not rely on it.
 */
class UngroupedOrder {
  private held: { due: number; line: Json }[] = [];
  private roots = 0;

  constructor(private readonly rng: Rng) {}

  /** Lines of one root object (root first) → what to write now. */
  *place(lines: Iterable<Json>): Generator<Json> {
    this.roots += 1;
    for (const line of lines) {
      if (line.__parentId !== undefined && this.rng() < 0.35) {
        this.held.push({ due: this.roots + 1 + Math.floor(this.rng() * 4), line });
      } else {
        yield line;
      }
    }
    const due = this.held.filter((h) => h.due <= this.roots);
    this.held = this.held.filter((h) => h.due > this.roots);
    for (const h of due) yield h.line;
  }

  drain(): Json[] {
    const rest = this.held.map((h) => h.line);
    this.held = [];
    return rest;
  }
}

export class BulkManager implements BulkRunner {
  private readonly dir: string;
  private readonly ownsDir: boolean;
  private readonly files = new Map<string, string>();
  private readonly jobs = new Map<string, Job>();
  private readonly finishedAt = new Map<string, number>();

  constructor(private readonly opts: BulkManagerOptions) {
    this.ownsDir = !opts.dir;
    this.dir = opts.dir ?? mkdtempSync(join(tmpdir(), "devstore-bulk-"));
  }

  /** Path of a result file served at `/bulk/<fileId>.jsonl`, if it exists. */
  filePath(fileId: string): string | undefined {
    return this.files.get(fileId);
  }

  /** Resolves when no bulk job is running. */
  async idle(): Promise<void> {
    while (this.jobs.size) await Promise.all([...this.jobs.values()].map((j) => j.done));
  }

  close(): void {
    if (this.ownsDir) rmSync(this.dir, { recursive: true, force: true });
  }

  /** Operations of a type that count as in progress: until finished and past their minimum duration. */
  private running(shop: DsShop, type: DsBulkOperation["type"]): DsBulkOperation[] {
    return [...shop.bulkOperations.values()].filter((op) => {
      if (op.type !== type) return false;
      const status = this.observe(shop, op).status;
      return status === "CREATED" || status === "RUNNING" || (status as string) === "CANCELING";
    });
  }

  /** The operation that blocks a new one of `type` (the limit is reached), if any. */
  private inProgress(shop: DsShop, type: DsBulkOperation["type"]): DsBulkOperation | undefined {
    const running = this.running(shop, type);
    return running.length >= CONCURRENT_LIMIT[type] ? running[0] : undefined;
  }

  private create(shop: DsShop, type: DsBulkOperation["type"], query: string): DsBulkOperation {
    const op: DsBulkOperation = {
      id: mintGid(shop, "BulkOperation"),
      type,
      status: "CREATED",
      query,
      errorCode: null,
      objectCount: 0,
      rootObjectCount: 0,
      fileSize: null,
      url: null,
      partialDataUrl: null,
      createdAt: new Date(this.opts.runtime().clock()).toISOString(),
      completedAt: null,
    };
    shop.bulkOperations.set(op.id, op);
    return op;
  }

  private inProgressError(op: DsBulkOperation): BulkUserError {
    const kind = op.type === "QUERY" ? "query" : "mutation";
    return {
      field: null,
      message: `A bulk ${kind} operation for this app and shop is already in progress: ${op.id}.`,
      code: "OPERATION_IN_PROGRESS",
    };
  }

  runQuery(
    shop: DsShop,
    query: string,
    groupObjects = false,
  ): { op: DsBulkOperation | null; userErrors: BulkUserError[] } {
    const running = this.inProgress(shop, "QUERY");
    if (running) return { op: null, userErrors: [this.inProgressError(running)] };
    const { plan, error } = planBulkQuery(query);
    if (!plan) return { op: null, userErrors: [{ field: ["query"], message: error, code: "INVALID" }] };
    const op = this.create(shop, "QUERY", query);
    this.start(shop, op, (job) => this.exportQuery(shop, op, plan, job, groupObjects));
    return { op, userErrors: [] };
  }

  runMutation(
    shop: DsShop,
    mutation: string,
    stagedUploadPath: string,
  ): { op: DsBulkOperation | null; userErrors: BulkUserError[] } {
    const running = this.inProgress(shop, "MUTATION");
    if (running) return { op: null, userErrors: [this.inProgressError(running)] };
    const upload = this.opts.runtime().stagedUploads.get(stagedUploadPath);
    if (!upload) {
      return {
        op: null,
        userErrors: [
          {
            field: ["stagedUploadPath"],
            message:
              "The JSONL file could not be found. Try uploading the file again, and check that you've entered the URL correctly for the stagedUploadPath mutation argument.",
            code: "NO_SUCH_FILE",
          },
        ],
      };
    }
    const { doc, error } = checkBulkMutation(mutation);
    if (!doc)
      return {
        op: null,
        userErrors: [{ field: ["mutation"], message: error ?? "Invalid mutation", code: "INVALID_MUTATION" }],
      };
    const lines = upload
      .toString("utf8")
      .split("\n")
      .filter((l) => l.trim());
    const variables: Json[] = [];
    for (const line of lines) {
      try {
        variables.push(JSON.parse(line) as Json);
      } catch {
        return {
          op: null,
          userErrors: [
            {
              field: ["stagedUploadPath"],
              message: "The JSONL file submitted via the stagedUploadsCreate mutation is invalid.",
              code: "INVALID_STAGED_UPLOAD_FILE",
            },
          ],
        };
      }
    }
    const op = this.create(shop, "MUTATION", mutation);
    this.start(shop, op, (job) => this.runMutationLines(shop, op, doc, variables, job));
    return { op, userErrors: [] };
  }

  cancel(shop: DsShop, id: string) {
    const op = shop.bulkOperations.get(id);
    if (!op) return { op: null, userErrors: [{ field: ["id"], message: "Bulk operation does not exist" }] };
    if (op.status !== "CREATED" && op.status !== "RUNNING") {
      return {
        op,
        userErrors: [
          { field: null, message: `A bulk operation cannot be canceled when it is ${op.status.toLowerCase()}` },
        ],
      };
    }
    const job = this.jobs.get(id);
    if (job) job.cancel = true;
    (op as { status: string }).status = "CANCELING";
    return { op, userErrors: [] };
  }

  /** Poll view: honours `minDurationMs` by reporting a finished op as still running until then. */
  observe(_shop: DsShop, op: DsBulkOperation): DsBulkOperation {
    const min = this.opts.minDurationMs ?? 0;
    if (min > 0 && op.status === "COMPLETED" && this.opts.runtime().clock() < Date.parse(op.createdAt) + min) {
      return { ...op, status: "RUNNING", url: null, completedAt: null, fileSize: null };
    }
    return op;
  }

  private start(shop: DsShop, op: DsBulkOperation, work: (job: Job) => Promise<void>): void {
    const job: Job = { cancel: false, done: Promise.resolve() };
    job.done = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => {
        op.status = "RUNNING";
        return work(job);
      })
      .catch((error: unknown) => {
        op.status = "FAILED";
        op.errorCode = error instanceof BulkAccessDeniedError ? "ACCESS_DENIED" : "INTERNAL_SERVER_ERROR";
      })
      .finally(() => {
        this.jobs.delete(op.id);
        if ((op.status as string) === "CANCELING") op.status = "CANCELED";
        op.completedAt = new Date(this.opts.runtime().clock()).toISOString();
        recordEvent(shop, "bulk_operations/finish", restBulkOperationFinish(op));
      });
    this.jobs.set(op.id, job);
  }

  private openFile(shop: DsShop, op: DsBulkOperation): { fileId: string; path: string; stream: WriteStream } {
    const fileId = `${shop.domain.replace(/[^\w.-]/g, "_")}-${gidNumber(op.id)}`;
    const path = join(this.dir, `${fileId}.jsonl`);
    this.files.set(fileId, path);
    return { fileId, path, stream: createWriteStream(path) };
  }

  private async finishFile(
    op: DsBulkOperation,
    file: { fileId: string; path: string; stream: WriteStream },
    job: Job,
  ): Promise<void> {
    file.stream.end();
    await once(file.stream, "finish");
    const size = statSync(file.path).size;
    const url = `${this.opts.runtime().baseUrl()}/bulk/${file.fileId}.jsonl`;
    if (job.cancel) return;
    if (this.opts.runtime().faults.config.truncateBulkFile) truncateMidLine(file.path, size);
    op.fileSize = size;
    // Shopify returns a null url when the export produced no objects.
    op.url = op.objectCount > 0 ? url : null;
    op.status = "COMPLETED";
  }

  private async exportQuery(
    shop: DsShop,
    op: DsBulkOperation,
    plan: BulkPlan,
    job: Job,
    groupObjects: boolean,
  ): Promise<void> {
    const runtime = this.opts.runtime();
    const write = async (line: Json) => {
      await writeLine(file.stream, `${JSON.stringify(line)}\n`);
      op.objectCount += 1;
    };
    // Ungrouped order is deterministic per shop and operation number (same seed → same file).
    const order = groupObjects ? null : new UngroupedOrder(mulberry32(subSeed(gidNumber(op.id), shop.domain)));
    const all = listAll(shop, plan.rootField, plan.rootArgs as ListArgs, runtime);
    const file = this.openFile(shop, op);
    try {
      for (let i = 0; i < all.length && !job.cancel; i += PAGE_SIZE) {
        const ctx: GraphqlContext = {
          shop,
          runtime,
          bulk: { rootItems: all.slice(i, i + PAGE_SIZE) },
          memo: new Map(),
        };
        const result = await executePrepared(plan.doc, ctx, {});
        // A redacted protected field fails the whole operation, as Shopify's ACCESS_DENIED does (devstore/access.ts).
        if (result.errors?.some((e) => e.extensions?.code === "ACCESS_DENIED")) throw new BulkAccessDeniedError();
        if (result.errors?.length) throw new Error(result.errors[0].message);
        const conn = (result.data as Json)[plan.rootKey] as { edges?: { node: Json }[]; nodes?: Json[] };
        const roots = conn.nodes ?? conn.edges?.map((e) => e.node) ?? [];
        for (const root of roots) {
          const lines = nodeLines(root, plan.node, null);
          for (const line of order ? order.place(lines) : lines) await write(line);
          op.rootObjectCount += 1;
        }
        // Deferred children never leave their page: memory stays bounded by PAGE_SIZE.
        for (const line of order?.drain() ?? []) await write(line);
        await new Promise((r) => setImmediate(r)); // keep the server responsive between pages
      }
    } finally {
      await this.finishFile(op, file, job);
    }
  }

  /** Runs the mutation once per JSONL line; results are `{data|errors, __lineNumber}` lines. */
  private async runMutationLines(
    shop: DsShop,
    op: DsBulkOperation,
    doc: DocumentNode,
    variables: Json[],
    job: Job,
  ): Promise<void> {
    const runtime = this.opts.runtime();
    const file = this.openFile(shop, op);
    try {
      for (let i = 0; i < variables.length && !job.cancel; i++) {
        const result = await executePrepared(doc, { shop, runtime, memo: new Map() }, variables[i]);
        const line = result.errors?.length
          ? { errors: result.errors.map((e) => ({ message: e.message, path: e.path })), __lineNumber: i }
          : { data: result.data, __lineNumber: i };
        await writeLine(file.stream, `${JSON.stringify(line)}\n`);
        op.objectCount += 1;
        op.rootObjectCount += 1;
      }
    } finally {
      await this.finishFile(op, file, job);
    }
  }
}
