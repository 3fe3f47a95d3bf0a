"""Whatever a contributor's file looks like, validate ends with a verdict (exit 0, 1 or 2), never a traceback."""
from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import FIXTURES
from llmkg.cli import main

VALID = (FIXTURES / "valid_model.ttl").read_text(encoding="utf-8")
LINES = VALID.splitlines(keepends=True)
TOKENS = ["llmkg:LargeLanguageModel", "llmkg:SmallModel", "llmkg:Organization", "kg:OpenAI", "kg:Text",
          "llmkg:developedBy", "llmkg:basedOn", "llmkg:releaseDate", '"2024"^^xsd:gYear', "42", "-1",
          '"x"@en', '"x"@zh', "rdfs:label", "a", ";", ".", ",", "[", "]", "<http://example.org/x>", "_:b"]


@st.composite
def mutated(draw):
    lines = list(LINES)
    for _ in range(draw(st.integers(1, 4))):
        i = draw(st.integers(0, len(lines) - 1))
        op = draw(st.sampled_from(["drop", "duplicate", "retype", "corrupt", "insert"]))
        if op == "drop":
            lines.pop(i)
        elif op == "duplicate":
            lines.insert(i, lines[i])
        elif op == "retype":
            words = lines[i].split(" ")
            j = draw(st.integers(0, len(words) - 1))
            words[j] = draw(st.sampled_from(TOKENS))
            lines[i] = " ".join(words)
        elif op == "corrupt":
            text = lines[i]
            j = draw(st.integers(0, max(len(text) - 1, 0)))
            lines[i] = text[:j] + draw(st.text(min_size=0, max_size=3)) + text[j + 1:]
        else:
            lines.insert(i, " ".join(draw(st.lists(st.sampled_from(TOKENS), min_size=1, max_size=6))) + "\n")
        if not lines:
            break
    return "".join(lines)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=mutated())
def test_validate_always_gives_a_verdict(tmp_path_factory, capsys, text):
    f = tmp_path_factory.mktemp("fuzz") / "contribution.ttl"
    f.write_bytes(text.encode("utf-8", errors="replace"))
    capsys.readouterr()
    code = main(["validate", "--data", str(f), "--format", "json"])
    out, err = capsys.readouterr()
    assert code in (0, 1, 2)
    assert "Traceback" not in err and "internal error" not in err, err
    report = json.loads(out)
    assert report["exit_code"] == code
