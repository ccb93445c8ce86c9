/** Which syntax Babel parses a module with, from its file name. */
import type { ParserOptions } from '@babel/core';

/** Babel parser plugins for a file, from its extension. */
export function parserPlugins(filename: string): NonNullable<ParserOptions['plugins']> {
  const ext = /\.([cm]?[jt]sx?)$/.exec(filename)?.[1] ?? 'js';
  if (ext === 'tsx') return ['typescript', 'jsx'];
  if (ext.endsWith('ts')) return ['typescript'];
  return ['jsx'];
}

