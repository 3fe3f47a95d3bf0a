// Read a GEXF file with graphology-gexf (what sigma.js apps use) and print what
// it holds as JSON: {"type", "order", "size", "nodes": {id: attributes}}.
// Usage: node tests/js/read_gexf.js FILE.gexf
'use strict';
const fs = require('fs');
const Graph = require('graphology');
const gexf = require('graphology-gexf');

const graph = gexf.parse(Graph, fs.readFileSync(process.argv[2], 'utf-8'));
const nodes = {};
graph.forEachNode((key, attributes) => { nodes[key] = attributes; });
process.stdout.write(JSON.stringify({type: graph.type, order: graph.order, size: graph.size, nodes}));
