import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseOrdersCsv } from "~/csv";
import { getShopSettings } from "~/models/shops.server";
import { customerGidForEmail } from "~/services/sync/csv-records.server";
import { importCsvRecords } from "~/services/sync/csv-import.server";
import { runScoring } from "~/services/scoring/run.server";
import { createTestDatabase, type TestDatabase } from "../../helpers/db";
import { sharedFile } from "../../helpers/shared-data";

/**
 * One money definition (app/analytics/money.ts): an export imported into the app and scored there
 * gives each customer the same values as `growthpilot score` on the same file. Runs on the
 * committed synthetic export (refunds, a full refund, a voided order) and, when the shared data
 * folder is present, on a real export where 15 % of revenue was refunded.
 */
const ROOT = resolve(import.meta.dirname, "../../..");
const SHARED = sharedFile("shopify-exports/o12-customervip-USD-2022.csv");
const FILES: { label: string; path: string; asOf: string }[] = [
  { label: "synthetic export", path: join(ROOT, "tests/fixtures/exports/orders.csv"), asOf: "2025-07-01" },
  ...(existsSync(SHARED) ? [{ label: "real export o12 (shared data folder)", path: SHARED, asOf: "2022-01-12" }] : []),
];
if (!existsSync(SHARED)) console.warn("scoring-parity: shared data folder not found — real-export case skipped");

const run = promisify(execFile);
let work: string;
let db: TestDatabase;
beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "growthpilot-parity-"));
  db = await createTestDatabase("pglite");
}, 60_000);
afterAll(async () => {
  await db?.drop();
  rmSync(work, { recursive: true, force: true });
});

describe.each(FILES)("offline score and in-app scoring agree on the $label", ({ label, path, asOf }) => {
  it("gives every customer the same values, with refunds taken out of revenue", async () => {
    const shop = `parity-${label.replace(/\W+/g, "-").slice(0, 20)}.myshopify.com`;
    await importCsvRecords(db.prisma, shop, {
      orders: parseOrdersCsv(readFileSync(path, "utf8")),
      importedAt: new Date(),
    });
    const { churnHorizonDays } = await getShopSettings(db.prisma, shop);
    await runScoring({ prisma: db.prisma, now: () => new Date(`${asOf}T00:00:00Z`) }, shop);
    const inApp = new Map(
      (await db.prisma.customerScore.findMany({ where: { shop } })).map((s) => [
        s.customerGid,
        {
          segment: s.segment,
          rfm: [s.rfmR, s.rfmF, s.rfmM],
          expectedOrders: s.expectedOrders,
          pAlive: s.pAlive,
          clvMinor: s.clvMinor,
        },
      ]),
    );

    const out = join(work, shop);
    await run(
      process.execPath,
      [
        join(ROOT, "bin/growthpilot.js"),
        "score",
        "--orders",
        path,
        "--as-of",
        asOf,
        "--horizon-days",
        String(churnHorizonDays),
        "--out",
        out,
      ],
      { cwd: ROOT, timeout: 90_000 },
    );
    const offline = readFileSync(join(out, "customers.jsonl"), "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    const model = JSON.parse(readFileSync(join(out, "model.json"), "utf8"));

    expect(offline.length).toBe(inApp.size);
    for (const c of offline) {
      expect(inApp.get(customerGidForEmail(c.customer)), c.customer).toEqual({
        segment: c.segment,
        rfm: [c.rfm.r, c.rfm.f, c.rfm.m],
        expectedOrders: c.expectedOrders,
        pAlive: c.pAlive,
        clvMinor: Math.round(c.clv * 100),
      });
    }
    // model.json says how much was refunded, and the scored money is net of it.
    expect(model.input.refundedMinor).toBeGreaterThan(0);
    expect(model.input.netMinor).toBe(model.input.grossMinor - model.input.refundedMinor);
    expect(model.input.fullyRefundedOrders).toBeGreaterThan(0);
    expect(
      Object.values(model.input.refundedMinorByCurrency as Record<string, number>).reduce((a, b) => a + b, 0),
    ).toBe(model.input.refundedMinor);
  }, 120_000);
});
