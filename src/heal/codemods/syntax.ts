/** Which syntax a source file is parsed with, from its extension. */
import type { ParserPlugin } from '@babel/parser';

/** Babel parser plugins for a file (`.ts` without JSX: `<T>x` is a type assertion there). */
export function syntaxPlugins(file: string): ParserPlugin[] {
  const ext = /\.([cm]?[jt]sx?)$/.exec(file)?.[1] ?? 'tsx';
  const common: ParserPlugin[] = ['decorators-legacy', 'classProperties', 'classPrivateProperties', 'classPrivateMethods', 'importAttributes', 'explicitResourceManagement'];
  if (ext === 'tsx') return ['typescript', 'jsx', ...common];
  if (ext.endsWith('ts')) return ['typescript', ...common];
  return ['jsx', ...common];
}

export function isTypeScriptFile(file: string): boolean {
  return /\.[cm]?tsx?$/.test(file);
}
