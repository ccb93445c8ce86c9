/**
 * The one-way layout, checked on every `npm test` (`npm run lint:layers`). The folders of src/
 * are layers; an import may only go down (or stay within its layer), never up, and no module
 * may reach itself again through its imports (type-only imports and `import()` count too).
 *
 *   browser:  core < store < worker < bridge < page < react        (demo, extension on top)
 *   Node:     core < node < field, vite < docs < replay < heal < cli
 *
 * `core` is pure (no DOM, React or Node); the browser layers use no Node built-ins.
 */
const TESTS = '(\\.test\\.tsx?$|/__tests__/|^src/test-support/|/test-fixtures\\.ts$|/test-dom\\.ts$|/fake-port\\.ts$)';

/** Each layer, and the layers above it that it must not import. */
const ABOVE = {
  core: ['store', 'worker', 'bridge', 'page', 'react', 'node', 'field', 'vite', 'docs', 'replay', 'heal', 'cli', 'demo'],
  store: ['worker', 'bridge', 'page', 'react', 'node', 'field', 'vite', 'docs', 'replay', 'heal', 'cli', 'demo'],
  worker: ['bridge', 'page', 'react', 'node', 'field', 'vite', 'docs', 'replay', 'heal', 'cli', 'demo'],
  bridge: ['page', 'react', 'node', 'field', 'vite', 'docs', 'replay', 'heal', 'cli', 'demo'],
  page: ['react', 'node', 'field', 'vite', 'docs', 'replay', 'heal', 'cli', 'demo'],
  react: ['node', 'field', 'vite', 'docs', 'replay', 'heal', 'cli', 'demo'],
  node: ['store', 'worker', 'bridge', 'page', 'react', 'field', 'vite', 'docs', 'replay', 'heal', 'cli', 'demo'],
  field: ['store', 'worker', 'bridge', 'page', 'react', 'vite', 'docs', 'replay', 'heal', 'cli', 'demo'],
  vite: ['store', 'worker', 'bridge', 'page', 'react', 'field', 'docs', 'replay', 'heal', 'cli', 'demo'],
  docs: ['store', 'worker', 'bridge', 'page', 'react', 'replay', 'heal', 'cli', 'demo'],
  replay: ['store', 'worker', 'bridge', 'page', 'react', 'docs', 'heal', 'cli', 'demo'],
  heal: ['store', 'worker', 'bridge', 'page', 'react', 'cli', 'demo'],
};

const BROWSER = '^src/(core|store|worker|bridge|page|react)/';

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'A module reaches itself again through its imports: split out what both sides need.',
      from: { path: '^(src|extension)/', pathNot: TESTS },
      to: { circular: true },
    },
    ...Object.entries(ABOVE).map(([layer, above]) => ({
      name: `layer-${layer}`,
      severity: 'error',
      comment: `src/${layer} imports a higher layer (${above.join(', ')}): imports only go down.`,
      from: { path: `^src/${layer}/`, pathNot: TESTS },
      to: { path: `^src/(${above.join('|')})/` },
    })),
    {
      name: 'extension-uses-the-bridge',
      severity: 'error',
      comment: 'The extension renders what the bridge delivers: it imports the bridge and core, not the page, the tools or Node.',
      from: { path: '^extension/', pathNot: TESTS },
      to: {
        path: '^src/(store|worker|page|react|node|field|vite|docs|replay|heal|cli)/',
        // The Recorder export converts with the replay importer itself (pure: schema and mapping, no Node).
        pathNot: '^src/replay/(chrome-recorder|recording|errors|urls)\\.ts$',
      },
    },
    {
      name: 'browser-without-node',
      severity: 'error',
      comment: 'Browser layers run in pages and workers: no Node built-ins.',
      from: { path: BROWSER, pathNot: TESTS },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'core-is-pure',
      severity: 'error',
      comment: 'src/core is shared by browser, worker and Node: no React, no DOM libraries.',
      from: { path: '^src/core/', pathNot: TESTS },
      to: { path: '^node_modules/(react|react-dom|comlink|idb|web-vitals|playwright-core|ts-morph|@babel)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(dist|node_modules)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'] },
  },
};
