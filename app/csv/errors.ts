/**
 * Raised for any problem with a merchant-supplied CSV (missing column, bad date or number,
 * empty file, conflicting order rows). The CLI maps it to one stderr line and exit code 2;
 * the app's importer shows `message` to the merchant. `row` is the 1-based CSV record number
 * with the header as row 1, i.e. the spreadsheet row when no field spans several lines.
 */
export class CsvInputError extends Error {
  readonly row: number | null;

  constructor(message: string, row: number | null = null) {
    super(row === null ? message : `row ${row}: ${message}`);
    this.name = "CsvInputError";
    this.row = row;
  }
}
