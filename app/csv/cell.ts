/**
 * One RFC 4180 CSV field for files merchants open in a spreadsheet. Text starting with a formula
 * trigger (`=`, `+`, `-`, `@`, tab, carriage return — OWASP's CSV injection list) gets a leading
 * `'` so Excel/Sheets show it as text instead of evaluating it; numbers are written as they are.
 */
export function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return "";
  let s = String(value);
  if (typeof value === "string" && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
