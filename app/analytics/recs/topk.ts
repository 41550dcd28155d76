/**
 * Deterministic top-k selection over a dense score vector: highest score first, ties broken by the
 * lower item index (items are SKU-sorted, so ties resolve alphabetically). Only scores > 0 and items
 * not excluded are candidates. O(n·k) worst case but O(n) in practice thanks to the running
 * threshold, which beats sorting 4k-element vectors for each of thousands of customers. The window
 * lives in typed arrays (no closures, no splicing): this runs ~10⁴ times per `score` run.
 */
export function topK(
  scores: Float64Array,
  k: number,
  exclude?: (item: number) => boolean,
  candidates?: ArrayLike<number> | Iterable<number>,
): number[] {
  if (!(k > 0)) return [];
  // Candidates are distinct item indices, so the window never holds more than scores.length.
  const cap = Math.max(1, Math.min(k, scores.length));
  const ids = new Int32Array(cap);
  const vals = new Float64Array(cap);
  let size = 0;
  const consider = (i: number): void => {
    const s = scores[i];
    if (!(s > 0)) return;
    if (size === k && s <= vals[k - 1]) return;
    if (exclude !== undefined && exclude(i)) return;
    // insertion into the sorted (desc score, asc id) window
    let pos = size < k ? size : k - 1;
    while (pos > 0 && (vals[pos - 1] < s || (vals[pos - 1] === s && ids[pos - 1] > i))) {
      ids[pos] = ids[pos - 1];
      vals[pos] = vals[pos - 1];
      pos--;
    }
    ids[pos] = i;
    vals[pos] = s;
    if (size < k) size++;
  };
  if (candidates === undefined) {
    for (let i = 0; i < scores.length; i++) {
      const s = scores[i];
      if (!(s > 0) || (size === k && s <= vals[k - 1])) continue;
      consider(i);
    }
  } else if (isArrayLike(candidates)) {
    for (let t = 0; t < candidates.length; t++) consider(candidates[t]);
  } else {
    for (const i of candidates) consider(i);
  }
  return Array.from(ids.subarray(0, size));
}

function isArrayLike(v: ArrayLike<number> | Iterable<number>): v is ArrayLike<number> {
  return typeof (v as ArrayLike<number>).length === "number";
}
