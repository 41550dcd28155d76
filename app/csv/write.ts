/**
 * CSV the merchant downloads (segment exports, per-customer offer codes): RFC 4180 quoting, CRLF
 * line ends, and spreadsheet formulas defused — a text cell starting with = + - @, tab or carriage
 * return (OWASP's list) gets a leading apostrophe, so a customer named "=HYPERLINK(...)" cannot run in Excel or Sheets (OWASP "CSV
 * injection").
 */
export function csvField(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return "";
  let s = String(value);
  if (typeof value === "string" && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvDocument(header: readonly string[], rows: (string | number)[][]): string {
  return [header.join(","), ...rows.map((r) => r.map(csvField).join(","))].join("\r\n") + "\r\n";
}

/** A file download of personal data: an attachment, never cached by browsers or proxies. */
export function privateDownload(file: { filename: string; body: string; contentType?: string }): Response {
  return new Response(file.body, {
    headers: {
      "Content-Type": file.contentType ?? "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${file.filename}"`,
      "Cache-Control": "private, no-store",
    },
  });
}
