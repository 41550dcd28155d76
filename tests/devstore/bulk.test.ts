import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildShop, startFixtureStore } from "./fixtures.js";

let env: Awaited<ReturnType<typeof startFixtureStore>>;
beforeAll(async () => {
  env = await startFixtureStore({}, [buildShop("alpha.myshopify.com", { products: 3, customers: 4, orders: 600 })]);
});
afterAll(async () => env.store.close());

const RUN = `mutation($q: String!, $g: Boolean) { bulkOperationRunQuery(query: $q, groupObjects: $g) { bulkOperation { id status } userErrors { field message code } } }`;
const POLL = `query($id: ID!) { node(id: $id) { ... on BulkOperation { id status objectCount rootObjectCount fileSize url errorCode } } }`;
const ORDERS = `{ orders(query: "created_at:>=2024-01-01") { edges { node { id name totalPriceSet { shopMoney { amount } } customer { id }
  lineItems { edges { node { id sku quantity } } } } } } }`;

async function runBulk(query: string, groupObjects?: boolean, store = env) {
  const started = await store.gql(RUN, { q: query, g: groupObjects });
  expect(started.body.data.bulkOperationRunQuery.userErrors).toEqual([]);
  const op = started.body.data.bulkOperationRunQuery.bulkOperation;
  expect(op.status).toBe("CREATED");
  await store.store.bulkIdle();
  return (await store.gql(POLL, { id: op.id })).body.data.node;
}

async function fileLines(url: string): Promise<Record<string, unknown>[]> {
  return (await (await fetch(url)).text())
    .trimEnd()
    .split("\n")
    .map((l) => JSON.parse(l));
}

/** Child lines that do not sit in their parent's block (after another root started). */
function displacedChildren(lines: Record<string, unknown>[]) {
  let currentRoot: unknown = null;
  const seen = new Set<unknown>();
  let displaced = 0;
  for (const l of lines) {
    if (l.__parentId === undefined) {
      currentRoot = l.id;
      seen.add(l.id);
    } else {
      expect(seen.has(l.__parentId)).toBe(true); // the stand-in still writes parents first
      if (l.__parentId !== currentRoot) displaced++;
    }
  }
  return displaced;
}

describe("bulkOperationRunQuery", () => {
  it("exports JSONL with nested connection nodes as __parentId lines", async () => {
    const op = await runBulk(ORDERS, true);
    expect(op.status).toBe("COMPLETED");
    const text = await (await fetch(op.url)).text();
    const lines = text
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l));
    const orders = lines.filter((l) => !l.__parentId);
    const items = lines.filter((l) => l.__parentId);
    expect(orders).toHaveLength(600);
    expect(op.rootObjectCount).toBe("600");
    expect(op.objectCount).toBe(String(lines.length));
    expect(Number(op.fileSize)).toBe(Buffer.byteLength(text));
    expect(orders[0]).toEqual({
      id: expect.stringMatching(/^gid:\/\/shopify\/Order\//),
      name: expect.any(String),
      totalPriceSet: { shopMoney: { amount: expect.any(String) } },
      customer: { id: expect.any(String) },
    });
    expect(items[0]).toEqual({
      id: expect.any(String),
      sku: expect.any(String),
      quantity: 1,
      __parentId: orders[0].id,
    });
    // children follow their parent
    expect(lines[1].__parentId).toBe(lines[0].id);
  });

  it("groupObjects: true keeps every child in its parent's block", async () => {
    const op = await runBulk(ORDERS, true);
    expect(displacedChildren(await fileLines(op.url))).toBe(0);
  });

  it("groupObjects defaults to false (2026-10): children come late, after other roots, in a deterministic order", async () => {
    const op = await runBulk(ORDERS);
    const lines = await fileLines(op.url);
    expect(lines.filter((l) => l.__parentId === undefined)).toHaveLength(600);
    expect(displacedChildren(lines)).toBeGreaterThan(50);
    // Same shop, same operation number → the same file.
    const again = await startFixtureStore({}, [
      buildShop("alpha.myshopify.com", { products: 3, customers: 4, orders: 600 }),
    ]);
    try {
      const first = await runBulk(ORDERS, undefined, again);
      const [a, b] = [await fileLines(first.url), await fileLines((await runBulk(ORDERS, undefined, again)).url)];
      expect(a).toHaveLength(b.length);
      expect(a.map((l) => l.id)).not.toEqual(b.map((l) => l.id)); // a different operation, another order
      const fresh = await startFixtureStore({}, [
        buildShop("alpha.myshopify.com", { products: 3, customers: 4, orders: 600 }),
      ]);
      try {
        expect((await fileLines((await runBulk(ORDERS, undefined, fresh)).url)).map((l) => l.id)).toEqual(
          a.map((l) => l.id),
        );
      } finally {
        await fresh.store.close();
      }
    } finally {
      await again.store.close();
    }
  });

  it("rejects invalid bulk queries and a second concurrent operation", async () => {
    const two = await env.gql(RUN, { q: "{ shop { name } }" });
    expect(two.body.data.bulkOperationRunQuery.userErrors[0]).toMatchObject({ field: ["query"], code: "INVALID" });
    const noId = await env.gql(RUN, {
      q: "{ orders { edges { node { name lineItems { edges { node { id } } } } } } }",
    });
    expect(noId.body.data.bulkOperationRunQuery.userErrors[0].message).toContain("'id'");
  });

  it("reports RUNNING until the injected clock passes the minimum duration, and refuses a second run meanwhile", async () => {
    const slow = await startFixtureStore({ bulkMinDurationMs: 5000 });
    try {
      const first = await slow.gql(RUN, { q: "{ customers { edges { node { id } } } }" });
      expect(first.body.data.bulkOperationRunQuery.userErrors).toEqual([]);
      await slow.store.bulkIdle();
      const second = await slow.gql(RUN, { q: "{ customers { edges { node { id } } } }" });
      expect(second.body.data.bulkOperationRunQuery.userErrors[0]).toMatchObject({
        code: "OPERATION_IN_PROGRESS",
        field: null,
      });
      const running = await slow.gql(`{ currentBulkOperation(type: QUERY) { status url } }`);
      expect(running.body.data.currentBulkOperation).toEqual({ status: "RUNNING", url: null });
      slow.advance(5000);
      const done = await slow.gql(`{ currentBulkOperation(type: QUERY) { status objectCount } }`);
      expect(done.body.data.currentBulkOperation).toEqual({ status: "COMPLETED", objectCount: "10" });
    } finally {
      await slow.store.close();
    }
  });

  it("truncates the file mid-line under the fault knob", async () => {
    env.store.faults.truncateBulkFile = true;
    try {
      const op = await runBulk("{ customers { edges { node { id email } } } }");
      const text = await (await fetch(op.url)).text();
      expect(Buffer.byteLength(text)).toBeLessThan(Number(op.fileSize));
      expect(text.endsWith("\n")).toBe(false);
      expect(() => text.split("\n").map((l) => JSON.parse(l))).toThrow();
    } finally {
      env.store.faults.truncateBulkFile = false;
    }
  });

  it("runs a bulk mutation over a staged upload", async () => {
    const staged =
      await env.gql(`mutation { stagedUploadsCreate(input: [{ resource: BULK_MUTATION_VARIABLES, filename: "vars.jsonl", mimeType: "text/jsonl", httpMethod: POST }]) {
      stagedTargets { url parameters { name value } } userErrors { message } } }`);
    const target = staged.body.data.stagedUploadsCreate.stagedTargets[0];
    const form = new FormData();
    for (const p of target.parameters) form.append(p.name, p.value);
    const ids = ["gid://shopify/Customer/7", "gid://shopify/Customer/8"];
    form.append("file", new Blob([ids.map((id) => JSON.stringify({ id, tags: ["vip"] })).join("\n")]), "vars.jsonl");
    expect((await fetch(target.url, { method: "POST", body: form })).status).toBe(201);
    const path = target.parameters.find((p: { name: string }) => p.name === "key").value;
    const run = await env.gql(
      `mutation($path: String!) { bulkOperationRunMutation(mutation: "mutation t($id: ID!, $tags: [String!]!) { tagsAdd(id: $id, tags: $tags) { userErrors { message } } }", stagedUploadPath: $path) { bulkOperation { id } userErrors { message code } } }`,
      { path },
    );
    expect(run.body.data.bulkOperationRunMutation.userErrors).toEqual([]);
    await env.store.bulkIdle();
    const op = (await env.gql(POLL, { id: run.body.data.bulkOperationRunMutation.bulkOperation.id })).body.data.node;
    const lines = (await (await fetch(op.url)).text())
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines).toEqual([
      { data: { tagsAdd: { userErrors: [] } }, __lineNumber: 0 },
      { data: { tagsAdd: { userErrors: [] } }, __lineNumber: 1 },
    ]);
    const shop = env.store.shops.get("alpha.myshopify.com")!;
    expect(shop.customers.get(ids[0])!.tags).toEqual(["vip"]);
  });

  it("runs up to five bulk mutations at once per shop (2026-01+) and refuses a sixth; a userError line keeps its __lineNumber", async () => {
    const slow = await startFixtureStore({ bulkMinDurationMs: 5000 }, [
      buildShop("beta.myshopify.com", { products: 1, customers: 2, orders: 0 }),
    ]);
    const TAGS = `mutation t($id: ID!, $tags: [String!]!) { tagsAdd(id: $id, tags: $tags) { userErrors { field message } } }`;
    const RUN_MUTATION = `mutation($m: String!, $path: String!) { bulkOperationRunMutation(mutation: $m, stagedUploadPath: $path) { bulkOperation { id } userErrors { message code } } }`;
    const stage = async (lines: object[]) => {
      const staged = await slow.gql(
        `mutation { stagedUploadsCreate(input: [{ resource: BULK_MUTATION_VARIABLES, filename: "v", mimeType: "text/jsonl", httpMethod: POST }]) { stagedTargets { url parameters { name value } } } }`,
        {},
      );
      const target = staged.body.data.stagedUploadsCreate.stagedTargets[0];
      const form = new FormData();
      for (const p of target.parameters) form.append(p.name, p.value);
      form.append("file", new Blob([lines.map((l) => JSON.stringify(l)).join("\n")]), "v");
      expect((await fetch(target.url, { method: "POST", body: form })).status).toBe(201);
      return target.parameters.find((p: { name: string }) => p.name === "key").value as string;
    };
    try {
      const customer = [...slow.store.shops.get("beta.myshopify.com")!.customers.keys()][0];
      const ids: string[] = [];
      for (let i = 0; i < 6; i++) {
        const lines = [
          { id: customer, tags: [`t${i}`] },
          { id: "gid://shopify/Customer/404", tags: ["x"] },
        ];
        const run = await slow.gql(RUN_MUTATION, { m: TAGS, path: await stage(lines) });
        const payload = run.body.data.bulkOperationRunMutation;
        if (i < 5) {
          expect(payload.userErrors).toEqual([]);
          ids.push(payload.bulkOperation.id);
        } else {
          expect(payload.bulkOperation).toBeNull();
          expect(payload.userErrors[0]).toMatchObject({ code: "OPERATION_IN_PROGRESS" });
        }
      }
      await slow.store.bulkIdle();
      slow.advance(5000);
      const op = (await slow.gql(POLL, { id: ids[0] })).body.data.node;
      expect(op.status).toBe("COMPLETED");
      expect(await fileLines(op.url)).toEqual([
        { data: { tagsAdd: { userErrors: [] } }, __lineNumber: 0 },
        { data: { tagsAdd: { userErrors: [{ field: ["id"], message: "Resource not found" }] } }, __lineNumber: 1 },
      ]);
    } finally {
      await slow.store.close();
    }
  });
});
