import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "~/db/client.server";

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, "../../..");
const BIN = join(ROOT, "bin/growthpilot.js");
const ORDERS = join(ROOT, "tests/fixtures/shopify_orders_small.csv");
const PRODUCTS = join(ROOT, "tests/fixtures/shopify_products_small.csv");
/** Refused imports go to SHOP and must leave it empty; the successful import uses a shop of its own. */
const SHOP = "import-cli.myshopify.com";
const IMPORTED = "imported-cli.myshopify.com";

let work: string;

/** The real launcher in a child process, with its own PGlite data dir. */
async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = { ...process.env, DATA_DIR: join(work, "data"), DATABASE_URL: "" };
  delete (env as Record<string, string | undefined>).DATABASE_URL;
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], { cwd: ROOT, env, timeout: 90_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

async function counts(shop = SHOP) {
  const db = await openDatabase({ dataDir: join(work, "data", "pglite") });
  try {
    return {
      orders: await db.prisma.order.count({ where: { shop } }),
      products: await db.prisma.product.count({ where: { shop } }),
    };
  } finally {
    await db.close();
  }
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "growthpilot-import-"));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("growthpilot import", () => {
  it("rejects a malformed file with one row-numbered error, exit 2, nothing written", async () => {
    const bad = join(work, "bad.csv");
    writeFileSync(
      bad,
      "Name,Email,Created at,Lineitem quantity,Lineitem name,Lineitem price\n#1,a@x.com,2024-01-01 10:00:00 -0500,1,Tea,1.00\n#2,b@x.com,not-a-date,1,Tea,1.00\n",
    );
    const result = await cli(["import", "--orders", bad, "--shop", SHOP]);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
    expect(result.stderr).toMatch(/row 3/i);
    expect(await counts()).toEqual({ orders: 0, products: 0 });
  });

  it.each(["orders-rowquoted.csv", "orders-semicolon.csv", "orders-ddmm.csv"])(
    "refuses the spreadsheet-mangled %s in one line naming no cell, exit 2, nothing written",
    async (file) => {
      const result = await cli(["import", "--orders", join(ROOT, "tests/fixtures/exports", file), "--shop", SHOP]);
      expect(result.code).toBe(2);
      expect(result.stderr.trim().split("\n")).toHaveLength(1);
      expect(result.stderr).toMatch(/re-saved by a spreadsheet.*export again from Shopify admin/);
      expect(result.stderr).not.toMatch(/@|#10/);
      expect(result.stdout).toBe("");
      expect(await counts()).toEqual({ orders: 0, products: 0 });
    },
  );

  it("prints a summary a merchant can check: stored counts, not scored and why, currencies, dates, refunds", async () => {
    const shop = "summary-cli.myshopify.com";
    const dir = join(ROOT, "tests/fixtures/exports");
    const result = await cli([
      "import",
      "--orders",
      join(dir, "orders.csv"),
      "--products",
      join(dir, "products.csv"),
      "--shop",
      shop,
    ]);
    expect(result.stderr).toBe("");
    expect(result.stdout).toBe(
      [
        `imported into ${shop}: 10 orders (12 lines), 4 customers, 4 products (7 variants)`,
        "  dates: 2025-01-02 to 2025-06-01 (UTC)",
        "  currencies: USD 9 orders, CAD 1 order",
        "  refunds: USD 33.00 on 2 orders (scoring counts order totals net of refunds)",
        "  stored but not scored: 1 cancelled or voided order, 1 order without an email (no customer)",
        '  lines linked to a product: 11 of 12 (by SKU, else by "Product - Variant" name); 1 not in the products file',
        "  variants without a SKU: 3 (kept as they are)",
        "",
      ].join("\n"),
    );
  });

  it("rejects a shop that is not a myshopify domain", async () => {
    const result = await cli(["import", "--orders", ORDERS, "--shop", "example.com"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/myshopify/);
  });

  it("imports orders and products into the database", async () => {
    const result = await cli(["import", "--orders", ORDERS, "--products", PRODUCTS, "--shop", IMPORTED]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const n = await counts(IMPORTED);
    expect(n.orders).toBeGreaterThan(0);
    expect(n.products).toBeGreaterThan(0);
    expect(result.stdout).toContain(`${n.orders} orders`);
  });
});
