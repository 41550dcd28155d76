/** Small node:http helpers: body reading, JSON/form parsing, minimal multipart parsing. */
import type { IncomingMessage, ServerResponse } from "node:http";

export const MAX_BODY_BYTES = 100 * 1024 * 1024;

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new Error("body too large");
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "Content-Type": "application/json; charset=utf-8",
    "Content-Length": Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

/** Parses a JSON or urlencoded body into a flat record (token exchange accepts both). */
export function parseJsonOrForm(req: IncomingMessage, body: Buffer): Record<string, unknown> {
  const type = req.headers["content-type"] ?? "";
  const text = body.toString("utf8");
  if (type.includes("application/x-www-form-urlencoded")) return Object.fromEntries(new URLSearchParams(text));
  if (!text.trim()) return {};
  const parsed = JSON.parse(text) as unknown;
  return parsed && typeof parsed === "object" ? (parsed as Record<string, unknown>) : {};
}

/** multipart/form-data → fields (strings) and the raw bytes of each part, by name. */
export function parseMultipart(req: IncomingMessage, body: Buffer): Map<string, Buffer> {
  const type = req.headers["content-type"] ?? "";
  const m = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(type);
  const parts = new Map<string, Buffer>();
  if (!m) return parts;
  const boundary = `--${m[1] ?? m[2]}`;
  // latin1 maps bytes 1:1 to chars, so slicing the string slices the buffer exactly.
  const text = body.toString("latin1");
  for (const chunk of text.split(boundary).slice(1)) {
    if (chunk.startsWith("--")) break;
    const headerEnd = chunk.indexOf("\r\n\r\n");
    if (headerEnd < 0) continue;
    const headers = chunk.slice(0, headerEnd);
    const name = /name="([^"]*)"/i.exec(headers)?.[1];
    if (!name) continue;
    const content = chunk.slice(headerEnd + 4).replace(/\r\n$/, "");
    parts.set(name, Buffer.from(content, "latin1"));
  }
  return parts;
}
