/**
 * What the build plugin emits once it knows its sites: the handler table, the in-place
 * instrumentation of each function, the wrappers of passed values, the marks, and the start-up
 * code in the module that imports react-dom. Kept apart from the discovery and naming of sites
 * (babel.ts), which it never changes.
 */
import type { NodePath, types as BabelTypes } from '@babel/core';
import type { InstrumentedSite, SetupOptions } from './babel.ts';

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
    const helper = (n: 'names' | 'run' | 'wrap' | 'mark') => {
      let id = helpers.get(n);
      if (!id) helpers.set(n, (id = program.scope.generateUidIdentifier(`hs_${n}`)));
      return t.cloneNode(id);
    };
    const flat: BabelTypes.Expression[] = [];
    sites.forEach((s) => flat.push(t.stringLiteral(s.name), t.numericLiteral(s.line), t.numericLiteral(s.column)));
    const marks: BabelTypes.Statement[] = [];
    candidates.forEach((c, i) => {
      if (c.kind === 'wrap') {
        (c.path as NodePath<BabelTypes.Expression>).replaceWith(
          t.callExpression(helper('wrap'), [c.path.node as BabelTypes.Expression, t.cloneNode(table), t.numericLiteral(i)]),
        );
        c.path.skip();
        return;
      }
      instrumentInPlace(t, c.path as NodePath<Fn>, helper('run'), table, i);
      if (c.bound) marks.push(t.expressionStatement(t.callExpression(helper('mark'), [t.cloneNode(c.bound), t.cloneNode(table), t.numericLiteral(i)])));
    });
    // `var`: hoisted, so functions hoisted above it (and called during a circular import) see `undefined` and just run.
    prelude.push(
      t.variableDeclaration('var', [
        t.variableDeclarator(t.cloneNode(table), t.callExpression(helper('names'), [t.stringLiteral(relFile), t.arrayExpression(flat)])),
      ]),
    );
    const specifiers = [...helpers].map(([imported, local]) => t.importSpecifier(t.cloneNode(local), t.identifier(imported)));
    program.unshiftContainer('body', t.importDeclaration(specifiers, t.stringLiteral(runtime)));
    placeMarks(t, program, candidates, marks);
  }
  if (setup) prelude.unshift(...setupStatements(t, program, setup));
  insertAfterImports(t, program, prelude);
  // Bodies moved into new arrows: let later plugins in this pass see the scopes as they are now.
  program.scope.crawl();
}

/**
 * `(a) => expr` → `(a) => run(tbl, i, () => expr)`; a block body moves into the arrow likewise.
 * The inner arrow sees the same `this`, `arguments`, `new.target` and `super`; an async body
 * becomes an async inner arrow.
 */
function instrumentInPlace(t: T, path: NodePath<Fn>, run: BabelTypes.Identifier, table: BabelTypes.Identifier, index: number): void {
  const node = path.node;
  const body = node.body;
  const innerBody = t.isBlockStatement(body) ? t.blockStatement(body.body) : body;
  const inner = t.arrowFunctionExpression([], innerBody, node.async);
  const call = t.callExpression(run, [t.cloneNode(table), t.numericLiteral(index), inner]);
  // Parameters that cannot throw: the outer function can be a plain one returning the inner
  // promise (the same object, the same ticks). Defaults or patterns could throw, which an async
  // function turns into a rejection: keep it async then (its promise adopts the inner one).
  if (node.async && node.params.every((p) => t.isIdentifier(p) || (t.isRestElement(p) && t.isIdentifier(p.argument)))) node.async = false;
  if (t.isBlockStatement(body)) {
    node.body = t.blockStatement([t.returnStatement(call)], body.directives);
  } else {
    node.body = call;
  }
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
