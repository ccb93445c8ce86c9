/**
 * Runs the Babel plugin over one module, as the bundler plugins do: parse with the syntax the
 * file's extension implies, instrument, print with a source map. Node only.
 */
import { transformAsync, type ParserOptions } from '@babel/core';
import homeostatBabel, { type HomeostatBabelOptions, type InstrumentedSite } from './babel.ts';

/** Cheap pre-check: a module with none of these has nothing to instrument or set up. */
const WORTH_PARSING = /\bon[A-Z]\w*\s*=\s*\{|\bset[A-Z]\w*\s*\(|\bdispatch\w*\s*\(|\bsetState\s*\(|\bforceUpdate\s*\(|react-dom/;

export interface TransformResult {
  code: string;
  map: unknown;
  sites: InstrumentedSite[];
}

/** Babel parser plugins for a file, from its extension. */
export function parserPlugins(filename: string): NonNullable<ParserOptions['plugins']> {
  const ext = /\.([cm]?[jt]sx?)$/.exec(filename)?.[1] ?? 'js';
  if (ext === 'tsx') return ['typescript', 'jsx'];
  if (ext.endsWith('ts')) return ['typescript'];
  return ['jsx'];
}

/**
 * Instruments `code` (module `filename`); null when there is nothing to change. Throws a
 * Babel syntax error, with file and position, on code that does not parse.
 */
export async function transformModule(code: string, filename: string, options: HomeostatBabelOptions = {}): Promise<TransformResult | null> {
  if (!WORTH_PARSING.test(code)) return null;
  const sites: InstrumentedSite[] = [];
  const result = await transformAsync(code, {
    filename,
    babelrc: false,
    configFile: false,
    sourceMaps: true,
    sourceType: 'module',
    parserOpts: { plugins: parserPlugins(filename) },
    plugins: [[homeostatBabel, options]],
  });
  const meta = result?.metadata as { homeostat?: { changed: boolean; sites: InstrumentedSite[] } } | undefined;
  if (!result?.code || !meta?.homeostat?.changed) return null;
  sites.push(...meta.homeostat.sites);
  return { code: result.code, map: result.map, sites };
}

/** The sites the plugin would instrument in `code`, without changing it (the docs analysis). */
export async function findSites(code: string, filename: string, root: string): Promise<InstrumentedSite[]> {
  const sites: InstrumentedSite[] = [];
  await transformAsync(code, {
    filename,
    babelrc: false,
    configFile: false,
    code: false,
    sourceType: 'module',
    parserOpts: { plugins: parserPlugins(filename) },
    plugins: [[homeostatBabel, { root, onSite: (s: InstrumentedSite) => sites.push(s) } satisfies HomeostatBabelOptions]],
  });
  return sites;
}
