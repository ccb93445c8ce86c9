// A static export (out/), so the e2e test serves it like any built app. The Babel config next to
// this file (.babelrc) makes Next.js compile with Babel instead of SWC: that is how
// @homeostat/tools/babel runs here.
export default {
  output: 'export',
  // This example sits inside the Homeostat repository: do not let Next.js pick the repository's
  // lockfile as the workspace root.
  outputFileTracingRoot: import.meta.dirname,
};
