import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { CsvInputError } from "~/csv/errors";
import { locateColumns, readCsv, readCsvChunks, type CsvRecordVisitor } from "~/csv/reader";

function readAll(text: string): { header: string[]; rows: string[][]; rowNumbers: number[] } {
  return collect((visitor) => readCsv(text, visitor));
}

/** Header, records and row numbers a reader reports, every column kept. */
function collect(read: (visitor: CsvRecordVisitor) => void): {
  header: string[];
  rows: string[][];
  rowNumbers: number[];
} {
  const out = { header: [] as string[], rows: [] as string[][], rowNumbers: [] as number[] };
  read({
    header(fields) {
      out.header = fields;
      return fields.map(() => true);
    },
    record(fields, row) {
      out.rows.push(fields);
      out.rowNumbers.push(row);
    },
  });
  return out;
}

describe("readCsv", () => {
  const lines = [
    "\ufeffName,Note,Total",
    '#1,"a, quoted, comma",1.00',
    '#2,"multi\nline ""quoted"" note",2.50',
    "",
    "#3,,3",
    '#4,"",',
    "#5,last line without newline,9",
  ];
  const tricky = lines.join("\r\n");

  it.each([
    ["CRLF", "\r\n"],
    ["LF", "\n"],
  ])("agrees with csv-parse on quotes, commas, multi-line fields, BOM and blank lines (%s)", (_, eol) => {
    const text = lines.join(eol);
    const reference = parse(text, { bom: true, skip_empty_lines: true, relax_column_count: true }) as string[][];
    const ours = readAll(text);
    expect([ours.header, ...ours.rows]).toEqual(reference);
    expect(ours.rows[1][1]).toBe('multi\nline "quoted" note');
  });

  it("numbers records from 1 with the header as row 1", () => {
    expect(readAll(tricky).rowNumbers).toEqual([2, 3, 4, 5, 6]);
  });

  it("reports an unclosed quote with its row", () => {
    expect(() => readAll('a,b\n1,"never closed\n')).toThrowError(/row 2: a quoted field in column "b" is never closed/);
  });

  it("materialises only the kept columns", () => {
    const rows: string[][] = [];
    readCsv("a,b,c\n1,2,3\n", { header: () => [false, true, false], record: (f) => rows.push(f) });
    expect(rows).toEqual([["", "2", ""]]);
  });

  it("throws on an empty file", () => {
    expect(() => readAll("")).toThrowError(CsvInputError);
  });
});

describe("locateColumns", () => {
  it("matches headers case- and space-insensitively", () => {
    const cols = locateColumns(["NAME", "lineitem  SKU", "Created_at"], {
      name: "Name",
      sku: "Lineitem sku",
      created: "Created at",
    });
    expect(cols).toEqual({ name: 0, sku: 1, created: 2 });
  });

  it("names every missing required column on row 1", () => {
    expect(() => locateColumns(["Name"], { name: "Name", email: "Email", created: "Created at" })).toThrowError(
      'row 1: missing required columns "Email", "Created at"',
    );
  });
});

describe("readCsvChunks", () => {
  const readPieces = (pieces: string[]) => collect((visitor) => readCsvChunks(pieces, visitor));
  const text = [
    "\ufeffName,Note,Total",
    '#1,"a, quoted, comma",1.00',
    '#2,"multi\r\nline ""quoted"" note\nover three",2.50',
    "",
    "#3,,3",
    '#4,"",',
    '#5,"ends in a quote """,4',
    "#6,last line without newline,9",
  ].join("\r\n");

  it("reads the same records, row numbers included, wherever the text is split", () => {
    const whole = readAll(text);
    for (let a = 0; a <= text.length; a++) {
      for (const b of [a, a + 1, a + 7, Math.floor((a + text.length) / 2)]) {
        if (b > text.length) continue;
        const pieces = [text.slice(0, a), text.slice(a, b), text.slice(b)];
        expect(readPieces(pieces), `split at ${a}, ${b}`).toEqual(whole);
      }
    }
  });

  it("reports an unclosed quote and an empty file as readCsv does", () => {
    const broken = 'Name,Note\n#1,"never closed\n#2,x\n';
    expect(() => readPieces([broken.slice(0, 12), broken.slice(12)])).toThrow(/never closed/);
    expect(() => readPieces(["", "\n"])).toThrow(/empty/);
  });
});
