import { createHmac, randomUUID } from "node:crypto";

/**
 * Signs an App Bridge–style session token (HS256 JWT with the app secret). Shopify's admin mints
 * these for embedded apps; the demo and tests mint one to drive the real token-exchange flow
 * against the stand-in. Never used to authenticate incoming requests.
 */
export function signSessionToken(opts: {
  shop: string;
  apiKey: string;
  apiSecret: string;
  userId?: string;
  nowSeconds: number;
}): string {
  const header = { alg: "HS256", typ: "JWT" };
  const payload = {
    iss: `https://${opts.shop}/admin`,
    dest: `https://${opts.shop}`,
    aud: opts.apiKey,
    sub: opts.userId ?? "1",
    exp: opts.nowSeconds + 60,
    nbf: opts.nowSeconds - 5,
    iat: opts.nowSeconds,
    jti: randomUUID(),
    sid: randomUUID(),
  };
  const encode = (o: object) => Buffer.from(JSON.stringify(o)).toString("base64url");
  const body = `${encode(header)}.${encode(payload)}`;
  const signature = createHmac("sha256", opts.apiSecret).update(body).digest("base64url");
  return `${body}.${signature}`;
}
