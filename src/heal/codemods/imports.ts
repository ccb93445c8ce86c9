/**
 * Adding named imports as text edits, in the style of the import they extend: a one-line
 * `import { a, b } from 'react'` stays one line (`, c` goes after `b`), a multi-line one gets a
 * line of its own with the same indentation and trailing comma, and a new declaration follows
 * the file's quotes and semicolons. recast would reprint the whole declaration with its own
 * line breaking instead, which is why this is not done on the tree.
 */
import { parse as babelParse } from '@babel/parser';
import { types as t } from '@babel/core';
import { syntaxPlugins } from './syntax.ts';

export interface ImportRequest {
  module: string;
  name: string;
  /** A type-only import (`import type { X }`, or `type X` beside value specifiers). */
  typeOnly?: boolean;
}

interface TextEdit {
  at: number;
  text: string;
}

function importedName(sp: t.ImportSpecifier): string {
  return t.isIdentifier(sp.imported) ? sp.imported.name : sp.imported.value;
}

/** Applies the requests to `code` (a printed module); names already imported are skipped. */
export function applyImports(code: string, file: string, requests: readonly ImportRequest[]): string {
  if (requests.length === 0) return code;
  const program = babelParse(code, { sourceType: 'module', allowReturnOutsideFunction: true, plugins: syntaxPlugins(file) }).program;
  const decls = program.body.filter((s): s is t.ImportDeclaration => t.isImportDeclaration(s));
  const quote = (code.match(/from\s*"/g) ?? []).length > (code.match(/from\s*'/g) ?? []).length ? '"' : "'";
  // Semicolons as the imports have them (or, without imports, as the statements do).
  const semi = decls.length > 0 ? decls.every((d) => code[d.end! - 1] === ';') : program.body.some((b) => code[b.end! - 1] === ';');
  const edits: TextEdit[] = [];
  const fresh = new Map<string, ImportRequest[]>();
  for (const module of [...new Set(requests.map((r) => r.module))]) {
    const wanted = requests.filter((r) => r.module === module);
    const has = (name: string) =>
      decls.some((d) => d.source.value === module && d.specifiers.some((sp) => t.isImportSpecifier(sp) && importedName(sp) === name && sp.local.name === name));
    const missing = wanted.filter((r) => !has(r.name));
    if (missing.length === 0) continue;
    const values = missing.filter((r) => !r.typeOnly);
    const types = missing.filter((r) => r.typeOnly);
    const target = decls.find((d) => d.source.value === module && d.importKind !== 'type' && !d.specifiers.some((sp) => t.isImportNamespaceSpecifier(sp)));
    if (target) {
      const names = [...values.map((r) => r.name), ...types.map((r) => `type ${r.name}`)];
      edits.push(extendDeclaration(code, target, names));
    } else {
      fresh.set(module, missing);
    }
  }
  if (fresh.size > 0) {
    const lines = [...fresh].map(([module, reqs]) => {
      const allTypes = reqs.every((r) => r.typeOnly);
      const names = reqs.map((r) => (r.typeOnly && !allTypes ? `type ${r.name}` : r.name)).join(', ');
      return `import ${allTypes ? 'type ' : ''}{ ${names} } from ${quote}${module}${quote}${semi ? ';' : ''}`;
    });
    const last = decls[decls.length - 1];
    if (last) edits.push({ at: last.end!, text: lines.map((l) => `\n${l}`).join('') });
    else {
      // Before the first statement (after directives such as 'use client' and the file's header comment).
      const directive = program.directives[program.directives.length - 1];
      const first = program.body[0];
      if (directive) edits.push({ at: directive.end!, text: lines.map((l) => `\n${l}`).join('') });
      else edits.push({ at: first ? first.start! - leadingCommentLength(code, first) : code.length, text: lines.map((l) => `${l}\n`).join('') + (first ? '\n' : '') });
    }
  }
  let out = code;
  for (const e of edits.sort((a, b) => b.at - a.at)) out = out.slice(0, e.at) + e.text + out.slice(e.at);
  return out;
}

/**
 * How far before `first` its own doc comment starts: an import goes above the comments attached
 * to the statement (no blank line between), below a file header separated by a blank line.
 */
function leadingCommentLength(code: string, first: t.Statement): number {
  let start = first.start!;
  for (const c of [...(first.leadingComments ?? [])].reverse()) {
    if (/\n\s*\n/.test(code.slice(c.end!, start))) break;
    start = c.start!;
  }
  return first.start! - start;
}

function extendDeclaration(code: string, decl: t.ImportDeclaration, names: string[]): TextEdit {
  const named = decl.specifiers.filter((sp): sp is t.ImportSpecifier => t.isImportSpecifier(sp));
  const last = named[named.length - 1];
  if (!last) {
    // `import React from 'react'` → `import React, { useTransition } from 'react'`.
    const def = decl.specifiers[0]!;
    return { at: def.end!, text: `, { ${names.join(', ')} }` };
  }
  const braceOpen = code.lastIndexOf('{', named[0]!.start!);
  const multiLine = code.slice(braceOpen, last.start!).includes('\n');
  const after = code.slice(last.end!, decl.end!);
  const comma = /^\s*,/.exec(after);
  if (!multiLine) return { at: last.end!, text: names.map((n) => `, ${n}`).join('') };
  const lineStart = code.lastIndexOf('\n', last.start! - 1) + 1;
  const indent = /^[ \t]*/.exec(code.slice(lineStart))![0];
  if (comma) return { at: last.end! + comma[0].length, text: names.map((n) => `\n${indent}${n},`).join('') };
  return { at: last.end!, text: names.map((n) => `,\n${indent}${n}`).join('') };
}
