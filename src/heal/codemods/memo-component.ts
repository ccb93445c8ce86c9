/** Wraps a function component in `React.memo`, so it skips re-rendering when its props are equal. */
import * as recast from 'recast';
import { b, CodemodError, ensureNamedImport, lineOf, localImportName, n, parseSource, printSource } from './ast.ts';
import type { CodemodResult } from './result.ts';

export function memoizeComponent(source: string, file: string, target: { component: string }): CodemodResult {
  const ast = parseSource(source, file);
  const memoName = localImportName(ast, 'react', 'memo') ?? 'memo';
  const body = ast.program.body;
  let edit: string | null = null;
  for (let i = 0; i < body.length && edit === null; i++) {
    const stmt = body[i]!;
    const exported = n.ExportNamedDeclaration.check(stmt);
    const isDefault = n.ExportDefaultDeclaration.check(stmt);
    const decl = exported || isDefault ? (stmt as recast.types.namedTypes.ExportNamedDeclaration).declaration : stmt;
    if (n.FunctionDeclaration.check(decl) && decl.id?.name === target.component) {
      if (decl.async || decl.generator) throw new CodemodError(file, lineOf(decl), `"${target.component}" is not a plain function component`);
      const fn = b.functionExpression(decl.id, decl.params, decl.body);
      fn.typeParameters = decl.typeParameters ?? null;
      fn.returnType = decl.returnType ?? null;
      const constDecl = b.variableDeclaration('const', [b.variableDeclarator(b.identifier(target.component), b.callExpression(b.identifier(memoName), [fn as never]))]);
      if (!exported && !isDefault) {
        // The doc comment belongs to the statement we replace; exports keep theirs.
        (constDecl as { comments?: unknown }).comments = (stmt as { comments?: unknown }).comments;
      }
      if (isDefault) body.splice(i, 1, constDecl, b.exportDefaultDeclaration(b.identifier(target.component)));
      else body[i] = exported ? Object.assign(stmt, { declaration: constDecl }) : constDecl;
      edit = `line ${lineOf(decl) ?? '?'}: ${target.component} wrapped in memo()`;
    } else if (n.VariableDeclaration.check(decl)) {
      for (const d of decl.declarations) {
        if (n.VariableDeclarator.check(d) && n.Identifier.check(d.id) && d.id.name === target.component && d.init) {
          if (n.CallExpression.check(d.init) && n.Identifier.check(d.init.callee) && d.init.callee.name === memoName) {
            throw new CodemodError(file, lineOf(d), `"${target.component}" is already memoised`);
          }
          d.init = b.callExpression(b.identifier(memoName), [d.init as never]);
          edit = `line ${lineOf(d) ?? '?'}: ${target.component} wrapped in memo()`;
        }
      }
    }
  }
  if (edit === null) throw new CodemodError(file, null, `no top-level component named "${target.component}"`);
  if (memoName === 'memo') ensureNamedImport(ast, 'react', 'memo');
  return { file, before: source, after: printSource(ast, source), edits: [edit] };
}
