import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isolatedAppEnv, type RouteHandler } from "../../helpers/app-env";

/**
 * `/auth/login` is the library's configured login path: it must go through `login()` (the
 * catch-all auth route answers 500 there). No shop → the form with no error; a bad shop → the
 * field error; a real shop domain → the redirect into Shopify's install/auth flow.
 */
const appEnv = isolatedAppEnv("auth-login", {
  apiKey: "login-test-key",
  apiSecret: "login-test-secret-0123456789abcdef0123",
});
let loader: RouteHandler;
let action: RouteHandler;
let catchAll: RouteHandler;
let closeDb: typeof import("~/db.server").closeDb;
let sessionStorage: typeof import("~/shopify.server").sessionStorage;

beforeAll(async () => {
  ({ loader, action } = (await import("~/routes/auth.login/route")) as unknown as {
    loader: RouteHandler;
    action: RouteHandler;
  });
  ({ loader: catchAll } = (await import("~/routes/auth.$")) as unknown as { loader: RouteHandler });
  ({ closeDb } = await import("~/db.server"));
  ({ sessionStorage } = await import("~/shopify.server"));
});
// The library's session storage opens the embedded database; close it before its directory goes.
afterAll(async () => {
  await (sessionStorage as unknown as { isReady(): Promise<boolean> }).isReady();
  await closeDb();
  appEnv.cleanup();
});

async function outcome(
  run: () => Promise<unknown>,
): Promise<{ status: number; location?: string | null; body?: unknown }> {
  try {
    const result = await run();
    if (result instanceof Response) return { status: result.status, location: result.headers.get("location") };
    return { status: 200, body: result };
  } catch (thrown) {
    if (thrown instanceof Response) return { status: thrown.status, location: thrown.headers.get("location") };
    throw thrown;
  }
}

const form = (shop: string) => {
  const body = new URLSearchParams({ shop });
  return new Request("http://localhost:3000/auth/login", {
    method: "POST",
    body,
    headers: { "content-type": "application/x-www-form-urlencoded" },
  });
};

describe("/auth/login", () => {
  it("the catch-all auth route cannot serve it (why the route exists)", async () => {
    const r = await outcome(() =>
      catchAll({ request: new Request("http://localhost:3000/auth/login"), params: { "*": "login" }, context: {} }),
    );
    expect(r.status).toBe(500);
  });

  it("renders the form with no error when no shop is given", async () => {
    const r = await outcome(() =>
      loader({ request: new Request("http://localhost:3000/auth/login"), params: {}, context: {} }),
    );
    expect(r.status).toBe(200);
    expect((r.body as { errors: object }).errors).toEqual({});
  });

  it("says what is wrong with a missing or invalid shop", async () => {
    const missing = await outcome(() => action({ request: form(""), params: {}, context: {} }));
    expect((missing.body as { errors: { shop?: string } }).errors.shop).toMatch(/Enter your shop domain/);
    const invalid = await outcome(() => action({ request: form("not a shop!"), params: {}, context: {} }));
    expect((invalid.body as { errors: { shop?: string } }).errors.shop).toMatch(/valid shop domain/);
  });

  it("sends a real shop into Shopify's install flow", async () => {
    const r = await outcome(() => action({ request: form("my-shop.myshopify.com"), params: {}, context: {} }));
    expect(r.status).toBe(302);
    expect(r.location).toMatch(
      /^https:\/\/admin\.shopify\.com\/store\/my-shop\/oauth\/install\?client_id=login-test-key/,
    );
  });
});
