"""llmkg: a bilingual knowledge graph of the large-model landscape.

The library mirrors the command line::

    import llmkg
    kg = llmkg.open()                      # the built store of data/ (built first if missing or stale)
    result = llmkg.query(kg, "SELECT ?m WHERE { ?m a llmkg:LargeModel }")
    report = llmkg.validate(["my-model.ttl"])   # the shipped data plus a file, checked in memory
    llmkg.export(kg, "gexf", "build/llmkg.gexf")
    llmkg.build()                          # everything, into build/

Names are imported when first used, so that ``import llmkg`` stays cheap.
"""
from llmkg.errors import InputError, LlmkgError, QueryError, TurtleSyntaxError

__version__ = "0.1.0"

_PUBLIC = {
    "build": ("llmkg.pipeline", "build"),
    "open": ("llmkg.store.persist", "open_store"),
    "load": ("llmkg.store.load", "load_store"),
    "reason": ("llmkg.reasoning.closure", "reason_store"),
    "query": ("llmkg.querying.run", "run"),
    "format_result": ("llmkg.querying.formats", "format_result"),
    "load_catalogue": ("llmkg.querying.catalogue", "load_catalogue"),
    "stats": ("llmkg.querying.stats", "stats"),
    "validate": ("llmkg.validation", "validate"),
    "export": ("llmkg.exports.export", "export"),
    "render": ("llmkg.exports.pictures", "render_all"),
    "serve": ("llmkg.web.serve", "serve"),
    "publish": ("llmkg.remote.publish", "publish"),
    "import_epoch": ("llmkg.sources.importers", "import_epoch"),
    "import_hf": ("llmkg.sources.importers", "import_hf"),
    "synth": ("llmkg.sources.synth", "synth"),
}

__all__ = [*_PUBLIC, "InputError", "LlmkgError", "QueryError", "TurtleSyntaxError", "__version__"]


def __getattr__(name: str):
    if name in _PUBLIC:
        import importlib

        module, attr = _PUBLIC[name]
        value = getattr(importlib.import_module(module), attr)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'llmkg' has no attribute {name!r}")
