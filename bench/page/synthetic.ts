/**
 * Synthetic wire batches shaped like a busy page: each interaction is an input event, a
 * handler that updates React, a child handler, a commit and a paint. Used to load the worker
 * with realistic attribution work rather than with records it would skip.
 */
import { CallFlag, Kind, STRIDE, type WireBatch } from '../../src/core/wire.ts';

const RECORDS_PER_INTERACTION = 6;

export function syntheticBatches(total: number, perBatch: number): WireBatch[] {
  const strings = ['input', 'handleSearchInput', 'renderReact', 'applyFilters', 'handleSort', 'addToCart'];
  const batches: WireBatch[] = [];
  let t = 10;
  let callId = 1;
  let serial = 1;
  let written = 0;
  while (written < total) {
    const count = Math.min(perBatch - (perBatch % RECORDS_PER_INTERACTION), total - written);
    const records = new Float64Array(count * STRIDE).fill(-1);
    let r = 0;
    const put = (...fields: number[]) => {
      records.set(fields, r * STRIDE);
      r++;
    };
    while (r + RECORDS_PER_INTERACTION <= count) {
      const handler = 1 + (serial % 5);
      const parent = callId++;
      put(Kind.Event, serial, 0, t);
      put(Kind.Call, handler, parent, t + 0.1, t + 0.4, CallFlag.UpdatesKnown | CallFlag.SyncProbe, 1, 0, -1, -1, serial);
      put(Kind.Call, 2, callId++, t + 0.2, t + 0.3, CallFlag.UpdatesKnown, 0, 0, -1, parent, serial);
      put(Kind.Commit, t + 2, 1);
      put(Kind.SyncEnd, parent, t + 2.1);
      put(Kind.Paint, t + 8);
      serial++;
      t += 10;
    }
    written += r;
    batches.push({ records: records.subarray(0, r * STRIDE), count: r, stringBase: 0, strings: batches.length === 0 ? strings : [], dropped: 0, now: t });
    if (r === 0) break;
  }
  return batches;
}
