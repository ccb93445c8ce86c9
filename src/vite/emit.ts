/**
 * What the build plugin emits once it knows its sites: the handler table, the in-place
 * instrumentation of each function, the wrappers of passed values, the marks, and the start-up
 * code in the module that imports react-dom. Kept apart from the discovery and naming of sites
 * (babel.ts), which it never changes.
 */
import type { NodePath, types as BabelTypes } from '@babel/core';
import type { InstrumentedSite, SetupOptions } from './types.ts';

type T = typeof BabelTypes;
type Fn = BabelTypes.Function;

/** One site to instrument, as discovery found it. */
export interface EmitCandidate {
  path: NodePath;
  kind: InstrumentedSite['kind'];
  /** The variable a named function is bound to (marked after it is created), or null. */
  bound: BabelTypes.Identifier | null;
}

export interface EmitInput {
  candidates: readonly EmitCandidate[];
  /** The sites, in the order of `candidates` (their names and locations go into the table). */
  sites: readonly InstrumentedSite[];
  /** The module's path relative to the root. */
  relFile: string;
  /** The module the helpers are imported from. */
  runtime: string;
  /** Start-up code to add (this module imports react-dom), or null. */
  setup: SetupOptions | null;
}

/** Rewrites the module: instruments every candidate and adds the imports and start-up code. */
export function emitInstrumentation(t: T, program: NodePath<BabelTypes.Program>, input: EmitInput): void {
  const { candidates, sites, relFile, runtime, setup } = input;
  const prelude: BabelTypes.Statement[] = [];
  if (candidates.length > 0) {
    const table = program.scope.generateUidIdentifier('hs');
    const helpers = new Map<string, BabelTypes.Identifier>();
    const helper = (n: Helper) => {
      let id = helpers.get(n);
      if (!id) helpers.set(n, (id = program.scope.generateUidIdentifier(`hs_${n}`)));
      return t.cloneNode(id);
    };
    const flat: BabelTypes.Expression[] = [];
    sites.forEach((s) => flat.push(t.stringLiteral(s.name), t.numericLiteral(s.line), t.numericLiteral(s.column)));
    const marks: BabelTypes.Statement[] = [];
    // One module-level slot returns pass their value through (see instrumentInPlace).
    let slot: BabelTypes.Identifier | null = null;
    const valueSlot = () => t.cloneNode((slot ??= program.scope.generateUidIdentifier('hs_v')));
    candidates.forEach((c, i) => {
      if (c.kind === 'wrap') {
        (c.path as NodePath<BabelTypes.Expression>).replaceWith(
          t.callExpression(helper('wrap'), [c.path.node as BabelTypes.Expression, t.cloneNode(table), t.numericLiteral(i)]),
        );
        c.path.skip();
        return;
      }
      instrumentInPlace(t, c.path as NodePath<Fn>, helper, table, i, valueSlot);
      if (c.bound) marks.push(t.expressionStatement(t.callExpression(helper('mark'), [t.cloneNode(c.bound), t.cloneNode(table), t.numericLiteral(i)])));
    });
    // `var`: hoisted, so functions hoisted above it (and called during a circular import) see `undefined` and just run.
    const declarators = [t.variableDeclarator(t.cloneNode(table), t.callExpression(helper('names'), [t.stringLiteral(relFile), t.arrayExpression(flat)]))];
    if (slot) declarators.push(t.variableDeclarator(t.cloneNode(slot)));
    prelude.push(t.variableDeclaration('var', declarators));
    const specifiers = [...helpers].map(([imported, local]) => t.importSpecifier(t.cloneNode(local), t.identifier(imported)));
    program.unshiftContainer('body', t.importDeclaration(specifiers, t.stringLiteral(runtime)));
    placeMarks(t, program, candidates, marks);
  }
  if (setup) prelude.unshift(...setupStatements(t, program, setup));
  insertAfterImports(t, program, prelude);
  // Bodies rewritten in place: let later plugins in this pass see the scopes as they are now.
  program.scope.crawl();
}

/** The helpers instrumented code imports from the runtime module, by their exported names. */
export type Helper = 'names' | 'enter' | 'ret' | 'exit' | 'threw' | 'suspend' | 'wrap' | 'mark' | 'enterTop' | 'retTop' | 'exitTop' | 'threwTop';

/**
 * In place, in the function's own body (no inner function, so no extra frame per call, the same
 * scope for `var`s that redeclare parameters, and no extra promise tick):
 *
 *     function f(a) { BODY }
 *  →  function f(a) { <function declarations of BODY>; const t = enter(tbl, i);
 *                      try { BODY'; exit(t); } catch (e) { threw(t, e); throw e; } }
 *
 * where BODY' has `return x` as `return ret(t, x)` and, in an async function, `await x` as
 * `await suspend(t, x)` (the first ends the call's synchronous part; the async function's own
 * `return`/`catch`/end then mark when its promise settles, without adding a tick).
 *
 * Each interpreter frame pays for what the body keeps in registers, so reachable recursion
 * depth is what this shape is cut for:
 * - a synchronous body whose every way out runs exactly one helper (no `finally`, `for…of` or
 *   `using` of its own, which run code after a `return`) keeps no token: `enterTop(tbl, i)`,
 *   `retTop(x)`, `exitTop()`, `threwTop(e)` act on the call on top of the runtime's stack;
 * - `return g(y)` becomes `return (v = g(y), ret(v))`, with `v` one module-level slot: the
 *   helper call's operands are not held while `g(y)` runs (nothing runs between the assignment
 *   and the helper's read). A plain name or literal is passed as it is.
 * Function declarations move above the `try`: they are hoisted anyway, and inside a block a
 * declaration would clash with a `var` of the same name. An expression body becomes a block.
 */
function instrumentInPlace(
  t: T,
  path: NodePath<Fn>,
  helper: (n: Helper) => BabelTypes.Identifier,
  table: BabelTypes.Identifier,
  index: number,
  valueSlot: () => BabelTypes.Identifier,
): void {
  const node = path.node;
  if (!t.isBlockStatement(node.body)) path.ensureBlock();
  const isAsync = node.async;
  const top = !isAsync && !runsCodeAfterReturn(t, path);
  const token = top ? null : path.scope.generateUidIdentifier('hs_t');
  const thrown = path.scope.generateUidIdentifier('hs_e');
  const withToken = (...rest: BabelTypes.Expression[]) => (token ? [t.cloneNode(token), ...rest] : rest);
  path.get('body').traverse({
    Function(inner) {
      inner.skip();
    },
    ReturnStatement(r) {
      const arg = r.node.argument ?? t.unaryExpression('void', t.numericLiteral(0));
      const ret = (v: BabelTypes.Expression) => t.callExpression(helper(top ? 'retTop' : 'ret'), withToken(v));
      if (isPlainValue(t, arg)) r.node.argument = ret(arg);
      else r.node.argument = t.sequenceExpression([t.assignmentExpression('=', valueSlot(), arg), ret(valueSlot())]);
    },
    AwaitExpression(a) {
      if (!isAsync) return;
      a.node.argument = t.callExpression(helper('suspend'), [t.cloneNode(token!), a.node.argument]);
    },
  });
  const body = node.body as BabelTypes.BlockStatement;
  const hoisted = body.body.filter((s) => t.isFunctionDeclaration(s));
  const rest = body.body.filter((s) => !t.isFunctionDeclaration(s));
  const enterArgs: BabelTypes.Expression[] = [t.cloneNode(table), t.numericLiteral(index)];
  if (isAsync) enterArgs.push(t.numericLiteral(1));
  // Falling off the end is the only way out left: `exit` there, not in a `finally` (whose
  // completion bookkeeping makes each interpreter frame bigger: less reachable recursion).
  // After a statement that always leaves it is dead code: left out.
  if (!alwaysLeaves(t, rest[rest.length - 1])) rest.push(t.expressionStatement(t.callExpression(helper(top ? 'exitTop' : 'exit'), withToken())));
  const enter = t.callExpression(helper(top ? 'enterTop' : 'enter'), enterArgs);
  node.body = t.blockStatement(
    [
      ...hoisted,
      token ? t.variableDeclaration('const', [t.variableDeclarator(t.cloneNode(token), enter)]) : t.expressionStatement(enter),
      t.tryStatement(
        t.blockStatement(rest),
        t.catchClause(
          t.cloneNode(thrown),
          t.blockStatement([
            t.expressionStatement(t.callExpression(helper(top ? 'threwTop' : 'threw'), withToken(t.cloneNode(thrown)))),
            t.throwStatement(t.cloneNode(thrown)),
          ]),
        ),
      ),
    ],
    body.directives,
  );
}

/** A value that needs no temporaries to load (passing it straight to the helper costs nothing more). */
function isPlainValue(t: T, e: BabelTypes.Expression): boolean {
  return t.isIdentifier(e) || t.isLiteral(e) && !t.isTemplateLiteral(e) || t.isThisExpression(e) || (t.isUnaryExpression(e) && e.operator === 'void' && t.isNumericLiteral(e.argument));
}

/** Whether a statement never completes normally (a `return` or `throw`, or a block ending in one). */
function alwaysLeaves(t: T, s: BabelTypes.Statement | undefined): boolean {
  if (!s) return false;
  if (t.isReturnStatement(s) || t.isThrowStatement(s)) return true;
  if (t.isBlockStatement(s)) return alwaysLeaves(t, s.body[s.body.length - 1]);
  if (t.isIfStatement(s)) return s.alternate !== null && s.alternate !== undefined && alwaysLeaves(t, s.consequent) && alwaysLeaves(t, s.alternate);
  if (t.isTryStatement(s)) return !s.finalizer && alwaysLeaves(t, s.block) && (!s.handler || alwaysLeaves(t, s.handler.body));
  return false;
}

/**
 * Whether the body (not its inner functions) has code that can run after a `return` has
 * recorded the call's end, and may throw: a `finally`, a `for…of` (the iterator's `return()`),
 * a `using` declaration (its disposal). Such a body keeps its token, whose helpers ignore a
 * call already ended.
 */
function runsCodeAfterReturn(t: T, path: NodePath<Fn>): boolean {
  let found = false;
  path.get('body').traverse({
    Function(inner) {
      inner.skip();
    },
    TryStatement(s) {
      if (s.node.finalizer) found = true;
    },
    ForOfStatement() {
      found = true;
    },
    VariableDeclaration(d) {
      const kind = d.node.kind as string;
      if (kind === 'using' || kind === 'await using') found = true;
    },
  });
  return found;
}

/**
 * Marks go right after the declarations they name; a function declaration is hoisted, so its
 * mark goes first in its block (at module level: after the handler table).
 */
function placeMarks(t: T, program: NodePath<BabelTypes.Program>, candidates: readonly EmitCandidate[], marks: BabelTypes.Statement[]): void {
  let k = 0;
  for (const c of candidates) {
    if (!c.bound) continue;
    const mark = marks[k++]!;
    if (c.path.isFunctionDeclaration()) {
      const block = c.path.parentPath.isExportNamedDeclaration() ? c.path.parentPath.parentPath : c.path.parentPath;
      if (block?.isBlockStatement()) block.unshiftContainer('body', mark);
      else program.pushContainer('body', mark);
      continue;
    }
    declaringStatement(c.path)?.insertAfter(mark);
  }
}

function insertAfterImports(t: T, program: NodePath<BabelTypes.Program>, statements: BabelTypes.Statement[]): void {
  if (statements.length === 0) return;
  const body = program.get('body');
  let last: NodePath<BabelTypes.Statement> | null = null;
  for (const s of body) if (s.isImportDeclaration()) last = s;
  if (last) last.insertAfter(statements);
  else program.unshiftContainer('body', statements);
}

/**
 * In the module that imports react-dom: import the React adapter first (its import installs the
 * DevTools hook and the transition observer before react-dom evaluates), then start recording.
 */
function setupStatements(t: T, program: NodePath<BabelTypes.Program>, setup: SetupOptions): BabelTypes.Statement[] {
  const start = program.scope.generateUidIdentifier('hs_start');
  const imports: BabelTypes.ImportDeclaration[] = [
    t.importDeclaration([t.importSpecifier(t.cloneNode(start), t.identifier('startHomeostat'))], t.stringLiteral(setup.module ?? 'homeostat/react')),
  ];
  const props: BabelTypes.ObjectProperty[] = Object.entries(setup.options ?? {}).map(([k, v]) =>
    t.objectProperty(t.stringLiteral(k), v === null ? t.nullLiteral() : typeof v === 'string' ? t.stringLiteral(v) : typeof v === 'number' ? t.numericLiteral(v) : t.booleanLiteral(v)),
  );
  if (setup.workerUrlImport) {
    const url = program.scope.generateUidIdentifier('hs_worker');
    imports.push(t.importDeclaration([t.importDefaultSpecifier(t.cloneNode(url))], t.stringLiteral(setup.workerUrlImport)));
    props.push(t.objectProperty(t.identifier('worker'), t.cloneNode(url)));
  }
  // First in the module: evaluated before the react-dom import below it.
  program.unshiftContainer('body', imports);
  return [t.expressionStatement(t.callExpression(start, [t.objectExpression(props)]))];
}

/** The statement a function is declared by (for placement). */
function declaringStatement(path: NodePath): NodePath | null {
  const s = path.isStatement() ? path : path.getStatementParent();
  if (!s) return null;
  return s.parentPath?.isExportNamedDeclaration() || s.parentPath?.isExportDefaultDeclaration() ? s.parentPath : s;
}
