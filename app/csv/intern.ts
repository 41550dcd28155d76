/**
 * One flat copy per distinct value. V8 keeps a substring of 13+ characters as a slice pointing into
 * its parent, so a parsed record holding `text.slice(…)` keeps the whole export text (or the read
 * piece it came from) alive for as long as the record lives. Values that repeat across rows
 * (e-mails, line-item names, SKUs, vendors) are interned through this, which also stores each once.
 */
export function stringInterner(): (value: string) => string {
  const seen = new Map<string, string>();
  return (value) => {
    let flat = seen.get(value);
    if (flat === undefined) {
      flat = Buffer.from(value, "utf8").toString("utf8");
      seen.set(flat, flat);
    }
    return flat;
  };
}

/** A copy of a value seen once per record (an order's name or id), for the same reason. */
export function flatCopy(value: string): string {
  return value.length < 13 ? value : Buffer.from(value, "utf8").toString("utf8");
}
