/**
 * Offer issuing throughput against the Shopify stand-in's cost model (issue 13 item 5, D28, D33):
 * batch size 1 (discountCodeBasicCreate, metafieldsSet, flowTriggerReceive per customer) and the
 * batched path, with and without a Flow workflow on the trigger, in the same run. Offer tags go
 * out as one tagsAdd bulk mutation per run in every scenario (D33): its polls' waits count as
 * time like the throttle waits. Each scenario gets its own shop (so its own full bucket) on the
 * standard plan's limits: 100 points/s restore (shopify.dev "GraphQL Admin API rate limits"),
 * 2,000-point bucket, every mutation field 10 points.
 *
 *   npm run bench:automations [-- --customers 500]
 *
 * Time is wall time plus the throttle waits the Admin client asks for and the tag phase's poll
 * waits: both sleeps move
 * the stand-in's clock instead of blocking, so the bucket refills exactly as it would after a
 * real wait and the run takes seconds instead of minutes. Target: ≥ 5 customers/s batched, Flow in use.
 */
import { performance } from "node:perf_hooks";
import { generateShop } from "../devstore/generator";
import { startDevStore } from "../devstore/server";
import { arg } from "./lib/common";
import { openDatabase } from "../app/db/client.server";
import {
  createAutomation,
  insertRunWithPlan,
  parseAutomationConfig,
  countFlowDeliveries,
} from "../app/models/automations";
import { recordFlowTriggerUse, recordInstall } from "../app/models/shops.server";
import { getTagSummary } from "../app/models/automation-tags.server";
import { runAutomation } from "../app/services/automations/issue.server";
import { offerCode } from "../app/services/automations/shared.server";
import { createAdminClient } from "../app/shopify/admin-client.server";
import { OFFER_TRIGGER_HANDLE, OFFER_TRIGGER_KEYS } from "../app/shopify/flow-trigger";
import { DAY_MS } from "../app/analytics/time";

const CUSTOMERS = Number(arg("customers", "500"));
const TARGET = 5;
const TOKEN = "shpat_bench_automations";
const SCENARIOS = [
  { name: "batch size 1, Flow in use", batchSize: 1, flowInUse: true },
  { name: "batched (25), Flow in use", batchSize: 25, flowInUse: true },
  { name: "batched (25), no workflow on the trigger", batchSize: 25, flowInUse: false },
] as const;

async function main() {
  const startMs = Date.parse("2026-03-01T00:00:00Z");
  let slept = 0;
  const t0 = performance.now();
  const clock = () => startMs + (performance.now() - t0) + slept;
  const sleep = async (ms: number) => {
    slept += ms;
  };
  const shops = SCENARIOS.map((_, i) => {
    const shop = generateShop({
      domain: `bench-issue-${i}.myshopify.com`,
      seed: 40 + i,
      products: 20,
      customers: CUSTOMERS,
      orders: CUSTOMERS,
      start: "2025-01-01T00:00:00Z",
      end: "2026-01-01T00:00:00Z",
    });
    shop.accessTokens.add(TOKEN);
    return shop;
  });
  const store = await startDevStore({
    port: 0,
    clock,
    apiKey: "bench",
    apiSecret: "bench-secret",
    shops,
    autoDeliverWebhooks: false,
    faults: { duplicateWebhookRate: 0 },
    flowTriggers: { [OFFER_TRIGGER_HANDLE]: OFFER_TRIGGER_KEYS },
  });
  const db = await openDatabase({});
  console.log(`${CUSTOMERS} treated customers per scenario; standard plan (100 points/s, 2,000-point bucket)\n`);
  const rows: string[] = [];
  try {
    for (const [i, sc] of SCENARIOS.entries()) {
      const domain = shops[i].domain;
      let requests = 0,
        mutationFields = 0,
        points = 0;
      // Counts what the app sends and what the stand-in charges (its `extensions.cost`).
      const countingFetch: typeof fetch = async (input, init) => {
        const res = await fetch(input, init);
        const body = JSON.parse(String(init?.body ?? "{}")) as { query?: string };
        const json = (await res.clone().json()) as {
          extensions?: { cost?: { actualQueryCost?: number | null; requestedQueryCost?: number } };
        };
        requests++;
        points += json.extensions?.cost?.actualQueryCost ?? 0;
        if (/^\s*mutation/.test(body.query ?? ""))
          mutationFields += (json.extensions?.cost?.requestedQueryCost ?? 0) / 10;
        return res;
      };
      const client = createAdminClient({
        shop: domain,
        accessToken: TOKEN,
        baseUrl: store.url,
        sleep,
        now: clock,
        fetch: countingFetch,
      });
      await recordInstall(db.prisma, domain);
      if (sc.flowInUse) await recordFlowTriggerUse(db.prisma, domain, true, new Date(clock()));
      const automation = await createAutomation(db.prisma, domain, { type: "WIN_BACK", name: "Bench win-back" });
      const config = parseAutomationConfig(automation.config);
      const startedAt = new Date(clock());
      const runKey = `bench-${i}`;
      await insertRunWithPlan(db.prisma, domain, {
        automationId: automation.id,
        seed: 1,
        asOf: startedAt,
        startedAt,
        measureUntil: new Date(startedAt.getTime() + 30 * DAY_MS),
        config,
        summary: {},
        assignments: [...shops[i].customers.keys()].slice(0, CUSTOMERS).map((gid) => ({
          customerGid: gid,
          arm: "TREATMENT" as const,
          stratum: "at_risk",
          status: "PENDING",
          code: offerCode("WIN_BACK", runKey, gid),
          expiresAt: new Date(startedAt.getTime() + 14 * DAY_MS),
          expectedCostMinor: 0,
        })),
      });
      const wall0 = performance.now();
      const slept0 = slept;
      const result = await runAutomation(
        { prisma: db.prisma, client, now: () => new Date(clock()), batchSize: sc.batchSize, sleep },
        domain,
        automation.id,
      );
      const wallMs = performance.now() - wall0;
      const waitMs = slept - slept0;
      const issued = result.counts.ISSUED ?? 0;
      const flow = await countFlowDeliveries(db.prisma, domain, result.runId);
      const tags = await getTagSummary(db.prisma, domain, result.runId);
      const secs = (wallMs + waitMs) / 1000;
      rows.push(
        `${sc.name.padEnd(42)} ${(issued / secs).toFixed(2).padStart(6)} customers/s  ` +
          `${(mutationFields / issued).toFixed(2)} mutations, ${(requests / issued).toFixed(2)} requests, ${(points / issued).toFixed(1)} points per customer  ` +
          `(${issued} issued in ${secs.toFixed(1)} s: ${(wallMs / 1000).toFixed(1)} s work + ${(waitMs / 1000).toFixed(1)} s throttle/poll waits; ` +
          `Flow ${flow.accepted} accepted, ${flow.skipped} skipped; tags ${tags?.applied ?? 0} applied, ${tags?.failed ?? 0} failed)`,
      );
      console.log(rows[rows.length - 1]);
    }
  } finally {
    await store.close();
    await db.close();
  }
  console.log(`\nTarget: ≥ ${TARGET} customers/s on the standard plan.`);
}

await main();
