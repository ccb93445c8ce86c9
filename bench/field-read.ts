/**
 * How `--field` file reading scales: simulates N sessions (9 handlers, a sequence per
 * interaction, two cumulative sends each, as the page sends them), writes them as the
 * collector's file exporter would (JSON lines), and times `loadField` with its peak heap.
 *   npx tsx bench/field-read.ts [sessions=2000]
 */
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seededRandom } from '../src/core/check/prng.ts';
import { FieldRecorder } from '../src/core/field/recorder.ts';
import { call, meta, seq } from '../src/core/field/test-fixtures.ts';
import { loadField } from '../src/field/load.ts';

const sessions = Number(process.argv[2] ?? 2000);
const random = seededRandom(1);
const handlers = ['handleSearchInput', 'parseQuery', 'renderReact', 'computeFacets', 'applyFilters', 'handleSort', 'addToCart', 'checkout', 'confirmOrder'];
const dir = mkdtempSync(join(tmpdir(), 'homeostat-field-bench-'));
const file = join(dir, 'metrics.jsonl');
const lines: string[] = [];
let calls = 0;
for (let s = 0; s < sessions; s++) {
  const rec = new FieldRecorder(meta(`s${s}`, { startedAt: 1_767_000_000_000 + s * 1000 }));
  for (let i = 0; i < 90; i++) {
    const c = call(handlers[i % handlers.length]!, 0.05 + 30 * random() ** 2, { id: i + 1, sequence: i });
    rec.addCall(c);
    rec.addSequence(seq({ id: i, name: `click:${c.handler}`, trigger: { type: 'click', timeStamp: 0 }, explicit: false, start: 0, end: c.blockingMs + 4, calls: [c.id], handlers: [c.handler] }), [c]);
    calls++;
    if (i === 45) {
      const b = rec.collect({ now: 1_767_000_000_000 + s * 1000 + 400 })!;
      lines.push(...b.metrics);
      rec.ack(b.id, true);
    }
  }
  lines.push(...rec.collect({ now: 1_767_000_000_000 + s * 1000 + 900 })!.metrics);
}
writeFileSync(file, `${lines.join('\n')}\n`);
const bytes = statSync(file).size;
let peak = 0;
const probe = setInterval(() => (peak = Math.max(peak, process.memoryUsage().heapUsed)), 20);
const t0 = performance.now();
const snap = await loadField([file], dir);
const ms = performance.now() - t0;
clearInterval(probe);
peak = Math.max(peak, process.memoryUsage().heapUsed);
const merged = [...snap.handlers.values()].reduce((n, h) => n + h.calls, 0);
console.log(JSON.stringify({ sessions: snap.sessions, calls, merged, fileMB: +(bytes / 1e6).toFixed(1), readSeconds: +(ms / 1000).toFixed(2), peakHeapMB: Math.round(peak / 1e6), pointsKept: snap.points }));
rmSync(dir, { recursive: true, force: true });
