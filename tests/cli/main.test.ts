import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, "../..");
const BIN = join(ROOT, "bin/growthpilot.js");
const FIXTURES = join(ROOT, "tests/fixtures");
const ORDERS = join(FIXTURES, "shopify_orders_small.csv");
const PRODUCTS = join(FIXTURES, "shopify_products_small.csv");

/** Runs the real launcher (tsx loader + main) as a child process; never throws on exit codes. */
async function cli(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], {
      cwd: ROOT,
      timeout: 60_000,
      env: { ...process.env, ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const jsonl = (path: string) =>
  readFileSync(path, "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l));

let work: string;
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "growthpilot-cli-"));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("growthpilot score", () => {
  let out: string;
  beforeAll(async () => {
    out = join(work, "score");
    const result = await cli([
      "score",
      "--orders",
      ORDERS,
      "--as-of",
      "2024-04-01",
      "--products",
      PRODUCTS,
      "--out",
      out,
    ]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
  });

  it("writes exactly the five docs/contracts.md §4 files and nothing else", () => {
    expect(readdirSync(out).sort()).toEqual([
      "customers.jsonl",
      "discovery.jsonl",
      "model.json",
      "products.jsonl",
      "recommendations.jsonl",
    ]);
    expect(readdirSync(work).filter((f) => f.includes("tmp"))).toEqual([]);
  });

  it("keys customers by normalised email and uses only valid orders before --as-of", () => {
    const recs = jsonl(join(out, "recommendations.jsonl"));
    expect(recs.map((r) => r.customer).sort()).toEqual([
      "alice@example.com",
      "bob@example.com",
      "carol@example.com",
      "dave@example.com",
      "gina@example.com",
    ]);
    for (const r of recs) expect(r.items.length).toBe(r.reasons.length);
    const alice = recs.find((r) => r.customer === "alice@example.com");
    expect(alice.items[0]).toBe("TEA-GREEN");
    // cancelled (#1008 CUPS), voided (#1007 kettle), no-email (#1009) orders never count
    const model = JSON.parse(readFileSync(join(out, "model.json"), "utf8"));
    expect(model.input).toMatchObject({ kept: 11, noEmail: 1, cancelledOrVoided: 2, notBefore: 1, noLines: 0 });
    expect(model.input.netMinor).toBe(model.input.grossMinor - model.input.refundedMinor);
  });

  it("discovery excludes owned items; filters drop draft, gift card, price-0 and sold-out items", () => {
    const owned: Record<string, string[]> = { "alice@example.com": ["TEA-GREEN", "INFUSER", "HONEY", "SPOON"] };
    const discovery = jsonl(join(out, "discovery.jsonl"));
    const alice = discovery.find((r) => r.customer === "alice@example.com");
    expect(alice.items.filter((s: string) => owned["alice@example.com"].includes(s))).toEqual([]);
    expect(alice.items).toContain("MUG"); // bought only after --as-of, so still a discovery
    const banned = ["DRAFT-KETTLE", "GIFT", "CUPS", "HONEY"];
    for (const file of ["recommendations.jsonl", "discovery.jsonl"]) {
      for (const row of jsonl(join(out, file))) expect(row.items.filter((s: string) => banned.includes(s))).toEqual([]);
    }
    for (const row of jsonl(join(out, "products.jsonl"))) {
      expect(row.boughtTogether.filter((s: string) => banned.includes(s) || s === row.sku)).toEqual([]);
      expect(row.alsoBought.filter((s: string) => banned.includes(s) || s === row.sku)).toEqual([]);
      expect(row.reasons.length).toBe(row.boughtTogether.length);
    }
  });

  it("customers.jsonl and model.json carry the customer models", () => {
    const customers = jsonl(join(out, "customers.jsonl"));
    expect(customers).toHaveLength(5);
    for (const c of customers) {
      for (const key of [
        "customer",
        "segment",
        "rfm",
        "pPurchase",
        "expectedOrders",
        "pAlive",
        "clv",
        "churnRisk",
        "explanation",
      ]) {
        expect(c).toHaveProperty(key);
      }
      expect(c.pPurchase).toBeGreaterThanOrEqual(0);
      expect(c.pPurchase).toBeLessThanOrEqual(1);
    }
    const model = JSON.parse(readFileSync(join(out, "model.json"), "utf8"));
    for (const key of ["r", "alpha", "a", "b", "logLikelihood"]) expect(typeof model.bgnbd[key]).toBe("number");
    expect(model.recommender.params.easeLambda).toBe(500);
  });

  it("is deterministic run to run", async () => {
    const again = join(work, "score-again");
    await cli(["score", "--orders", ORDERS, "--as-of", "2024-04-01", "--products", PRODUCTS, "--out", again]);
    for (const f of ["recommendations.jsonl", "discovery.jsonl", "customers.jsonl", "products.jsonl", "model.json"]) {
      expect(readFileSync(join(again, f), "utf8")).toBe(readFileSync(join(out, f), "utf8"));
    }
  });

  it("writes the same files with the worker thread as without (GROWTHPILOT_THREADS=0)", async () => {
    const single = join(work, "score-single-thread");
    const result = await cli(
      ["score", "--orders", ORDERS, "--as-of", "2024-04-01", "--products", PRODUCTS, "--out", single],
      { GROWTHPILOT_THREADS: "0" },
    );
    expect(result.code).toBe(0);
    for (const f of ["recommendations.jsonl", "discovery.jsonl", "customers.jsonl", "products.jsonl", "model.json"]) {
      expect(readFileSync(join(single, f), "utf8")).toBe(readFileSync(join(out, f), "utf8"));
    }
  });
});

describe("growthpilot complete", () => {
  it("answers one line per basket, never repeating basket items", async () => {
    const outFile = join(work, "complete.jsonl");
    const result = await cli([
      "complete",
      "--orders",
      ORDERS,
      "--as-of",
      "2024-04-01",
      "--baskets",
      join(FIXTURES, "baskets_small.jsonl"),
      "--out",
      outFile,
    ]);
    expect(result.code).toBe(0);
    const rows = jsonl(outFile);
    expect(rows.map((r) => r.id)).toEqual(["b1", 2]);
    expect(rows[0].items).not.toContain("TEA-GREEN");
    expect(rows[0].items[0]).toBe("HONEY");
    expect(rows[1].items.filter((s: string) => s === "MUG" || s === "TEA-BLACK")).toEqual([]);
  });
});

describe("bad input: one stderr line, exit 2, no partial output", () => {
  const write = (name: string, text: string) => {
    const path = join(work, name);
    writeFileSync(path, text);
    return path;
  };
  const header = readFileSync(ORDERS, "utf8").split("\n")[0];
  const cases: [string, () => string[], RegExp][] = [
    [
      "missing column",
      () => [
        "score",
        "--orders",
        write("nocol.csv", "Name,Email,Lineitem name,Lineitem quantity\n#1,a@x.com,Soap,1\n"),
        "--as-of",
        "2024-04-01",
      ],
      /missing required column "Created at"/,
    ],
    [
      "bad date in a row",
      () => [
        "score",
        "--orders",
        write("baddate.csv", `${header}\n#1,a@x.com,paid,,,,,USD,1,0,0,1,,,,31/12/2023,1,Soap,1.00,,S,,,,,,,,,,,\n`),
        "--as-of",
        "2024-04-01",
      ],
      /^growthpilot: error: row 2: "Created at" has dd\/mm\/yyyy dates .*export again from Shopify admin$/m,
    ],
    ["empty file", () => ["score", "--orders", write("empty.csv", ""), "--as-of", "2024-04-01"], /empty/],
    ["missing file", () => ["score", "--orders", join(work, "nope.csv"), "--as-of", "2024-04-01"], /does not exist/],
    ["bad --as-of", () => ["score", "--orders", ORDERS, "--as-of", "2024-13-01"], /--as-of "2024-13-01"/],
    [
      "unknown flag",
      () => ["score", "--orders", ORDERS, "--as-of", "2024-04-01", "--bogus", "1"],
      /unknown flag --bogus/,
    ],
    ["missing flag", () => ["score", "--orders", ORDERS], /missing required flag --as-of/],
    [
      "bad horizon",
      () => ["score", "--orders", ORDERS, "--as-of", "2024-04-01", "--horizon-days", "-3"],
      /--horizon-days/,
    ],
    [
      "no orders before as-of",
      () => ["score", "--orders", ORDERS, "--as-of", "2020-01-01"],
      /no usable orders before --as-of/,
    ],
    [
      "bad baskets",
      () => [
        "complete",
        "--orders",
        ORDERS,
        "--as-of",
        "2024-04-01",
        "--baskets",
        write("b.jsonl", '{"id":1,"items":["A"]}\nnot json\n'),
      ],
      /--baskets line 2: not valid JSON/,
    ],
    ["unknown command", () => ["scroe"], /unknown command "scroe"/],
  ];

  it.each(cases)("%s", async (name, args, message) => {
    const out = join(work, `out-${name.replace(/\W+/g, "-")}`);
    const argv = args();
    const result = await cli([...argv, "--out", argv[0] === "complete" ? `${out}.jsonl` : out]);
    expect(result.code).toBe(2);
    expect(result.stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(result.stderr).toMatch(message);
    expect(existsSync(out) || existsSync(`${out}.jsonl`)).toBe(false);
    expect(readdirSync(work).filter((f) => f.includes(".tmp-"))).toEqual([]);
  });

  it("leaves an existing output directory untouched on failure", async () => {
    const out = join(work, "existing");
    await cli(["score", "--orders", ORDERS, "--as-of", "2024-04-01", "--out", out]);
    const before = readFileSync(join(out, "recommendations.jsonl"), "utf8");
    const result = await cli(["score", "--orders", join(work, "nope.csv"), "--as-of", "2024-04-01", "--out", out]);
    expect(result.code).toBe(2);
    expect(readFileSync(join(out, "recommendations.jsonl"), "utf8")).toBe(before);
  });
});
