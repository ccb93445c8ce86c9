/**
 * Static facts for the equal-props rule: which child components a component renders and which
 * bindings each child's props read. A handler whose updated state feeds none of a child's props
 * still re-renders that child (its parent re-rendered): the case `React.memo` is for.
 *
 * Reads come from Babel's scope (`componentReads`): only the component's own bindings count
 * (props, state, locals: imports and module-level values never change between renders), and a
 * local computed from others (`const visible = sort(results)`) counts as reading those too.
 */
import { readFile } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { CodemodError, parseModule, t, type Module, type NodePath } from './codemods/ast.ts';
import { componentReads, findComponent } from './codemods/components.ts';
import type { ChildProps } from '../core/diagnose.ts';

function importedFrom(mod: Module, name: string): string | null {
  for (const s of mod.ast.program.body) {
    if (!t.isImportDeclaration(s)) continue;
    for (const spec of s.specifiers) if (spec.local.name === name) return s.source.value;
  }
  return null;
}

const STATE_HOOK = /^(React\.)?(useState|useReducer|useRef)$/;

/** True for a declarator whose value is a root of its own: state, a ref, or a callback (what its body reads is not what it is). */
function isRoot(init: t.Node | null | undefined): boolean {
  if (!init) return true;
  if (t.isArrowFunctionExpression(init) || t.isFunctionExpression(init)) return true;
  if (!t.isCallExpression(init)) return false;
  const callee = init.callee;
  const name = t.isIdentifier(callee) ? callee.name : t.isMemberExpression(callee) && t.isIdentifier(callee.object) && t.isIdentifier(callee.property) ? `${callee.object.name}.${callee.property.name}` : '';
  if (STATE_HOOK.test(name)) return true;
  // `useHandler('x', () => …)`, `useCallback(() => …)`: callbacks; `useMemo(() => …)` computes a value from what it reads.
  return !/useMemo$/.test(name) && init.arguments.some((a) => t.isArrowFunctionExpression(a) || t.isFunctionExpression(a));
}

/**
 * True when `component` in `file` is already wrapped in `React.memo`: wrapping it again is no
 * fix (if it still re-renders, a prop is a new identity each render). Unreadable or unknown: false.
 */
async function isMemoised(root: string, same: Module | null, file: string, component: string): Promise<boolean> {
  try {
    const mod = same ?? parseModule(await readFile(join(root, file), 'utf8'), file);
    return findComponent(mod, component).wrappers[0] === 'memo';
  } catch {
    return false;
  }
}

/** Child components rendered by `component` in `file` (relative to `root`), with the bindings their props read. */
export async function childPropsOf(root: string, file: string, component: string): Promise<ChildProps | null> {
  const source = await readFile(join(root, file), 'utf8');
  const mod = parseModule(source, file);
  let site;
  try {
    site = findComponent(mod, component);
  } catch (e) {
    if (e instanceof CodemodError) return null;
    throw e;
  }
  const fn = site.fn;
  if (!fn) return null;
  // Locals and what they are computed from (`const visible = sort(results)` → visible ← results).
  const derived = new Map<string, string[]>();
  fn.traverse({
    VariableDeclarator(path) {
      if (isRoot(path.node.init)) return;
      const from = componentReads(path.get('init') as NodePath, fn);
      for (const name of Object.keys(t.getBindingIdentifiers(path.node.id))) derived.set(name, from);
    },
  });
  const closure = (reads: Iterable<string>): Set<string> => {
    const out = new Set(reads);
    const todo = [...out];
    while (todo.length) for (const dep of derived.get(todo.pop()!) ?? []) if (!out.has(dep)) (out.add(dep), todo.push(dep));
    return out;
  };
  const children = new Map<string, Set<string>>();
  fn.traverse({
    JSXOpeningElement(path) {
      const name = path.node.name;
      if (!t.isJSXIdentifier(name) || !/^[A-Z]/.test(name.name)) return;
      const reads = children.get(name.name) ?? new Set<string>();
      children.set(name.name, reads);
      for (const attr of path.get('attributes')) {
        // The attribute's value (or a spread's argument), not its name.
        const value = attr.isJSXAttribute() ? attr.get('value') : attr.isJSXSpreadAttribute() ? attr.get('argument') : null;
        if (!value?.node) continue;
        for (const id of componentReads(value as NodePath, fn)) reads.add(id);
      }
    },
  });
  const out: ChildProps['children'] = [];
  for (const [name, reads] of children) {
    const from = importedFrom(mod, name);
    const childFile = from === null ? file : from.startsWith('.') ? posix.normalize(posix.join(posix.dirname(file.replace(/\\/g, '/')), from)) : null;
    if (childFile === null) continue; // from a package: not ours to memoise
    const entry: ChildProps['children'][number] = { component: name, file: childFile, reads: [...closure(reads)].sort() };
    if (await isMemoised(root, childFile === file ? mod : null, childFile, name)) entry.memoised = true;
    out.push(entry);
  }
  return { component, children: out };
}

/** Child-prop facts for every component that owns an instrumented handler. */
export async function childPropsFor(root: string, handlers: ReadonlyArray<{ file: string; component: string | null }>): Promise<ChildProps[]> {
  const seen = new Set<string>();
  const out: ChildProps[] = [];
  for (const h of handlers) {
    if (!h.component || seen.has(h.component)) continue;
    seen.add(h.component);
    const facts = await childPropsOf(root, h.file, h.component).catch(() => null);
    if (facts) out.push(facts);
  }
  return out;
}
