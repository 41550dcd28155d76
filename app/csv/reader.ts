import { CsvInputError } from "./errors";

/**
 * A streaming RFC 4180 tokenizer specialised for Shopify exports.
 *
 * Why not csv-parse: on a 400k-line, 70-column orders export (~135 MB) csv-parse's sync API takes
 * ~7 s and ~1 GB RSS on our 2-core machines, which alone breaks the CLI's 10 s budget. This reader
 * scans with `indexOf` (native, vectorised) instead of a per-character state machine, materialises
 * only the columns the caller asks for, and calls back per record so rows are never all held at
 * once. csv-parse stays the reference oracle in tests (tests/csv/reader.test.ts).
 *
 * Accepts: `,` separator, `"` quoting with `""` escapes, fields spanning lines, LF or CRLF line
 * ends, a UTF-8 BOM, a missing final newline. Blank lines are skipped.
 *
 * Refuses, in one line that names only header columns and row numbers (never cell contents —
 * exports hold customers' personal data): a file whose every row is one quoted field, a `;` or tab
 * separated file (both are what a spreadsheet writes when it re-saves an export), and quote errors,
 * which name the column they happen in.
 */
export interface CsvRecordVisitor {
  /** Called once with the header fields (trimmed, BOM removed); returns the columns to keep. */
  header(fields: string[]): boolean[];
  /** Called per data record; `fields[i]` is "" for columns not kept. `row` is 1-based, header = 1. */
  record(fields: string[], row: number): void;
}

const QUOTE = 34; // "
const COMMA = 44; // ,
const SEMICOLON = 59;
const TAB = 9;
const LF = 10;
const CR = 13;

/** Tokenizes `text`, reporting the header then every non-blank record to `visitor`. */
export function readCsv(text: string, visitor: CsvRecordVisitor): void {
  const tokenizer = new CsvTokenizer(visitor);
  tokenizer.feed(text);
  tokenizer.finish();
}

/**
 * `readCsv` over a file read piece by piece (any split, e.g. 8 MB reads): each piece is cut at its
 * last record boundary and the rest carried into the next, so the whole text is never one string.
 * Pieces are parsed as they come; values the visitor keeps must not be slices of them for the
 * memory to be freed (see `stringInterner`). A bare `"` inside an unquoted field (not RFC 4180;
 * Shopify never writes one) only makes the carry grow until a later boundary is certain, except
 * when such quotes pair up around a line break inside a quoted field: then the piece is cut there
 * and the quoted field is reported as never closed.
 */
export function readCsvChunks(chunks: Iterable<string>, visitor: CsvRecordVisitor): void {
  const tokenizer = new CsvTokenizer(visitor);
  let carry = "";
  for (const chunk of chunks) {
    const text = carry + chunk;
    const cut = lastRecordBoundary(text);
    if (cut === 0) {
      carry = text;
      continue;
    }
    tokenizer.feed(cut === text.length ? text : text.slice(0, cut));
    carry = cut === text.length ? "" : text.slice(cut);
  }
  if (carry !== "") tokenizer.feed(carry);
  tokenizer.finish();
}

/**
 * The index just after the last LF that is outside quotes (0 when there is none). A text that
 * starts at a record boundary is inside a quoted field exactly when an odd number of `"` precede
 * the position (`""` escapes add two), so counting quotes up to a candidate LF decides it.
 */
function lastRecordBoundary(text: string): number {
  let lf = text.lastIndexOf("\n");
  if (lf === -1) return 0;
  let quotes = countQuotes(text, 0, lf);
  while (quotes % 2 === 1) {
    const previous = text.lastIndexOf("\n", lf - 1);
    if (previous === -1) return 0;
    quotes -= countQuotes(text, previous, lf);
    lf = previous;
  }
  return lf + 1;
}

function countQuotes(text: string, from: number, to: number): number {
  let n = 0;
  for (let q = text.indexOf('"', from); q !== -1 && q < to; q = text.indexOf('"', q + 1)) n++;
  return n;
}

/** The tokenizer's state between pieces: header mask and the 1-based row counter. */
class CsvTokenizer {
  private keep: boolean[] | null = null;
  private row = 0;
  private headers: string[] = [];
  private first = true;

  constructor(private readonly visitor: CsvRecordVisitor) {}

  finish(): void {
    if (this.keep === null) throw new CsvInputError("the file is empty (no header row)");
  }

  /** Tokenizes whole records (`text` ends at a record boundary, or at the end of the file). */
  feed(text: string): void {
    const visitor = this.visitor;
    let pos = this.first && text.charCodeAt(0) === 0xfeff ? 1 : 0;
    this.first = false;
    const length = text.length;
    let keep = this.keep;
    let row = this.row;
    let fields: string[] = [];
    let headers = this.headers;
    while (pos < length) {
      // Skip blank lines between records.
      const c0 = text.charCodeAt(pos);
      if (c0 === LF || c0 === CR) {
        pos++;
        continue;
      }
      row++;
      fields = [];
      let column = 0;
      let firstQuoted = false;
      let lineEnd = findLineEnd(text, pos);
      for (;;) {
        const wanted = keep === null || keep[column] === true;
        let value = "";
        if (text.charCodeAt(pos) === QUOTE) {
          const parsed = readQuoted(text, pos, row, headers, column);
          value = wanted || column === 0 ? parsed.value : "";
          pos = parsed.next;
          if (pos > lineEnd) lineEnd = findLineEnd(text, pos);
          const after = text.charCodeAt(pos);
          if (pos < length && after !== COMMA && after !== LF && after !== CR) {
            // `"Name";"Email"`: a quoted header re-saved with another separator.
            if (keep === null && (after === SEMICOLON || after === TAB))
              throw separatorError(after === TAB ? "tab" : "';'");
            throw new CsvInputError(
              `unexpected character after the closing quote in ${columnLabel(headers, column)}: export again from Shopify admin`,
              row,
            );
          }
          if (column === 0) firstQuoted = true;
        } else {
          let end = text.indexOf(",", pos);
          if (end === -1 || end > lineEnd) end = lineEnd;
          if (wanted) value = text.slice(pos, end);
          pos = end;
        }
        fields.push(value);
        column++;
        if (pos < length && text.charCodeAt(pos) === COMMA) {
          pos++;
          continue;
        }
        // End of record: step over CRLF / LF.
        if (text.charCodeAt(pos) === CR) pos++;
        if (text.charCodeAt(pos) === LF) pos++;
        break;
      }
      if (keep === null) {
        headers = fields.map((f) => f.replace(/^\ufeff/, "").trim());
        assertSeparatedByCommas(headers, firstQuoted);
        keep = visitor.header(headers);
      } else {
        if (fields.length === 1 && headers.length > 1 && firstQuoted && fields[0].includes(",")) {
          throw new CsvInputError(ROW_QUOTED, row);
        }
        if (!(keep[0] ?? false)) fields[0] = "";
        visitor.record(fields, row);
      }
    }
    this.keep = keep;
    this.row = row;
    this.headers = headers;
  }
}

const ROW_QUOTED =
  "every row is one quoted field (the file looks re-saved by a spreadsheet): export again from Shopify admin";

/**
 * A Shopify export's header always has dozens of comma-separated columns. One column holding
 * commas means every row was wrapped in quotes; one holding `;` or tabs means a spreadsheet
 * re-saved it with its locale's separator. Said in one line, naming no cell.
 */
function assertSeparatedByCommas(headers: string[], quoted: boolean): void {
  if (headers.length !== 1) return;
  const only = headers[0];
  if (quoted && only.includes(",")) throw new CsvInputError(ROW_QUOTED, 1);
  for (const [separator, label] of [
    [";", "';'"],
    ["\t", "tab"],
  ] as const) {
    if (only.includes(separator)) throw separatorError(label);
  }
}

function separatorError(label: string): CsvInputError {
  return new CsvInputError(
    `the file looks re-saved by a spreadsheet with ${label} separators: export again from Shopify admin`,
    1,
  );
}

/** `column "Email"` from the header, or `column 3` while reading the header itself. */
function columnLabel(headers: string[], column: number): string {
  const name = headers[column];
  return name ? `column "${name}"` : `column ${column + 1}`;
}

/** Position of the next CR/LF at or after `from`, or the text length. */
function findLineEnd(text: string, from: number): number {
  let lf = text.indexOf("\n", from);
  if (lf === -1) lf = text.length;
  // CRLF: the record ends at the CR. (Bare-CR "old Mac" line ends are not supported.)
  return lf > from && text.charCodeAt(lf - 1) === CR ? lf - 1 : lf;
}

/** Reads a quoted field starting at the opening quote; returns its value and the index after the closing quote. */
function readQuoted(
  text: string,
  start: number,
  row: number,
  headers: string[],
  column: number,
): { value: string; next: number } {
  let pos = start + 1;
  let value = "";
  for (;;) {
    const quote = text.indexOf('"', pos);
    if (quote === -1)
      throw new CsvInputError(
        `a quoted field in ${columnLabel(headers, column)} is never closed: export again from Shopify admin`,
        row,
      );
    value += text.slice(pos, quote);
    if (text.charCodeAt(quote + 1) === QUOTE) {
      value += '"';
      pos = quote + 2;
      continue;
    }
    return { value, next: quote + 1 };
  }
}

/** Normalises a header for lookup: lower case, single spaces, no BOM. "Lineitem  SKU" → "lineitem sku". */
export function normaliseHeader(header: string): string {
  return header
    .replace(/^\ufeff/, "")
    .trim()
    .toLowerCase()
    .replace(/[\s_]+/g, " ");
}

/**
 * Maps wanted logical column names to their index in `headers` (case/space-insensitive).
 * Throws a row-1 `CsvInputError` naming every missing required column.
 */
export function locateColumns<K extends string>(
  headers: string[],
  required: Record<K, string>,
  optional: Record<string, string> = {},
): Record<string, number> {
  const byName = new Map<string, number>();
  headers.forEach((h, i) => {
    const key = normaliseHeader(h);
    if (!byName.has(key)) byName.set(key, i);
  });
  const found: Record<string, number> = {};
  const missing: string[] = [];
  for (const [key, name] of Object.entries<string>(required)) {
    const index = byName.get(normaliseHeader(name));
    if (index === undefined) missing.push(`"${name}"`);
    else found[key] = index;
  }
  if (missing.length > 0) {
    throw new CsvInputError(`missing required column${missing.length > 1 ? "s" : ""} ${missing.join(", ")}`, 1);
  }
  for (const [key, name] of Object.entries(optional)) {
    const index = byName.get(normaliseHeader(name));
    found[key] = index === undefined ? -1 : index;
  }
  return found;
}

/** A `keep` mask for `readCsv` with true at every located (non-negative) column. */
export function keepMask(headerCount: number, columns: Record<string, number>): boolean[] {
  const keep = new Array<boolean>(headerCount).fill(false);
  for (const index of Object.values(columns)) if (index >= 0) keep[index] = true;
  return keep;
}
