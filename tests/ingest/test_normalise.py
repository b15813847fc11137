from ingest_helpers import letter_from_text

from ingest.normalise import normalise
from ingest.sentences import split_sentences

TEXT = (
    "Het kabinet zet in op de ontwik-\n"
    "keling van Noord- en Oost-Groningen en Noordrijn-\n"
    "Westfalen. De minister van Binnenlandse Zaken en Koninkrijks-\n"
    "relaties zegt: “goed” – nr. 5 is klaar.\n"
    "\n"
    "Het initiatief ligt bij de\n"
    "\n"
    "1 Zie PBL, een voetnoot over de regio,\n"
    "februari 2022\n"
    " overheden in deze regio’s.\n"
)


def test_hyphenation_is_undone_and_real_hyphens_kept():
    doc = normalise(letter_from_text(TEXT))
    assert "ontwikkeling" in doc.text
    assert "Noord- en Oost-Groningen" in doc.text
    assert "Noordrijn-Westfalen" in doc.text
    assert "Koninkrijksrelaties" in doc.text


def test_quotes_and_dashes_are_unified():
    doc = normalise(letter_from_text(TEXT))
    assert '"goed" - nr. 5' in doc.text
    assert "regio's" in doc.text


def test_page_bottom_footnote_is_moved_after_the_body():
    doc = normalise(letter_from_text(TEXT))
    body = doc.text[: doc.footnotes_start]
    assert "Het initiatief ligt bij de overheden in deze regio's." in body
    assert doc.text[doc.footnotes_start :].startswith("1 Zie PBL, een voetnoot over de regio, februari 2022")


def test_offsets_map_back_to_the_original():
    raw = letter_from_text(TEXT)
    doc = normalise(raw)
    for word in ("Noord- en Oost-Groningen", "Binnenlandse Zaken", "overheden"):
        at = doc.text.index(word)
        start, end = doc.original_span(at, at + len(word))
        assert raw.text[start:end].replace("\n", " ") == word


def test_sentences_do_not_break_after_abbreviations_or_initials():
    doc = normalise(
        letter_from_text("Zie Kamerstuk 29 697, nr. 169 en o.a. de brief. J.J.M. Uitermark tekent.\n")
    )
    texts = [s.text for s in split_sentences(doc)]
    assert texts == ["Zie Kamerstuk 29 697, nr. 169 en o.a. de brief.", "J.J.M. Uitermark tekent."]
