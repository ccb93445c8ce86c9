/**
 * Less work per frame for a long list: `{rows.map((r) => <Row key={r.id} … />)}` renders through
 * `useProgressiveList` (a hook module the codemod adds next to the component, see
 * progressive-hook.ts), which commits the first screenful with the update and the rest in
 * transition-sized chunks, one painted frame apart. Every row is in the DOM at the end, so a
 * flow's expectations (row counts, texts) still hold.
 *
 *   const renderedRows = useProgressiveList(rows, (r) => <Row key={r.id} … />, [selected, onSelect], (r) => r.id);
 *   …
 *   {renderedRows}
 *
 * The hook call goes at the top level of the component, before any early return (hooks run
 * unconditionally). Its `deps` are the component's bindings the row callback reads (Babel's
 * scope says which): rows already rendered are kept while those are unchanged. `keyOf` is the
 * row's `key` expression when it reads only the row, so the hook can tell "the same list,
 * updated" (never re-chunked) from "a new list" (chunked again).
 */
import { posix } from 'node:path';
import { CodemodError, freshName, isTypeScriptFile, lineOf, parseModule, requireImport, resultOf, t, touch, touchLine, type Module, type NodePath } from './ast.ts';
import { blockBody, classComponentError, componentAt, componentReads, type ComponentSite } from './components.ts';
import type { SourcePosition } from './handlers.ts';
import { DEFAULT_CHUNK, DEFAULT_FIRST, HOOK_NAME, progressiveHookSource } from './progressive-hook.ts';
import type { CodemodResult } from './result.ts';

export interface ProgressiveListTarget {
  /** The handler whose update fills the list (for the edit notes). */
  handler: string;
  component: string | null;
  /** Where the `items.map(…)` call starts (1-based line and column). */
  list: SourcePosition;
  /** The mapped array as written. */
  items: string;
  first?: number;
  chunk?: number;
  /** Which files exist (paths as `file` is given): the hook module gets a name no file has. */
  exists?: (file: string) => boolean;
}

const squash = (s: string) => s.replace(/\s+/g, '');

/** The `.map(…)` call at the position: the call itself starts where its array expression does. */
export function mapCallAt(mod: Module, target: Pick<ProgressiveListTarget, 'list' | 'items'>): NodePath<t.CallExpression> {
  const calls: NodePath<t.CallExpression>[] = [];
  mod.program.traverse({
    CallExpression(p) {
      const callee = p.node.callee;
      if (t.isMemberExpression(callee) && !callee.computed && t.isIdentifier(callee.property, { name: 'map' }) && p.node.loc?.start.line === target.list.line) calls.push(p);
    },
  });
  const matches = (p: NodePath<t.CallExpression>) => squash(p.get('callee').get('object').toString()) === squash(target.items);
  const exact = calls.find((p) => p.node.loc!.start.column === target.list.column - 1);
  if (exact && matches(exact)) return exact;
  const byText = calls.filter(matches);
  if (byText.length === 1) return byText[0]!;
  throw new CodemodError(mod.file, target.list.line, `no ${target.items}.map(…) at ${target.list.line}:${target.list.column}${calls.length ? ` (found ${calls.map((c) => `${c.get('callee').get('object').toString()}.map`).join(', ')})` : ''}: the file changed since it was analysed?`);
}

/** The element a row callback returns: `(r) => <X/>`, `(r) => (<X/>)`, `(r) => { return <X/>; }`. */
function returnedElement(fn: NodePath<t.Function>): t.JSXElement | null {
  const body = fn.node.body;
  if (t.isJSXElement(body)) return body;
  if (t.isBlockStatement(body)) {
    const ret = body.body.find((s): s is t.ReturnStatement => t.isReturnStatement(s));
    return ret && t.isJSXElement(ret.argument) ? ret.argument : null;
  }
  return null;
}

/** `(r) => r.id` from the row's `key={r.id}`, when the key reads nothing but the row (and module-level names). */
function keyFunction(fn: NodePath<t.Function>): t.ArrowFunctionExpression | null {
  const el = returnedElement(fn);
  const param = fn.node.params[0];
  if (!el || !param || t.isRestElement(param) || t.isTSParameterProperty(param)) return null;
  const attr = el.openingElement.attributes.find((a): a is t.JSXAttribute => t.isJSXAttribute(a) && t.isJSXIdentifier(a.name, { name: 'key' }));
  if (!attr || !t.isJSXExpressionContainer(attr.value) || t.isJSXEmptyExpression(attr.value.expression)) return null;
  const keyExpr = attr.value.expression;
  const own = new Set(Object.keys(t.getBindingIdentifiers(param)));
  // Every name the key reads is the row parameter's, or bound outside the component.
  let onlyRow = true;
  const keyPath = fn.get('body');
  keyPath.traverse({
    Identifier(p) {
      if (!onlyRow || !p.isReferencedIdentifier()) return;
      if (p.node !== keyExpr && !p.findParent((x) => x.node === keyExpr)) return;
      const binding = p.scope.getBinding(p.node.name);
      if (own.has(p.node.name) && binding && binding.path.isDescendant(fn)) return;
      if (!binding || binding.kind === 'module') return;
      onlyRow = false;
    },
  });
  if (!onlyRow) return null;
  return t.arrowFunctionExpression([t.cloneNode(param, true, true) as t.Identifier], t.cloneNode(keyExpr, true, true));
}

/** Bindings `expr` reads that are declared inside a function nested in the component (a render prop, an outer map): not reachable from its top level. */
function nestedReads(expr: NodePath, fn: NodePath<t.Function>): string[] {
  const out: string[] = [];
  const visit = (p: NodePath<t.Identifier | t.JSXIdentifier>) => {
    if (!p.isReferencedIdentifier()) return;
    const binding = p.scope.getBinding(p.node.name);
    if (!binding || binding.path === expr || binding.path.isDescendant(expr)) return;
    const declaredIn = binding.scope.getFunctionParent()?.path ?? null;
    if (binding.path.isDescendant(fn) && declaredIn && declaredIn !== fn && binding.scope !== fn.scope && !out.includes(p.node.name)) out.push(p.node.name);
  };
  if (expr.isIdentifier()) visit(expr);
  expr.traverse({ Identifier: visit, JSXIdentifier: visit });
  return out;
}

/** `rows` → `renderedRows`, `state.rows` → `renderedRows`, `props.items` → `renderedItems`. */
function shownName(mod: Module, items: t.Expression): string {
  const last = t.isIdentifier(items) ? items.name : t.isMemberExpression(items) && t.isIdentifier(items.property) && !items.computed ? items.property.name : 'rows';
  return freshName(mod, `rendered${last.charAt(0).toUpperCase()}${last.slice(1)}`);
}

/** How the file writes relative imports: with `.ts`/`.tsx`, `.js`, or no extension. */
export function importPath(mod: Module, base: string, moduleFile: string): string {
  const relative = mod.ast.program.body.filter((s): s is t.ImportDeclaration => t.isImportDeclaration(s) && /^\.\.?\//.test(s.source.value)).map((s) => s.source.value);
  const ext = posix.extname(moduleFile);
  if (relative.some((s) => /\.[cm]?tsx?$/.test(s))) return `./${base}${ext}`;
  if (relative.some((s) => /\.[cm]?jsx?$/.test(s))) return `./${base}.js`;
  return `./${base}`;
}

function hookModule(mod: Module, target: ProgressiveListTarget): { file: string; base: string } {
  const dir = posix.dirname(mod.file.replace(/\\/g, '/'));
  const ext = isTypeScriptFile(mod.file) ? '.ts' : '.js';
  for (let i = 1; i < 50; i++) {
    const base = i === 1 ? HOOK_NAME : `${HOOK_NAME}${i}`;
    const file = dir === '.' ? `${base}${ext}` : `${dir}/${base}${ext}`;
    const taken = ['.ts', '.tsx', '.js', '.jsx', '.mjs'].some((e) => target.exists?.(file.slice(0, -ext.length) + e));
    if (!taken) return { file, base };
  }
  throw new CodemodError(mod.file, null, `no free name for the ${HOOK_NAME} module next to it`);
}

/** The top-level statement of the render function's body that contains `path`. */
function topStatement(path: NodePath, body: NodePath<t.BlockStatement>): NodePath<t.Statement> {
  let p: NodePath = path;
  while (p.parentPath && p.parentPath !== body) p = p.parentPath;
  return p as NodePath<t.Statement>;
}

/** True when `stmt` returns from the render function (an early return): hooks after it would be conditional. */
function returnsEarly(stmt: NodePath<t.Statement>): boolean {
  if (stmt.isReturnStatement()) return true;
  let found = false;
  stmt.traverse({
    Function(p) {
      p.skip();
    },
    ReturnStatement(p) {
      found = true;
      p.stop();
    },
  });
  return found;
}

export function renderProgressively(source: string, file: string, target: ProgressiveListTarget): CodemodResult {
  const mod = parseModule(source, file);
  const call = mapCallAt(mod, target);
  const line = lineOf(call.node);
  const component: ComponentSite | null = componentAt(mod, call);
  if (component?.kind === 'class') {
    throw classComponentError(mod, component, 'useProgressiveList (a hook)', `render the list in a function component child (props: the rows and what a row reads) and apply the fix there`);
  }
  if (!component?.fn || component.kind !== 'function') throw new CodemodError(file, line, `${target.items}.map(…) is not rendered by a function component: the hook needs one`);
  const fn = component.fn;
  const items = call.get('callee').get('object') as NodePath<t.Expression>;
  const args = call.get('arguments');
  const render = args[0] as NodePath | undefined;
  if (!render || args.length > 1 || !render.isExpression()) throw new CodemodError(file, line, `${target.items}.map(…) takes one callback here: nothing to render progressively`);
  if (render.isFunction() && render.node.params.length > 2) throw new CodemodError(file, line, `the row callback reads the whole array (its third parameter): rows rendered in steps would see a partial one`);
  const nested = [...nestedReads(items, fn), ...nestedReads(render, fn)];
  if (nested.length > 0) throw new CodemodError(file, line, `${target.items}.map(…) reads ${nested.join(', ')}, declared in a function nested in ${component.name}: the hook must run at the component's top level, where they do not exist`);

  // Where the hook call goes: before the statement that renders the list, and before any early return.
  const wasBlock = t.isBlockStatement(fn.node.body);
  const body = blockBody(fn);
  if (!wasBlock) touch(mod, fn.node);
  const holder = topStatement(call, body);
  const statements = body.get('body');
  const early = statements.slice(0, statements.indexOf(holder)).find((s) => returnsEarly(s));
  const anchor = early ?? holder;
  const reads = [...new Set([...componentReads(items, fn), ...componentReads(render, fn)])];
  if (early) {
    const late = reads.filter((name) => {
      const b = fn.scope.getBinding(name);
      return b && b.kind !== 'param' && b.kind !== 'hoisted' && (b.path.node.start ?? 0) > (early.node.start ?? 0);
    });
    if (late.length > 0) throw new CodemodError(file, lineOf(early.node), `${component.name} returns early (line ${lineOf(early.node)}) before ${late.join(', ')} exist: a hook after it would run conditionally`);
  }
  const deps = componentReads(render, fn);
  const keyOf = render.isFunction() ? keyFunction(render) : null;
  const shown = shownName(mod, items.node);
  const hook = hookModule(mod, target);
  const hookLocal = freshName(mod, HOOK_NAME);
  if (hookLocal !== HOOK_NAME) throw new CodemodError(file, null, `${HOOK_NAME} is already a name in this file`);
  requireImport(mod, importPath(mod, hook.base, hook.file), HOOK_NAME);

  touch(mod, call.node);
  const hookArgs: t.Expression[] = [items.node, render.node as t.Expression, t.arrayExpression(deps.map((d) => t.identifier(d)))];
  if (keyOf) hookArgs.push(keyOf);
  const declaration = t.variableDeclaration('const', [t.variableDeclarator(t.identifier(shown), t.callExpression(t.identifier(HOOK_NAME), hookArgs))]);
  touchLine(mod, lineOf(anchor.node));
  anchor.insertBefore(declaration);
  call.replaceWith(t.identifier(shown));

  const first = target.first ?? DEFAULT_FIRST;
  const edits = [
    `line ${line ?? '?'}: ${target.items}.map(…) renders through ${HOOK_NAME} in ${component.name}: the first ${first} rows with ${target.handler}'s update, the rest in transition-sized chunks a frame apart; rows re-render with ${deps.length ? deps.join(', ') : 'their list'}${keyOf ? ', rows are told apart by their key' : ''}`,
    `${hook.file}: new module, the ${HOOK_NAME} hook (React only, no dependency added)`,
  ];
  return resultOf(mod, edits, [{ file: hook.file, before: null, after: progressiveHookSource(isTypeScriptFile(file), first, target.chunk ?? DEFAULT_CHUNK) }]);
}
