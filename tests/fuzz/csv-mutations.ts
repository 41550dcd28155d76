import fc from "fast-check";

/**
 * Mutations of a valid Shopify export, as fast-check arbitraries. A file is a matrix of cells
 * (header first); mutations work on the matrix (dropped/duplicated/renamed columns, bad cells,
 * truncated or duplicated rows) or on the serialised text (random bytes, cut-off files, stray quotes).
 */
export type Matrix = string[][];

/** Minimal RFC 4180 split (the fixtures are well-formed; quoted fields may hold commas and quotes). */
export function toMatrix(text: string): Matrix {
  const rows: Matrix = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      row.push(cell);
      cell = "";
    } else if (c === "\n") {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = "";
    } else if (c !== "\r") cell += c;
  }
  if (cell !== "" || row.length) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}

export function toText(matrix: Matrix, eol = "\n"): string {
  const quote = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  return matrix.map((r) => r.map(quote).join(",")).join(eol) + eol;
}

/** Values that look like what a spreadsheet round-trip or a hand edit leaves in a cell. */
export const nastyCell: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    "",
    " ",
    "-",
    "N/A",
    "null",
    "NaN",
    "Infinity",
    "-0",
    "0",
    "1e9",
    "1e309",
    "0x1F",
    "١٢",
    "12,50",
    "1.234,56",
    "$-4.10",
    "99999999999999999999",
    "2147483647",
    "2147483648",
    "21474836.48",
    "-21474836.49",
    "9007199254740993",
    "4.005",
    "12.",
    ".5",
    "2024-02-30 10:00:00 -0500",
    "2024-13-01",
    "2023-02-29",
    "24:00",
    "2024-01-01 24:00:00",
    "2024-01-01T10:00:00+25:00",
    "0000-01-01",
    "9999-12-31 23:59:59 +1400",
    "1/2/2024",
    "yesterday",
    "2024-01-01 10:00:00 -0500 extra",
    '"',
    '""',
    'a"b',
    "\u0000",
    "a\u0000b",
    "\ufeff",
    "\u2028",
    "\r",
    "\n",
    "a\nb",
    "é",
    "🙂",
    "<script>",
    "'; DROP TABLE x; --",
    "x".repeat(5000),
  ),
  fc.string({ maxLength: 12 }),
  fc.string({ unit: "binary", maxLength: 12 }),
  fc.integer().map(String),
  fc.double({ noNaN: false }).map(String),
  fc.date({ noInvalidDate: false }).map((d) => (Number.isNaN(d.getTime()) ? "Invalid Date" : d.toISOString())),
);

type MatrixMutation = (m: Matrix) => Matrix;

/** One matrix mutation, chosen and parameterised by fast-check. */
export const matrixMutation: fc.Arbitrary<MatrixMutation> = fc.oneof(
  // Drop a column everywhere.
  fc.nat().map(
    (c): MatrixMutation =>
      (m) =>
        m.map((r) => r.filter((_, i) => i !== c % m[0].length)),
  ),
  // Duplicate a column (header included) at the end.
  fc.nat().map(
    (c): MatrixMutation =>
      (m) =>
        m.map((r) => [...r, r[c % m[0].length] ?? ""]),
  ),
  // Rename a header cell.
  fc.tuple(fc.nat(), nastyCell).map(
    ([c, v]): MatrixMutation =>
      (m) =>
        m.map((r, i) => (i === 0 ? r.map((h, j) => (j === c % r.length ? v : h)) : r)),
  ),
  // Swap two columns everywhere.
  fc.tuple(fc.nat(), fc.nat()).map(
    ([a, b]): MatrixMutation =>
      (m) =>
        m.map((r) => {
          const out = [...r];
          const i = a % m[0].length;
          const j = b % m[0].length;
          [out[i], out[j]] = [out[j], out[i]];
          return out;
        }),
  ),
  // Replace a data cell with something nasty.
  fc.tuple(fc.nat(), fc.nat(), nastyCell).map(([r, c, v]): MatrixMutation => (m) => {
    if (m.length < 2) return m;
    const row = 1 + (r % (m.length - 1));
    return m.map((cells, i) => (i === row ? cells.map((x, j) => (j === c % cells.length ? v : x)) : cells));
  }),
  // Truncate a data row (fewer cells than the header).
  fc.tuple(fc.nat(), fc.nat()).map(([r, n]): MatrixMutation => (m) => {
    if (m.length < 2) return m;
    const row = 1 + (r % (m.length - 1));
    return m.map((cells, i) => (i === row ? cells.slice(0, n % cells.length) : cells));
  }),
  // Duplicate a data row, or delete one.
  fc.tuple(fc.nat(), fc.boolean()).map(([r, dup]): MatrixMutation => (m) => {
    if (m.length < 2) return m;
    const row = 1 + (r % (m.length - 1));
    return dup ? [...m.slice(0, row + 1), m[row], ...m.slice(row + 1)] : m.filter((_, i) => i !== row);
  }),
  // Keep only the header, or only the first k data rows.
  fc.nat(4).map(
    (k): MatrixMutation =>
      (m) =>
        m.slice(0, k + 1),
  ),
);

type TextMutation = (t: string) => string;

/** One mutation of the serialised file. */
export const textMutation: fc.Arbitrary<TextMutation> = fc.oneof(
  // Random bytes (as Latin-1 characters, incl. NUL and control chars) spliced in.
  fc.tuple(fc.nat(), fc.uint8Array({ minLength: 1, maxLength: 16 })).map(([at, bytes]): TextMutation => (t) => {
    const i = at % (t.length + 1);
    return t.slice(0, i) + String.fromCharCode(...bytes) + t.slice(i);
  }),
  // File cut off anywhere (mid-quote, mid-row).
  fc.nat().map(
    (at): TextMutation =>
      (t) =>
        t.slice(0, at % (t.length + 1)),
  ),
  // A stray quote.
  fc.tuple(fc.nat(), fc.constantFrom('"', '""', '"x"y', ',"')).map(([at, q]): TextMutation => (t) => {
    const i = at % (t.length + 1);
    return t.slice(0, i) + q + t.slice(i);
  }),
  // CRLF / BOM / bare CR variants.
  fc.constantFrom<TextMutation>(
    (t) => t.replace(/\n/g, "\r\n"),
    (t) => "\ufeff" + t,
    (t) => t.replace(/\n/g, "\r"),
    (t) => t.replace(/\n+$/, ""),
  ),
  // Delete a random slice.
  fc.tuple(fc.nat(), fc.nat(200)).map(([at, n]): TextMutation => (t) => {
    const i = at % (t.length + 1);
    return t.slice(0, i) + t.slice(i + n);
  }),
);

/** A valid export with 1–4 matrix mutations then 0–2 text mutations applied. */
export function mutatedExport(valid: string): fc.Arbitrary<string> {
  const matrix = toMatrix(valid);
  return fc
    .tuple(
      fc.array(matrixMutation, { minLength: 0, maxLength: 4 }),
      fc.array(textMutation, { maxLength: 2 }),
      fc.constantFrom("\n", "\r\n"),
    )
    .map(([ms, ts, eol]) => {
      const text = toText(
        ms.reduce((m, f) => f(m), matrix),
        eol,
      );
      return ts.reduce((t, f) => f(t), text);
    });
}

/** 1–3 nasty cells in an otherwise valid export: most still parse, so they reach the importer. */
export function cellMutatedExport(valid: string): fc.Arbitrary<string> {
  const matrix = toMatrix(valid);
  const cell = fc.tuple(fc.nat(), fc.nat(), nastyCell);
  return fc.array(cell, { minLength: 1, maxLength: 3 }).map((cells) => {
    const m = matrix.map((r) => [...r]);
    for (const [r, c, v] of cells) {
      const row = m[1 + (r % (m.length - 1))];
      row[c % row.length] = v;
    }
    return toText(m);
  });
}
