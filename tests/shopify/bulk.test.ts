import { describe, expect, it } from "vitest";
import { readLines } from "~/shopify/bulk.server";

function streamOf(chunks: string[]): ReadableStream<Uint8Array> {
  const enc = new TextEncoder();
  return new ReadableStream({
    start(c) {
      for (const ch of chunks) c.enqueue(enc.encode(ch));
      c.close();
    },
  });
}

describe("readLines", () => {
  it("splits across chunk boundaries, multi-byte characters and CRLF", async () => {
    const euro = new TextEncoder().encode("€");
    const parts = ['{"a":1}\n{"b":"', "x\r\n{", '"c":"'];
    const s = new ReadableStream<Uint8Array>({
      start(c) {
        for (const p of parts) c.enqueue(new TextEncoder().encode(p));
        c.enqueue(euro.slice(0, 1));
        c.enqueue(euro.slice(1));
        c.enqueue(new TextEncoder().encode('"}\n'));
        c.close();
      },
    });
    const lines = [];
    for await (const l of readLines(s)) lines.push(l);
    expect(lines).toEqual([
      { number: 1, text: '{"a":1}', terminated: true },
      { number: 2, text: '{"b":"x', terminated: true },
      { number: 3, text: '{"c":"€"}', terminated: true },
    ]);
  });
  it("flags a final line without newline", async () => {
    const lines = [];
    for await (const l of readLines(streamOf(['{"a":1}\n{"b":']))) lines.push(l);
    expect(lines[1]).toEqual({ number: 2, text: '{"b":', terminated: false });
  });
});
