/**
 * Runs the Babel plugin over one module, as the bundler plugins do: parse with the syntax the
 * file's extension implies, instrument, print with a source map. Node only.
 */
import { transformAsync } from '@babel/core';
import homeostatBabel, { type HomeostatBabelOptions, type InstrumentedSite } from './babel.ts';
import { parserPlugins } from './parser.ts';
import { ForwardingProject } from './project.ts';

export { parserPlugins };

/** Cheap pre-check: a module with none of these has nothing to instrument or set up. */
const WORTH_PARSING = /\bon[A-Z]\w*\s*=\s*\{|=\{\s*(?:async\s+)?(?:function\b|\([^)]*\)\s*=>|[A-Za-z_$][\w$]*\s*=>)|\bset[A-Z]\w*\s*\(|\bdispatch\w*\s*\(|\bsetState\s*\(|\bforceUpdate\s*\(|react-dom/;

export interface TransformResult {
  code: string;
  map: unknown;
  sites: InstrumentedSite[];
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

/** The docs analysis' cross-file view (Node resolution: relative, tsconfig paths, linked workspace packages). */
const project = new ForwardingProject();

/**
 * The sites the plugin would instrument in `code`, without changing it (the docs analysis and
 * heal's codemods: the same names and places the build records).
 */
export async function findSites(code: string, filename: string, root: string, forwarding: ForwardingProject = project): Promise<InstrumentedSite[]> {
  const sites: InstrumentedSite[] = [];
  const forwarded = WORTH_PARSING.test(code) ? await forwarding.forModule(code, filename) : {};
  await transformAsync(code, {
    filename,
    babelrc: false,
    configFile: false,
    code: false,
    sourceType: 'module',
    parserOpts: { plugins: parserPlugins(filename) },
    plugins: [[homeostatBabel, { root, forwarded, onSite: (s: InstrumentedSite) => sites.push(s) } satisfies HomeostatBabelOptions]],
  });
  return sites;
}
