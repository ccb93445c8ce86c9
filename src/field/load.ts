/**
 * `--field` inputs: OTLP/JSON files or directories (the collector's `file` exporter output),
 * a ClickHouse server (`clickhouse://user:pass@host:8123/otel`, the collector's `clickhouse`
 * exporter), or a local embedded ClickHouse store (`chdb:<dir>`). Several inputs merge.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { FieldMerger, type FieldSnapshot } from '../core/field/merge.ts';
import { chdbClickHouse, DEFAULT_TABLES, describeStore, httpClickHouse, readClickHouse, type FieldFilter } from './clickhouse.ts';
import { chooseApp, FieldSourceError } from './apps.ts';
import { fieldFiles, readOtlpFile } from './otlp-json.ts';

export { FieldSourceError } from './apps.ts';

/** Reads and merges every input; `cwd` resolves relative paths. */
export async function loadField(inputs: readonly string[], cwd: string, filter: FieldFilter = {}): Promise<FieldSnapshot> {
  const stores = inputs.filter((i) => /^(clickhouse|https?|chdb):/.test(i));
  const paths = inputs.filter((i) => !stores.includes(i)).map((p) => resolve(cwd, p));
  for (const p of paths) if (!existsSync(p)) throw new FieldSourceError(`--field ${p} does not exist`);
  if (stores.length > 1 || (stores.length === 1 && paths.length > 0)) {
    throw new FieldSourceError('--field takes either OTLP files or one store, not both');
  }
  if (stores.length === 1) return readStore(stores[0]!, cwd, filter);
  const files = await fieldFiles(paths);
  if (files.length === 0) throw new FieldSourceError(`no OTLP/JSON files in ${paths.join(', ')}`);
  const source = files.length === 1 ? files[0]! : `${files.length} OTLP/JSON files`;
  // One merger per app: which app is read is decided once every file has been seen.
  const byApp = new Map<string | null, { merger: FieldMerger; points: number }>();
  for (const f of files) {
    for await (const p of readOtlpFile(f)) {
      if (filter.since && p.time < filter.since.getTime()) continue;
      let app = byApp.get(p.app);
      if (!app) byApp.set(p.app, (app = { merger: new FieldMerger(source), points: 0 }));
      app.points++;
      app.merger.add(p);
    }
  }
  const chosen = chooseApp([...byApp.keys()], filter.app, source);
  const snapshot = (chosen !== undefined ? byApp.get(chosen)?.merger : undefined)?.snapshot() ?? new FieldMerger(source).snapshot();
  snapshot.otherApps = [...byApp].filter(([app]) => app !== chosen).map(([app, v]) => ({ app, points: v.points }));
  return snapshot;
}

async function readStore(input: string, cwd: string, filter: FieldFilter): Promise<FieldSnapshot> {
  if (input.startsWith('chdb:')) {
    const dir = resolve(cwd, input.slice('chdb:'.length));
    if (!existsSync(dir)) throw new FieldSourceError(`--field ${input}: ${dir} does not exist`);
    const store = await chdbClickHouse(dir);
    try {
      return await readClickHouse(store.query, `chdb:${dir}`, DEFAULT_TABLES, filter);
    } finally {
      await store.close();
    }
  }
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    throw new FieldSourceError(`--field ${input} is not a URL`);
  }
  const store = await httpClickHouse(url);
  try {
    const tables = { ...DEFAULT_TABLES, ...(store.database ? { database: store.database } : {}) };
    return await readClickHouse(store.query, describeStore(url), tables, filter);
  } finally {
    await store.close();
  }
}
