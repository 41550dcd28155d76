/**
 * The peer comparison: `growthpilot score` against bench/peer/peer.py (the same job in pandas +
 * numpy + scipy + scikit-learn) on the same generated export, run alternately so both see the same
 * machine load, at 1× and at 4× the customers (catalogue fixed). Skipped with a message when no
 * Python with those four packages is on PATH (Debian: python3-numpy python3-scipy python3-sklearn
 * python3-pandas; `PEER_PYTHON` names an interpreter explicitly).
 */
import { spawnSync } from "node:child_process";
import { rmSync } from "node:fs";
import { delimiter, join } from "node:path";
import { median } from "../../app/analytics/stats";
import { ROOT } from "./common";
import {
  BENCH_OUT,
  csvLineCount,
  loadAverage,
  runScore,
  SPEED_AS_OF,
  speedOrdersCsv,
  timedRun,
  type TimedRun,
} from "./score-run";

const PEER_SCRIPT = join(ROOT, "bench/peer/peer.py");
const TARGET = 0.5;

/** The first python3 on PATH (or `PEER_PYTHON`) that imports numpy, scipy, sklearn and pandas. */
export function findPeerPython(): string | null {
  const candidates = [
    ...(process.env.PEER_PYTHON ? [process.env.PEER_PYTHON] : []),
    ...(process.env.PATH ?? "")
      .split(delimiter)
      .filter(Boolean)
      .map((dir) => join(dir, "python3")),
  ];
  for (const python of candidates) {
    const probe = spawnSync(python, ["-c", "import numpy, scipy, sklearn, pandas"], { stdio: "ignore" });
    if (probe.status === 0) return python;
  }
  return null;
}

interface Side {
  wallS: number;
  peakRssMb: number;
}

/** Median wall time and the largest peak RSS over the rounds; a failed run aborts the comparison. */
function summarize(runs: TimedRun[], who: string): Side {
  for (const r of runs) if (r.status !== 0) throw new Error(`${who} exited with ${r.status}: ${r.stderr.slice(-800)}`);
  return { wallS: median(runs.map((r) => r.wallS)), peakRssMb: Math.max(...runs.map((r) => r.peakRssMb)) };
}

function compare(python: string, csvPath: string, rounds: number): { engine: Side; peer: Side } {
  const engineRuns: TimedRun[] = [];
  const peerRuns: TimedRun[] = [];
  const engineOut = join(BENCH_OUT, "peer_engine_out");
  const peerOut = join(BENCH_OUT, "peer_python_out");
  for (let round = 0; round < rounds; round++) {
    // Alternate which side goes first so a load spike does not always land on the same one.
    const order = round % 2 === 0 ? ["engine", "peer"] : ["peer", "engine"];
    for (const who of order) {
      rmSync(who === "engine" ? engineOut : peerOut, { recursive: true, force: true });
      if (who === "engine") engineRuns.push(runScore(csvPath, engineOut));
      else
        peerRuns.push(
          timedRun(python, [
            "-W",
            "ignore",
            PEER_SCRIPT,
            "--orders",
            csvPath,
            "--as-of",
            SPEED_AS_OF,
            "--out",
            peerOut,
          ]),
        );
    }
  }
  return { engine: summarize(engineRuns, "growthpilot score"), peer: summarize(peerRuns, "peer.py") };
}

const ratio = (a: number, b: number) => (a / b).toFixed(2);
const verdict = (r: number) => (r <= TARGET ? "met" : "NOT met");

export async function peerComparison(rounds = Number(process.env.PEER_ROUNDS ?? 3)): Promise<void> {
  console.log(`\n### peer: \`growthpilot score\` vs pandas + numpy + scipy + scikit-learn (bench/peer/peer.py)\n`);
  const python = findPeerPython();
  if (!python) {
    console.log(
      "(skipped: no python3 with numpy, scipy, sklearn and pandas on PATH — Debian: apt-get install python3-numpy python3-scipy python3-sklearn python3-pandas, or set PEER_PYTHON)",
    );
    return;
  }
  const rows: { scale: number; lines: number; engine: Side; peer: Side }[] = [];
  for (const scale of [1, 4]) {
    const csvPath = await speedOrdersCsv(scale);
    rows.push({ scale, lines: csvLineCount(csvPath), ...compare(python, csvPath, rounds) });
  }
  console.log(`median of ${rounds} alternating runs each; peak RSS is the largest of the runs\n`);
  console.log(
    "| input | CSV lines | engine wall s | peer wall s | time ratio | engine RSS MB | peer RSS MB | RSS ratio | target ≤ 0.5× both |",
  );
  console.log("|---|---|---|---|---|---|---|---|---|");
  for (const { scale, lines, engine, peer } of rows) {
    const t = engine.wallS / peer.wallS;
    const m = engine.peakRssMb / peer.peakRssMb;
    console.log(
      `| ${scale}× customers | ${lines.toLocaleString("en")} | ${engine.wallS.toFixed(1)} | ${peer.wallS.toFixed(1)} | ${ratio(engine.wallS, peer.wallS)} | ${engine.peakRssMb} | ${peer.peakRssMb} | ${ratio(engine.peakRssMb, peer.peakRssMb)} | time ${verdict(t)}, memory ${verdict(m)} |`,
    );
  }
  const [one, four] = rows;
  const rssGrowth = four.engine.peakRssMb / one.engine.peakRssMb;
  console.log(
    `\nscaling 1× → 4× customers: engine time ×${ratio(four.engine.wallS, one.engine.wallS)}, peak RSS ×${rssGrowth.toFixed(2)} (target ≤ 2×: ${rssGrowth <= 2 ? "met" : "NOT met"}); peer time ×${ratio(four.peer.wallS, one.peer.wallS)}, RSS ×${ratio(four.peer.peakRssMb, one.peer.peakRssMb)}`,
  );
  console.log(`\n(load average after measuring: ${loadAverage()})`);
}
