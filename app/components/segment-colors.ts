/** One colour per RFM group, warm for groups that need attention, cool for healthy ones. */
const COLORS: Record<string, string> = {
  Champions: "#1a7f5a",
  Loyal: "#2e9d73",
  Active: "#5cb88f",
  Promising: "#7fc3e0",
  New: "#4a9fd8",
  "Needs attention": "#e8b64c",
  "At risk": "#e07a3c",
  "Almost lost": "#c0392b",
  "Previously loyal": "#b44b7a",
  Dormant: "#9a9a9a",
  Prospects: "#c9c9c9",
};

export function segmentColor(segment: string): string {
  return COLORS[segment] ?? "#6d7bd6";
}

const DARK = "#1a1a1a";
const LIGHT = "#ffffff";

/**
 * Black or white text, whichever has the higher WCAG contrast on the segment colour (every
 * colour above reaches 4.5:1 with one of them, the AA bar for the grid's small labels).
 */
export function segmentTextColor(segment: string): string {
  const bg = relativeLuminance(segmentColor(segment));
  return contrast(bg, relativeLuminance(DARK)) >= contrast(bg, relativeLuminance(LIGHT)) ? DARK : LIGHT;
}

/** WCAG 2 contrast ratio of two relative luminances. */
export function contrast(a: number, b: number): number {
  return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
}

/** WCAG 2 relative luminance of a #rrggbb colour. */
export function relativeLuminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}
