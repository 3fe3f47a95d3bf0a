// graphology-gexf ships CommonJS only: esbuild bundles its browser parser
// (with graphology-utils) into one script that sets window.graphologyGexf.
window.graphologyGexf = { parse: require("graphology-gexf/browser/parser.js") };
