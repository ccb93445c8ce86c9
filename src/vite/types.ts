/** Shapes shared by the plugin's analysis (babel.ts) and its code generation (emit.ts). */

/** What the plugin found, per instrumented site (the docs analysis reads these). */
export interface InstrumentedSite {
  /** The handler name it records under. */
  name: string;
  /** `jsx`: an inline function given to an event prop; `function`: a named function; `wrap`: a value wrapped where it is passed. */
  kind: 'jsx' | 'function' | 'wrap';
  /** The enclosing component or hook, if any. */
  owner: string | null;
  /** The JSX prop, for `jsx` and `wrap` sites. */
  prop: string | null;
  /** 1-based line and column of the function (or of the wrapped value). */
  line: number;
  column: number;
  /** Source offsets of the function (or value). */
  start: number;
  end: number;
}

/** What the generated code does at start-up, in the module that imports react-dom. */
export interface SetupOptions {
  /** Module whose import installs the React adapter and exports `startHomeostat` (default `homeostat/react`). */
  module?: string;
  /** An import specifier whose default export is the worker's URL (Vite: `homeostat/worker?worker&url`). */
  workerUrlImport?: string;
  /** Options passed to `startHomeostat` (`init`'s options that are plain data: app, build, capacity…). */
  options?: Record<string, string | number | boolean | null>;
}
