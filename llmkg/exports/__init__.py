"""The graph → files for other tools (RDF, GEXF, GraphML, CSV) and pictures."""

#: Which relations a network shows: everything, the base-model tree, who built
#: what, or classes and instances (see :mod:`llmkg.exports.network`).
VIEWS = ("full", "lineage", "organisations", "taxonomy")
