import { request as httpRequest } from "node:http";

/**
 * POSTs `bytes` bytes in 64 KiB writes, declared with Content-Length or chunked, and stops writing
 * once an answer arrives. Resolves with the status, or "reset" when the server closed the socket
 * first (it may, while the client is still sending). Used by the body-limit test and bench:hostile.
 */
export function postBytes(
  port: number,
  path: string,
  bytes: number,
  opts: { chunked: boolean; headers?: Record<string, string> },
): Promise<number | "reset"> {
  return new Promise((resolve) => {
    const headers: Record<string, string | number> = { "content-type": "application/json", ...opts.headers };
    if (!opts.chunked) headers["content-length"] = bytes;
    const req = httpRequest({ host: "127.0.0.1", port, path, method: "POST", headers });
    let settled = false;
    const done = (value: number | "reset") => {
      if (settled) return;
      settled = true;
      resolve(value);
    };
    req.on("response", (res) => {
      res.resume();
      done(res.statusCode ?? 0);
    });
    req.on("error", () => done("reset"));
    const chunk = Buffer.alloc(64 * 1024, 0x7b);
    let sent = 0;
    const pump = () => {
      while (sent < bytes && !settled) {
        const n = Math.min(chunk.length, bytes - sent);
        sent += n;
        if (!req.write(n === chunk.length ? chunk : chunk.subarray(0, n))) return void req.once("drain", pump);
      }
      req.end();
    };
    pump();
  });
}
