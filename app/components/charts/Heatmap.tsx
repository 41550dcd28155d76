import { contrast, relativeLuminance } from "../segment-colors";

export interface HeatmapRow {
  label: string;
  /** One per column; null = no value (e.g. a month that has not happened yet for a cohort). */
  cells: ({ value: number; display: string } | null)[];
}

const LOW = [255, 255, 255];
const HIGH = [31, 81, 153];

function mix(t: number): string {
  const c = LOW.map((l, i) => Math.round(l + (HIGH[i] - l) * Math.min(1, Math.max(0, t))));
  return `#${c.map((v) => v.toString(16).padStart(2, "0")).join("")}`;
}

/**
 * White → deep blue by intensity in [0, 1]. Between luminance ~0.18 and ~0.22 neither black nor
 * white text reaches 4.5:1, so a shade there is darkened until white text does.
 */
export function shade(t: number): string {
  let k = Math.min(1, Math.max(0, t));
  while (k < 1 && bestContrast(mix(k)) < 4.5) k = Math.min(1, k + 0.01);
  return mix(k);
}

function bestContrast(bg: string): number {
  const l = relativeLuminance(bg);
  return Math.max(contrast(l, relativeLuminance("#1a1a1a")), contrast(l, 1));
}

/** Black or white text, whichever contrasts more with the cell (AA for every shade). */
export function ink(bg: string): string {
  const l = relativeLuminance(bg);
  return contrast(l, relativeLuminance("#1a1a1a")) >= contrast(l, 1) ? "#1a1a1a" : "#ffffff";
}

/**
 * A heatmap that is a real data table: caption, column and row headers, every number as text in
 * its cell, colour only as a second channel. It scrolls sideways on a phone inside a focusable,
 * labelled region (keyboard users can scroll it; WCAG 2.1.1).
 */
export function Heatmap({
  caption,
  corner,
  columns,
  rows,
  max,
  testId,
}: {
  caption: string;
  corner: string;
  columns: string[];
  rows: HeatmapRow[];
  /** The value that gets the darkest shade (default: the largest value). */
  max?: number;
  testId?: string;
}) {
  const top = max ?? Math.max(1e-9, ...rows.flatMap((r) => r.cells.map((c) => c?.value ?? 0)));
  return (
    <div data-testid={testId}>
      {/* The visible title wraps to the screen; the caption (read with the table) would scroll with it. */}
      <p aria-hidden="true" style={{ fontWeight: 600, fontSize: 13, margin: "0 0 4px" }}>
        {caption}
      </p>
      <div role="region" aria-label={caption} tabIndex={0} style={{ overflowX: "auto" }}>
        <table style={{ borderCollapse: "separate", borderSpacing: 2, fontSize: 12, minWidth: "100%" }}>
          <caption className="Polaris-Text--visuallyHidden">{caption}</caption>
          <thead>
            <tr>
              <th scope="col" style={{ textAlign: "left", fontWeight: 500, whiteSpace: "nowrap" }}>
                {corner}
              </th>
              {columns.map((c) => (
                <th key={c} scope="col" style={{ fontWeight: 500, whiteSpace: "nowrap", padding: "2px 4px" }}>
                  {c}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.label}>
                <th scope="row" style={{ textAlign: "left", fontWeight: 500, whiteSpace: "nowrap", paddingRight: 6 }}>
                  {r.label}
                </th>
                {r.cells.map((c, i) => {
                  if (!c) return <td key={i} />;
                  const bg = shade(c.value / top);
                  return (
                    <td
                      key={i}
                      style={{
                        background: bg,
                        color: ink(bg),
                        textAlign: "center",
                        padding: "6px 4px",
                        borderRadius: 3,
                        fontVariantNumeric: "tabular-nums",
                        boxShadow: "inset 0 0 0 1px #e3e3e3",
                      }}
                    >
                      {c.display}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
