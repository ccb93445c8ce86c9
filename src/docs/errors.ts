/** A docs or spec file that cannot be read back: names the file and line. Nothing was written. */
export class DocsFormatError extends Error {
  constructor(
    readonly file: string,
    readonly line: number | null,
    readonly issues: string[],
  ) {
    super(`${file}${line !== null ? `:${line}` : ''}: ${issues.join('\n  ')}`);
    this.name = 'DocsFormatError';
  }
}
