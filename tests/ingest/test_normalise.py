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
        letter_from_text("Zie Kamerstuk 41 203, nr. 12 en o.a. de brief. P.Q.R. Verbeek tekent.\n")
    )
    texts = [s.text for s in split_sentences(doc)]
    assert texts == ["Zie Kamerstuk 41 203, nr. 12 en o.a. de brief.", "P.Q.R. Verbeek tekent."]


# a web page puts each header field on a line of its own and wraps the body with single line breaks
WEB_PAGE = (
    "Brief regering : Voortgang Regionaal Programma Heidelandschap\n"
    "41 377 Vitale kernen en dorpen\n"
    "Nr. 8\n"
    "BRIEF VAN DE MINISTER VAN BINNENLANDSE ZAKEN EN\n"
    "KONINKRIJKSRELATIES\n"
    "Aan de Voorzitter van de Tweede Kamer der Staten-Generaal\n"
    "Den Haag, 4 maart 2031\n"
    "Met deze brief informeer ik u over de voortgang van het programma in de\n"
    "Kempen en de Peel. In dit programma werken de provincie en de gemeenten\n"
    "samen aan werk, wonen en voorzieningen in de kleine kernen van de regio.\n"
    "Woningbouw in de kernen\n"
    "De gemeenten bouwen tot 2035 ruim vierhonderd woningen voor starters en ouderen.\n"
    "Zij doen dat samen met de corporaties en met de bewoners van de dorpen zelf.\n"
)


def test_header_lines_are_sentences_of_their_own():
    doc = normalise(letter_from_text(WEB_PAGE))
    sentences = [s.text for s in split_sentences(doc)]
    assert sentences[:6] == [
        "Brief regering : Voortgang Regionaal Programma Heidelandschap",
        "41 377 Vitale kernen en dorpen",
        "Nr. 8",
        "BRIEF VAN DE MINISTER VAN BINNENLANDSE ZAKEN EN KONINKRIJKSRELATIES",  # a wrapped header line
        "Aan de Voorzitter van de Tweede Kamer der Staten-Generaal",
        "Den Haag, 4 maart 2031",
    ]
    assert [(s.kind, s.start, s.end) for s in doc.segments][0] == ("header", 0, doc.header_end)
    assert doc.text[: doc.header_end].endswith("Den Haag, 4 maart 2031")
    # the body is joined into sentences as before
    assert "programma in de Kempen en de Peel." in sentences[6]


def test_a_heading_in_wrapped_text_is_a_paragraph_of_its_own():
    doc = normalise(letter_from_text(WEB_PAGE))
    paragraphs = doc.text[doc.header_end :].strip().split("\n\n")
    assert paragraphs[1] == "Woningbouw in de kernen"
    assert paragraphs[2].startswith("De gemeenten bouwen tot 2035")


def test_times_in_a_header_line_are_not_footnote_markers():
    doc = normalise(
        letter_from_text("Brief regering\nNummer: 2031D10457, bijgewerkt: 2031-03-01 09:45, versie: 2\n")
    )
    assert "09:45, versie: 2" in doc.text


def test_a_letter_without_header_has_no_header_segment():
    text = "Het kabinet werkt met de regio aan de\nvoorzieningen in de dorpen.\n\nDat gaat goed.\n"
    doc = normalise(letter_from_text(text))
    assert doc.header_end == 0 and [s.kind for s in doc.segments] == ["body"]
    assert doc.text == "Het kabinet werkt met de regio aan de voorzieningen in de dorpen.\n\nDat gaat goed."


def test_a_signature_block_is_a_paragraph_of_its_own():
    doc = normalise(
        letter_from_text(
            "Zo werken wij verder aan de regio.\n"
            "De Minister van Landbouw, Natuur en Voedselkwaliteit,\n"
            "P.J. van Dongen\n"
            "De Staatssecretaris van Financiën,\n"
            "R. Kuiper\n"
        )
    )
    assert doc.text.split("\n\n") == [
        "Zo werken wij verder aan de regio.",
        "De Minister van Landbouw, Natuur en Voedselkwaliteit, P.J. van Dongen",
        "De Staatssecretaris van Financiën, R. Kuiper",
    ]


def test_a_minister_in_running_text_does_not_split_the_paragraph():
    text = "Het advies is gegeven aan\nde Minister van Financiën,\nde heer Kuiper, die het steunt.\n"
    doc = normalise(letter_from_text(text))
    assert doc.text == "Het advies is gegeven aan de Minister van Financiën, de heer Kuiper, die het steunt."
