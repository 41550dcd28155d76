/** One colour per RFM group, warm for groups that need attention, cool for healthy ones. */
const COLORS: Record<string, string> = {
  Champions: "#1a7f5a",
  Loyal: "#2e9d73",
  Active: "#5cb88f",
  Promising: "#7fc3e0",
  New: "#4a9fd8",
  "Needs attention": "#e8b64c",
  "At risk": "#e07a3c",
  "Almost lost": "#d9534f",
  "Previously loyal": "#b44b7a",
  Dormant: "#9a9a9a",
  Prospects: "#c9c9c9",
};

export function segmentColor(segment: string): string {
  return COLORS[segment] ?? "#6d7bd6";
}

/** Black or white text, whichever reads better on the segment colour. */
export function segmentTextColor(segment: string): string {
  return ["Promising", "Needs attention", "Prospects", "Active"].includes(segment) ? "#1a1a1a" : "#ffffff";
}
