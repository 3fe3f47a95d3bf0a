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
from .build import build
from .catalogue import load_catalogue
from .errors import InputError, LlmkgError, QueryError, TurtleSyntaxError
from .export import export
from .load import load
from .query import format_result
from .query import run as query
from .reason import reason
from .stats import stats
from .validate import validate

__all__ = [
    "build", "export", "format_result", "load", "load_catalogue", "query", "reason", "stats",
    "validate", "InputError", "LlmkgError", "QueryError", "TurtleSyntaxError",
]
__version__ = "0.1.0"
