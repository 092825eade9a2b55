"""Labelling units by the cues of EXTRACTION.md, precision first for commitments.

The labels are tried in the labelled sets' order for mixed units (commitment >
action_taken > directive > aspiration > endorsement > discussion > other). A
commitment needs a commitment cue *and* an action: intent whose object is only
an outcome or a vision ("advance our shared vision", "generate growth") is an
aspiration, a claimed effect of a document ("the Agreement will strengthen") is
not a pledge, and negation ("will not") never is. Hedges ("as appropriate")
keep the label and lower the confidence.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum


class Label(StrEnum):
    COMMITMENT = "commitment"
    ACTION_TAKEN = "action_taken"
    ASPIRATION = "aspiration"
    DIRECTIVE = "directive"
    ENDORSEMENT = "endorsement"
    DISCUSSION = "discussion"
    OTHER = "other"


LABELS: tuple[str, ...] = tuple(label.value for label in Label)


@dataclass(frozen=True)
class UnitContext:
    """What the neighbourhood of a unit tells about it."""

    is_item: bool = False
    is_heading: bool = False
    in_quote: bool = False
    lead_in: Label | None = None
    """The force of the list lead-in ("agreeing on:") this unit sits under, if any."""
    language: str = "en"


@dataclass(frozen=True)
class LabelDecision:
    label: Label
    confidence: float
    cue: str = ""
    """The words that decided the label; shown to the desk officer and used in tests."""


class _Cue:
    """A pattern behind a cheap gate: it is searched only when one of its key substrings
    occurs. Python's `in` is far faster than an alternation starting with `\\b`, and
    most units hold none of a given label's cue words."""

    __slots__ = ("_keys", "_pattern")

    def __init__(self, keys: str, pattern: str) -> None:
        self._keys = tuple(keys.split("|"))
        self._pattern = re.compile(pattern)

    def _open(self, text: str) -> bool:
        return any(key in text for key in self._keys)

    def search(self, text: str) -> re.Match[str] | None:
        return self._pattern.search(text) if self._open(text) else None

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        return self._pattern.finditer(text) if self._open(text) else iter(())


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# --- English cues --------------------------------------------------------------------------

# Verbs whose object is an outcome rather than an action: intent with them is aspiration.
_VAGUE_VERBS = _words(
    "explore consider seek aim hope look strive foster generate benefit help contribute serve "
    "enable envision aspire"
)
# Stance verbs: "we continue to condemn" is an endorsement, not a pledge.
_VIEW_VERBS = _words(
    "condemn welcome note recognize recognise emphasize emphasise underline underscore "
    "affirm reaffirm believe share stress express deplore acknowledge appreciate"
)
_OUTCOME_NOUNS = _Cue(
    "vision|prosperity|growth|well|ambition|benefits|build back better",
    r"\b(?:vision|prosperity|growth|well-being|wellbeing|ambitions?|benefits|build back better)\b",
)
_NEGATION = _Cue(
    "not|n’t|n't|never|no longer",
    r"\b(?:will|shall|would|do|does|did|are|is)\s+not\b|\bwon[’']t\b|\bnever\b|\bno longer\b|"
    r"\bnot\s+(?:to\s+)?(?:commit|intend|plan)",
)
_HEDGES = _Cue(
    "appropriate|possible|necessary|extent|subject to|as needed|may|might|could|potential",
    r"\b(?:as appropriate|where appropriate|where possible|when possible|as necessary|"
    r"if necessary|to the extent (?:possible|practicable|feasible)|as needed|subject to|"
    r"may|might|could|possibly|potential(?:ly)?)\b",
)
_INTENT_VERB = _Cue(
    "commit|pledg|intend|decide|agree|consent|concur|resolve|determined|plan|scheduled|undert",
    r"\b(?P<cue>commit(?:s|ted)?|pledged?|pledges|intends?|decided|decides?|agreed|agrees?|"
    r"agreeing|consented|concurred|resolved|(?:are|is|remain|remains)\s+determined|"
    r"plans?|planned|(?:is|are)\s+scheduled|undert(?:ake|akes|ook))"
    r"\s+to,?\s+(?:[^,]{1,40},\s+)?(?P<adverbs>(?:\w+ly\s+|further\s+|jointly\s+|also\s+)*)"
    r"(?P<verb>[a-z-]+)",
)
_COMMITMENT_NOUN = _Cue(
    "commitment|determination|resolve|pledge",
    r"\b(?:reaffirm\w*|underline\w*|underscor\w*|reiterat\w*|renew\w*|confirm\w*|express\w*|"
    r"increase\w*|affirm\w*|restat\w*)\s+(?:\w+\s+){0,4}?"
    r"(?P<cue>commitments?|determination|resolve|pledge)\s+to\s+(?P<verb>[a-z-]+)",
)
# An agreement recording obligations ("The Agreement establishes several new commitments").
_RECORDED_COMMITMENTS = _Cue(
    "commitment",
    r"\b(?:(?:establish|set|contain|lay)\w*\s+(?:out\s+|down\s+)?(?:\w+\s+){0,3}(?:new\s+)?"
    r"commitments|(?:memoriali[sz]|record|enshrin|codif)\w*\s+(?:\w+\s+){0,3}commitments?)\b",
)
_AGREED_THAT = _Cue(
    " that ",
    r"\b(?:agreed|decided|confirmed|concurred)\s+that\b[^.;]{0,160}?\b(?:will|shall|should)\s+"
    r"(?:\w+ly\s+|further\s+|also\s+)?(?:be\s+)?(?P<verb>[a-z-]+)",
)
_STEADFAST = _Cue(
    "remain",
    r"\bremains?\s+(?:unwavering|steadfast|resolute|firm)\s+in\s+(?:our|their|its)\b[^.]{0,80}"
    r"\bsupport\b",
)
_CONTINUE_FIRST_PERSON = _Cue(
    "continue", r"\bwe\s+(?:will\s+)?continue\s+to\s+(?:\w+ly\s+)?(?P<verb>[a-z-]+)"
)
_MODAL = _Cue(
    "will|shall",
    r"\b(?P<modal>will|shall)\s+(?P<adverbs>(?:\w+ly\s+|also\s+|further\s+|jointly\s+|each\s+|"
    r"now\s+|continue\s+to\s+|keep\s+)*)(?P<verb>[a-z-]+)",
)
_PARTY_SUBJECT = re.compile(
    r"\b(?:we|they|both|sides|countries|parties|ministers?|leaders|secretary|governments?|"
    r"united states|u\.s\.|japan|eu|european union|g7|g20|quad|canada|mexico|india|australia|"
    r"korea|united kingdom|department|ministry|ustr|meti|mofa|agencies|members|partners|"
    r"delegations?|officials)\b"
)
_NON_PARTY_SUBJECT = re.compile(
    r"\b(?:agreement|roadmap|provisions?|compact|framework|mechanism|initiative|partnership|"
    r"task force|forum|council|dialogue|statement|this|these|it|which|that|who|report|plan|"
    r"principles|actions|measures|policies|work|efforts?|cooperation|announcement|president)\b"
)
_EFFECT_VERBS = _words(
    "promote help strengthen contribute enable serve support benefit drive diversify deepen "
    "improve facilitate expand foster advance bring create ensure provide deliver make allow "
    "boost spur"
)
_TODAYS_PROGRAMME = _Cue(
    "today|this ", r"^today\b|\blater today\b|\bthis (?:morning|afternoon|evening)\b"
)

_ACTION_TAKEN = _Cue(
    "met|held|launch|establish|signed|announc|set up|adopt|release|issued|extended|complet|convened|hosted|took place|approved|conclud|created|published|inaugurat|introduc|unveil|endorsed|advanced|collaborat|furthered|deepen|enhanced|strengthen|made|continue|expand|built|broadening|confirmed the",
    r"\b(?P<cue>(?<!are )(?<!is )(?<!be )(?<!been )met|held(?!\s+(?:\w+\s+)?discussions?)|"
    r"launched|established|signed|announced|set up|adopted|(?:released|issued)(?!\s+by\b)|"
    r"extended|completed|convened|relaunched|re-launched|co-hosted|hosted|took place|"
    r"approved|concluded|created|published|inaugurated|introduced|"
    r"unveiled|endorsed|advanced negotiations|collaborated|"
    r"ha(?:ve|s)\s+(?:\w+\s+)?(?:furthered|deepened|enhanced|strengthened|made|advanced|"
    r"launched|continued|completed|established|expanded|built)|"
    r"ha(?:ve|s)\s+been\s+(?:\w+\s+)?(?:strengthened|deepened|enhanced|expanded|launched|"
    r"established)|"
    r"(?:are|is)\s+(?:strengthening|broadening|deepening|advancing|expanding)|"
    r"continues\s+to\s+contribute|confirmed\s+the\s+(?:issuance|agreement|launch|adoption|signing)|"
    r"release\s+these|we\s+release)\b",
)
_DIRECTIVE = _Cue(
    "urg|call|invite|request|encourag",
    r"\b(?P<cue>urge[sd]?|urging|call(?:s|ed)?\s+(?:on|upon)|invite[sd]?\s+(?:all|other|the)|"
    r"request(?:s|ed)?\s+(?:all|other|that)|encourage[sd]?\s+(?:all\s+)?(?:countries|"
    r"partners|members|governments|businesses|the private sector|industry|stakeholders))\b",
)
_ASPIRATION = _Cue(
    "aim|seek|striv|endeavo|look|hope|expect|explor|objective|priority|goal|designed|step toward|should serve|resolve|aspir|ambition|welcome|are using",
    r"\b(?P<cue>aim(?:s|ed)?\s+to|seek(?:s|ing)?\s+to|striv\w+|endeavou?r\w*\s+to|"
    r"look(?:s|ing)?\s+forward\s+to|hope(?:s|d)?\s+to|expect(?:s)?\s+to|explor\w+|"
    r"may\s+be\s+explored|(?:objective|priority|goal|aim)\s+is\s+to|(?:is|are)\s+designed\s+to|"
    r"step\s+towards?|should\s+serve|resolve\s+to|aspir\w+|ambition\s+to|"
    r"welcomes?\s+\w+ing|are\s+using\s+[^.]{0,40}\s+to)\b",
)
_ENDORSEMENT = _Cue(
    "welcom|not|recogni|emphasi|underscor|underlin|condemn|deplor|shar|affirm|reiterat|stress|express|appreciat|grateful|congratulat|highlight|acknowledg|confirmed the|support for|agreed that|critical|essential|key|vital|crucial|indispensable|should",
    r"\b(?P<cue>welcom\w*|not(?:e|ed|es|ing)|(?<!internationally )(?<!-)recogni[sz](?:e|es|ed|ing)\b(?!\s+(?:labou?r|worker|human))|emphasi[sz]\w*|underscor\w*|"
    r"underlin\w*|condemn\w*|deplor\w*|shar(?:e|ed|es|ing)\s+(?:the|a|their|our)\s+"
    r"(?:view|recognition|concern|understanding|vision)|affirm\w*|reaffirm\w*|reiterat\w*|"
    r"stress\w*|express\w*\s+(?:\w+\s+)?(?:concern|satisfaction|support|appreciation)|"
    r"appreciat\w*|grateful|congratulat\w*|highlight\w*|acknowledg\w*|confirmed\s+the\s+"
    r"(?:need|importance)|support\s+for|agreed\s+that|(?:is|are)\s+(?:critical|essential|key|"
    r"vital|crucial|indispensable)\b|should)\b",
)
_DISCUSSION = _Cue(
    "discuss|exchange|reviewed|took stock|considered|talked|deliberat|focused on",
    r"\b(?P<cue>discuss\w*|exchanged\s+(?:\w+\s+){0,5}?views|exchange\s+of\s+views|"
    r"exchanged\s+(?:information|opinions)|reviewed|took\s+stock|considered|talked|"
    r"deliberat\w+|focused\s+on)\b",
)
_QUOTE_ATTRIBUTION = re.compile(r"[”\"],?\s+(?:said|says|stated|added)\b")
_TOPIC_PREFIX = re.compile(r"^[A-Z0-9][\w ,’'&/()-]{0,60}?(?::|\s[–—-])\s+")
_BASE_VERB_START = re.compile(r"^(?P<verb>[A-Z][a-z]+)\b")
ITEM_VERBS = _words(
    "advance further fight step continue identify establish develop diversify promote launch "
    "strengthen enhance expand work cooperate coordinate build support ensure deepen protect "
    "address facilitate implement pursue create conduct hold share exchange increase reduce "
    "accelerate improve deploy invest mobilize mobilise provide publish convene conclude sign "
    "adopt set maintain reinforce secure engage monitor counter combat tackle harmonize "
    "harmonise align enable encourage"
)

_DETERMINERS = _words("a an the our their its this these that those democracy")
_EXTRA_VERBS = _words(
    "keep reach achieve deliver make take remain uphold do continue devote foster help "
    "generate contribute serve bring put place ensure"
)
# Gerund stems that drop an "e" or double a consonant: "promoting", "diversifying".
_GERUND_STEMS = _words(
    "promot diversify develop establish strengthen advanc reach devot foster support work "
    "continu monitor address secur ensur enhanc expand protect deepen coordinat combat "
    "counter buil invest mobiliz provid implement pursu creat conduct hold shar exchang "
    "increas reduc accelerat improv deploy maintain reinforc engag align enabl encourag "
    "facilitat identify fight publish launch conven conclud sign adopt tackl harmoniz keep "
    "achiev deliver mak tak remain uphold do generat contribut serv bring put plac"
)

# --- Japanese cues (EXTRACTION.md) ----------------------------------------------------------
# A Japanese sentence's main predicate comes last, so the ending decides first; cues met
# anywhere in the sentence are the fallback. Explicit pledge wording ("〜していくことで一致",
# "〜することを確認") wins over the ending, as "commitment" wins in English mixed units.

_JA_COMMITMENT = re.compile(
    r"(?P<cue>ていく|ていきます|ていくこと|していく|する予定|予定である|ことで一致|"
    r"(?<![ただ])ことを(?:再)?確認|ことを約束|こととした|こととする|ことを決定)"
)
_JA_NEGATION = re.compile(r"(?:ない|ません)$|ないこと(?:で一致|を(?:再)?確認|を約束|とし)")
_JA_ACTION = re.compile(
    r"(?P<cue>(?:立ち上げ|署名|開催|発表|設立|締結|採択|発出|公表|開始|実施)(?:し|され)?た|"
    r"(?:会合|会談|会議)を(?:開催し|行っ)た)"
)
_JA_ENDORSEMENT = re.compile(
    r"(?P<cue>を歓迎|認識を共有|重要性を(?:再)?確認|を強調|旨述べ|と述べ|を評価|を支持|"
    r"を再確認|(?:た|だ)ことを確認|を確認した)"
)
_JA_DISCUSSION = re.compile(
    r"(?P<cue>について(?:の)?(?:意見交換|議論|協議)|意見交換を行|議論を行|協議を行)"
)
_JA_ASPIRATION = re.compile(r"(?P<cue>を目指|を期待|に努め|を検討)")
# Endings of a plain or polite non-past predicate: "〜を設置する。", "〜を推進します。".
_JA_FUTURE_ENDING = re.compile(
    r"(?P<cue>(?:する|します|行う|行います|進める|進めます|図る|図ります|取り組む|取り組みます|"
    r"続ける|続けます|強める|強めます|深める|深めます|高める|高めます))$"
)
# Non-past endings that describe rather than pledge: "〜を目的とする", "〜に関する".
_JA_STATIVE_ENDING = re.compile(
    r"(?:(?<!こと)とする|関する|有する|要する|意味する|存在する|位置する|相当する|該当する|"
    r"対する)$"
)
# The topic ("〜は") of a bare non-past ending must be one of the parties, as the subject of
# "will" must be in English: "本枠組みは…が参加します" describes a framework, it pledges nothing.
_JA_PARTY_TOPIC = re.compile(
    r"両国|両者|双方|日米|米日|両首脳|両大臣|両閣僚|政府|日本|米国|我が国|[省庁]|大臣|首脳|総理|"
    r"大統領|長官|代表|各国|閣僚|我々"
)
_JA_NON_PARTY_TOPIC = re.compile(
    r"^(?:本|これ|この)|枠組み|協定|合意|計画|声明|文書|制度|会合|会議"
)
_JA_SENTENCE_END = re.compile(r"[。．.!！」）)\s]+$")


def label_unit(text: str, context: UnitContext | None = None) -> LabelDecision:
    """Label one unit; `context` says whether it is a heading, an item, a quotation."""
    context = context or UnitContext()
    if context.language == "ja":
        return _label_japanese(text, context)
    stripped = text.strip()
    if context.in_quote or stripped.startswith(("“", '"')) or _QUOTE_ATTRIBUTION.search(stripped):
        return LabelDecision(Label.OTHER, 0.75, "quotation")
    if context.is_heading and not context.is_item:
        return LabelDecision(Label.OTHER, 0.9, "heading")
    body = _TOPIC_PREFIX.sub("", stripped, count=1) if len(stripped) > 40 else stripped
    lowered = body.lower()
    decision = (
        _commitment(lowered)
        or _verb_led_item(body, context)
        or _cue(Label.ACTION_TAKEN, _ACTION_TAKEN, lowered, 0.75, skip_start=not context.is_item)
        or _cue(Label.DIRECTIVE, _DIRECTIVE, lowered, 0.8)
        or _aspiration(lowered)
        or _cue(Label.ENDORSEMENT, _ENDORSEMENT, lowered, 0.7)
        or _cue(Label.DISCUSSION, _DISCUSSION, lowered, 0.75)
        or _inherited(body, context)
    )
    if decision is None:
        return LabelDecision(Label.OTHER, 0.6, "")
    return _hedged(decision, lowered)


def is_forcing_lead_in(text: str, label: Label) -> bool:
    """A lead-in whose list items take commitment force ("The ministers agreed on:")."""
    stripped = text.rstrip()
    if not stripped.endswith(":"):
        return False
    if label is Label.COMMITMENT:
        return True
    return bool(
        re.search(
            r"\b(?:agree(?:d|ing|s)?\s+(?:on|to)|decided|will|commit\w*|intend\w*|plans?\s+to|"
            r"including\s+by)\b",
            stripped.lower(),
        )
    )


def _commitment(lowered: str) -> LabelDecision | None:
    """A pledge of future action by the parties, or None."""
    if _NEGATION.search(lowered) and not _INTENT_VERB.search(lowered.split(" not ")[0]):
        return None  # "will not impose": a pledge of restraint is not a commitment here
    if _RECORDED_COMMITMENTS.search(lowered):
        return LabelDecision(Label.COMMITMENT, 0.75, "records commitments")
    for found in _INTENT_VERB.finditer(lowered):
        if _is_action(found.group("verb"), lowered[found.end() :]):
            return LabelDecision(Label.COMMITMENT, 0.85, found.group("cue"))
    noun = _COMMITMENT_NOUN.search(lowered)
    if (
        noun
        and _looks_like_verb(noun.group("verb"))
        and _is_action(noun.group("verb"), lowered[noun.end() :])
    ):
        return LabelDecision(Label.COMMITMENT, 0.8, noun.group(0)[:40])
    agreed = _AGREED_THAT.search(lowered)
    if agreed and _is_action(agreed.group("verb"), lowered[agreed.end() :]):
        return LabelDecision(Label.COMMITMENT, 0.8, agreed.group(0)[:40])
    if _STEADFAST.search(lowered):
        return LabelDecision(Label.COMMITMENT, 0.7, "remain steadfast in support")
    continuing = _CONTINUE_FIRST_PERSON.search(lowered)
    if continuing and _is_action(continuing.group("verb"), lowered[continuing.end() :]):
        return LabelDecision(Label.COMMITMENT, 0.75, "we continue to")
    return _modal_pledge(lowered)


def _modal_pledge(lowered: str) -> LabelDecision | None:
    """ "will"/"shall" + action with the parties as subject."""
    if _TODAYS_PROGRAMME.search(lowered):
        return None  # the day's ceremony ("Today, the President will outline ...")
    for found in _MODAL.finditer(lowered):
        verb = found.group("verb")
        if verb in {"not", "be", "have"}:
            continue
        if not _party_is_subject(lowered[: found.start()]):
            continue
        if _is_action(verb, lowered[found.end() :]):
            return LabelDecision(Label.COMMITMENT, 0.8, found.group("modal"))
    return None


def _party_is_subject(before: str) -> bool:
    """Whether the subject of the clause ending at a modal is one of the parties."""
    clause = re.split(r"[,;:—–(]|\bthat\b|\bwhich\b", before)[-1].strip()
    if not clause or clause.endswith((" and", " but")) or clause in {"and", "but"}:
        # Coordinated verb phrase: the subject opens the sentence.
        clause = re.split(r"[,;:]", before)[0]
        words = clause.split()
        clause = " ".join(words[:6])
    words = clause.split()
    if not words:
        return False
    head = " ".join(words[-6:])
    non_party = _NON_PARTY_SUBJECT.search(head)
    party = _PARTY_SUBJECT.search(head)
    if party is None:
        return False
    return non_party is None or party.start() < non_party.start()


def _is_action(verb: str, rest: str) -> bool:
    """An action verb whose object is not merely an outcome or a vision."""
    stem = verb.removesuffix("ing")
    if verb in _VAGUE_VERBS or stem in _VAGUE_VERBS or stem + "e" in _VAGUE_VERBS:
        return False
    if verb in _VIEW_VERBS or stem in _VIEW_VERBS or stem + "e" in _VIEW_VERBS:
        return False
    if verb == "work" and re.match(r"\s*(?:together\s+)?to\s+(\w+)", rest):
        purpose = re.match(r"\s*(?:together\s+)?to\s+(\w+)", rest)
        if purpose and purpose.group(1) in _VAGUE_VERBS | {"generate", "achieve", "create"}:
            return False
    window = " ".join(rest.split()[:6])
    return not _OUTCOME_NOUNS.search(window)


def _aspiration(lowered: str) -> LabelDecision | None:
    found = _ASPIRATION.search(lowered)
    if found:
        return LabelDecision(Label.ASPIRATION, 0.7, found.group("cue"))
    for modal in _MODAL.finditer(lowered):
        verb = modal.group("verb")
        if verb in {"not", "be", "have"} or _TODAYS_PROGRAMME.search(lowered):
            continue
        if _ENDORSEMENT.search(lowered[: modal.start()]):
            continue  # a stance on an effect: "emphasized that X will support Y"
        if _party_is_subject(lowered[: modal.start()]) or verb in _EFFECT_VERBS:
            # Parties' intent with an outcome object, or a document's claimed effect.
            return LabelDecision(Label.ASPIRATION, 0.6, f"will {verb}")
    return None


def _cue(
    label: Label,
    pattern: _Cue,
    lowered: str,
    confidence: float,
    skip_start: bool = False,
) -> LabelDecision | None:
    for found in pattern.finditer(lowered):
        if skip_start and found.start() == 0:
            continue  # an opening participle: "Launched in 2021, the Council ..."
        return LabelDecision(label, confidence, found.group("cue"))
    return None


def _verb_led_item(body: str, context: UnitContext) -> LabelDecision | None:
    """An infinitive or gerund item under a commitment lead-in: "Establish a mechanism ..."."""
    if context.lead_in is not Label.COMMITMENT:
        return None
    start = _BASE_VERB_START.match(body)
    verb = start.group("verb").lower() if start else ""
    if verb in ITEM_VERBS or (verb.endswith("ing") and verb[:-3] in ITEM_VERBS | _GERUND_STEMS):
        return LabelDecision(Label.COMMITMENT, 0.75, "lead-in")
    return None


def _inherited(body: str, context: UnitContext) -> LabelDecision | None:
    """Noun items under a commitment lead-in ("Non-imposition of export duties;") take its
    force too; a one- or two-word item is a fragment, not a pledge."""
    if context.lead_in is not Label.COMMITMENT or not context.is_item:
        return None
    if len(body.split()) < 3:
        return None
    return LabelDecision(Label.COMMITMENT, 0.65, "lead-in")


def _looks_like_verb(word: str) -> bool:
    """The word after "commitment to" is a verb ("to support"), not a noun ("to a ...")."""
    if word in _DETERMINERS:
        return False
    stem = word.removesuffix("ing")
    return (
        word in ITEM_VERBS
        or word in _EXTRA_VERBS
        or (word.endswith("ing") and (stem in ITEM_VERBS | _EXTRA_VERBS | _GERUND_STEMS))
    )


def _hedged(decision: LabelDecision, lowered: str) -> LabelDecision:
    if decision.label is Label.COMMITMENT and _HEDGES.search(lowered):
        return LabelDecision(decision.label, round(decision.confidence - 0.15, 2), decision.cue)
    return decision


def _label_japanese(text: str, context: UnitContext) -> LabelDecision:
    """Japanese statements: the MOFA/METI cues, the sentence ending first; else `other`."""
    if context.is_heading and not context.is_item:
        return LabelDecision(Label.OTHER, 0.9, "heading")
    ending = _JA_SENTENCE_END.sub("", text)
    if _JA_NEGATION.search(ending):
        # "〜を課さない": a pledge of restraint is not a commitment here (as "will not").
        return _japanese_cue(ending, (Label.ENDORSEMENT, Label.DISCUSSION)) or LabelDecision(
            Label.OTHER, 0.6, "negation"
        )
    found = _JA_COMMITMENT.search(ending)
    if found:
        return LabelDecision(Label.COMMITMENT, 0.75, found.group("cue"))
    # The main predicate: the last clause (after the last "、") holds the sentence's verb.
    last_clause = ending.rsplit("、", 1)[-1]
    decision = _japanese_cue(last_clause, _JA_CUE_ORDER)
    if decision is not None:
        return decision
    future = _JA_FUTURE_ENDING.search(ending)
    if future and not _JA_STATIVE_ENDING.search(ending) and _japanese_party_topic(ending):
        return LabelDecision(Label.COMMITMENT, 0.7, future.group("cue"))
    return _japanese_cue(ending, _JA_CUE_ORDER) or LabelDecision(Label.OTHER, 0.6, "")


def _japanese_party_topic(text: str) -> bool:
    """Whether the sentence's topic ("…は", near the start) names one of the parties."""
    head, marker, _ = text[:40].partition("は")
    if not marker:
        return False
    return bool(_JA_PARTY_TOPIC.search(head)) and not _JA_NON_PARTY_TOPIC.search(head)


_JA_PATTERNS = {
    Label.ACTION_TAKEN: _JA_ACTION,
    Label.ASPIRATION: _JA_ASPIRATION,
    Label.ENDORSEMENT: _JA_ENDORSEMENT,
    Label.DISCUSSION: _JA_DISCUSSION,
}
_JA_CUE_ORDER = tuple(_JA_PATTERNS)


def _japanese_cue(text: str, labels: tuple[Label, ...]) -> LabelDecision | None:
    """The label whose Japanese cue ends last in `text` (the predicate that governs the
    sentence: "〜が実施されたことを確認した" confirms, it does not report an action);
    ties go to the earlier label in `labels`."""
    best: tuple[int, int, Label, str] | None = None
    for rank, label in enumerate(labels):
        for found in _JA_PATTERNS[label].finditer(text):
            key = (found.end(), -rank, label, found.group("cue"))
            if best is None or key[:2] > best[:2]:
                best = key
    if best is None:
        return None
    return LabelDecision(best[2], 0.65, best[3])
