import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

/**
 * Static guard for per-shop isolation: every Prisma call in app/models (and any that services make
 * directly) must name `shop` in its filter or data — a `where`, a `data` row, or raw SQL with
 * `shop = $n`. A new query without it fails this test, which names the file, line and call.
 * Intentionally cross-shop queries are listed below with the reason.
 */
const ROOT = path.resolve(__dirname, "../..");
const DIRS = ["app/models", "app/services"];

const ALLOWED: { file: string; fn: string; why: string }[] = [
  {
    file: "app/models/shops.server.ts",
    fn: "listInstalledShops",
    why: "the worker schedules reconciles for every installed shop; returns shop domains only",
  },
  { file: "app/models/db-types.server.ts", fn: "pingDatabase", why: "GET /healthz: `SELECT 1` reads no table" },
];

const METHODS = [
  "findMany",
  "findFirst",
  "findFirstOrThrow",
  "findUnique",
  "findUniqueOrThrow",
  "update",
  "updateMany",
  "updateManyAndReturn",
  "delete",
  "deleteMany",
  "count",
  "aggregate",
  "groupBy",
  "upsert",
  "create",
  "createMany",
  "createManyAndReturn",
  "\\$queryRaw",
  "\\$queryRawUnsafe",
  "\\$executeRaw",
  "\\$executeRawUnsafe",
];
const CALL = new RegExp(`\\.(${METHODS.join("|")})\\s*(\\(|\`)`, "g");

/** The argument text of a call starting at `open` ("(" or a tagged template's "`"). */
function argument(src: string, open: number): string {
  if (src[open] === "`") return src.slice(open, src.indexOf("`", open + 1) + 1);
  let depth = 0;
  let quote: string | null = null;
  for (let i = open; i < src.length; i++) {
    const c = src[i];
    if (quote) {
      if (c === "\\") i++;
      else if (c === quote) quote = null;
      continue;
    }
    if (c === '"' || c === "'" || c === "`") quote = c;
    else if (c === "(") depth++;
    else if (c === ")" && --depth === 0) return src.slice(open, i + 1);
  }
  return src.slice(open);
}

/** Removes `select: {…}`, `include: {…}`, `orderBy: …` and `_count`/`_sum` blocks: naming `shop` there filters nothing. */
function withoutProjections(arg: string): string {
  let out = arg;
  for (const key of ["select", "include", "orderBy", "_count", "_sum", "_avg", "_max", "_min", "by"]) {
    const re = new RegExp(`\\b${key}\\s*:\\s*`, "g");
    let m: RegExpExecArray | null;
    while ((m = re.exec(out))) {
      const start = m.index + m[0].length;
      const open = out[start];
      if (open !== "{" && open !== "[") continue;
      const close = open === "{" ? "}" : "]";
      let depth = 0;
      let end = start;
      for (; end < out.length; end++) {
        if (out[end] === open) depth++;
        else if (out[end] === close && --depth === 0) break;
      }
      out = out.slice(0, m.index) + out.slice(end + 1);
      re.lastIndex = m.index;
    }
  }
  return out;
}

/** `shop` named directly, or through a local `const x = …shop…` the call passes (e.g. `{ where }`, `rows`). */
function scoped(arg: string, src: string): boolean {
  const text = withoutProjections(arg);
  if (/\bshop\b/.test(text)) return true;
  for (const id of new Set(text.match(/\b[A-Za-z_]\w*\b/g) ?? [])) {
    const def = new RegExp(`const\\s+${id}\\s*=([^;]*)`).exec(src);
    if (def && /\bshop\b/.test(withoutProjections(def[1]))) return true;
  }
  return false;
}

function enclosingFunction(src: string, index: number): string {
  const before = src.slice(0, index);
  const matches = [...before.matchAll(/(?:function\s+(\w+)|const\s+(\w+)\s*=\s*(?:async\s*)?\()/g)];
  const last = matches[matches.length - 1];
  return last ? (last[1] ?? last[2]) : "";
}

export function unscopedCalls(files: { file: string; src: string }[]) {
  const found: string[] = [];
  for (const { file, src } of files) {
    for (const m of src.matchAll(CALL)) {
      const open = m.index! + m[0].length - 1;
      const arg = argument(src, open);
      // Only Prisma: a delegate (`prisma.order.x`, `tx.order.x`, `db.x.x`) or a raw call on a client.
      const receiver = src.slice(Math.max(0, m.index! - 60), m.index!);
      if (!m[1].startsWith("$") && !/\b(prisma|tx|db)\.\w+\s*$/.test(receiver)) continue;
      if (scoped(arg, src)) continue;
      const fn = enclosingFunction(src, m.index!);
      if (ALLOWED.some((a) => a.file === file && a.fn === fn)) continue;
      const line = src.slice(0, m.index!).split("\n").length;
      found.push(`${file}:${line} ${fn}: .${m[1]}${arg.replace(/\s+/g, " ").slice(0, 120)}`);
    }
  }
  return found;
}

/** Every .ts file under the scanned folders, subfolders included (models/automations/, services/sync/ …). */
function sources() {
  return DIRS.flatMap((dir) =>
    readdirSync(path.join(ROOT, dir), { recursive: true, encoding: "utf8" })
      .filter((f) => f.endsWith(".ts"))
      .map((f) => ({
        file: `${dir}/${f.split(path.sep).join("/")}`,
        src: readFileSync(path.join(ROOT, dir, f), "utf8"),
      })),
  );
}

describe("every Prisma query is scoped by shop", () => {
  it("finds no unscoped call in app/models and app/services", () => {
    const files = sources();
    expect(files.filter((f) => f.file.startsWith("app/models")).length).toBeGreaterThan(10);
    // Feature folders are scanned too: the automation models and the services' subfolders.
    expect(files.map((f) => f.file)).toEqual(
      expect.arrayContaining(["app/models/automations/assignments.server.ts", "app/services/sync/shop-sync.server.ts"]),
    );
    expect(unscopedCalls(files)).toEqual([]);
  });

  it("the scan catches the mistakes it is for", () => {
    const bad = [
      "export async function a(prisma) { return prisma.order.findMany({ where: { gid } }); }",
      "export async function b(prisma) { return prisma.customer.count(); }",
      "export async function c(prisma) { return prisma.order.findMany({ select: { shop: true } }); }",
      'export async function d(prisma) { return prisma.$queryRawUnsafe(`SELECT * FROM "Order" WHERE gid = $1`, gid); }',
      "export async function e(prisma, id) { return prisma.automation.updateMany({ where: { id }, data: { status: 'PAUSED' } }); }",
      "export async function f(tx) { await tx.order.deleteMany({ where: { gid: { in: gids } } }); }",
    ];
    const good = [
      "export async function g(prisma, shop) { return prisma.order.findMany({ where: { shop, gid } }); }",
      "export async function h(prisma, shop) { const where = { shop }; return prisma.order.deleteMany({ where }); }",
      'export async function i(prisma, shop) { return prisma.$queryRawUnsafe(`SELECT 1 FROM "Order" WHERE shop = $1`, shop); }',
    ];
    expect(unscopedCalls(bad.map((src, n) => ({ file: `bad${n}.ts`, src })))).toHaveLength(bad.length);
    expect(unscopedCalls(good.map((src, n) => ({ file: `good${n}.ts`, src })))).toEqual([]);
  });
});
