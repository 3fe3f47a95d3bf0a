"""llmkg: a bilingual knowledge graph of the large-model landscape.

The library mirrors the command line::

    import llmkg
    loaded = llmkg.load()                  # ontology + data/, asserted
    graph = llmkg.reason(loaded.graph)     # + OWL 2 RL inferences
    report = llmkg.validate()              # SHACL and other checks
    result = llmkg.query(graph, "SELECT ?m WHERE { ?m a llmkg:LargeModel }")
    llmkg.export(graph, "gexf", "build/llmkg.gexf", asserted=loaded.graph)
    llmkg.build()                          # everything, into build/
"""
from llmkg.build import build
from llmkg.querying.catalogue import load_catalogue
from llmkg.errors import InputError, LlmkgError, QueryError, TurtleSyntaxError
from llmkg.exports.export import export
from llmkg.sources.rdf import load
from llmkg.querying.formats import format_result
from llmkg.querying.formats import run as query
from llmkg.reasoning.reference import reason
from llmkg.querying.stats import stats
from llmkg.validation.reference import validate

__all__ = [
    "build", "export", "format_result", "load", "load_catalogue", "query", "reason", "stats",
    "validate", "InputError", "LlmkgError", "QueryError", "TurtleSyntaxError",
]
__version__ = "0.1.0"
