// A plain webpack 5 app: Babel compiles the JSX, and @homeostat/tools/babel (in babel.config.json)
// names and times its handlers. Nothing in src/ mentions Homeostat.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

export default {
  mode: 'production',
  context: here,
  entry: './src/index.jsx',
  output: { path: join(here, 'dist'), filename: 'main.js', clean: true },
  // webpack reads the nearest tsconfig.json's `paths`: here that is this repository's, which maps
  // `homeostat/react` to its TypeScript sources. Resolve the package as an app would.
  resolve: { extensions: ['.js', '.jsx'], tsconfig: false },
  module: {
    rules: [{ test: /\.jsx?$/, exclude: /node_modules/, use: { loader: 'babel-loader', options: { configFile: join(here, 'babel.config.json') } } }],
  },
  performance: { hints: false },
};
