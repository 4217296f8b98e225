import { randomBytes } from 'node:crypto';

/** Random per process, like the node part of a v1 GUID: ids of two processes never collide. */
const NODE = randomBytes(6).toString('hex');
let lastMs = 0;
let sequence = 0;

/**
 * A time-ordered GUID, as Dataverse gives new rows sequential GUIDs: new rows land at the end of the
 * primary-key index instead of all over it, which keeps large runs fast.
 */
export function sequentialId(): string {
  const now = Math.max(Date.now(), lastMs);
  sequence = now === lastMs ? sequence + 1 : 0;
  lastMs = now;
  const time = now.toString(16).padStart(12, '0');
  const counter = (sequence & 0xffffff).toString(16).padStart(6, '0');
  return `${time.slice(0, 8)}-${time.slice(8)}-7${counter.slice(0, 3)}-8${counter.slice(3)}-${NODE}`;
}
