import { describe, expect, it } from "vitest";
import { parseEnv } from "~/env.server";

/** Production refuses configurations that only make sense for the demo (docs/deployment.md). */
describe("parseEnv in production", () => {
  const prod = {
    NODE_ENV: "production",
    SHOPIFY_API_KEY: "key-from-partners",
    SHOPIFY_API_SECRET: "test-only-not-a-secret-0123456789abcdef",
    SHOPIFY_APP_URL: "https://app.example.com",
  };

  it("accepts a real configuration", () => {
    expect(
      parseEnv({
        ...prod,
        DATABASE_URL: "postgresql://u@db:5432/app",
        REDIS_URL: "redis://redis:6379",
        JOBS_PREFIX: "gp",
      }),
    ).toMatchObject({ NODE_ENV: "production", PORT: 3000 });
  });

  it("refuses the public demo API key and secret", () => {
    expect(() => parseEnv({ NODE_ENV: "production" })).toThrow(/SHOPIFY_API_SECRET: must be set in production/);
    expect(() => parseEnv({ ...prod, SHOPIFY_API_SECRET: undefined })).toThrow(/SHOPIFY_API_SECRET/);
    expect(() => parseEnv({ ...prod, SHOPIFY_API_KEY: undefined })).toThrow(/SHOPIFY_API_KEY/);
    // Outside production the demo defaults stay (npm start needs no configuration).
    expect(parseEnv({}).SHOPIFY_API_SECRET).toBe("growthpilot-demo-secret");
  });

  it("refuses a short secret and a missing DATABASE_URL (no silent PGlite fallback)", () => {
    const db = { DATABASE_URL: "postgresql://u@db:5432/app" };
    expect(() => parseEnv({ ...prod, ...db, SHOPIFY_API_SECRET: "x" })).toThrow(/SHOPIFY_API_SECRET: is too short/);
    expect(() => parseEnv({ ...prod })).toThrow(/DATABASE_URL: must be set in production/);
  });

  it("turns the demo bypass on only when asked, and only against the stand-in", () => {
    // NODE_ENV unset is development, not the demo: nothing bypasses auth unless DEMO_MODE=1.
    expect(parseEnv({}).DEMO_MODE).toBe(false);
    expect(() => parseEnv({ DEMO_MODE: "1" })).toThrow(/DEMO_MODE: needs DEVSTORE_URL/);
    expect(parseEnv({ DEMO_MODE: "1", DEVSTORE_URL: "http://127.0.0.1:3100" }).DEMO_MODE).toBe(true);
  });

  it("refuses the demo bypass and the stand-in URL", () => {
    expect(() => parseEnv({ ...prod, DATABASE_URL: "postgresql://u@db:5432/app", DEMO_MODE: "1" })).toThrow(
      /DEMO_MODE cannot be enabled/,
    );
    expect(() => parseEnv({ ...prod, DEVSTORE_URL: "http://127.0.0.1:3100" })).toThrow(/DEVSTORE_URL/);
  });
});
