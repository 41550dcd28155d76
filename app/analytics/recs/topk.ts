/**
 * Deterministic top-k selection over a dense score vector: highest score first, ties broken by the
 * lower item index (items are SKU-sorted, so ties resolve alphabetically). Only scores > 0 and items
 * not excluded are candidates. O(n·k) worst case but O(n) in practice thanks to the running
 * threshold, which beats sorting 4k-element vectors for each of thousands of customers.
 */
export function topK(
  scores: Float64Array,
  k: number,
  exclude?: (item: number) => boolean,
  candidates?: Iterable<number>,
): number[] {
  const ids: number[] = [];
  const vals: number[] = [];
  const consider = (i: number): void => {
    const s = scores[i];
    if (!(s > 0)) return;
    if (ids.length === k && s <= vals[k - 1]) return;
    if (exclude && exclude(i)) return;
    // insertion into the sorted (desc score, asc id) window
    let pos = ids.length;
    while (pos > 0 && (vals[pos - 1] < s || (vals[pos - 1] === s && ids[pos - 1] > i))) pos--;
    ids.splice(pos, 0, i);
    vals.splice(pos, 0, s);
    if (ids.length > k) {
      ids.pop();
      vals.pop();
    }
  };
  if (candidates) for (const i of candidates) consider(i);
  else for (let i = 0; i < scores.length; i++) consider(i);
  return ids;
}
