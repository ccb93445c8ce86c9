/**
 * `@homeostat/tools/vite`: one line in `vite.config.ts` instruments a React app with no code changes.
 *
 * ```ts
 * import homeostat from '@homeostat/tools/vite';
 * export default defineConfig({ plugins: [homeostat(), react()] });
 * ```
 *
 * Event handlers and state-updating functions get names and source locations (see
 * `@homeostat/tools/babel`, which this runs); the module that imports react-dom gets the React
 * adapter imported first and the client started, with the telemetry worker bundled by Vite
 * (`?worker&url`), so it is served in dev and emitted in builds. Built on unplugin, so the
 * same plugin exists for other bundlers: `unplugin` below.
 */
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import picomatch from 'picomatch';
import { createUnplugin } from 'unplugin';
import type { Plugin, UserConfig } from 'vite';
import type { HomeostatBabelOptions, SetupOptions } from './babel.ts';
import { ForwardingProject, nodeResolve, type Resolve } from './project.ts';
import { transformModule } from './transform.ts';

export type { InstrumentedSite } from './babel.ts';

export interface HomeostatPluginOptions {
  /** Globs (relative to the project root) of modules to instrument. Default: every .js/.jsx/.ts/.tsx/.mjs/.mts module. */
  include?: string | string[];
  /** Globs to leave alone. Default: node_modules, tests (`*.test.*`, `*.spec.*`) and declarations. */
  exclude?: string | string[];
  /** Load the React adapter before react-dom and start recording (default true). */
  setup?: boolean;
  /** App name recorded with each session. */
  app?: string;
  /** Build or commit identifier recorded with each session. */
  build?: string;
  /**
   * Where the telemetry worker comes from: `'bundled'` (default) lets the bundler serve and emit
   * `homeostat/worker`; `'package'` keeps the package's own `new Worker(new URL(…))`.
   */
  worker?: 'bundled' | 'package';
  /** Instrument production builds too (default true: the per-call cost is a fraction of a microsecond). */
  production?: boolean;
}

const DEFAULT_INCLUDE = ['**/*.{js,jsx,ts,tsx,mjs,mts}'];
const DEFAULT_EXCLUDE = ['**/node_modules/**', '**/*.{test,spec}.*', '**/__tests__/**', '**/*.d.ts'];
const RUNTIME_ENTRIES = ['homeostat/auto', 'homeostat/react'];

function list(v: string | string[] | undefined, fallback: string[]): string[] {
  return v === undefined ? fallback : Array.isArray(v) ? v : [v];
}

/** True when the user aliased `id` (the demo and tests point Homeostat at its sources). */
function aliased(config: UserConfig, id: string): boolean {
  const alias = config.resolve?.alias;
  if (!alias) return false;
  const entries = Array.isArray(alias) ? alias : Object.entries(alias).map(([find, replacement]) => ({ find, replacement }));
  return entries.some((a: { find: string | RegExp }) => (typeof a.find === 'string' ? id === a.find || id.startsWith(`${a.find}/`) : a.find.test(id)));
}

/**
 * A module filter from include/exclude globs, relative to `root`. A glob that leaves the root
 * (`../packages/ui/src/**`, or an absolute one) names sources outside it, as monorepos have
 * (workspace packages, aliased folders): those are matched by their absolute path.
 */
export function moduleFilter(root: string, options: Pick<HomeostatPluginOptions, 'include' | 'exclude'>): (id: string) => boolean {
  const split = (globs: string[]) => {
    const inside: string[] = [];
    const outside: string[] = [];
    for (const g of globs) {
      if (g.startsWith('../') || isAbsolute(g)) outside.push(resolve(root, g).split(sep).join('/'));
      else inside.push(g);
    }
    return { inside: inside.length ? picomatch(inside, { dot: true }) : () => false, outside: outside.length ? picomatch(outside, { dot: true }) : () => false };
  };
  const include = split(list(options.include, DEFAULT_INCLUDE));
  const exclude = split(list(options.exclude, DEFAULT_EXCLUDE));
  const excludeAnywhere = picomatch(list(options.exclude, DEFAULT_EXCLUDE).filter((g) => g.startsWith('**/')), { dot: true });
  return (id) => {
    if (id.startsWith('\0') || id.includes('/node_modules/')) return false;
    const path = id.replace(/[?#].*$/, '');
    const rel = relative(root, path).split(sep).join('/');
    if (rel.startsWith('../') || isAbsolute(rel)) {
      const abs = path.split(sep).join('/');
      return include.outside(abs) && !exclude.outside(abs) && !excludeAnywhere(abs);
    }
    return include.inside(rel) && !exclude.inside(rel);
  };
}

/**
 * The same plugin for the other bundlers unplugin supports. Typed loosely on purpose: their
 * types come from the bundlers themselves, which an app using one does not have the others of.
 */
export interface HomeostatUnplugin {
  vite(options?: HomeostatPluginOptions): Plugin;
  rollup(options?: HomeostatPluginOptions): unknown;
  rolldown(options?: HomeostatPluginOptions): unknown;
  webpack(options?: HomeostatPluginOptions): unknown;
  rspack(options?: HomeostatPluginOptions): unknown;
  esbuild(options?: HomeostatPluginOptions): unknown;
}

/** The plugin for every bundler unplugin supports (`unplugin.webpack()`, `unplugin.rollup()`, …). */
export const unplugin: HomeostatUnplugin = createUnplugin<HomeostatPluginOptions | undefined, false>(
  (options = {}) => {
    let root = process.cwd();
    let filter = moduleFilter(root, options);
    let enabled = true;
    let workerUrlImport: string | undefined;
    // Components imported from other files (and workspace packages): read once per build.
    const project = new ForwardingProject();
    const setupOptions = (): SetupOptions => ({
      ...(workerUrlImport ? { workerUrlImport } : {}),
      options: {
        ...(options.app !== undefined ? { app: options.app } : {}),
        ...(options.build !== undefined ? { build: options.build } : {}),
      },
    });
    return {
      name: 'homeostat',
      enforce: 'pre',
      transformInclude: (id) => enabled && filter(id),
      async transform(code, id) {
        // SSR: handlers never run on the server, and the server has no page to record.
        const env = (this as unknown as { environment?: { config?: { consumer?: string } } }).environment;
        if (env?.config?.consumer === 'server') return null;
        const file = id.replace(/[?#].*$/, '');
        // The bundler's own resolution (aliases, workspace links, conditions), else Node's.
        const ctx = this as unknown as { resolve?: (source: string, importer: string, o?: { skipSelf?: boolean }) => Promise<{ id: string; external?: boolean | string } | null> };
        const bundlerResolve: Resolve | undefined = typeof ctx.resolve === 'function'
          ? async (source, importer) => {
              const r = await ctx.resolve!(source, importer, { skipSelf: true }).catch(() => null);
              if (!r || r.external || r.id.startsWith('\0')) return nodeResolve(source, importer);
              const path = r.id.replace(/[?#].*$/, '');
              return /[\\/]node_modules[\\/]/.test(path) || !/\.[cm]?[jt]sx?$/.test(path) ? null : path;
            }
          : undefined;
        // Only a module that writes a component element can pass a callback through one.
        const forwarded = /<[A-Z]|<[a-z_$][\w$]*\./.test(code) ? await project.forModule(code, file, bundlerResolve) : {};
        const babelOptions: HomeostatBabelOptions = { root, forwarded, setup: options.setup === false ? false : setupOptions() };
        const result = await transformModule(code, file, babelOptions);
        return result ? { code: result.code, map: result.map as never } : null;
      },
      // Sources outside the Vite root (a workspace package) import the runtime the plugin adds,
      // but the package is installed for the app: resolve those imports from the root.
      async resolveId(id, importer) {
        if (!importer || !/^homeostat(\/|$)/.test(id)) return null;
        const rel = relative(root, importer.replace(/[?#].*$/, ''));
        if (!rel.startsWith('..') && !isAbsolute(rel)) return null;
        const ctx = this as unknown as { resolve?: (source: string, importer: string, o?: { skipSelf?: boolean }) => Promise<{ id: string } | null> };
        if (typeof ctx.resolve !== 'function') return null;
        return (await ctx.resolve(id, join(root, 'index.html'), { skipSelf: true })) ?? null;
      },
      watchChange(id) {
        project.invalidate(id);
      },
      vite: {
        config(config, env) {
          if (env.command === 'build' && options.production === false) enabled = false;
          if (options.worker !== 'package') workerUrlImport = 'homeostat/worker?worker&url';
          if (aliased(config, 'homeostat/auto')) return undefined;
          // The imports the transform adds are invisible to Vite's dependency scan: pre-bundle
          // them up front rather than reload the page when they are discovered.
          return { optimizeDeps: { include: RUNTIME_ENTRIES } };
        },
        configResolved(config) {
          root = config.root;
          filter = moduleFilter(root, options);
        },
      },
    };
  },
);

/** The Vite plugin: `plugins: [homeostat(), react()]`. */
export default function homeostat(options: HomeostatPluginOptions = {}): Plugin {
  return unplugin.vite(options);
}
