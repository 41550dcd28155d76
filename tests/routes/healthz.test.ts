import { describe, expect, it, vi } from "vitest";

/** GET /healthz: 200 when the database answers, 503 (with no details) when it does not. */
const state = vi.hoisted(() => ({ fail: false }));
vi.mock("~/db.server", async () => {
  const { openDatabase } = await import("~/db/client.server");
  const db = openDatabase({});
  return {
    getDb: async () => {
      if (state.fail)
        return { prisma: { $queryRaw: () => Promise.reject(new Error("connect ECONNREFUSED 10.1.2.3:5432")) } };
      return db;
    },
  };
});

describe("GET /healthz", () => {
  it("answers 200 when the database is reachable, 503 without details when not", async () => {
    const { loader } = await import("~/routes/healthz");
    const ok = await loader();
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ status: "ok", db: "ok" });
    expect(ok.headers.get("cache-control")).toBe("no-store");

    state.fail = true;
    const error = vi.spyOn(console, "error").mockImplementation(() => {});
    const down = await loader();
    expect(down.status).toBe(503);
    const body = await down.text();
    expect(body).not.toContain("10.1.2.3");
    expect(JSON.parse(body)).toEqual({ status: "error", db: "unreachable" });
    expect(error).toHaveBeenCalled();
  });
});
