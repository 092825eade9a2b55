"""A held-out rule book for labels and topics, written from `us-japan-texts` only.

Written by a helper session, 2026-11-28, reading only EXTRACTION.md, ARCHITECTURE.md and
the `us-japan-texts` set (never `extraction-dev`, never the shipped labelling or topic
rules). The rules are grammar, not memory: a unit is a commitment when a party (not a
document, not an effect) is the subject of a future-intent cue followed by an action,
without negation, outside a quotation. Everything else is sorted by its strongest
stance cue: directive > aspiration > endorsement > discussion > action taken > other.
"""

from __future__ import annotations

import re
from enum import Enum
from typing import NamedTuple

from kizuna.extraction.keywords import PhraseMatcher, tokens
from kizuna.extraction.labelling import Label, LabelDecision, UnitContext

# ---------------------------------------------------------------------------------------
# Who can promise: subjects of a future-intent cue
# ---------------------------------------------------------------------------------------


class Subject(Enum):
    """What kind of thing the subject of a modal verb is."""

    PARTY = "party"  # governments, their people and agencies: they can pledge
    BODY = "body"  # bodies the parties set up (task force, working group, an acronym)
    MEETING = "meeting"  # "the next meeting will be held ...": the parties will hold it
    INSTRUMENT = "instrument"  # documents, initiatives, money: their effects are predictions
    UNKNOWN = "unknown"


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_PARTY_WORDS = _words(
    "we they both sides side ministers minister leaders leader secretary secretaries "
    "president presidents governments government countries country nations nation partners "
    "parties participants members delegations delegation ambassador representative "
    "department ministry ministries agency agencies administration commission states us "
    "america american japan japanese korea korean australia australian india indian canada "
    "canadian kingdom britain france french germany german italy italian eu union europe "
    "philippines vietnam indonesia singapore zealand taiwan mexico brazil ukraine officials "
    "counterparts each all g7 g20 quad party signatories"
)
_BODY_WORDS = _words(
    "group groups force committee council secretariat dialogue centre center board network "
    "office institute consortium bureau"
)
_MEETING_WORDS = _words("meeting meetings round session summit conference consultations")
_INSTRUMENT_WORDS = _words(
    "agreement agreements statement memorandum mou moc arrangement declaration document "
    "charter framework roadmap plan strategy initiative initiatives program programme "
    "project projects investment investments funding fund financing cooperation "
    "collaboration partnership effort efforts measure measures action actions this it "
    "these those which announcement outcome pillar treaty law act facility that report "
    "policy policies work engagement"
)
_DETERMINERS = _words(
    "the a an this these those both two three our their its each all new historic further "
    "other relevant respective first second third fourth fifth sixth next last inaugural "
    "annual ministerial bilateral trilateral joint high-level leaders’ leaders'"
)
# A noun phrase's head is cut before its complement: "the Department [of Commerce]".
_PREPOSITIONS = _words(
    "of for on in with under through between among to from by at regarding including across"
)


def _subject_kind(phrase: str) -> Subject:
    """Classify a subject noun phrase by the heads of its conjuncts."""
    words = re.findall(r"[\w.’'-]+", phrase)
    for index, word in enumerate(words):
        if word.lower() in _PREPOSITIONS:
            words = words[:index]
            break
    if not words:
        return Subject.UNKNOWN
    kinds = [_head_kind(conjunct) for conjunct in _conjuncts(words)]
    for kind in (Subject.INSTRUMENT, Subject.MEETING, Subject.PARTY, Subject.BODY):
        if kind in kinds:
            return kind
    return Subject.UNKNOWN


def _conjuncts(words: list[str]) -> list[list[str]]:
    groups: list[list[str]] = [[]]
    for word in words:
        if word.lower() in {"and", "or", "&"}:
            groups.append([])
        else:
            groups[-1].append(word)
    return [group for group in groups if group]


def _head_kind(conjunct: list[str]) -> Subject:
    kind = _word_kind(conjunct[-1])
    if kind is Subject.UNKNOWN and any(word.lower() in _TITLES for word in conjunct):
        return Subject.PARTY  # "Secretary Raimondo", "Minister Saito"
    return kind


# Acronyms of things, not of bodies: "AI will transform ..." is a prediction.
_THING_ACRONYMS = _words("ai ict lng ev evs gdp covid it iot r rd sme smes")
_TITLES = _words("secretary minister president ambassador representative chancellor premier")


def _word_kind(head: str) -> Subject:
    parts = re.split(r"[-’']", head.lower().rstrip("."))
    # "Japan’s" names Japan; in "U.S.-Japan" the last part is the head; "U.S." is "us".
    key = (parts[0] if len(parts) > 1 and parts[-1] in {"s", ""} else parts[-1]).replace(".", "")
    if key in _INSTRUMENT_WORDS:
        return Subject.INSTRUMENT
    if key in _MEETING_WORDS:
        return Subject.MEETING
    if key in _PARTY_WORDS or key in {"us", "usa", "uk"}:
        return Subject.PARTY
    if key in _BODY_WORDS or (
        re.fullmatch(r"[A-Z][A-Z0-9]{1,7}", head.rstrip(".")) and key not in _THING_ACRONYMS
    ):
        return Subject.BODY
    return Subject.UNKNOWN


# Reported speech verbs open the clause whose subject makes the pledge ("Secretary X said
# the U.S. will ...": the U.S. pledges).
_CLAUSE_BOUNDARY = re.compile(
    r"[;:,–—(]|\b(?:that|which|who|whereby|while|whereas|said|says|stated|explained|"
    r"announced|added|indicated|confirmed|emphasized|emphasised|affirmed)\b"
)
_RELATIVE_PRONOUN = re.compile(r"\b(?:which|that)\s*$")


def _subject_of(text: str, at: int) -> Subject:
    """The kind of subject of the verb group that starts at `at`.

    "X builds on Y and will strengthen": a compound predicate shares the clause's subject.
    "… supply chains, which will help": a relative clause predicts an effect.
    "The U.S. side explained that it will": a pronoun in reported speech is the speaker.
    """
    before = text[:at].rstrip()
    if _RELATIVE_PRONOUN.search(before) and not re.search(r"\bthat\s*$", before):
        return Subject.INSTRUMENT
    if _OPEN_QUESTION.search(before):
        return Subject.UNKNOWN  # "discussed how they will ...": a question, not a pledge
    compound = re.search(r"\b(?:and|or|but)\s*$", before)
    if compound:
        return _sentence_subject(before[: compound.start()])
    phrase = _opening_noun_phrase(_last_clause(before, keep_commas=False))
    if not phrase.strip():
        return _sentence_subject(before)
    kind = _subject_kind(phrase)
    if phrase.strip().lower() in {"it", "they"} and _REPORTED_PRONOUN.search(before):
        speaker = _sentence_subject(before)
        return speaker if speaker in (Subject.PARTY, Subject.BODY) else kind
    return kind


_REPORTED_PRONOUN = re.compile(
    r"\b(?:that|said|says|stated|explained|announced|added|indicated|confirmed)\s+(?:it|they)$"
)
_OPEN_QUESTION = re.compile(r"\b(?:how|whether|what|ways to)\b[^,;]*$")


def _sentence_subject(before: str) -> Subject:
    """The kind of the subject that opens the clause `before` belongs to."""
    return _subject_kind(_opening_noun_phrase(_last_clause(before, keep_commas=True)))


def _last_clause(text: str, *, keep_commas: bool) -> str:
    """The clause that ends `text`: after the last ";" or ":" (a sentence-level clause),
    or also after commas, relative pronouns and reporting verbs (the nearest clause)."""
    pieces = (_SENTENCE_CLAUSE if keep_commas else _CLAUSE_BOUNDARY).split(text)
    clause = pieces[-1] if pieces else text
    if keep_commas and "," in clause:
        # An opening adverbial ("In particular, the Agreement ...") precedes the subject.
        opening, rest = clause.split(",", 1)
        if opening.split() and opening.split()[0].lower() in _OPENING_ADVERBIAL:
            clause = rest
    return clause


_SENTENCE_CLAUSE = re.compile(r"[;:]")
_OPENING_ADVERBIAL = _PREPOSITIONS | _words(
    "specifically particularly accordingly together finally today also moreover"
)


_KNOWN_NOUNS = _PARTY_WORDS | _BODY_WORDS | _MEETING_WORDS | _INSTRUMENT_WORDS
_NOUN_PHRASE_GLUE = _words("and of also then now jointly together working task")


def _opening_noun_phrase(clause: str) -> str:
    """Determiners, capitalised words, known nouns and "and"/"of" from the clause start."""
    kept: list[str] = []
    for word in clause.split():
        bare = word.strip('“”"()').lower().rstrip(".,")
        if (
            bare in _DETERMINERS
            or bare in _KNOWN_NOUNS
            or bare in _NOUN_PHRASE_GLUE
            or word[:1].isupper()
            or word[:1].isdigit()
        ):
            kept.append(word)
            continue
        if kept:
            break
    return " ".join(word for word in kept if word.lower() not in {"also", "then", "now"})


# ---------------------------------------------------------------------------------------
# English cues
# ---------------------------------------------------------------------------------------

_ADVERBS = (
    r"(?:(?:also|further|jointly|closely|actively|swiftly|together|now|then|each|both|all|"
    r"continue to|continuously|work(?: together| closely)? to|regularly|promptly|"
    r"immediately|soon|additionally|expeditiously|urgently|steadily)\s+)*"
)
# "will, as appropriate, coordinate": a parenthetical may split the verb group.
_MODAL = re.compile(
    rf"\b(?P<modal>will|shall)(?:\s*,[^,]{{1,40}},)?\s+(?P<neg>not\s+|never\s+)?"
    rf"(?P<rest>{_ADVERBS}(?P<verb>\w+).*)"
)
# Verbs that after "will" keep intent vague: the doc's aspiration cues.
_SOFT_VERBS = _words(
    "explore consider seek aim strive endeavor endeavour look hope study examine assess "
    "evaluate try aspire"
)
# Verbs whose subject's future is an effect, not an act: "this will help ...".
_EFFECT_VERBS = _words("help enable allow contribute benefit lead result mean serve bring")
# "We will remain vigilant", "Participants will include ...": a state, not an act.
_STATE_VERBS = _words("remain stay be become need have include comprise consist feature")
_PASSIVE_DELIVERABLE = re.compile(
    r"be\s+(?:\w+ly\s+)?(?:established|launched|created|set up|convened|held|hosted|"
    r"organi[sz]ed|signed|concluded|published|issued|developed|finali[sz]ed)\b"
)
_MEETING_ACTS = re.compile(r"\bbe\s+(?:held|convened|hosted|organized|organised)\b|\btake place\b")
_NEGATION = re.compile(r"\b(?:not|never|no longer)\b|n[’']t\b")

# "decided to", "are committed to", "pledged to", "intend to" + an action.
_INTENT = re.compile(
    r"\b(?P<cue>(?:decided|decide|agreed|agree|agrees|intends?|intended|plans?|planned|"
    r"pledged?|pledges|undert(?:ake|akes|ook)|committed|commit|commits|resolved?|"
    r"determined)(?:\s+(?:ourselves|themselves|itself))?\s+to)"
    r"(?:\s*(?P<colon>[:：])|\s+(?:(?:further|jointly|closely|fully)\s+)?"
    r"(?P<verb>[\w-]+))",
    re.IGNORECASE,
)
# After "committed to" the action is a gerund ("committed to working"); a noun there is
# a value held ("committed to a free and open order"), a stance.
_GERUND_CUES = ("commit",)
# Base forms that make "commit to X" an act ("commit to take action") rather than a value.
_ACTION_VERBS = _words(
    "launch establish convene hold provide invest develop strengthen coordinate conclude "
    "sign implement work continue cooperate collaborate support promote advance build "
    "deepen expand enhance ensure address take make pursue increase mobilize mobilise share "
    "create deliver maintain protect facilitate accelerate deploy reduce meet engage improve "
    "identify operationalize uphold respond counter combat tackle achieve prevent help"
)
# "reaffirmed their commitment to strengthening", "memorializes the shared commitment of X
# ... to facilitate": a finite verb records the parties' commitment to act.
_RECORDED_COMMITMENT = re.compile(
    r"\b(?P<cue>(?:re)?affirm(?:s|ed)?|reiterat(?:e|es|ed)|renew(?:s|ed)?|memorializ(?:e|es|ed)|"
    r"confirm(?:s|ed)?|underscor(?:e|es|ed)|establish(?:es)?|sets? out|sets? forth|contains|"
    r"enshrines|codifies|records)\s+(?:(?:our|their|its|the|a|his|her|several|new|shared|"
    r"strong|continued|joint|firm|mutual|unwavering|steadfast|full|\w+ly)\s+)*"
    r"(?:commitments?|obligations?)\b(?P<rest>.*)",
    re.IGNORECASE,
)
# "The two sides decided to:", "We will:", "agreed on the following:" hand their force on.
_LEAD_IN_COLON = re.compile(
    r"\b(?:(?:decided|agreed|intend|intends|plan|plans|pledged?|commit|committed|resolved|"
    r"undertake)\s+to|will|shall|agreed (?:on|upon|to) (?:the following|as follows))"
    r"(?:\s+(?:the following|as follows))?\s*[:：]\s*$",
    re.IGNORECASE,
)

_HEDGES = re.compile(
    r"\b(?:as appropriate|where appropriate|where possible|when possible|as necessary|"
    r"as needed|to the extent possible|if appropriate|subject to|in principle)\b",
    re.IGNORECASE,
)

_DIRECTIVE = re.compile(
    r"\b(?:urge[sd]?|call(?:s|ed)? (?:on|upon)|invite[sd]?|request(?:s|ed)?|"
    r"encourage[sd]?)\b(?!\s+by\b)",
    re.IGNORECASE,
)
_ASPIRATION = re.compile(
    r"\b(?:aims? to|aimed to|aiming to|seeks? to|sought to|striv(?:e|es|ing) to|"
    r"endeavou?rs? to|look(?:s|ed)? forward to|hopes? to|(?:is|are|were|was) designed to|"
    r"(?:is|are) intended to|(?:shared|our|their|firm|strong|common) resolve to|"
    r"aspir(?:e|es|ation) to|"
    r"stands? ready to|"
    r"welcomes? (?!the\b|a\b|an\b)\w+ing\b|explor(?:e|es|ing) (?:ways|opportunities|options|"
    r"possibilities|the possibility))",
    re.IGNORECASE,
)
_ENDORSEMENT = re.compile(
    r"\b(?:welcom(?:e|es|ed|ing)|not(?:e|es|ed|ing)|recogni[sz](?:e|es|ed|ing)|"
    r"emphasi[sz](?:e|es|ed|ing)|underscor(?:e|es|ed|ing)|underlin(?:e|es|ed)|stress(?:es|ed)|"
    r"condemn(?:s|ed)?|deplor(?:e|es|ed)|shared? (?:the|a|their|our) (?:view|recognition|"
    r"concerns?|understanding|assessment)|(?:re)?affirm(?:s|ed)?|reiterat(?:e|es|ed)|"
    r"highlight(?:s|ed)?|acknowledg(?:e|es|ed)|express(?:es|ed)? (?:\w+ )?(?:concern|support|"
    r"appreciation|gratitude|condolences|hope|solidarity|satisfaction)|appreciat(?:e|es|ed)|"
    r"commend(?:s|ed)?|applaud(?:s|ed)?|prais(?:e|es|ed)|support(?:s|ed)?|believe[sd]?|"
    r"(?:are|is|remain) (?:deeply |gravely |seriously )?concerned|oppos(?:e|es|ed)|"
    r"are seeing|(?:is|are) pleased|agreed (?:on|upon|that)|concur(?:s|red)?|"
    r"confirm(?:s|ed)? (?:the|their|its|that))\b",
    re.IGNORECASE,
)
_DISCUSSION = re.compile(
    r"\b(?:discuss(?:ed|es)?|discussions? (?:focused|centered|centred|covered)|"
    r"exchanged (?:\w+ ){0,4}(?:views|opinions|ideas|information)|exchange of views|"
    r"reviewed|took stock|considered|talked|deliberated|touched (?:on|upon)|"
    r"held (?:\w+ )?(?:talks|discussions|consultations))\b",
    re.IGNORECASE,
)
_ACTION_TAKEN = re.compile(
    r"\b(?:(?:has|have|had|was|were|been) (?:\w+ly )?)?(?P<verb>launched|established|signed|"
    r"announced|set up|held|hosted|co-hosted|convened|completed|concluded|adopted|released|"
    r"issued|published|created|formed|inaugurated|finalized|finalised|delivered|achieved|"
    r"took place|met|advanced|opened|unveiled|initiated)\b",
    re.IGNORECASE,
)
_QUOTE_ATTRIBUTION = re.compile(r"[”\"]\s*,?\s*(?:said|says|stated|added|noted)\b|^[“\"]")
_META_TEXT = re.compile(
    r"^(?:the (?:full )?text of|the following|begin text|end text|###|for immediate release)",
    re.IGNORECASE,
)
_DATELINE_OPENING = re.compile(r"^[A-Z][A-Z .,'-]+\s+[–—-]{1,2}\s+")


class _Cue(NamedTuple):
    """A label with how sure the rule is and the words that decided it."""

    label: Label
    confidence: float
    cue: str


def label_unit(text: str, context: UnitContext | None = None) -> LabelDecision:
    """The label of one unit: commitment first, then the strongest stance cue."""
    context = context or UnitContext()
    if context.language == "ja" or _is_japanese(text):
        return _decision(_japanese_cue(text, context))
    body = _DATELINE_OPENING.sub("", text.strip())
    if context.is_heading or not body or _META_TEXT.match(body):
        return LabelDecision(Label.OTHER, 0.8, "heading" if context.is_heading else "")
    if context.in_quote or _QUOTE_ATTRIBUTION.search(body):
        return LabelDecision(Label.OTHER, 0.75, "quotation")
    if context.is_item and context.lead_in is Label.COMMITMENT:
        return _decision(_item_under_lead_in(body))
    return _decision(_english_cue(body))


def _decision(cue: _Cue) -> LabelDecision:
    return LabelDecision(cue.label, cue.confidence, cue.cue)


def _english_cue(text: str) -> _Cue:
    readable = _drop_cut_word(text)
    commitment = _commitment_cue(readable)
    if commitment is not None:
        return commitment
    for pattern, label, confidence in (
        (_DIRECTIVE, Label.DIRECTIVE, 0.7),
        (_ASPIRATION, Label.ASPIRATION, 0.65),
        (_ENDORSEMENT, Label.ENDORSEMENT, 0.7),
        (_DISCUSSION, Label.DISCUSSION, 0.7),
    ):
        found = _finite_match(pattern, readable)
        if found:
            return _Cue(label, confidence, found)
    future = _future_of_non_party(readable)
    if future is not None:
        return future
    action = _finite_match(_ACTION_TAKEN, readable)
    if action:
        return _Cue(Label.ACTION_TAKEN, 0.65, action)
    return _Cue(Label.OTHER, 0.55, "")


def _drop_cut_word(text: str) -> str:
    """A unit cut off mid-word (a PARTIAL page) must not lend its last fragment as a verb."""
    stripped = text.rstrip()
    if stripped.endswith((".", "!", "?", ";", ":", "”", '"', ")")):
        return stripped
    return stripped.rsplit(None, 1)[0] if " " in stripped else ""


# An adverb after a determiner, preposition or "and" modifies a participle used as an
# adjective ("and internationally recognized rights"); after a subject it modifies a verb.
_ADJECTIVE_SLOT = re.compile(
    r"\b(?:the|a|an|newly|recently|previously|on|of|for|in|with|to|from|at|by)$"
)
_ADJECTIVAL_PARTICIPLE = re.compile(r"\b(?:and|or|for|of|the|a|an|to|with|in|on|,)\s+\w+ly$")


def _finite_match(pattern: re.Pattern[str], text: str) -> str:
    """The first match that is a clause's verb, not an opening participle or a passive
    modifier ("the Partnership jointly established by the leaders")."""
    for found in pattern.finditer(text):
        start, end = found.span()
        if start == 0 and found.group(0).lower().endswith(("ed", "ing")) and "," in text:
            continue  # "Launched in 2021, the Partnership ...": an opening participle
        after = text[end : end + 4].lower()
        before = text[:start].rstrip().lower()
        passive = re.search(r"\b(?:was|were|is|are|been|be)$", before)
        if after.startswith(" by") and not passive:
            continue
        if _ADJECTIVE_SLOT.search(before):
            continue  # "on advanced computing", "the newly established fund"
        if _ADJECTIVAL_PARTICIPLE.search(before) or before.endswith("-"):
            continue  # "internationally recognized labor rights": an adjective, no verb
        return found.group(0)
    return ""


def _commitment_cue(text: str) -> _Cue | None:
    """A party's pledge of future action, or a document recording their commitments."""
    hedge = 0.1 if _HEDGES.search(text) else 0.0
    lead_in = _LEAD_IN_COLON.search(text)
    if lead_in:
        return _Cue(Label.COMMITMENT, 0.85, lead_in.group(0))
    intent = _intent_cue(text)
    if intent is not None:
        return _Cue(intent.label, intent.confidence - hedge, intent.cue)
    for found in _MODAL.finditer(text):
        confidence = _modal_pledge(text, found)
        if confidence:
            return _Cue(
                Label.COMMITMENT, confidence - hedge, text[found.start() : found.end("verb")]
            )
    recorded = _RECORDED_COMMITMENT.search(text)
    if recorded and _names_action(recorded.group("rest")):
        return _Cue(Label.COMMITMENT, 0.8 - hedge, recorded.group("cue"))
    return None


_SCHEDULE_VERBS = _words("travel visit attend participate speak arrive depart")
_SCHEDULE_PHRASES = ("meet with", "deliver remarks", "lead a delegation", "lead the delegation")
# A that-clause under a verb of stance reports what others plan; the speakers' own
# pledges there are written with "we", "they" or "both sides".
_NOTED_CLAUSE = re.compile(
    r"\b(?:welcom\w*|not(?:e|es|ed|ing)|recogni[sz]\w*|appreciat\w*|acknowledg\w*|"
    r"commend\w*|expect\w*|hop(?:e|es|ed))\s+(?:the fact\s+)?that\b[^;]*$",
    re.IGNORECASE,
)
_SPEAKERS = re.compile(
    r"\bthat\s+(?:we|they|both sides|the two sides|both countries|the two countries)"
    r"(?:\s+\w+ly)?\s*$",
    re.IGNORECASE,
)


def _modal_pledge(text: str, found: re.Match[str]) -> float:
    """How sure a "will"/"shall" group is a pledge (0 when it is not one)."""
    verb = found.group("verb").lower()
    if found.group("neg") or verb in _PREPOSITIONS or verb in _DETERMINERS:
        return 0.0  # "will not", and "the political will to act" (a noun)
    if _PASSIVE_DELIVERABLE.match(found.group("rest")):
        return 0.7  # "a task force will be established": the parties will establish it
    if verb in _SCHEDULE_VERBS or found.group("rest").lower().startswith(_SCHEDULE_PHRASES):
        return 0.0  # "will travel to Tokyo", "will meet with": an itinerary, not a pledge
    if _NOTED_CLAUSE.search(text[: found.start()]) and not _SPEAKERS.search(text[: found.start()]):
        return 0.0  # "welcomed that India will host ...": a stance on another's plan
    subject = _subject_of(text, found.start())
    if subject is Subject.MEETING:
        return 0.75 if _MEETING_ACTS.match(found.group("rest")) else 0.0
    if verb in _SOFT_VERBS or verb in _STATE_VERBS:
        return 0.0
    return {Subject.PARTY: 0.9, Subject.BODY: 0.75}.get(subject, 0.0)


def _intent_cue(text: str) -> _Cue | None:
    for found in _INTENT.finditer(text):
        before = text[: found.start()]
        if _NEGATION.search(before[-25:]):
            continue  # "do not intend to", "are not committed to"
        if found.start() == 0 or _OWNED_NOUN.search(before):
            continue  # an opening participle, or a noun: "welcomed Japan’s plan to host"
        cue = found.group("cue")
        if found.group("colon"):
            return _Cue(Label.COMMITMENT, 0.85, cue)
        verb = found.group("verb")
        if not verb.isalpha() or not verb.islower() or verb in _DETERMINERS | _PRONOUNS:
            continue  # "agreed to the terms", "committed to our shared values"
        if cue.lower().startswith(_GERUND_CUES) and not (
            verb.endswith("ing") or verb in _ACTION_VERBS
        ):
            continue
        if verb in _SOFT_VERBS or verb.removesuffix("ing") in _SOFT_VERBS:
            return _Cue(Label.ASPIRATION, 0.65, f"{cue} {verb}")
        return _Cue(Label.COMMITMENT, 0.9, f"{cue} {verb}")
    return None


_OWNED_NOUN = re.compile(
    r"(?:\b(?:a|an|the|its|their|our|his|her|whose|shared|firm|strong|common)|[’']s)\s*$"
)
_PRONOUNS = _words("our their its his her your my them us it this that these those such")


def _names_action(rest: str) -> bool:
    """A recorded commitment counts when it is to act ("to facilitate", "to working") or
    lists what follows (a lead-in), not when it is to a value ("to the rules-based order")."""
    if rest.rstrip().endswith((":", "：")):
        return True
    for target in re.finditer(r"(?:\b(\w+)|^)\s+to\s+(\w+)", rest[:240]):
        if (target.group(1) or "").lower() in _COMPOUND_PREPOSITIONS:
            continue  # "with respect to the sector": not the commitment's object
        word = target.group(2)
        return word.isalpha() and word.islower() and word not in _DETERMINERS
    return False


_COMPOUND_PREPOSITIONS = _words("respect regard addition according due prior related relation")


def _future_of_non_party(text: str) -> _Cue | None:
    """A document's predicted effect ("The Agreement will strengthen ...") is an aspiration."""
    for found in _MODAL.finditer(text):
        if found.group("neg"):
            return _Cue(Label.ENDORSEMENT, 0.5, text[found.start() : found.end("verb")])
        if _subject_of(text, found.start()) is Subject.INSTRUMENT or (
            found.group("verb").lower() in _SOFT_VERBS | _EFFECT_VERBS
        ):
            return _Cue(Label.ASPIRATION, 0.55, text[found.start() : found.end("verb")])
    return None


def _item_under_lead_in(text: str) -> _Cue:
    """List items inherit the lead-in's force, unless they are vague, ask others or deny."""
    own = _english_cue(text)
    if own.label in (Label.ASPIRATION, Label.DIRECTIVE) and own.cue:
        return own
    first = text.split(None, 1)[0].lower() if text.split() else ""
    if first in _SOFT_VERBS:
        return _Cue(Label.ASPIRATION, 0.6, first)  # "Explore cooperation on ...": vague
    if _NEGATION.search(text.split(",", 1)[0]) and "non-" not in text.lower():
        return _Cue(Label.OTHER, 0.5, "negated item")
    # An item that is a sentence of its own ("The Ministers welcomed ...") keeps its label.
    if (
        own.label in (Label.ENDORSEMENT, Label.DISCUSSION, Label.ACTION_TAKEN)
        and own.cue
        and _sentence_subject(text[: text.find(own.cue)]) is Subject.PARTY
    ):
        return own
    return _Cue(Label.COMMITMENT, max(own.confidence, 0.75), own.cue or "lead-in")


def is_forcing_lead_in(text: str, label: Label) -> bool:
    """A commitment unit that ends in a colon passes its force to the items that follow."""
    stripped = text.rstrip()
    if not stripped.endswith((":", "：")):
        return False
    return label is Label.COMMITMENT or bool(_LEAD_IN_COLON.search(stripped))


# ---------------------------------------------------------------------------------------
# Japanese cues (EXTRACTION.md): statements end in 。, summaries are numbered items
# ---------------------------------------------------------------------------------------

_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")
_JA_HEADING = re.compile(r"^[^。]{0,60}$")
_JA_SOFT = re.compile(r"(?:検討|模索|目指|期待)")
_JA_COMMITMENT = re.compile(
    r"(?:ていく|ていきます|ていくこと|ことで一致|ことと(?:した|なった)|(?:する|していく)方針|"
    r"予定(?:である|です)|"
    r"(?:する|していく|進める)ことを(?:再)?確認|取り組む|実施する|開催する)"
)
_JA_CUES: tuple[tuple[re.Pattern[str], Label], ...] = (
    (re.compile(r"(?:求め|要請|呼びかけ|促し)"), Label.DIRECTIVE),
    (re.compile(r"(?:目指|期待|検討|模索)"), Label.ASPIRATION),
    (
        re.compile(r"(?:歓迎|認識を共有|重要性を(?:再)?確認|懸念を表明|支持|評価|確認)"),
        Label.ENDORSEMENT,
    ),
    (
        re.compile(r"(?:意見交換|議論(?:した|を行った|しました)|協議(?:した|を行った)|話し合)"),
        Label.DISCUSSION,
    ),
    (
        re.compile(
            r"(?:立ち上げ(?:た|ました)|署名(?:した|しました)|設立(?:した|しました)|開催(?:した|しました|された)|発表(?:した|しました)|発足)"
        ),
        Label.ACTION_TAKEN,
    ),
)


def _japanese_softened(text: str, start: int, end: int) -> bool:
    """Vague ("検討していく", will consider) or negated ("しない", "せず") pledges."""
    return bool(_JA_SOFT.search(text[max(0, end - 12) : end])) or bool(
        re.search(r"(?:ない|ず)", text[max(0, start - 4) : end])
    )


def _is_japanese(text: str) -> bool:
    return len(_CJK.findall(text)) > len(text) / 4


def _japanese_cue(text: str, context: UnitContext) -> _Cue:
    stripped = text.strip()
    if context.is_heading or (_JA_HEADING.match(stripped) and not stripped.endswith("。")):
        return _Cue(Label.OTHER, 0.8, "heading")
    if context.in_quote or (stripped.startswith("「") and stripped.endswith("」")):
        return _Cue(Label.OTHER, 0.7, "quotation")
    # "〜旨述べた": one side speaking; the label follows what it said.
    commitment = _JA_COMMITMENT.search(stripped)
    if commitment and not _japanese_softened(stripped, commitment.start(), commitment.end()):
        return _Cue(Label.COMMITMENT, 0.75, commitment.group(0))
    for pattern, label in _JA_CUES:
        found = pattern.search(stripped)
        if found:
            return _Cue(label, 0.65, found.group(0))
    if context.is_item and context.lead_in is Label.COMMITMENT:
        return _Cue(Label.COMMITMENT, 0.7, "lead-in")
    return _Cue(Label.OTHER, 0.55, "")


# ---------------------------------------------------------------------------------------
# Topics (ARCHITECTURE.md taxonomy leaves) and sectors
# ---------------------------------------------------------------------------------------

_TOPIC_PHRASES: dict[str, tuple[str, ...]] = {
    "supply-chain-resilience": (
        "supply chain*",
        "supply disruption*",
        "supply sources",
        "supply of",
        "strengthening supply",
        "stable supply",
        "resilience",
        "resiliency",
        "strategic dependenc*",
        "overdependence",
        "critical minerals",
        "stockpil*",
        "diversif*",
        "due diligence",
        "サプライチェーン",
        "供給網",
        "強靱",
    ),
    "critical-technology-protection": (
        "export control*",
        "investment screening",
        "research security",
        "technology protection",
        "dual use",
        "sensitive technolog*",
        "critical and emerging technolog*",
        "emerging technolog*",
        "outbound investment",
        "輸出管理",
        "技術流出",
    ),
    "cybersecurity": ("cyber*", "ransomware", "サイバー"),
    "non-market-practices": (
        "non market",
        "market distorting",
        "market oriented",
        "overcapacit*",
        "excess capacity",
        "level playing field",
        "fair competition",
        "unfair trade",
        "industrial subsidies",
        "state owned enterprises",
        "forced technology transfer",
        "非市場",
        "過剰生産",
    ),
    "economic-coercion": ("coerci*", "weaponiz*", "weaponis*", "威圧"),
    "energy-security": (
        "energy security",
        "energy and food security",
        "energy insecurity",
        "energy supply",
        "lng",
        "エネルギー安全保障",
    ),
    "market-access": (
        "market access",
        "tariff*",
        "export duties",
        "import duties",
        "bilateral trade",
        "trade barriers",
        "non tariff",
        "trade irritants",
        "import restrictions",
        "二国間の通商",
        "市場アクセス",
        "関税",
    ),
    "digital-trade": (
        "digital trade",
        "digital economy",
        "data flows",
        "data free flow",
        "free flow of data",
        "cross border data",
        "e commerce",
        "electronic commerce",
        "デジタル貿易",
        "データ",
    ),
    "trade-facilitation": ("trade facilit*", "facilitate trade", "customs", "貿易円滑化"),
    "labor-rights": (
        "labor",
        "labour",
        "worker rights",
        "workers rights",
        "forced labor",
        "forced labour",
        "decent work",
        "労働",
    ),
    "trade-and-environment": (
        "environmental",
        "the environment",
        "global environment",
        "our environment",
        "circular economy",
        "environmental goods",
        "marine plastic*",
        "illegal logging",
        "環境",
    ),
    "regional-multilateral-fora": (
        "wto",
        "world trade organization",
        "apec",
        "ipef",
        "indo pacific economic framework",
        "cptpp",
        "oecd",
        "g20",
        "asean",
        "multilateral",
        "plurilateral",
        "like minded partners",
        "多国間",
    ),
    "two-way-investment": (
        "trade and investment",
        "investment in",
        "investments in",
        "invest in",
        "foreign direct investment",
        "bilateral investment",
        "対内投資",
        "対米投資",
        "対日投資",
    ),
    "third-country-infrastructure": (
        "infrastructure",
        "third country investment*",
        "pgii",
        "blue dot network",
        "インフラ",
    ),
    "research-cooperation": (
        "research",
        "r and d",
        "joint research",
        "science and technology",
        "scientific",
        "研究",
    ),
    "digital-connectivity": (
        "5g",
        "open ran",
        "telecommunication*",
        "digital infrastructure",
        "submarine cable*",
        "digital connectivity",
        "ict",
        "broadband",
    ),
    "people-to-people": (
        "people to people",
        "student*",
        "exchange program*",
        "educational exchange*",
        "youth",
        "fellowship*",
        "人的交流",
    ),
    "clean-energy-technology": (
        "clean energy",
        "electric vehicle*",
        "zero emission vehicle*",
        "batter*",
        "renewable*",
        "hydrogen",
        "ammonia",
        "carbon capture",
        "ccus",
        "small modular reactor*",
        "nuclear energy",
        "nuclear power",
        "low carbon goods",
        "low carbon technolog*",
        "offshore wind",
        "solar",
        "クリーンエネルギー",
        "水素",
    ),
    "decarbonization": (
        "climate",
        "decarboni*",
        "net zero",
        "carbon neutral*",
        "emissions",
        "low carbon",
        "greenhouse",
        "energy transition*",
        "green transformation",
        "methane",
        "脱炭素",
        "気候",
    ),
    "health-security": (
        "pandemic*",
        "covid*",
        "health",
        "vaccine*",
        "medical countermeasures",
        "保健",
        "感染症",
    ),
    "rules-and-norms": (
        "rules based",
        "rule based",
        "economic order",
        "international order",
        "rule of law",
        "international law",
        "rules",
        "norms",
        "ルール",
        "秩序",
    ),
}
_SECTOR_PHRASES: dict[str, tuple[str, ...]] = {
    "semiconductors": ("semiconductor*", "chip", "chips", "半導体"),
    "critical-minerals": (
        "critical minerals",
        "rare earth*",
        "lithium",
        "gallium",
        "germanium",
        "graphite",
        "重要鉱物",
    ),
    "batteries": ("batter*", "蓄電池"),
    "ict-5g": ("5g", "open ran", "telecommunication*", "ict"),
    "steel": ("steel", "aluminum", "aluminium", "鉄鋼"),
    "autos": ("automobile*", "automotive", "vehicle*", "自動車"),
    "agriculture": ("agricultur*", "farmers", "ranchers", "food", "農"),
    "energy": ("energy", "lng", "エネルギー"),
    "pharmaceuticals": ("pharmaceutical*", "medicine*", "医薬品"),
    "shipbuilding": ("shipbuilding", "造船"),
    "aerospace-defense": ("aerospace", "defense industr*", "defence industr*", "防衛"),
    "ai": ("artificial intelligence", "ai", "人工知能"),
    "quantum": ("quantum", "量子"),
    "biotech": ("biotech*", "biotechnology", "バイオ"),
}
_TOPICS = PhraseMatcher(_TOPIC_PHRASES)
_SECTORS = PhraseMatcher(_SECTOR_PHRASES)
# Words that make "investment" a matter of screening or of infrastructure abroad.
_NOT_TWO_WAY = frozenset({"critical-technology-protection", "third-country-infrastructure"})
# "Critical infrastructure" is a matter of cybersecurity, "digital infrastructure" one of
# connectivity: neither is infrastructure in third countries.
_INFRASTRUCTURE = re.compile(r"\binfrastructure\b", re.IGNORECASE)
_DOMESTIC_INFRASTRUCTURE = re.compile(r"\b(?:critical|digital)\s+infrastructure\b", re.IGNORECASE)


def find_topics_and_sectors(
    text: str, words: list[str] | None = None
) -> tuple[list[str], list[str]]:
    """Taxonomy leaf topics and sectors named in a unit."""
    words = words if words is not None else tokens(text)
    topics = _TOPICS.find(text, words)
    if "third-country-infrastructure" in topics and len(_INFRASTRUCTURE.findall(text)) == len(
        _DOMESTIC_INFRASTRUCTURE.findall(text)
    ):
        topics.remove("third-country-infrastructure")
    if "two-way-investment" in topics and not _NOT_TWO_WAY.isdisjoint(topics):
        topics.remove("two-way-investment")
    return topics, _SECTORS.find(text, words)
