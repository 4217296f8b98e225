/**
 * `work`'s value if it settles within `ms` (as `{ value }`), else undefined: the work is not cut, it goes on either way
 * (a card action answered late, a poll or background work a shutdown stops waiting for, a slow environment's read).
 */
export async function settledWithin<T>(work: Promise<T>, ms: number): Promise<{ value: T } | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => { timer = setTimeout(() => resolve(undefined), Math.max(0, ms)); });
  try {
    return await Promise.race([work.then((value) => ({ value })), late]);
  } finally {
    clearTimeout(timer);
  }
}
