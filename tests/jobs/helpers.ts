import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import type { JobEvents, JobQueue } from "~/jobs/types";

export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";

/** True when Redis answers PING within a second (suites skip with a message otherwise). */
export async function redisReachable(url = TEST_REDIS_URL): Promise<boolean> {
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 1000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  client.on("error", () => {});
  try {
    await client.connect();
    return (await client.ping()) === "PONG";
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

/** A key prefix of this test's own, so parallel suites and real data never meet. */
export function testPrefix() {
  return `gp-test-${randomBytes(5).toString("hex")}`;
}

/** Deletes every key under `prefix` (SCAN, not KEYS, to stay polite on a shared Redis). */
export async function deleteKeys(prefix: string, url = TEST_REDIS_URL): Promise<number> {
  const client = new Redis(url, { maxRetriesPerRequest: 1 });
  let deleted = 0;
  try {
    let cursor = "0";
    do {
      const [next, keys] = await client.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", 500);
      cursor = next;
      if (keys.length) deleted += await client.del(...keys);
    } while (cursor !== "0");
  } finally {
    client.disconnect();
  }
  return deleted;
}

export async function countKeys(prefix: string, url = TEST_REDIS_URL): Promise<number> {
  const client = new Redis(url, { maxRetriesPerRequest: 1 });
  try {
    let cursor = "0";
    let n = 0;
    do {
      const [next, keys] = await client.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", 500);
      cursor = next;
      n += keys.length;
    } while (cursor !== "0");
    return n;
  } finally {
    client.disconnect();
  }
}

/**
 * Drops every Redis connection whose client name starts with `prefix` (ours only: BullMQ and the
 * queue name their connections `<prefix>:…`). What `CLIENT KILL TYPE normal` would do, without
 * disturbing other suites sharing the server.
 */
export async function killConnections(prefix: string, url = TEST_REDIS_URL): Promise<number> {
  const admin = new Redis(url, { maxRetriesPerRequest: 1 });
  try {
    const list = (await admin.client("LIST")) as string;
    const ids = list
      .split("\n")
      .map((line) => Object.fromEntries(line.split(" ").map((kv) => kv.split("=", 2))))
      .filter((c) => typeof c.name === "string" && c.name.startsWith(prefix))
      .map((c) => c.id as string);
    for (const id of ids) await admin.client("KILL", "ID", id);
    return ids.length;
  } finally {
    admin.disconnect();
  }
}

/** Anything with job events (any job map). */
type Observable = Pick<JobQueue, "on">;

/** Resolves with the first `event` matching `predicate`; rejects after `timeoutMs`. */
export function nextEvent<E extends keyof JobEvents>(
  queue: Observable,
  event: E,
  predicate: (payload: JobEvents[E]) => boolean = () => true,
  timeoutMs = 10_000,
): Promise<JobEvents[E]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`timed out after ${timeoutMs} ms waiting for "${event}"`));
    }, timeoutMs);
    const off = queue.on(event, (payload) => {
      if (!predicate(payload)) return;
      clearTimeout(timer);
      off();
      resolve(payload);
    });
  });
}

/** Resolves once `count` "completed" events have been seen (subscribe before enqueueing). */
export function completions(queue: Observable, count: number, timeoutMs = 15_000): Promise<string[]> {
  const ids: string[] = [];
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`timed out: ${ids.length}/${count} jobs completed`));
    }, timeoutMs);
    const off = queue.on("completed", (e) => {
      ids.push(e.id);
      if (ids.length < count) return;
      clearTimeout(timer);
      off();
      resolve(ids);
    });
  });
}

export function deferred<T = void>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/** Lets other queued callbacks (other jobs) run; used to give overlaps a chance to show. */
export const yieldToOthers = () => new Promise<void>((r) => setImmediate(r));

export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<T>(
      (_, reject) => (timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms)),
    ),
  ]);
}
