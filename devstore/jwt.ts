/**
 * App Bridge session tokens (HS256 JWTs signed with the app secret), verified the way Shopify's
 * token-exchange endpoint does before issuing an access token.
 */
import { createHmac, timingSafeEqual } from "node:crypto";

export interface SessionTokenPayload {
  iss: string;
  dest: string;
  aud: string;
  sub?: string;
  exp: number;
  nbf?: number;
  iat?: number;
  jti?: string;
  sid?: string;
}

const LEEWAY_SECONDS = 5;

function b64urlJson(part: string): unknown {
  return JSON.parse(Buffer.from(part, "base64url").toString("utf8"));
}

/** Signs a payload as HS256 (used by tests and the demo to mint tokens). */
export function signSessionToken(payload: Record<string, unknown>, secret: string): string {
  const header = Buffer.from(JSON.stringify({ alg: "HS256", typ: "JWT" })).toString("base64url");
  const body = Buffer.from(JSON.stringify(payload)).toString("base64url");
  const sig = createHmac("sha256", secret).update(`${header}.${body}`).digest("base64url");
  return `${header}.${body}.${sig}`;
}

/**
 * Returns the payload when the token is a valid session token for `shopDomain` and this app,
 * otherwise null (bad signature, wrong audience/destination, expired or not yet valid).
 */
export function verifySessionToken(
  token: string,
  opts: { apiKey: string; apiSecret: string; shopDomain: string; nowMs: number },
): SessionTokenPayload | null {
  const parts = token.split(".");
  if (parts.length !== 3) return null;
  try {
    const header = b64urlJson(parts[0]) as { alg?: string };
    if (header.alg !== "HS256") return null;
    const expected = createHmac("sha256", opts.apiSecret).update(`${parts[0]}.${parts[1]}`).digest();
    const given = Buffer.from(parts[2], "base64url");
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
    const payload = b64urlJson(parts[1]) as SessionTokenPayload;
    const now = opts.nowMs / 1000;
    if (payload.aud !== opts.apiKey) return null;
    if (payload.dest !== `https://${opts.shopDomain}`) return null;
    if (typeof payload.exp !== "number" || payload.exp + LEEWAY_SECONDS < now) return null;
    if (typeof payload.nbf === "number" && payload.nbf - LEEWAY_SECONDS > now) return null;
    return payload;
  } catch {
    return null;
  }
}
