/**
 * "Needs attention" → "needs-attention": lowercase ASCII letters and digits, runs of anything else
 * become one hyphen, no hyphen at either end. The segment URL, the suggested admin tag and the
 * automation write-back tag all use it, so a segment has the same slug everywhere (D26).
 */
export function slugify(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
}
