/**
 * Where the long list a handler's update renders is: the JSX `items.map(…)` that the state it
 * updates reaches, followed the way the state travels in real apps, through Babel's bindings:
 *
 *   const [state, dispatch] = useReducer(…)          (the state the analysis says the handler updates)
 *   <AllRows rows={state.rows} />                     (a prop of a child component, in another file)
 *   function AllRows({ rows }) { … rows.map((r) => <Line key={r.id} …/>) … }
 *
 * and through locals (`const visible = rows.filter(…)`, `const { rows } = state`). Among the
 * maps found, one that renders a field the handler's action changes (the reducer case's
 * fields, from the analysis) comes first, then the nearest. The result is what the
 * progressive-list plan needs (file, component, position, the mapped expression).
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, posix, resolve } from 'node:path';
import type { ProgressiveListPlan, VirtualListPlan } from '../core/diagnose.ts';
import { CodemodError, parseModule, t, type Module, type NodePath } from './codemods/ast.ts';
import { componentAt, findComponent, type ComponentSite } from './codemods/components.ts';
import { virtualiseList } from './codemods/virtual-list.ts';
import { TANSTACK_VIRTUAL } from './codemods/virtual-hook.ts';

/** What the locator reads of the docs analysis (src/docs' HandlerSource has it). */
export interface ListHandlerFacts {
  name: string;
  file: string;
  updates: ReadonlyArray<{ setter: string; transition: boolean; state?: string | null; stateSource?: { file: string; line: number } | null; fields?: readonly string[] }>;
}

export interface ListSite {
  /** Relative to the source root. */
  file: string;
  component: string | null;
  /** Where the `.map(` call starts: 1-based line and column. */
  line: number;
  column: number;
  /** The mapped array as written. */
  items: string;
  /** How the state gets there, for reports: `App.state.rows → AllRows.rows`. */
  via: string[];
  /** True when the mapped value is a field the handler's action changes. */
  field: boolean;
}

const EXTENSIONS = ['', '.tsx', '.ts', '.jsx', '.js', '.mts', '.mjs', '/index.tsx', '/index.ts', '/index.jsx', '/index.js'];
const MAX_HOPS = 6;

interface Walk {
  file: string;
  mod: Module;
  binding: string;
  scope: NodePath;
  /** Member names already taken from the state on the way here (`state.rows` → ['rows']). */
  consumed: string[];
  /** A prefix a reference must start with (`props` reached as `props.rows` → ['rows']). */
  prefix: string[];
  via: string[];
  hops: number;
}

class Locator {
  private modules = new Map<string, Module | null>();
  readonly found: ListSite[] = [];
  private seen = new Set<string>();

  constructor(
    private root: string,
    private fields: ReadonlySet<string>,
  ) {}

  async module(file: string): Promise<Module | null> {
    if (!this.modules.has(file)) {
      try {
        this.modules.set(file, parseModule(await readFile(join(this.root, file), 'utf8'), file));
      } catch {
        this.modules.set(file, null);
      }
    }
    return this.modules.get(file)!;
  }

  /** The file an import specifier names, relative to the root (null: a package). */
  resolveImport(from: string, specifier: string): string | null {
    if (!specifier.startsWith('.')) return null;
    const base = posix.normalize(posix.join(posix.dirname(from), specifier));
    // `./rows.js` in a TypeScript app names rows.ts.
    const stems = [base, base.replace(/\.[cm]?jsx?$/, '')];
    for (const stem of stems) for (const ext of EXTENSIONS) if (existsSync(join(this.root, stem + ext)) && !/\/$/.test(stem + ext)) return stem + ext;
    return null;
  }

  async walk(w: Walk): Promise<void> {
    const binding = w.scope.scope.getBinding(w.binding);
    if (!binding || w.hops > MAX_HOPS) return;
    const id = `${w.file}:${binding.identifier.start}:${w.prefix.join('.')}`;
    if (this.seen.has(id)) return;
    this.seen.add(id);
    for (const ref of binding.referencePaths) {
      // Out along the member chain: `state.rows.map` → ['rows', 'map'].
      let top: NodePath = ref;
      const chain: string[] = [];
      while (top.parentPath?.isMemberExpression() && top.parentPath.node.object === top.node && !top.parentPath.node.computed && t.isIdentifier(top.parentPath.node.property)) {
        chain.push(top.parentPath.node.property.name);
        top = top.parentPath;
      }
      if (w.prefix.some((p, i) => chain[i] !== p)) continue;
      const rest = chain.slice(w.prefix.length);
      const consumed = [...w.consumed, ...rest.filter((x) => x !== 'map')];
      const parent = top.parentPath;
      if (!parent) continue;
      if (rest[rest.length - 1] === 'map' && parent.isCallExpression() && parent.node.callee === top.node) {
        this.candidate(w, parent, consumed);
        continue;
      }
      // A prop of a child component: `<AllRows rows={state.rows} />`.
      const container = parent.isJSXExpressionContainer() ? parent : null;
      const attr = container?.parentPath;
      if (container && attr?.isJSXAttribute() && t.isJSXIdentifier(attr.node.name)) {
        const el = attr.parentPath.node as t.JSXOpeningElement;
        if (t.isJSXIdentifier(el.name) && /^[A-Z]/.test(el.name.name)) await this.intoChild(w, el.name.name, attr.node.name.name, consumed);
        continue;
      }
      // A local computed from it: `const rows = state.rows`, `const visible = rows.filter(…)`, `const { rows } = state`.
      const declarator = top.findParent((p) => p.isVariableDeclarator() || p.isFunction() || p.isStatement()) as NodePath | null;
      if (declarator?.isVariableDeclarator()) {
        const decl = declarator;
        if (t.isIdentifier(decl.node.id)) {
          await this.walk({ ...w, binding: decl.node.id.name, scope: decl, consumed, prefix: [], via: [...w.via, decl.node.id.name], hops: w.hops + 1 });
        } else if (t.isObjectPattern(decl.node.id) && decl.node.init === top.node) {
          for (const p of decl.node.id.properties) {
            if (!t.isObjectProperty(p) || !t.isIdentifier(p.key)) continue;
            const value = t.isAssignmentPattern(p.value) ? p.value.left : p.value;
            if (t.isIdentifier(value)) await this.walk({ ...w, binding: value.name, scope: decl, consumed: [...consumed, p.key.name], prefix: [], via: [...w.via, value.name], hops: w.hops + 1 });
          }
        }
      }
    }
  }

  private candidate(w: Walk, call: NodePath<t.CallExpression>, consumed: string[]): void {
    const fn = call.get('arguments')[0];
    if (!fn) return;
    // Only a map that renders: its callback (or what it names) makes JSX.
    let rendersJsx = false;
    if (fn.isFunction()) {
      fn.traverse({
        JSXElement(p) {
          rendersJsx = true;
          p.stop();
        },
      });
      if (t.isJSXElement(fn.node.body)) rendersJsx = true;
    }
    if (!rendersJsx) return;
    const start = call.node.loc!.start;
    const component = componentAt(w.mod, call);
    this.found.push({
      file: w.file,
      component: component?.name ?? null,
      line: start.line,
      column: start.column + 1,
      items: call.get('callee').get('object').toString(),
      via: w.via,
      field: consumed.some((c) => this.fields.has(c)),
    });
  }

  /** Follows a prop into the child component that receives it (same file or an imported one). */
  private async intoChild(w: Walk, element: string, prop: string, consumed: string[]): Promise<void> {
    const binding = w.scope.scope.getBinding(element);
    let file = w.file;
    let mod: Module | null = w.mod;
    let name = element;
    if (binding?.kind === 'module') {
      const decl = binding.path.parentPath;
      if (!decl?.isImportDeclaration()) return;
      const target = this.resolveImport(w.file, decl.node.source.value);
      if (!target) return;
      file = target;
      mod = await this.module(target);
      if (binding.path.isImportDefaultSpecifier()) name = 'default';
      else if (binding.path.isImportSpecifier()) name = t.isIdentifier(binding.path.node.imported) ? binding.path.node.imported.name : binding.path.node.imported.value;
    }
    if (!mod) return;
    let site: ComponentSite;
    try {
      site = findComponent(mod, name);
    } catch {
      return;
    }
    const fn = site.fn;
    const param = fn?.get('params')[0];
    if (!fn || !param) return;
    const via = [...w.via, `${site.name}.${prop}`];
    if (param.isObjectPattern()) {
      for (const p of param.get('properties')) {
        if (!p.isObjectProperty() || !t.isIdentifier(p.node.key) || p.node.key.name !== prop) continue;
        const value = t.isAssignmentPattern(p.node.value) ? p.node.value.left : p.node.value;
        if (t.isIdentifier(value)) await this.walk({ file, mod, binding: value.name, scope: fn, consumed, prefix: [], via, hops: w.hops + 1 });
      }
    } else if (param.isIdentifier()) {
      await this.walk({ file, mod, binding: param.node.name, scope: fn, consumed, prefix: [prop], via, hops: w.hops + 1 });
    }
  }
}

/**
 * The list `handler`'s state update renders. Throws a CodemodError saying why when there is none
 * to find (no state the analysis knows of, or no JSX `.map` it reaches).
 */
export async function locateList(root: string, analysis: readonly ListHandlerFacts[], handler: string): Promise<ListSite> {
  const facts = analysis.find((h) => h.name === handler);
  if (!facts) throw new CodemodError(handler, null, `no handler named "${handler}" in the analysis`);
  const updates = facts.updates.filter((u) => u.state && u.stateSource);
  if (updates.length === 0) throw new CodemodError(facts.file, null, `${handler} makes no state update the analysis could trace to its useState/useReducer: no list to find`);
  const fields = new Set(updates.flatMap((u) => u.fields ?? []));
  const locator = new Locator(root, fields);
  for (const u of updates) {
    const source = u.stateSource!;
    const mod = await locator.module(source.file);
    if (!mod) continue;
    const decls: NodePath<t.VariableDeclarator>[] = [];
    mod.program.traverse({
      VariableDeclarator(p) {
        const id = p.node.id;
        if (p.node.loc?.start.line === source.line && t.isArrayPattern(id) && id.elements[0]) decls.push(p);
      },
    });
    const decl = decls.find((d) => t.isIdentifier((d.node.id as t.ArrayPattern).elements[0], { name: u.state! })) ?? decls.find((d) => t.isObjectPattern((d.node.id as t.ArrayPattern).elements[0]));
    if (!decl) continue;
    const owner = componentAt(mod, decl)?.name ?? null;
    const first = (decl.node.id as t.ArrayPattern).elements[0]!;
    const named = (binding: string, consumed: string[]) =>
      locator.walk({ file: source.file, mod, binding, scope: decl, consumed, prefix: [], via: [`${owner ? `${owner}.` : ''}${binding}`], hops: 0 });
    if (t.isIdentifier(first)) await named(first.name, []);
    else if (t.isObjectPattern(first)) {
      // `const [{ data, selected }, dispatch] = useReducer(…)`: each field is a binding of its own.
      for (const p of first.properties) {
        if (!t.isObjectProperty(p) || !t.isIdentifier(p.key)) continue;
        const value = t.isAssignmentPattern(p.value) ? p.value.left : p.value;
        if (t.isIdentifier(value)) await named(value.name, [p.key.name]);
      }
    }
  }
  const best = locator.found.find((s) => s.field) ?? locator.found[0];
  if (!best) throw new CodemodError(facts.file, null, `no JSX \`.map(…)\` renders the state ${handler} updates (${updates.map((u) => u.state).join(', ')}): no list to render with less work per frame`);
  return best;
}

/** The located list of `handler`, refused when its update does not change the list (rendering less of it would not help). */
async function listOf(root: string, analysis: readonly ListHandlerFacts[], handler: string, what: string): Promise<ListSite> {
  const site = await locateList(root, analysis, handler);
  const facts = analysis.find((h) => h.name === handler)!;
  const fields = [...new Set(facts.updates.flatMap((u) => u.fields ?? []))];
  if (fields.length > 0 && !site.field) {
    // Rendering less of the list helps when the update makes the list long; this one changes only other fields.
    throw new CodemodError(site.file, site.line, `${handler}'s update changes ${fields.join(', ')}, not the list ${site.items} that ${site.component ?? 'the component'} maps: ${what} would not make the update lighter`);
  }
  return site;
}

/** The progressive-list plan for `handler`: its list located in the sources under `root`. */
export async function progressiveListPlan(root: string, analysis: readonly ListHandlerFacts[], handler: string): Promise<ProgressiveListPlan> {
  const site = await listOf(root, analysis, handler, 'rendering it in steps');
  return { codemod: 'progressive-list', file: site.file, handler, component: site.component, list: { line: site.line, column: site.column }, items: site.items };
}

/**
 * True when the package.json nearest above `root` (the app's) lists `name` in its dependencies
 * or devDependencies (a bundled app may keep either).
 */
export async function dependsOn(root: string, name: string): Promise<boolean> {
  for (let dir = resolve(root); ; dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      let pkg: { dependencies?: Record<string, string>; devDependencies?: Record<string, string> };
      try {
        pkg = JSON.parse(await readFile(file, 'utf8')) as typeof pkg;
      } catch (e) {
        throw new Error(`${file}: not valid JSON (${(e as Error).message})`);
      }
      return Boolean(pkg.dependencies?.[name] ?? pkg.devDependencies?.[name]);
    }
    if (dirname(dir) === dir || existsSync(join(dir, '.git'))) return false;
  }
}

/**
 * The virtual-list plan for `handler`: the same list. Whether the codemod can render it (what
 * the rows are rendered into, the result used only as JSX) is checked here too, by running it on
 * the file, so a list it would refuse is skipped with its reason instead of failing later.
 */
export async function virtualListPlan(root: string, analysis: readonly ListHandlerFacts[], handler: string): Promise<VirtualListPlan> {
  const site = await listOf(root, analysis, handler, 'virtualising it');
  const plan: VirtualListPlan = { codemod: 'virtual-list', file: site.file, handler, component: site.component, list: { line: site.line, column: site.column }, items: site.items };
  if (await dependsOn(root, TANSTACK_VIRTUAL)) plan.library = 'tanstack';
  virtualiseList(await readFile(join(root, site.file), 'utf8'), site.file, plan);
  return plan;
}
