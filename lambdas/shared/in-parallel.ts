/**
 * Runs `work` on each of `list` with at most `limit` at once, in list order, starting none once `stop()` says
 * so; the results keep the list's order (a slot never started stays empty).
 */
export async function inParallel<T, R>(list: readonly T[], limit: number, work: (item: T) => Promise<R>, stop: () => boolean = () => false): Promise<R[]> {
  const results: R[] = new Array(list.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let at = next++; at < list.length && !stop(); at = next++) results[at] = await work(list[at]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, list.length) }, worker));
  return results;
}
