import { useId } from "react";

export interface ChartSeries {
  label: string;
  color: string;
  /** y per x; null = no value at that x (a gap). */
  values: (number | null)[];
  dashed?: boolean;
}

export interface ChartBand {
  label: string;
  color: string;
  low: (number | null)[];
  high: (number | null)[];
}

/**
 * A small line chart drawn as SVG by hand. @shopify/polaris-viz was removed because it fails Remix
 * SSR with "window is not defined" (D27). The SVG is decorative for assistive technology
 * (aria-hidden); the same numbers are in a visually hidden table, so screen readers get them as data.
 */
export function LineChart({
  title,
  xLabels,
  series,
  band,
  formatY,
  zeroLine = false,
  xHeading = "Day",
}: {
  title: string;
  xLabels: string[];
  series: ChartSeries[];
  band?: ChartBand;
  formatY: (v: number) => string;
  zeroLine?: boolean;
  /** Heading of the data table's first column (what one x is). */
  xHeading?: string;
}) {
  const id = useId();
  const W = 480;
  const H = 220;
  const pad = { left: 60, right: 10, top: 12, bottom: 28 };
  const all = [
    ...series.flatMap((s) => s.values),
    ...(band ? [...band.low, ...band.high] : []),
    ...(zeroLine ? [0] : []),
  ].filter((v): v is number => v !== null && Number.isFinite(v));
  let min = Math.min(...all);
  let max = Math.max(...all);
  if (!(max > min)) {
    min -= 1;
    max += 1;
  }
  const n = xLabels.length;
  const x = (i: number) => pad.left + (n <= 1 ? 0 : (i / (n - 1)) * (W - pad.left - pad.right));
  const y = (v: number) => pad.top + (1 - (v - min) / (max - min)) * (H - pad.top - pad.bottom);
  const path = (values: (number | null)[]) =>
    values
      .map((v, i) =>
        v === null ? "" : `${i === 0 || values[i - 1] === null ? "M" : "L"}${x(i).toFixed(1)},${y(v).toFixed(1)}`,
      )
      .join(" ");
  const bandPath = band
    ? (() => {
        const idx = band.low.map((_, i) => i).filter((i) => band.low[i] !== null && band.high[i] !== null);
        if (idx.length < 2) return "";
        const top = idx
          .map((i, k) => `${k === 0 ? "M" : "L"}${x(i).toFixed(1)},${y(band.high[i]!).toFixed(1)}`)
          .join(" ");
        const bottom = [...idx]
          .reverse()
          .map((i) => `L${x(i).toFixed(1)},${y(band.low[i]!).toFixed(1)}`)
          .join(" ");
        return `${top} ${bottom} Z`;
      })()
    : "";
  const ticks = [min, (min + max) / 2, max];
  const xTickEvery = Math.max(1, Math.ceil(n / 6));
  return (
    <figure style={{ margin: 0 }} aria-labelledby={`${id}-caption`}>
      <figcaption id={`${id}-caption`} style={{ fontWeight: 600, fontSize: 13, marginBottom: 4 }}>
        {title}
      </figcaption>
      <svg
        viewBox={`0 0 ${W} ${H}`}
        width="100%"
        role="presentation"
        aria-hidden="true"
        style={{ display: "block", maxHeight: 260 }}
      >
        {ticks.map((t) => (
          <g key={t}>
            <line x1={pad.left} x2={W - pad.right} y1={y(t)} y2={y(t)} stroke="#e3e3e3" />
            <text x={pad.left - 6} y={y(t) + 4} textAnchor="end" fontSize="13" fill="#616161">
              {formatY(t)}
            </text>
          </g>
        ))}
        {zeroLine && min < 0 && max > 0 && (
          <line x1={pad.left} x2={W - pad.right} y1={y(0)} y2={y(0)} stroke="#8a8a8a" strokeDasharray="3 3" />
        )}
        {bandPath && <path d={bandPath} fill={band!.color} opacity={0.25} />}
        {series.map((s) => (
          <path
            key={s.label}
            d={path(s.values)}
            fill="none"
            stroke={s.color}
            strokeWidth={2.5}
            strokeDasharray={s.dashed ? "6 4" : undefined}
          />
        ))}
        {xLabels.map((l, i) =>
          // Every k-th label and the last, skipping one that would sit on top of the last.
          (i % xTickEvery === 0 && n - 1 - i >= xTickEvery / 2) || i === n - 1 ? (
            <text
              key={`${l}-${i}`}
              x={x(i)}
              y={H - 8}
              textAnchor={i === 0 ? "start" : i === n - 1 ? "end" : "middle"}
              fontSize="13"
              fill="#616161"
            >
              {l}
            </text>
          ) : null,
        )}
      </svg>
      <div
        style={{ display: "flex", flexWrap: "wrap", gap: "4px 16px", fontSize: 12, marginTop: 4 }}
        aria-hidden="true"
      >
        {series.map((s) => (
          <span key={s.label}>
            <span
              style={{
                display: "inline-block",
                width: 14,
                height: 3,
                background: s.color,
                verticalAlign: "middle",
                marginRight: 6,
              }}
            />
            {s.label}
          </span>
        ))}
        {band && (
          <span>
            <span
              style={{
                display: "inline-block",
                width: 14,
                height: 10,
                background: band.color,
                opacity: 0.25,
                verticalAlign: "middle",
                marginRight: 6,
              }}
            />
            {band.label}
          </span>
        )}
      </div>
      <table className="Polaris-Text--visuallyHidden">
        <caption>{title}</caption>
        <thead>
          <tr>
            <th scope="col">{xHeading}</th>
            {series.map((s) => (
              <th key={s.label} scope="col">
                {s.label}
              </th>
            ))}
            {band && <th scope="col">{band.label}</th>}
          </tr>
        </thead>
        <tbody>
          {xLabels.map((l, i) => (
            <tr key={`${l}-${i}`}>
              <th scope="row">{l}</th>
              {series.map((s) => (
                <td key={s.label}>{s.values[i] === null ? "—" : formatY(s.values[i]!)}</td>
              ))}
              {band && (
                <td>
                  {band.low[i] === null || band.high[i] === null
                    ? "—"
                    : `${formatY(band.low[i]!)} to ${formatY(band.high[i]!)}`}
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
