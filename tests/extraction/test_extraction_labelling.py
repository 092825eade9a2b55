"""Labels of crafted sentences (not taken from the labelled sets)."""

from __future__ import annotations

import pytest

from kizuna.extraction import extract
from kizuna.extraction.labelling import Label, UnitContext, label_unit


@pytest.mark.parametrize(
    ("sentence", "label"),
    [
        ("The two governments will convene a working group on battery recycling.", "commitment"),
        ("Canada and Mexico intend to sign a memorandum on customs data by June.", "commitment"),
        ("The ministers decided to launch a joint fund for grid modernisation.", "commitment"),
        ("We are committed to expanding port cooperation with Pacific partners.", "commitment"),
        (
            "The delegations reaffirmed their commitment to support the reconstruction of Ukraine.",
            "commitment",
        ),
        ("Both sides will continue to coordinate on export controls.", "commitment"),
        ("We will not impose new tariffs on steel.", "other"),
        ("The sides launched a new dialogue on space policy last year.", "action_taken"),
        ("The ministers held the second meeting of the council in Ottawa.", "action_taken"),
        ("We call on all countries to refrain from economic coercion.", "directive"),
        ("Both sides aim to deepen cooperation on quantum research.", "aspiration"),
        ("We will work together to generate shared prosperity for our citizens.", "aspiration"),
        ("The Agreement will strengthen supply chains for critical minerals.", "aspiration"),
        ("The ministers welcomed the progress of the task force.", "endorsement"),
        ("We strongly condemn the attacks on commercial shipping.", "endorsement"),
        ("The delegations exchanged views on the semiconductor market.", "discussion"),
        ("Bilateral trade reached a record high last year.", "other"),
        ("Today, the President will unveil the new roadmap.", "other"),
    ],
)
def test_crafted_sentences(sentence: str, label: str) -> None:
    assert label_unit(sentence).label == label


def test_hedge_lowers_confidence_but_keeps_the_label() -> None:
    plain = label_unit("The ministers agreed to establish a joint committee.")
    hedged = label_unit("The ministers agreed to establish, as appropriate, a joint committee.")
    assert plain.label == hedged.label == Label.COMMITMENT
    assert hedged.confidence < plain.confidence


def test_quotations_and_headings_are_other() -> None:
    assert label_unit("“We will build chips together,” said the Secretary.").label == "other"
    assert label_unit("Supply Chains", UnitContext(is_heading=True)).label == "other"


def test_items_under_an_agreed_lead_in_take_commitment_force() -> None:
    text = (
        "The ministers agreed on:\n\n"
        "  • Establish a joint early-warning mechanism for medical supplies\n"
        "  • Promoting transparency in the solar supply chain\n"
        "  • adopted a roadmap on hydrogen standards\n"
    )
    labels = [p.label for p in extract(text).passages]
    assert labels == ["other", "commitment", "commitment", "action_taken"]


def test_reported_speech_records_the_reported_side_only() -> None:
    extraction = extract(
        "Secretary Raimondo and Minister Saito met. Secretary Raimondo said that the "
        "United States will provide $50 million for the program."
    )
    commitment = extraction.commitments[0]
    assert commitment.actors == ("USA",)
    assert commitment.specificity.number is True


def test_japanese_cues() -> None:
    extraction = extract(
        "日米の協力について意見交換を行った。\n両国は協力を強化していくことで一致した。"
    )
    assert extraction.document.language == "ja"
    assert [p.label for p in extraction.passages] == ["discussion", "commitment"]
