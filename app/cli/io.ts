import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { UsageError } from "./errors";

/** Reads a UTF-8 input file, turning "not found"/"is a directory" into usage errors. */
export function readInput(path: string, flag: string): string {
  assertInputFile(path, flag);
  return readFileSync(path, "utf8");
}

const PIECE_BYTES = 8 * 1024 * 1024;

/**
 * The file's text in ~8 MB pieces (UTF-8 decoded across piece boundaries), checked like
 * `readInput`: how the CLI reads an orders export, so a 1.6M-line file is never one string.
 */
export function readInputPieces(path: string, flag: string, pieceBytes = PIECE_BYTES): Iterable<string> {
  assertInputFile(path, flag);
  return (function* () {
    const fd = openSync(path, "r");
    try {
      const decoder = new TextDecoder("utf-8");
      const buffer = Buffer.allocUnsafe(pieceBytes);
      for (;;) {
        const n = readSync(fd, buffer, 0, pieceBytes, null);
        if (n === 0) break;
        yield decoder.decode(buffer.subarray(0, n), { stream: true });
      }
      const rest = decoder.decode();
      if (rest !== "") yield rest;
    } finally {
      closeSync(fd);
    }
  })();
}

function assertInputFile(path: string, flag: string): void {
  let stats;
  try {
    stats = statSync(path);
  } catch {
    throw new UsageError(`--${flag} file "${path}" does not exist`);
  }
  if (!stats.isFile()) throw new UsageError(`--${flag} "${path}" is not a file`);
}

/** JSON lines text from rows. */
export function toJsonLines(rows: Iterable<unknown>): string {
  const parts: string[] = [];
  for (const row of rows) parts.push(JSON.stringify(row));
  return parts.length === 0 ? "" : parts.join("\n") + "\n";
}

/**
 * Writes every file of an output directory into a sibling temp directory first and renames it into
 * place at the end, so a failure midway never leaves partial output (docs/contracts.md §4). An existing
 * output directory is replaced only after the new one is complete.
 */
export function writeDirectoryAtomically(outDir: string, files: Record<string, string>): void {
  const target = resolve(outDir);
  ensureParent(target, "out");
  if (existsSync(target) && !statSync(target).isDirectory())
    throw new UsageError(`--out "${outDir}" exists and is not a directory`);
  const temp = join(dirname(target), `.${basename(target)}.tmp-${process.pid}`);
  rmSync(temp, { recursive: true, force: true });
  mkdirSync(temp);
  try {
    for (const [name, text] of Object.entries(files)) writeFileSync(join(temp, name), text);
    const old = existsSync(target) ? `${temp}-old` : null;
    if (old) renameSync(target, old);
    renameSync(temp, target);
    if (old) rmSync(old, { recursive: true, force: true });
  } catch (error) {
    rmSync(temp, { recursive: true, force: true });
    throw error;
  }
}

/** Writes one file via temp + rename (atomic on the same filesystem). */
export function writeFileAtomically(path: string, text: string): void {
  const target = resolve(path);
  ensureParent(target, "out");
  const temp = join(dirname(target), `.${basename(target)}.tmp-${process.pid}`);
  try {
    writeFileSync(temp, text);
    renameSync(temp, target);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}

function ensureParent(target: string, flag: string): void {
  const parent = dirname(target);
  if (!existsSync(parent)) throw new UsageError(`--${flag} parent directory "${parent}" does not exist`);
}
