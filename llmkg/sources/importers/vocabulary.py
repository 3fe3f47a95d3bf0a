"""The terms the importers write, and what they reuse from the shipped data.

Shipped vocabulary (countries in data/organizations.ttl, tasks in
data/vocabulary.ttl, organisations) is reused, and restated only by its type
and its English label exactly as shipped, so an imported file stands alone and
merges with the shipped data without a second label.
"""
from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import quote

from rdflib import RDF, RDFS, SKOS, Graph, Literal, URIRef

from llmkg import paths, vocab


def ontology_term(name: str) -> URIRef:
    """``llmkg:name``: a class or property of the ontology."""
    return URIRef(vocab.LLMKG + name)


def data_node(name: str) -> URIRef:
    """``kg:name``: a node of the data."""
    return URIRef(vocab.KG + name)


def schema_term(name: str) -> URIRef:
    """``schema:name``."""
    return URIRef(vocab.SCHEMA + name)


def path_segment(text: str) -> str:
    """Percent-encode a name for use as one IRI path segment (case kept, '/' encoded)."""
    return quote(text.strip(), safe="-._~")


def match_key(text: str) -> str:
    """Case, space and punctuation-insensitive key, for matching names and headers."""
    return re.sub(r"[^0-9a-z]", "", text.casefold())


#: The kind of source an import run is. Written into every import so the file
#: stands alone; data/sources.ttl holds the same node with these exact strings,
#: so the merged graph keeps one label per language (a test checks they agree).
DATASET_KIND = data_node("Dataset")
DATASET_KIND_TRIPLES = (
    (RDF.type, SKOS.Concept),
    (SKOS.inScheme, data_node("SourceKinds")),
    (RDFS.label, Literal("dataset", lang="en")),
    (RDFS.label, Literal("数据集", lang="zh")),
    (SKOS.definition, Literal("A structured collection of records, such as a catalogue exported as CSV or JSON, "
                              "that was imported into the graph by a program.", lang="en")),
    (SKOS.definition, Literal("以程序导入图谱的结构化记录集合，例如导出为CSV或JSON的目录。", lang="zh")),
)

#: Shipped countries: match key → (local name, English label exactly as shipped).
SHIPPED_COUNTRIES = {
    "china": ("China", "China"), "peoplesrepublicofchina": ("China", "China"),
    "unitedstates": ("UnitedStates", "United States"),
    "unitedstatesofamerica": ("UnitedStates", "United States"),
    "usa": ("UnitedStates", "United States"), "us": ("UnitedStates", "United States"),
    "unitedkingdom": ("UnitedKingdom", "United Kingdom"),
    "unitedkingdomofgreatbritainandnorthernireland": ("UnitedKingdom", "United Kingdom"),
    "uk": ("UnitedKingdom", "United Kingdom"),
    "israel": ("Israel", "Israel"), "switzerland": ("Switzerland", "Switzerland"),
    "canada": ("Canada", "Canada"), "japan": ("Japan", "Japan"), "germany": ("Germany", "Germany"),
}
#: Values of Epoch's country column that are not a country.
NOT_A_COUNTRY = {"multinational", "international", "unknown", ""}

#: Shipped tasks: local name → English label exactly as shipped.
SHIPPED_TASKS = {
    "TextGeneration": "text generation", "MachineTranslation": "machine translation",
    "QuestionAnswering": "question answering", "Dialogue": "dialogue",
    "TextClassification": "text classification", "CodeGeneration": "code generation",
    "Copywriting": "copywriting", "ImageClassification": "image classification",
    "ObjectDetection": "object detection", "ImageSegmentation": "image segmentation",
    "ImageGeneration": "image generation", "VideoGeneration": "video generation",
    "MusicGeneration": "music generation", "RobotControl": "robot control",
    "GamePlaying": "game playing", "Summarization": "text summarization",
    "SentimentAnalysis": "sentiment analysis", "SpeechRecognition": "speech recognition",
    "ImageCaptioning": "image captioning", "VisualUnderstanding": "visual understanding",
    "VideoUnderstanding": "video understanding", "Reasoning": "reasoning",
    "WordEmbedding": "word embedding", "PoseEstimation": "pose estimation",
    "FaceRecognition": "face recognition",
}

#: Task names in catalogues (Hub pipeline tags, Epoch task names) → shipped task,
#: only where the meaning is the same. Shipped labels match on their own.
TASK_ALIASES = {
    **{match_key(label): local for local, label in SHIPPED_TASKS.items()},
    # Hugging Face pipeline tags
    "textgeneration": "TextGeneration", "translation": "MachineTranslation",
    "questionanswering": "QuestionAnswering", "textclassification": "TextClassification",
    "imageclassification": "ImageClassification", "objectdetection": "ObjectDetection",
    "imagesegmentation": "ImageSegmentation", "texttoimage": "ImageGeneration",
    "texttovideo": "VideoGeneration", "summarization": "Summarization",
    "conversational": "Dialogue", "automaticspeechrecognition": "SpeechRecognition",
    "imagetotext": "ImageCaptioning", "robotics": "RobotControl",
    # Epoch AI task names
    "chat": "Dialogue", "languagegeneration": "TextGeneration",
    "languagemodelinggeneration": "TextGeneration", "imagegeneration": "ImageGeneration",
    "codegeneration": "CodeGeneration", "speechrecognitionasr": "SpeechRecognition",
}


@lru_cache(maxsize=1)
def shipped_organizations() -> dict[str, tuple[str, str]]:
    """Shipped organisations: match key of the English name → (local name, English label exactly as shipped).

    An imported organisation whose name matches one of these is the shipped
    node, not a second "OpenAI" that the duplicate-label check would flag.
    """
    path = paths.data_dir() / "organizations.ttl"
    if not path.exists():
        return {}
    g = Graph().parse(path, format="turtle")
    out = {}
    for node in g.subjects(RDF.type, ontology_term("Organization")):
        if not str(node).startswith(vocab.KG):
            continue
        for label in g.objects(node, RDFS.label):
            if isinstance(label, Literal) and label.language == "en":
                out[match_key(str(label))] = (str(node)[len(vocab.KG):], str(label))
    return out


# Model class by kind of data, for models of 10^8 parameters or more.
LARGE_CLASS = {
    "language": ontology_term("LargeLanguageModel"), "vision": ontology_term("VisionModel"),
    "multimodal": ontology_term("MultimodalModel"), "games": ontology_term("DecisionModel"),
}
LARGE_THRESHOLD = 10 ** 8


def model_class(parameters: int | None, kinds: set[str]) -> URIRef:
    """The conservative class rule shared by the importers.

    * size unknown          → llmkg:MachineLearningModel (nothing more is claimed);
    * fewer than 10^8       → llmkg:SmallModel (the ontology's scope note on LargeModel);
    * 10^8 or more          → by kind of data: multimodal (said so, or two of
      language/vision/audio/video) → MultimodalModel; language → LargeLanguageModel;
      vision → VisionModel; games → DecisionModel; anything else → LargeModel.
    """
    if parameters is None:
        return ontology_term("MachineLearningModel")
    if parameters < LARGE_THRESHOLD:
        return ontology_term("SmallModel")
    media = kinds & {"language", "vision", "audio", "video"}
    if "multimodal" in kinds or len(media) >= 2:
        return LARGE_CLASS["multimodal"]
    for kind in ("language", "vision", "games"):
        if kind in kinds:
            return LARGE_CLASS[kind]
    return ontology_term("LargeModel")
