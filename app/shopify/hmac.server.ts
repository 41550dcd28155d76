import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * Verifies `X-Shopify-Hmac-Sha256`: base64 HMAC-SHA256 of the raw request body with the app
 * secret. Must run on the exact bytes received (re-serialised JSON would not match), and compares
 * in constant time so the signature cannot be guessed byte by byte.
 */
export function verifyWebhookHmac(rawBody: string, hmacHeader: string, secret: string): boolean {
  if (!hmacHeader || !secret) return false;
  const expected = createHmac("sha256", secret).update(rawBody, "utf8").digest();
  let given: Buffer;
  try {
    given = Buffer.from(hmacHeader, "base64");
  } catch {
    return false;
  }
  return given.length === expected.length && timingSafeEqual(given, expected);
}
