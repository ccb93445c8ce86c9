/**
 * Props that reach events, across files: a component imported from another module (a sibling
 * file, an aliased workspace package, a re-exporting index) is read, analysed once and cached,
 * so `<Button cb={…} />` in one file is known to reach `<button onClick={cb}>` in another.
 *
 * Resolution goes through the bundler when it can (Vite's `this.resolve`: aliases, workspace
 * links, conditions exactly as the build sees them), else through a small Node resolver
 * (relative paths, tsconfig `paths`, a linked package's `source`/`exports`/`main`). Code under
 * node_modules is not analysed: it is not the app's, and not instrumented.
 */
import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, resolve as resolvePath } from 'node:path';
import { transformAsync, type PluginObj } from '@babel/core';
import type { types as BabelTypes } from '@babel/core';
import { forwardedProps, moduleForwarding, type ModuleForwarding } from './forwarding.ts';
import { parserPlugins } from './parser.ts';

/** Resolves an import to a file path, or null when it is not app code (a package, a virtual module). */
export type Resolve = (source: string, importer: string) => Promise<string | null>;

const EXTENSIONS = ['.tsx', '.ts', '.jsx', '.js', '.mts', '.mjs'];
const MAX_DEPTH = 8;

function asFile(p: string): string | null {
  const tries = [p, ...EXTENSIONS.map((e) => p + e), ...EXTENSIONS.map((e) => join(p, `index${e}`))];
  for (const f of tries) {
    try {
      if (statSync(f).isFile()) return f;
    } catch {
      // not this one
    }
  }
  return null;
}

function appCode(file: string | null): string | null {
  if (!file) return null;
  let real = file;
  try {
    real = realpathSync(file);
  } catch {
    return null;
  }
  return /[\\/]node_modules[\\/]/.test(real) || !/\.[cm]?[jt]sx?$/.test(real) ? null : real;
}

/** tsconfig.json is JSON with comments and trailing commas. */
function readJsonc(file: string): unknown {
  const text = readFileSync(file, 'utf8')
    .replace(/("(?:[^"\\]|\\.)*")|\/\/[^\n]*|\/\*[\s\S]*?\*\//g, (m, s: string | undefined) => s ?? '')
    .replace(/,\s*([}\]])/g, '$1');
  return JSON.parse(text);
}

interface Paths {
  base: string;
  paths: Record<string, string[]>;
}

const pathsCache = new Map<string, Paths | null>();

function tsconfigPaths(from: string): Paths | null {
  for (let d = from; ; d = dirname(d)) {
    if (pathsCache.has(d)) return pathsCache.get(d)!;
    const f = join(d, 'tsconfig.json');
    if (existsSync(f)) {
      let found: Paths | null = null;
      try {
        const c = (readJsonc(f) as { compilerOptions?: { baseUrl?: string; paths?: Record<string, string[]> } }).compilerOptions;
        if (c?.paths) found = { base: resolvePath(d, c.baseUrl ?? '.'), paths: c.paths };
      } catch {
        // An unreadable tsconfig: no paths from it.
      }
      pathsCache.set(d, found);
      return found;
    }
    if (dirname(d) === d) return null;
  }
}

function packageEntry(dir: string): string | null {
  try {
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { source?: string; main?: string; module?: string; exports?: unknown };
    const exp = pkg.exports;
    const dot = typeof exp === 'string' ? exp : exp && typeof exp === 'object' ? (exp as Record<string, unknown>)['.'] ?? exp : undefined;
    const pick = (v: unknown): string | undefined =>
      typeof v === 'string' ? v : v && typeof v === 'object' ? pick((v as Record<string, unknown>)['source'] ?? (v as Record<string, unknown>)['import'] ?? (v as Record<string, unknown>)['default']) : undefined;
    const entry = pkg.source ?? pick(dot) ?? pkg.module ?? pkg.main ?? 'index';
    return asFile(join(dir, entry));
  } catch {
    return null;
  }
}

/** Relative imports, tsconfig `paths`, and a workspace package linked in node_modules (read at its real path). */
export const nodeResolve: Resolve = async (source, importer) => {
  if (source.startsWith('.') || isAbsolute(source)) return appCode(asFile(resolvePath(dirname(importer), source)));
  const paths = tsconfigPaths(dirname(importer));
  if (paths) {
    for (const [pattern, targets] of Object.entries(paths.paths)) {
      const star = pattern.indexOf('*');
      const match = star < 0 ? (source === pattern ? '' : null) : source.startsWith(pattern.slice(0, star)) && source.endsWith(pattern.slice(star + 1)) ? source.slice(star, source.length - (pattern.length - star - 1)) : null;
      if (match === null) continue;
      for (const target of targets) {
        const f = appCode(asFile(resolvePath(paths.base, target.replace('*', match))));
        if (f) return f;
      }
    }
  }
  const name = source.startsWith('@') ? source.split('/').slice(0, 2).join('/') : source.split('/')[0]!;
  if (name !== source) return null;
  for (let d = dirname(importer); ; d = dirname(d)) {
    const pkg = join(d, 'node_modules', name);
    if (existsSync(pkg)) {
      try {
        return appCode(packageEntry(realpathSync(pkg)));
      } catch {
        return null;
      }
    }
    if (dirname(d) === d) return null;
  }
};

/** A module's forwarding facts, parsed with Babel (its scope analysis is what the plugin uses too). */
export async function readForwarding(code: string, filename: string): Promise<ModuleForwarding | null> {
  let facts: ModuleForwarding | null = null;
  const collect = (api: { types: typeof BabelTypes }): PluginObj => ({
    visitor: {
      Program(program) {
        facts = moduleForwarding(api.types, program);
      },
    },
  });
  try {
    await transformAsync(code, { filename, babelrc: false, configFile: false, code: false, sourceType: 'module', parserOpts: { plugins: parserPlugins(filename) }, plugins: [collect] });
  } catch {
    // A module Babel cannot parse: nothing known of its components.
    return null;
  }
  return facts;
}

/** Cross-file forwarding with one cache per build (dev: invalidated per file change). */
export class ForwardingProject {
  /** By path, with the modification time read (a long-lived process sees files change: dev, heal's trees). */
  private readonly facts = new Map<string, { mtimeMs: number; facts: Promise<ModuleForwarding | null> }>();

  constructor(private readonly resolve: Resolve = nodeResolve) {}

  invalidate(file: string): void {
    this.facts.delete(file);
    try {
      this.facts.delete(realpathSync(file));
    } catch {
      // gone
    }
  }

  private factsOf(file: string): Promise<ModuleForwarding | null> {
    let mtimeMs = -1;
    try {
      mtimeMs = statSync(file).mtimeMs;
    } catch {
      return Promise.resolve(null);
    }
    const cached = this.facts.get(file);
    if (cached && cached.mtimeMs === mtimeMs) return cached.facts;
    const facts = readFile(file, 'utf8').then(
      (code) => readForwarding(code, file),
      () => null,
    );
    this.facts.set(file, { mtimeMs, facts });
    return facts;
  }

  /** Props of a module's exported component `name` that reach an event (null: not a component we can read). */
  async exported(file: string, name: string, depth = 0, seen = new Set<string>(), resolve: Resolve = this.resolve): Promise<Set<string> | null> {
    const key = `${file}#${name}`;
    // `seen` is the path being followed (a cycle guard), not every module visited.
    if (depth > MAX_DEPTH || seen.has(key)) return null;
    seen.add(key);
    try {
      const facts = await this.factsOf(file);
      if (!facts) return null;
      const entry = facts.exports.get(name);
      if (entry && 'source' in entry) {
        const target = await resolve(entry.source, file);
        return target ? await this.exported(target, entry.imported, depth + 1, seen, resolve) : null;
      }
      if (entry || facts.components.has(name)) return await this.local(file, facts, entry ? entry.local : name, depth, seen, resolve);
      for (const star of facts.starExports) {
        const target = await resolve(star, file);
        const found = target ? await this.exported(target, name, depth + 1, seen, resolve) : null;
        if (found) return found;
      }
      return null;
    } finally {
      seen.delete(key);
    }
  }

  private async local(file: string, facts: ModuleForwarding, component: string, depth: number, seen: Set<string>, resolve: Resolve): Promise<Set<string> | null> {
    if (!facts.components.has(component)) {
      // An imported component re-exported by name (`import { B } from './b'; export { B }`).
      return this.imported(file, facts, component, depth, seen, resolve);
    }
    const known = await this.importedElements(file, facts, depth, seen, resolve);
    return forwardedProps(facts, component, (e) => known.get(e) ?? null);
  }

  /** Imported JSX element names used in the module's components, resolved. */
  private async importedElements(file: string, facts: ModuleForwarding, depth: number, seen: Set<string>, resolve: Resolve): Promise<Map<string, Set<string>>> {
    const out = new Map<string, Set<string>>();
    const elements = new Set<string>();
    for (const c of facts.components.values()) for (const hop of c.via) if (!facts.components.has(hop.element)) elements.add(hop.element);
    for (const e of elements) {
      const found = await this.imported(file, facts, e, depth, seen, resolve);
      if (found) out.set(e, found);
    }
    return out;
  }

  private async imported(file: string, facts: ModuleForwarding, element: string, depth: number, seen: Set<string>, resolve: Resolve): Promise<Set<string> | null> {
    const [head, member] = element.split('.', 2) as [string, string | undefined];
    const imp = facts.imports.get(head);
    if (!imp) return null;
    const target = await resolve(imp.source, file);
    if (!target) return null;
    const name = imp.imported === '*' ? member : member ? null : imp.imported;
    return name ? this.exported(target, name, depth + 1, seen, resolve) : null;
  }

  /**
   * For the module being transformed: every JSX element name it uses whose component forwards
   * props to events (local components and imported ones), with those props.
   */
  async forModule(code: string, filename: string, resolve: Resolve = this.resolve): Promise<Record<string, string[]>> {
    const facts = await readForwarding(code, filename);
    if (!facts) return {};
    const out: Record<string, string[]> = {};
    const seen = new Set<string>();
    const imported = await this.importedElements(filename, { ...facts, components: new Map([...facts.components, ['\0module', { direct: new Set(), via: usedElements(code, facts) }]]) }, 0, seen, resolve);
    for (const [e, props] of imported) if (props.size > 0) out[e] = [...props].sort();
    for (const name of facts.components.keys()) {
      const props = forwardedProps(facts, name, (e) => imported.get(e) ?? null);
      if (props.size > 0) out[name] = [...props].sort();
    }
    return out;
  }
}

/** JSX component names a module writes (`<Button`, `<ui.Button`), as hops that carry no prop: just to resolve them. */
function usedElements(code: string, facts: ModuleForwarding): Array<{ prop: string; element: string; elementProp: string }> {
  const out = new Set<string>();
  for (const m of code.matchAll(/<([A-Z][\w]*(?:\.[A-Za-z_$][\w$]*)?|[a-z_$][\w$]*\.[A-Za-z_$][\w$]*)[\s/>]/g)) {
    const name = m[1]!;
    if (!facts.components.has(name) && facts.imports.has(name.split('.')[0]!)) out.add(name);
  }
  return [...out].map((element) => ({ prop: '', element, elementProp: '' }));
}
