import { Link } from "@remix-run/react";
import { segmentColor } from "./segment-colors";

export interface Bar {
  label: string;
  value: number;
  /** Text shown after the bar (defaults to the value). */
  display?: string;
  href?: string;
}

/**
 * Horizontal bar chart as plain HTML (no chart library): labels are real text, each row is a link
 * when it leads somewhere, and a visually hidden table carries the numbers for screen readers.
 */
export function BarChart({
  bars,
  title,
  colorBy = "segment",
}: {
  bars: Bar[];
  title: string;
  colorBy?: "segment" | "none";
}) {
  const max = Math.max(1, ...bars.map((b) => b.value));
  return (
    <figure style={{ margin: 0 }} aria-label={title}>
      <div
        role="presentation"
        style={{
          display: "grid",
          gridTemplateColumns: "minmax(110px, max-content) 1fr max-content",
          gap: "6px 12px",
          alignItems: "center",
        }}
      >
        {bars.map((b) => {
          const label = b.href ? (
            <Link to={b.href} style={{ color: "inherit" }}>
              {b.label}
            </Link>
          ) : (
            b.label
          );
          return (
            // The label (a link) stays in the accessibility tree; the bar and number are in the table below.
            <div key={b.label} style={{ display: "contents" }}>
              <span style={{ fontSize: 13 }}>{label}</span>
              <span
                aria-hidden="true"
                style={{
                  background: "var(--p-color-bg-surface-secondary, #f1f1f1)",
                  borderRadius: 4,
                  height: 14,
                  display: "block",
                }}
              >
                <span
                  style={{
                    display: "block",
                    height: "100%",
                    borderRadius: 4,
                    width: `${Math.max(b.value > 0 ? 1.5 : 0, (b.value / max) * 100)}%`,
                    background: colorBy === "segment" ? segmentColor(b.label) : "var(--p-color-bg-fill-info, #2c6ecb)",
                  }}
                />
              </span>
              <span aria-hidden="true" style={{ fontSize: 13, fontVariantNumeric: "tabular-nums" }}>
                {b.display ?? b.value.toLocaleString("en-US")}
              </span>
            </div>
          );
        })}
      </div>
      <table className="Polaris-Text--visuallyHidden">
        <caption>{title}</caption>
        <tbody>
          {bars.map((b) => (
            <tr key={b.label}>
              <th scope="row">{b.label}</th>
              <td>{b.display ?? b.value}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
