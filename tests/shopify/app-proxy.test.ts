import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { appProxyMessage, signAppProxyParams, verifyAppProxyRequest } from "~/shopify/app-proxy.server";
import { handleAppProxyRequest, StorefrontCache } from "~/services/storefront/recs.server";
import type { Db } from "~/models/db-types.server";

/**
 * App proxy signatures, computed independently of the implementation from Shopify's documented
 * recipe: drop `signature`, join repeated values with ",", sort `key=value` pairs, concatenate
 * without separators, hex HMAC-SHA256 with the app secret.
 */

const SECRET = "hush-its-a-secret";
const NOW = Date.parse("2026-11-20T12:00:00Z");
const TS = String(NOW / 1000);
const now = () => NOW;

function referenceSignature(pairs: [string, string][]): string {
  const grouped = new Map<string, string[]>();
  for (const [k, v] of pairs) grouped.set(k, [...(grouped.get(k) ?? []), v]);
  const message = [...grouped.entries()]
    .map(([k, v]) => `${k}=${v.join(",")}`)
    .sort()
    .join("");
  return createHmac("sha256", SECRET).update(message).digest("hex");
}

function signedUrl(pairs: [string, string][], path = "/proxy/recs"): URL {
  const url = new URL(`https://app.example.com${path}`);
  for (const [k, v] of pairs) url.searchParams.append(k, v);
  url.searchParams.append("signature", referenceSignature(pairs));
  return url;
}

const base: [string, string][] = [
  ["shop", "kaldi.myshopify.com"],
  ["logged_in_customer_id", ""],
  ["path_prefix", "/apps/growthpilot"],
  ["timestamp", TS],
  ["products", "1001,1009"],
];

describe("verifyAppProxyRequest", () => {
  it("accepts a correctly signed, fresh request and exposes shop and customer", () => {
    const v = verifyAppProxyRequest(signedUrl(base), { secret: SECRET, now });
    expect(v).toMatchObject({
      ok: true,
      shop: "kaldi.myshopify.com",
      loggedInCustomerId: null,
      pathPrefix: "/apps/growthpilot",
    });
    const withCustomer = verifyAppProxyRequest(
      signedUrl([...base.filter(([k]) => k !== "logged_in_customer_id"), ["logged_in_customer_id", "7001"]]),
      { secret: SECRET, now },
    );
    expect(withCustomer).toMatchObject({ ok: true, loggedInCustomerId: "7001" });
  });

  it("matches Shopify's documented example message format (no separators, sorted)", () => {
    const params = new URLSearchParams(
      "shop=s.myshopify.com&path_prefix=%2Fapps%2Fx&timestamp=1317327555&extra=1&extra=2&signature=zzz",
    );
    expect(appProxyMessage(params)).toBe("extra=1,2path_prefix=/apps/xshop=s.myshopify.comtimestamp=1317327555");
    expect(signAppProxyParams(params, SECRET)).toBe(
      createHmac("sha256", SECRET).update(appProxyMessage(params)).digest("hex"),
    );
  });

  it("refuses any repeated parameter, even correctly signed (a=1&a=2 signs like a=1,2)", () => {
    const pairs: [string, string][] = [
      ...base.filter(([k]) => k !== "products"),
      ["products", "1001"],
      ["products", "1009"],
    ];
    expect(verifyAppProxyRequest(signedUrl(pairs), { secret: SECRET, now })).toEqual({
      ok: false,
      reason: "repeated-param",
    });
    // The probe from the security review: a second logged_in_customer_id (first one wins in `get`).
    const twoCustomers: [string, string][] = [
      ...base.filter(([k]) => k !== "logged_in_customer_id"),
      ["logged_in_customer_id", "7001"],
      ["logged_in_customer_id", "7002"],
    ];
    expect(verifyAppProxyRequest(signedUrl(twoCustomers), { secret: SECRET, now })).toEqual({
      ok: false,
      reason: "repeated-param",
    });
    const joined: [string, string][] = [...base.filter(([k]) => k !== "products"), ["products", "1001,1009"]];
    expect(verifyAppProxyRequest(signedUrl(joined), { secret: SECRET, now }).ok).toBe(true);
  });

  it("rejects tampered requests", () => {
    const url = signedUrl(base);
    const changed = new URL(url);
    changed.searchParams.set("products", "1001,1010");
    expect(verifyAppProxyRequest(changed, { secret: SECRET, now })).toEqual({ ok: false, reason: "bad-signature" });

    const added = new URL(url);
    added.searchParams.append("limit", "12");
    expect(verifyAppProxyRequest(added, { secret: SECRET, now })).toEqual({ ok: false, reason: "bad-signature" });

    const otherShop = new URL(url);
    otherShop.searchParams.set("shop", "evil.myshopify.com");
    expect(verifyAppProxyRequest(otherShop, { secret: SECRET, now })).toEqual({ ok: false, reason: "bad-signature" });

    // Splitting a comma-joined value into repeated params keeps the message identical — Shopify's
    // scheme cannot tell them apart, which is why repeated keys are refused; reordering fails too.
    const reordered: [string, string][] = [
      ...base.filter(([k]) => k !== "products"),
      ["products", "1009"],
      ["products", "1001"],
    ];
    const u = signedUrl(reordered);
    u.searchParams.delete("products");
    u.searchParams.append("products", "1001");
    u.searchParams.append("products", "1009");
    expect(verifyAppProxyRequest(u, { secret: SECRET, now }).ok).toBe(false);

    expect(verifyAppProxyRequest(signedUrl(base), { secret: "wrong-secret", now })).toEqual({
      ok: false,
      reason: "bad-signature",
    });
  });

  it("rejects missing, duplicated and malformed signatures", () => {
    const url = signedUrl(base);
    const missing = new URL(url);
    missing.searchParams.delete("signature");
    expect(verifyAppProxyRequest(missing, { secret: SECRET, now })).toEqual({ ok: false, reason: "missing-signature" });
    const doubled = new URL(url);
    doubled.searchParams.append("signature", url.searchParams.get("signature")!);
    expect(verifyAppProxyRequest(doubled, { secret: SECRET, now })).toEqual({ ok: false, reason: "missing-signature" });
    const short = new URL(url);
    short.searchParams.set("signature", "abc123");
    expect(verifyAppProxyRequest(short, { secret: SECRET, now })).toEqual({ ok: false, reason: "bad-signature" });
    const upper = new URL(url);
    upper.searchParams.set("signature", "G".repeat(64));
    expect(verifyAppProxyRequest(upper, { secret: SECRET, now })).toEqual({ ok: false, reason: "bad-signature" });
  });

  it("rejects stale (> 90 s, Shopify's library tolerance), future and missing timestamps even when correctly signed", () => {
    const at = (ts: string) => signedUrl([...base.filter(([k]) => k !== "timestamp"), ["timestamp", ts]]);
    expect(verifyAppProxyRequest(at(String(NOW / 1000 - 89)), { secret: SECRET, now }).ok).toBe(true);
    expect(verifyAppProxyRequest(at(String(NOW / 1000 - 91)), { secret: SECRET, now })).toEqual({
      ok: false,
      reason: "stale",
    });
    expect(verifyAppProxyRequest(at(String(NOW / 1000 + 91)), { secret: SECRET, now })).toEqual({
      ok: false,
      reason: "stale",
    });
    expect(verifyAppProxyRequest(at("yesterday"), { secret: SECRET, now })).toEqual({ ok: false, reason: "stale" });
    expect(verifyAppProxyRequest(signedUrl(base.filter(([k]) => k !== "timestamp")), { secret: SECRET, now })).toEqual({
      ok: false,
      reason: "stale",
    });
  });

  it("rejects a signed request for a malformed shop domain", () => {
    const pairs: [string, string][] = [...base.filter(([k]) => k !== "shop"), ["shop", "kaldi.example.com"]];
    expect(verifyAppProxyRequest(signedUrl(pairs), { secret: SECRET, now })).toEqual({ ok: false, reason: "bad-shop" });
  });
});

describe("proxy endpoint rejections", () => {
  const untouchable = new Proxy(
    {},
    {
      get: () => {
        throw new Error("database touched before verification");
      },
    },
  ) as unknown as Db;
  const deps = { prisma: untouchable, secret: SECRET, cache: new StorefrontCache(), now };

  it("answers every failure with the same bare 401, uncached, without touching the database", async () => {
    const variants: URL[] = [];
    const tampered = signedUrl(base);
    tampered.searchParams.set("products", "1");
    variants.push(tampered);
    const missing = signedUrl(base);
    missing.searchParams.delete("signature");
    variants.push(missing);
    variants.push(signedUrl([...base.filter(([k]) => k !== "timestamp"), ["timestamp", String(NOW / 1000 - 3600)]]));
    variants.push(signedUrl([...base.filter(([k]) => k !== "shop"), ["shop", "x.example.com"]]));
    const bodies = new Set<string>();
    for (const url of variants) {
      const res = await handleAppProxyRequest(deps, new Request(url), "recs");
      expect(res.status).toBe(401);
      expect(res.headers.get("cache-control")).toBe("no-store");
      bodies.add(await res.text());
    }
    expect([...bodies]).toEqual(["Unauthorized"]);
  });

  it("validates input only after the signature (bad ids → 400, unknown path → 404, POST → 405)", async () => {
    const bad = await handleAppProxyRequest(
      deps,
      new Request(signedUrl([...base.filter(([k]) => k !== "products"), ["products", "1,abc"]])),
      "recs",
    );
    expect(bad.status).toBe(400);
    const tooMany = Array.from({ length: 51 }, (_, i) => String(i + 1)).join(",");
    expect(
      (
        await handleAppProxyRequest(
          deps,
          new Request(signedUrl([...base.filter(([k]) => k !== "products"), ["products", tooMany]])),
          "recs",
        )
      ).status,
    ).toBe(400);
    expect((await handleAppProxyRequest(deps, new Request(signedUrl([...base, ["limit", "99"]])), "recs")).status).toBe(
      400,
    );
    expect((await handleAppProxyRequest(deps, new Request(signedUrl(base)), "admin")).status).toBe(404);
    expect(
      (await handleAppProxyRequest(deps, new Request(signedUrl(base), { method: "POST", body: "x" }), "recs")).status,
    ).toBe(405);
  });
});
