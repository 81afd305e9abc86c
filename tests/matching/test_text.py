"""Text normalisation: folding, stop words, spelling neighbours."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from app.matching import EngineConfig
from app.matching.text import fit_text_space, fold, stop_words, tokens


def test_romanian_comma_and_cedilla_forms_fold_to_plain_letters() -> None:
    assert fold("ș") == fold("ş") == fold("s") == "s"
    assert fold("ț") == fold("ţ") == fold("t") == "t"
    assert fold("Ș") == fold("Ş") == "s"
    assert fold("ăâî") == "aai"
    assert fold("Învățământ ŞTIINŢĂ") == "invatamant stiinta"


def test_other_letters_fold() -> None:
    assert fold("Łódź Ærø Straße") == "lodz aero strasse"


@given(st.text())
def test_fold_is_idempotent_and_leaves_no_combining_marks(text: str) -> None:
    folded = fold(text)
    assert fold(folded) == folded
    assert not any(0x300 <= ord(c) < 0x370 for c in folded)


def test_stop_words_of_six_languages_are_removed_folded() -> None:
    stops = stop_words(("en", "ro", "fr", "de", "es", "it"))
    text = "the și şi pentru und avec para della energy"
    assert tokens(text, stops) == ["energy"]


def test_domain_words_survive_stop_word_lists() -> None:
    stops = stop_words(("en", "ro"))
    assert tokens("AI research system", stops) == ["ai", "research", "system"]


def _similarity(a: str, b: str, config: EngineConfig) -> float:
    texts = [a, b, "agriculture drones", "cloud software", "wine tourism"]
    _, rows = fit_text_space(texts, config)
    return float((rows[0] @ rows[1].T).toarray()[0, 0])


def test_word_forms_meet_through_character_ngrams() -> None:
    on = EngineConfig()
    off = EngineConfig(char_ngrams=False)
    for a, b in (
        ("digitalizare", "digitalisation"),
        ("digitalisation", "digitalization"),
        ("digitalizare", "digitalization"),
    ):
        assert _similarity(a, b, off) == 0.0
        assert _similarity(a, b, on) > 0.1


def test_diacritics_do_not_split_words() -> None:
    config = EngineConfig(char_ngrams=False)
    assert _similarity("securitate cibernetică", "securitate cibernetica", config) > 0.99
    assert _similarity("învăţare automată", "învățare automata", config) > 0.99
