import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, testDbKinds, type TestDatabase } from "../helpers/db";
import { getLatestSyncRun } from "~/models/sync-runs.server";
import type { AdminClient } from "~/shopify/admin-client.server";
import { openBulkResult, UntrustedBulkUrlError } from "~/shopify/bulk.server";
import { resumeSync, runBulkSync, type SyncDeps } from "~/services/sync/shop-sync.server";

/**
 * Shopify's documented bulk JSONL example (the shopify_api client docs, "Retrieve your data",
 * https://github.com/Shopify/shopify-api-ruby README): the first product's second variant
 * (…986123) comes after four other products. Ids, titles and line order are Shopify's; the
 * fields our bulk query also selects (handle, price, timestamps…) are added to each line.
 */
const EXAMPLE = readFileSync(path.join(__dirname, "../fixtures/shopify/bulk-example-ungrouped.jsonl"), "utf8");
const STORAGE_URL = "https://storage.googleapis.com/shopify/bulk-example.jsonl?signature=x";

function withQueryFields(jsonl: string): string {
  return (
    jsonl
      .trimEnd()
      .split("\n")
      .map((text) => {
        const line = JSON.parse(text);
        const extra = line.__parentId
          ? {
              sku: null,
              price: "10.00",
              compareAtPrice: null,
              inventoryQuantity: 1,
              inventoryPolicy: "DENY",
              updatedAt: "2026-01-01T00:00:00Z",
            }
          : {
              title: `Product ${line.id.split("/").pop()}`,
              handle: line.id.split("/").pop(),
              status: "ACTIVE",
              createdAt: "2025-01-01T00:00:00Z",
              updatedAt: "2026-01-01T00:00:00Z",
            };
        return JSON.stringify({ ...extra, ...line });
      })
      .join("\n") + "\n"
  );
}

/** A bulk operation at "Shopify" that completed with `body` at Shopify's storage host. */
function fakeShopify(body: string) {
  const lines = body.trimEnd().split("\n").length;
  const sent: Record<string, unknown>[] = [];
  const op = {
    id: "gid://shopify/BulkOperation/1",
    errorCode: null,
    objectCount: String(lines),
    rootObjectCount: "0",
    url: STORAGE_URL,
    partialDataUrl: null,
  };
  const client: AdminClient = {
    shop: "example.myshopify.com",
    standInBase: null,
    throttleStatus: undefined,
    async mutate<T>(_doc: string, variables: Record<string, unknown>) {
      sent.push(variables);
      return { bulkOperation: { ...op, status: "CREATED" }, userErrors: [] } as T;
    },
    async request<T>() {
      return { node: { ...op, status: "COMPLETED" } } as T;
    },
  };
  const fetch = (async (url: string) => {
    expect(url).toBe(STORAGE_URL);
    return new Response(body);
  }) as typeof globalThis.fetch;
  return { client, fetch, sent };
}

describe.each(testDbKinds)("Shopify's documented bulk JSONL through the importer (%s)", (kind) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase(kind);
  });
  afterAll(async () => db?.drop());

  async function variantsByProduct(shop: string) {
    const rows = await db.prisma.variant.findMany({ where: { shop }, orderBy: { gid: "asc" } });
    const by: Record<string, string[]> = {};
    for (const v of rows) (by[v.productGid] ??= []).push(v.title);
    return by;
  }

  const EXPECTED = {
    "gid://shopify/Product/1921569226808": ["70", "52"],
    "gid://shopify/Product/1921569259576": ["34"],
    "gid://shopify/Product/1921569292344": ["Default Title"],
    "gid://shopify/Product/1921569325112": ["36"],
    "gid://shopify/Product/1921569357880": ["47"],
  };

  it.each([1, 2, 500])("imports the example exactly, the late variant included (batch size %i)", async (batchSize) => {
    const shop = `example-${batchSize}.myshopify.com`;
    const shopify = fakeShopify(withQueryFields(EXAMPLE));
    const deps: SyncDeps = {
      prisma: db.prisma,
      client: shopify.client,
      fetch: shopify.fetch,
      sleep: async () => {},
      batchSize,
    };
    const result = await runBulkSync(deps, shop, "products");
    expect(result).toMatchObject({ status: "COMPLETED", error: null, linesProcessed: 11, rowsUpserted: 5 });
    // The app asks for ungrouped output explicitly (docs/decisions.md).
    expect(shopify.sent[0]).toMatchObject({ groupObjects: false });
    expect(await variantsByProduct(shop)).toEqual(EXPECTED);
    const run = (await getLatestSyncRun(db.prisma, shop, "products", "BULK"))!;
    expect(run.orphanChildren).toBe(0);
    expect(await db.prisma.bulkStagedChild.count({ where: { shop } })).toBe(0);
  });

  it("attaches a child written before its parent, and reports (does not drop silently) one whose parent never comes", async () => {
    const shop = "example-early.myshopify.com";
    const lines = EXAMPLE.trimEnd().split("\n");
    // The last product's variant moved before every product; a variant of an unknown product added.
    const reordered = [
      lines[9],
      ...lines.slice(0, 9),
      lines[10],
      '{"id":"gid://shopify/ProductVariant/1","title":"lost","__parentId":"gid://shopify/Product/404"}',
    ];
    const shopify = fakeShopify(withQueryFields(reordered.join("\n")));
    const result = await runBulkSync(
      { prisma: db.prisma, client: shopify.client, fetch: shopify.fetch, sleep: async () => {}, batchSize: 2 },
      shop,
      "products",
    );
    expect(result.status).toBe("COMPLETED");
    expect(await variantsByProduct(shop)).toEqual(EXPECTED);
    expect((await getLatestSyncRun(db.prisma, shop, "products", "BULK"))!.orphanChildren).toBe(1);
  });

  it("a crash with children staged resumes exactly: same rows, nothing counted twice", async () => {
    const shop = "example-crash.myshopify.com";
    const shopify = fakeShopify(withQueryFields(EXAMPLE));
    let batches = 0;
    const crashing: SyncDeps = {
      prisma: db.prisma,
      client: shopify.client,
      fetch: shopify.fetch,
      sleep: async () => {},
      batchSize: 1,
      onBatch: () => {
        if (++batches === 2) throw new Error("simulated crash");
      },
    };
    expect((await runBulkSync(crashing, shop, "products")).status).toBe("FAILED");
    const resumed = await resumeSync(
      { prisma: db.prisma, client: shopify.client, fetch: shopify.fetch, sleep: async () => {}, batchSize: 1 },
      shop,
    );
    const products = resumed.find((r) => r.resource === "products")!;
    expect(products).toMatchObject({ status: "COMPLETED", rowsUpserted: 5, linesProcessed: 11 });
    expect(await variantsByProduct(shop)).toEqual(EXPECTED);
  });
});

describe("bulk result downloads", () => {
  const ok = (async () => new Response("{}\n")) as unknown as typeof fetch;

  it("accepts Shopify's storage host and the origins the caller adds (the stand-in)", async () => {
    await expect(openBulkResult(STORAGE_URL, { fetch: ok })).resolves.toBeDefined();
    await expect(
      openBulkResult("http://127.0.0.1:3100/bulk/x.jsonl", { fetch: ok, allowedOrigins: ["http://127.0.0.1:3100"] }),
    ).resolves.toBeDefined();
  });

  it.each([
    "http://storage.googleapis.com/shopify/x.jsonl",
    "https://storage.googleapis.com.evil.example/x.jsonl",
    "https://evil.example/x.jsonl",
    "file:///etc/passwd",
    "not a url",
  ])("refuses %s without fetching it", async (url) => {
    let fetched = false;
    const spy = (async () => {
      fetched = true;
      return new Response("");
    }) as unknown as typeof fetch;
    await expect(openBulkResult(url, { fetch: spy })).rejects.toBeInstanceOf(UntrustedBulkUrlError);
    expect(fetched).toBe(false);
  });

  it("does not follow a redirect away from the storage host", async () => {
    let init: RequestInit | undefined;
    const redirecting = (async (_u: string, i?: RequestInit) => {
      init = i;
      return new Response(null, { status: 302, headers: { location: "https://evil.example/x" } });
    }) as unknown as typeof fetch;
    await expect(openBulkResult(STORAGE_URL, { fetch: redirecting })).rejects.toThrow(/redirect \(HTTP 302\)/);
    expect(init?.redirect).toBe("manual");
  });
});
