import { describe, expect, it } from "vitest";
import { ManualClock } from "~/jobs/clock";
import { InMemoryJobQueue } from "~/jobs/memory-queue";
import type { AppJobs } from "~/jobs/names";
import {
  keepShopSchedulesInSync,
  RESCHEDULE_EVERY_MS,
  SHOP_SCHEDULES,
  syncShopSchedules,
} from "~/jobs/schedules.server";
import { nextEvent } from "./helpers";

const DAY = 86_400_000;
const ids = (shop: string) => SHOP_SCHEDULES.map((s) => `${s.prefix}-${shop}`).sort();

describe("syncShopSchedules", () => {
  it("gives every installed shop each SHOP_SCHEDULES entry (housekeeping included), idempotently", async () => {
    const queue = new InMemoryJobQueue<AppJobs>();
    try {
      await queue.schedule(
        "scoring.run",
        {},
        { shop: "gone.myshopify.com", jobId: "scoring-gone.myshopify.com", every: 1000 },
      );
      await queue.schedule("scoring.run", {}, { shop: "x.myshopify.com", jobId: "nightly-scoring", every: 1000 });
      expect(await syncShopSchedules(queue, ["a.myshopify.com"])).toEqual({ added: SHOP_SCHEDULES.length, removed: 1 });
      expect((await queue.schedules()).sort()).toEqual([...ids("a.myshopify.com"), "nightly-scoring"].sort());
      expect(ids("a.myshopify.com")).toEqual(
        expect.arrayContaining(["webhooks-prune-a.myshopify.com", "retention-a.myshopify.com"]),
      );
      expect(await syncShopSchedules(queue, ["a.myshopify.com"])).toEqual({ added: 0, removed: 0 });
    } finally {
      await queue.close();
    }
  });
});

describe("keepShopSchedulesInSync on the in-process queue", () => {
  it("follows installs and uninstalls, fires the schedules on the clock, and leaves no timer after close", async () => {
    const clock = new ManualClock(Date.UTC(2026, 11, 1));
    const queue = new InMemoryJobQueue<AppJobs>({ clock });
    const ran: string[] = [];
    for (const { name } of SHOP_SCHEDULES) {
      queue.registerHandler(name, async (_data, ctx) => {
        ran.push(`${name}@${ctx.shop}`);
      });
    }
    await queue.start();
    let shops = ["a.myshopify.com"];
    // Each pass that changes something logs once; tests wait on that instead of on time.
    const logs: Array<(line: string) => void> = [];
    const nextLog = () => new Promise<string>((resolve) => logs.push(resolve));
    let firstLog = nextLog();
    const keeper = await keepShopSchedulesInSync(queue, async () => shops, {
      clock,
      log: (line) => logs.shift()?.(line),
    });
    expect(await firstLog).toBe(`jobs: shop schedules +${SHOP_SCHEDULES.length} -0`);
    expect((await queue.schedules()).sort()).toEqual(ids("a.myshopify.com"));

    shops = ["b.myshopify.com"];
    firstLog = nextLog();
    clock.advance(RESCHEDULE_EVERY_MS);
    expect(await firstLog).toBe(`jobs: shop schedules +${SHOP_SCHEDULES.length} -${SHOP_SCHEDULES.length}`);
    expect((await queue.schedules()).sort()).toEqual(ids("b.myshopify.com"));

    // A day later every daily job of the installed shop has fired (after b was scheduled).
    const retention = nextEvent(queue, "completed", (e) => e.name === "data.retention");
    const prune = nextEvent(queue, "completed", (e) => e.name === "webhooks.prune");
    clock.advance(DAY);
    await Promise.all([retention, prune]);
    await queue.whenIdle();
    expect(ran).toEqual(
      expect.arrayContaining([
        "data.retention@b.myshopify.com",
        "webhooks.prune@b.myshopify.com",
        "scoring.check@b.myshopify.com",
      ]),
    );
    expect(ran.some((r) => r.endsWith("@a.myshopify.com"))).toBe(false);

    keeper.stop();
    await queue.close();
    expect(clock.pending).toBe(0);
  });
});
