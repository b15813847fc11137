"""Kinds of sentence the rules read in general, each with sentences written for this test (names
and places of no letter): regions after a topic phrase, table rows, lists of places, programme
names, person names, partners, participation and the letterhead."""

from __future__ import annotations

from ingest_helpers import extract_text, rel_keys

HEAD = "Den Haag, 3 maart 2031\n\n"
SIGNATURE = "\n\nDe Minister van Infrastructuur en Waterstaat,\n\nA.B. Voorbeeld\n"


def covered(g, programme: str) -> set[str]:
    """The names of the places the programme covers."""
    index = g.node_index()
    return {index[b].name for a, b in rel_keys(g, "COVERS") if a == programme and b in index}


def names(g, label: str) -> set[str]:
    return {n.name for n in g.nodes if n.label == label}


# -- kind 2: places after a topic phrase --------------------------------------------------------
def test_places_after_a_topic_phrase_are_what_the_programme_covers():
    g = extract_text(
        HEAD + "De Regio Deal Westhoek is gericht op de bereikbaarheid in de kleine kernen van Almelo en "
        "Borne.\n\nDe Regio Deal Oosthoek legt een zwaartepunt op wonen in Emmen, Coevorden en Assen."
        + SIGNATURE
    )
    assert {"Almelo", "Borne"} <= covered(g, "programme:regio-deal-westhoek")
    assert {"Emmen", "Coevorden", "Assen"} <= covered(g, "programme:regio-deal-oosthoek")


def test_pupils_from_places_and_test_sites_around_a_place():
    g = extract_text(
        HEAD + "Het Actieplan Vakmanschap Oost loopt tot 2034. Scholieren uit Deventer, Zutphen en Apeldoorn "
        "kunnen via dit actieplan stage lopen. Er komen proeftuinen in Enschede en rond Oldenzaal."
        + SIGNATURE
    )
    got = covered(g, "programme:actieplan-vakmanschap-oost")
    assert {"Deventer", "Zutphen", "Apeldoorn", "Enschede", "Oldenzaal"} <= got


def test_a_meeting_place_and_a_comparison_are_no_coverage():
    g = extract_text(
        HEAD + "Over de Regio Deal Westhoek is een bijeenkomst gehouden in Utrecht. "
        "De Regio Deal Westhoek werkt, zoals in Tilburg, met een fonds." + SIGNATURE
    )
    got = covered(g, "programme:regio-deal-westhoek")
    assert "Utrecht" not in got and "Tilburg" not in got


# -- kind 1: lists of places and table rows ------------------------------------------------------
def test_a_name_that_needs_context_has_it_in_a_list_of_places():
    g = extract_text(
        HEAD + "De Regio Deal Westhoek richt zich op Nijkerk, Putten, Buren en Tiel." + SIGNATURE
    )
    assert {"Nijkerk", "Putten", "Buren", "Tiel"} <= covered(g, "programme:regio-deal-westhoek")


def test_an_ordinary_word_beside_a_place_stays_a_word():
    g = extract_text(HEAD + "Tiel en best veel andere steden doen mee." + SIGNATURE)
    assert "Best" not in names(g, "Region")


def test_a_table_row_on_one_line_with_bars():
    g = extract_text(
        HEAD + "Regio | Bijdrage\nRegio Deal Kromme Rijn | Nijkerk, Putten en Barneveld | € 12 miljoen\n"
        "Regio Deal Westhoek | Tiel | € 8 miljoen\n" + SIGNATURE
    )
    assert {"Nijkerk", "Putten", "Barneveld"} <= covered(g, "programme:regio-deal-kromme-rijn")
    assert "Tiel" in covered(g, "programme:regio-deal-westhoek")
    assert "Tiel" not in covered(g, "programme:regio-deal-kromme-rijn")


# -- kind 5: person names ------------------------------------------------------------------------
def test_double_surnames_with_particles_and_capitals_beyond_a_to_z():
    g = extract_text(
        HEAD + "Het lid Van der Wiel-Koster (GL) vroeg ernaar. Ook het lid Jansen-ter Horst (VVD) en mevrouw "
        "Çelik-de Boer deden dat. De motie van de leden Ünal (D66) en Brouwer-van Vliet (CDA) vraagt om meer."
        + SIGNATURE
    )
    people = names(g, "Person")
    assert {"Van der Wiel-Koster", "Jansen-ter Horst", "Çelik-de Boer", "Ünal", "Brouwer-van Vliet"} <= people
    [motion] = [n for n in g.nodes if n.label == "Motion"]
    submitted = {a for a, b in rel_keys(g, "SUBMITTED") if b == motion.id}
    assert submitted == {"person:unal", "person:brouwer-van-vliet"}


# -- kind 4: programme names ---------------------------------------------------------------------
def test_programme_names_kept_whole():
    g = extract_text(
        HEAD + "De Nationale Woonstrategie is herzien. Met het Nationaal Investeringsfonds komt geld vrij. "
        "De Twentse Nationale Kennisagenda loopt door. Het Actieplan Zorg over de Grens start in mei. "
        "De Kustlijnstrategie wordt uitgewerkt." + SIGNATURE
    )
    got = names(g, "Programme")
    assert {
        "Nationale Woonstrategie",
        "Nationaal Investeringsfonds",
        "Actieplan Zorg over de Grens",
        "Kustlijnstrategie",
    } <= got
    assert "Twentse Nationale Kennisagenda" in got or "Nationale Kennisagenda" in got


def test_a_year_after_a_title_is_no_programme_of_its_own():
    g = extract_text(
        "Voortgang Nationaal Programma Vechtdal 2029\n\n"
        + HEAD
        + "Het Nationaal Programma Vechtdal werkt aan wonen in Ommen en Hardenberg."
        + SIGNATURE
    )
    programmes = {n.id for n in g.nodes if n.label == "Programme"}
    assert "programme:nationaal-programma-vechtdal" in programmes
    assert not any(p.endswith("2029") for p in programmes)


# -- kind 6: the region a Regio Deal's name gives --------------------------------------------------
def test_a_regio_deal_name_gives_the_longest_region_and_both_of_a_pair():
    g = extract_text(
        HEAD + "De Regio Deal Drenthe-Zuid, de Regio Deal Kop van Overijssel, de Regio Deal Gooi-Eemland en "
        "de Regio Deal Almelo en Borne zijn getekend." + SIGNATURE
    )
    assert covered(g, "programme:regio-deal-drenthe-zuid") == {"Drenthe-Zuid"}
    assert covered(g, "programme:regio-deal-kop-van-overijssel") == {"Kop van Overijssel"}
    assert covered(g, "programme:regio-deal-gooi-eemland") == {"Gooi-Eemland"}
    assert covered(g, "programme:regio-deal-almelo-en-borne") == {"Almelo", "Borne"}


# -- kind 10: a ministry's letterhead before the addressee ---------------------------------------
LETTERHEAD = """Ministerie van Infrastructuur en Waterstaat
Directoraat-Generaal Water en Bodem
Rijnstraat 8
2515 XP  Den Haag

Aan de Voorzitter van de Tweede Kamer
der Staten-Generaal
Postbus 20018
2500 EA  DEN HAAG

Datum 14 februari 2031
Onderwerp Voortgang Deltaplan Kustlijn

Geachte voorzitter,

Het Deltaplan Kustlijn richt zich op Katwijk en Noordwijk.

De Minister van Infrastructuur en Waterstaat,

P.Q. van der Veen-de Wit
"""


def test_a_letterhead_does_not_end_the_header():
    from ingest_helpers import letter_from_text

    from ingest.metadata import read_metadata
    from ingest.normalise import normalise

    doc = normalise(letter_from_text(LETTERHEAD))
    meta = read_metadata(doc)
    assert meta.date == "2031-02-14"
    assert meta.title == "Voortgang Deltaplan Kustlijn"
    assert [s.name for s in meta.signatories] == ["P.Q. van der Veen-de Wit"]
    assert "Onderwerp" not in doc.text[doc.header_end :]
    g = extract_text(LETTERHEAD)
    assert ("ministry:ienw", "programme:deltaplan-kustlijn") in rel_keys(g, "COORDINATES")


def test_a_signer_with_capitals_beyond_a_to_z_and_a_particle_after_the_hyphen():
    from ingest_helpers import letter_from_text

    from ingest.metadata import read_metadata
    from ingest.normalise import normalise

    text = LETTERHEAD.replace("P.Q. van der Veen-de Wit", "É. Ünlü-van Dam")
    meta = read_metadata(normalise(letter_from_text(text)))
    assert [s.name for s in meta.signatories] == ["É. Ünlü-van Dam"]


# -- kind 11: organisations by their head word ---------------------------------------------------
def test_organisations_by_a_head_word_first_or_last():
    g = extract_text(
        HEAD + "Het Hoogheemraadschap van Delfland, de Taskforce-Ondermijning Gelderland, Twente Capital "
        "en ook Kempen Development werken mee." + SIGNATURE
    )
    got = names(g, "Organisation")
    assert {
        "Hoogheemraadschap van Delfland",
        "Taskforce-Ondermijning Gelderland",
        "Twente Capital",
        "Kempen Development",
    } <= got


# -- kind 3: a programme referred back to; succession ---------------------------------------------
def test_a_definite_noun_refers_back_and_succession_across_sentences():
    g = extract_text(
        HEAD + "De Kustagenda Zeeuws-Vlaanderen loopt tot 2032. De kustagenda richt zich op Sluis en Hulst. "
        "De aanpak wordt voortgezet in het Programma Vitale Delta.\n\n"
        "De Regio Deal Westhoek loopt af. Zij wordt opgevolgd door de Investeringsagenda Westhoek."
        + SIGNATURE
    )
    agenda = "programme:kustagenda-zeeuwsch-vlaanderen"
    assert {"Sluis", "Hulst"} <= covered(g, agenda)
    succession = rel_keys(g, "SUCCEEDED_BY")
    assert (agenda, "programme:vitale-delta") in succession
    assert ("programme:regio-deal-westhoek", "programme:investeringsagenda-westhoek") in succession


# -- kind 7: partners with states ------------------------------------------------------------------
def test_partners_with_states_in_other_wordings():
    g = extract_text(
        HEAD + "Met Nedersaksen werk ik aan de Grensagenda Dollard.\n\n"
        "Het Actieplan Grenswerk Limburg is samen met de deelstaat Noordrijn-Westfalen opgesteld." + SIGNATURE
    )
    partners = rel_keys(g, "PARTNERS_WITH")
    assert any(
        a.startswith("programme:grensagenda") and b == "neighbouringstate:nedersaksen" for a, b in partners
    )
    assert ("programme:actieplan-grenswerk-limburg", "neighbouringstate:noordrijn-westfalen") in partners


# -- kinds 8 and 9: participation and coordination in other wordings ------------------------------
def test_participation_inverted_and_with_other_verbs():
    g = extract_text(
        HEAD + "Bij de Regio Deal Westhoek draagt ook het Ministerie van Volksgezondheid, Welzijn en Sport "
        "bij.\n\n"
        "Aan de Regio Deal Oosthoek schuift het Ministerie van Defensie aan bij de uitvoering.\n\n"
        "Voor de Regio Deal Kempen stelt het Ministerie van Justitie en Veiligheid € 2 miljoen beschikbaar."
        + SIGNATURE
    )
    got = rel_keys(g, "PARTICIPATES_IN")
    assert {
        ("ministry:vws", "programme:regio-deal-westhoek"),
        ("ministry:defensie", "programme:regio-deal-oosthoek"),
        ("ministry:jenv", "programme:regio-deal-kempen"),
    } <= got


def test_coordination_shared_with_the_sender():
    g = extract_text(
        HEAD
        + "Het Programma Sterke Kernen valt onder de gezamenlijke verantwoordelijkheid van de Minister van "
        "Financiën en mij." + SIGNATURE
    )
    got = rel_keys(g, "COORDINATES")
    assert {("ministry:fin", "programme:sterke-kernen"), ("ministry:ienw", "programme:sterke-kernen")} <= got


# -- kind 12: one programme part of another ---------------------------------------------------------
def test_a_programme_that_is_part_of_another_overlaps_it():
    g = extract_text(
        HEAD + "De Regio Deal Westhoek maakt deel uit van het Programma Vitale Delta." + SIGNATURE
    )
    assert rel_keys(g, "OVERLAPS") >= {
        ("programme:regio-deal-westhoek", "programme:vitale-delta")
    } or rel_keys(g, "OVERLAPS") >= {("programme:vitale-delta", "programme:regio-deal-westhoek")}


def test_an_anaphor_s_head_noun_picks_its_antecedent_of_two():
    g = extract_text(
        HEAD
        + "Het Programma Sterke Wijken hoort bij het Bestuursakkoord Twente. Bewoners uit Almelo en Borne "
        "doen via dit programma mee." + SIGNATURE
    )
    assert {"Almelo", "Borne"} <= covered(g, "programme:sterke-wijken")
    assert not covered(g, "programme:bestuursakkoord-twente") & {"Almelo", "Borne"}


def test_the_sender_coordinates_each_programme_the_letter_is_about():
    g = extract_text(
        HEAD
        + "In deze brief informeer ik u over de Regio Deal Westhoek en de Regio Deal Oosthoek. Beide zijn "
        "gestart, net als eerder het Programma Vitale Delta." + SIGNATURE
    )
    got = rel_keys(g, "COORDINATES")
    assert {
        ("ministry:ienw", "programme:regio-deal-westhoek"),
        ("ministry:ienw", "programme:regio-deal-oosthoek"),
    } <= got
    assert ("ministry:ienw", "programme:vitale-delta") not in got
