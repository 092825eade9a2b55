"""Held-out rule book written from `extraction-dev` only (a helper session, 2026-11-28).

Its author read EXTRACTION.md, ARCHITECTURE.md's taxonomy and the `extraction-dev` set,
never the U.S.-Japan set, the shipped labelling/topic rules, the tests or the docs. The
rules are grammar, not memory: a pledge is a party subject (or a decision verb) with a
future-intent cue and a concrete action; effects claimed for a document, negations,
hedged wishes and same-day ceremony announcements are not pledges. Mixed units take
the first label in the order commitment > action_taken > directive > aspiration >
endorsement > discussion > other, as the set's README prescribes.
"""

from __future__ import annotations

import re

from kizuna.extraction.keywords import PhraseMatcher, tokens
from kizuna.extraction.labelling import Label, LabelDecision, UnitContext

# --- English vocabulary ------------------------------------------------------------


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Who can pledge: pronouns of the parties, collective nouns for delegations, and names
# of governments and groups that meet in allied economic dialogues.
_PARTY = (
    r"(?:we|they|both|each|both sides|the two sides|the sides|the parties|(?:the\s+)?ministers|"
    r"leaders|countries|nations|governments|partners|agencies|departments|ministries|officials|"
    r"(?:the\s+)?(?:g7|g20|quad|asean|united states|u\.s\.|us|america|eu|european union|"
    r"european commission|commission|japan|india|canada|mexico|australia|korea|rok|"
    r"united kingdom|uk|france|germany|italy|new zealand|singapore|philippines|indonesia|"
    r"vietnam|brazil|ukraine|taiwan))"
)
# Adverbs and helpers that may sit between a cue and its verb.
_FILLER = r"(?:(?:\w+ly|also|further|jointly|together|continue to|keep|,[^,]{0,30},)\s+)*"
# Verbs that name a concrete act of the parties (EXTRACTION.md's list and its kin).
_ACTION_VERBS = (
    "launch establish convene hold provide invest develop strengthen coordinate conclude sign "
    "implement publish monitor support maintain engage accelerate identify cooperate promote "
    "ensure address enhance expand deliver achieve increase reach work continue fight step "
    "advance diversify protect facilitate use consult redouble devote make create set deploy "
    "finalize finalise negotiate pursue mobilize mobilise adopt apply align share exchange "
    "build deepen expedite combat counter reduce phase remove eliminate fund finance host "
    "organize organise submit revise review reinforce tackle encourage collaborate "
    "assist help mitigate prevent keep secure broaden designate reactivate "
    "partner enforce uphold conduct carry undertake prepare draft report introduce "
    "operationalize operationalise complete initiate start begin resume train dispatch send "
    "open procure produce supply renew sustain scale"
)
_ACTION_STEMS = _words(_ACTION_VERBS)
_IRREGULAR_PARTICIPLES = {"held": "hold", "made": "make", "built": "build", "kept": "keep"}
# Words that may precede the verb of a list item ("Further cooperate on ...").
_LEADING_ADVERBS = _words("further also jointly together more better")
# Hedges keep the label but lower the confidence.
_HEDGES = re.compile(r"\b(?:as appropriate|where possible|if possible|as needed|may|could)\b", re.I)
# Outcomes rather than acts: "generate growth", "advance our shared vision".
_OUTCOME_NOUNS = re.compile(r"\b(?:vision|growth|prosperity|well-being|benefits?)\b", re.I)
# "work together to X", "make efforts to X": X is what is pledged.
_GENERIC_VERBS = _words("work continue make redouble devote step")
_PURPOSE = re.compile(
    r"(?:\s+(?:together|closely|jointly|further|our|their|efforts?))*\s+to\s+(?P<verb>\w+)"
)
_VAGUE_VERBS = _words("generate advance foster realize realise benefit contribute")

_NEGATION = re.compile(r"\b(?:will|shall|do|does|did)\s+not\b|\bwon't\b|\bnever\b", re.I)
# A same-day ceremony ("Today, President Biden will outline ...") is programme, not pledge.
_CEREMONY = re.compile(r"^\s*today,?\s+(?:president|prime minister|secretary)\b", re.I)
_PARTY_WILL = re.compile(
    rf"\b{_PARTY}(?!\w)\s*{_FILLER}(?:will|shall)\s+{_FILLER}(?P<verb>\w+)", re.I
)
_ANY_WILL = re.compile(r"\b(?:will|shall)\s+(?:\w+ly\s+)?(?P<verb>\w+)", re.I)
# Decision and intent verbs that bind their subject to an act.
_INTENT = re.compile(
    r"\b(?:intends?|intended|plans?|planned|commits?|committed|decided|decides|agreed|agree|"
    r"agrees|resolved|determined|consented|concurred|scheduled|pledged?|pledges|undertakes?|"
    r"(?:are|is|remain|remains)\s+committed)\s+(?:to|,[^,]{0,30},\s*to)\s*"
    rf"{_FILLER}(?:be\s+)?(?P<verb>[\w-]+)",
    re.I,
)
# "reaffirmed our commitment to support ...": a renewed pledge names its act.
_RENEWED = re.compile(
    r"\b(?:reaffirm\w*|reiterat\w*|renew\w*|underlin\w*|increase)\s+(?:our|their|its|the)\s+"
    r"(?:\w+\s+){0,2}(?:commitment|determination|resolve)\s+to\s+"
    rf"{_FILLER}(?P<verb>[\w-]+)",
    re.I,
)
# "agreed that the working groups should be re-activated", "reaffirmed that the G7 will ..."
_AGREED_THAT = re.compile(
    r"\b(?:agreed|decided|reaffirmed|confirmed)\s+that\s+[^;.]{0,120}?\b(?:will|shall|should)\s+"
    rf"{_FILLER}(?:be\s+)?(?P<verb>[\w-]+)",
    re.I,
)
# Reported intent in a readout: "confirmed that Japan and the U.S. would continue to ...".
_REPORTED_WOULD = re.compile(
    r"\b(?:agreed|decided|confirmed|affirmed|reaffirmed|stated|said|expressed)\s+(?:\w+\s+)?that\s+"
    rf"(?:[\w.]+\s+){{0,4}}?{_PARTY}(?!\w)\s*{_FILLER}would\s+{_FILLER}(?P<verb>\w+)",
    re.I,
)
# First-person continuity: "We continue to strengthen ..." (a view verb makes it endorsement).
_WE_CONTINUE = re.compile(rf"\bwe\s+{_FILLER}continue\s+to\s+(?P<verb>\w+)", re.I)
# "remain unwavering in our support to Ukraine": a standing pledge of support.
_STEADFAST = re.compile(
    rf"\b{_PARTY}\s+(?:\w+\s+){{0,4}}?remains?\s+(?:unwavering|steadfast|resolute|firm)\s+in\s+"
    r"(?:our|their|its)\s+(?:[\w,-]+\s+){0,6}?(?P<verb>support)\b",
    re.I,
)
_VIEW_VERBS = _words("condemn support welcome recognise recognize note believe value")

_ACTION_TAKEN = re.compile(
    r"(?<!\bbe\s)\b(?:met|held(?!\s+(?:discussions?|talks|an? exchange))|took place|launched|launches|signed|adopted|released|extended|announced|"
    r"established|convened|relaunched|inaugurated|concluded|approved|completed|published|"
    r"agreed on(?!\s*:|\s+the\s+(?:importance|need))|collaborated|built on|has continued|have continued|continues to|"
    r"have (?:\w+ly\s+)?(?:deepened|furthered|enhanced|strengthened|expanded|made)|"
    r"are (?:strengthening|broadening|deepening|supporting|coordinating|working)|"
    r"is (?:strengthening|supporting|coordinating)|confirmed the (?:issuance|agreement|launch)|"
    r"we (?:hereby\s+)?release|was held|were held|was launched|was signed)\b",
    re.I,
)
_DIRECTIVE = re.compile(
    r"\b(?:call(?:s|ed)? (?:on|upon)|urge[sd]?|invite[sd]?|request(?:s|ed)?)\b", re.I
)
_ASPIRATION = re.compile(
    r"\b(?:aims?|aimed|seeks?|sought|strives?|hopes?|hoped|expects?|expected|wish(?:es)?|"
    r"aspires?)\s+to\b|\blook(?:s|ed)? forward\b|\bmay be (?:explored|considered)\b|"
    r"\b(?:explore|consider)\b|\bshould serve\b|\bis designed to\b|"
    r"\b(?:step|milestone) towards?\b|\b(?:objective|priority|goal|ambition) is to\b|"
    r"\bwill work together\b",
    re.I,
)
_ENDORSEMENT = re.compile(
    r"\b(?:welcom\w*|not(?:ed|e)\b|recogni[sz]\w*|emphasi[sz]\w*|underscor\w*|underlin\w*|"
    r"reaffirm\w*|reiterat\w*|affirm\w*|condemn\w*|deplor\w*|appreciat\w*|grateful|"
    r"acknowledg\w*|share[sd]?\s+(?:the|a|an|our|their|and|concerns?|views?)|"
    r"(?:concurred|agreed) on the (?:importance|need)|expressed (?:satisfaction|support|concern)|"
    r"confirmed the (?:need|importance)|congratulat\w*|stress\w*|highlight\w*|"
    r"remain (?:concerned|committed)|agreed that|support (?:for|the)|share a vision)\b",
    re.I,
)
_DISCUSSION = re.compile(
    r"\b(?:discuss\w*|exchanged views|exchange of views|held discussions|reviewed|"
    r"took stock|talked)\b",
    re.I,
)
# "Topic label: rest" at the head of an outcomes item.
_ITEM_LABEL = re.compile(r"^[^:]{1,60}:\s+(?=[a-z])")
_PAST_TENSE_IRREGULAR = _words("held met set made took led built gave sent began brought won spoke")
_HEADING_NUMBER = re.compile(r"^\s*(?:\d{1,2}|[IVX]{1,4})\.\s")
_SENTENCE_VERB = re.compile(r"\b(?:is|are|was|were|will|shall|has|have|had|\w+ed|met|held)\b", re.I)
_LEAD_IN = re.compile(
    r"\b(?:agreed|decided|committed|agreeing|deciding|committing|resolved|intend)\b"
    r"[^:]{0,200}:\s*$",
    re.I,
)

# --- Japanese cues (EXTRACTION.md) -------------------------------------------------

_JA_COMMITMENT = re.compile(
    r"(?:していく|していきます|進めていく|取り組んでいく|推進していく|強化していく|継続していく|"
    r"連携していく|協力していく|する)ことで一致|(?:していく|進めていく|取り組んでいく|する)ことを(?:再)?確認|"
    r"(?:していく|する)(?:考え|予定|方針)である旨述べ"
)
_JA_ACTION = re.compile(
    r"(?:開催された|開催した|署名した|署名された|発出した|立ち上げた|採択した|発表した)"
)
_JA_ENDORSEMENT = re.compile(r"歓迎|認識を共有|重要性を(?:再)?確認|旨述べ|強調|支持")
_JA_DISCUSSION = re.compile(r"意見交換|議論|協議")
_JA_DIRECTIVE = re.compile(r"求めた|呼びかけ|要請")


def label_unit(text: str, context: UnitContext | None = None) -> LabelDecision:
    """The label of one unit, with a confidence and the words that decided it."""
    context = context or UnitContext()
    stripped = text.strip()
    if not stripped:
        return LabelDecision(Label.OTHER, 0.9)
    if context.language == "ja" or _is_japanese(stripped):
        if context.is_heading or (
            "。" not in stripped and not context.is_item and len(stripped) < 40
        ):
            return LabelDecision(Label.OTHER, 0.7, "heading")
        return _label_japanese(stripped)
    if context.lead_in is Label.COMMITMENT and not context.is_heading:
        item = _label_forced_item(stripped, is_item=context.is_item)
        if item is not None:
            return item
    if context.is_heading or _looks_like_heading(stripped):
        return LabelDecision(Label.OTHER, 0.85, "heading")
    return _label_sentence(stripped)


def _label_sentence(text: str) -> LabelDecision:
    """Cues in the README's order of precedence for mixed units."""
    pledge = _pledge_cue(text)
    if pledge:
        return LabelDecision(Label.COMMITMENT, _pledge_confidence(text), pledge)
    for label, pattern, confidence in _ORDERED_CUES:
        match = pattern.search(text)
        if match:
            return LabelDecision(label, confidence, match.group(0))
    # "will" with no party as subject claims an effect ("These provisions will promote ...");
    # a ceremony, a negation or a list opening ("which will prioritize:") is not one.
    claimed_effect = _ANY_WILL.search(text)
    opens_list = text.rstrip().endswith(":")
    if claimed_effect and not (_CEREMONY.search(text) or _NEGATION.search(text) or opens_list):
        return LabelDecision(Label.ASPIRATION, 0.5, claimed_effect.group(0))
    return LabelDecision(Label.OTHER, 0.6)


_ORDERED_CUES: tuple[tuple[Label, re.Pattern[str], float], ...] = (
    (Label.ACTION_TAKEN, _ACTION_TAKEN, 0.75),
    (Label.DIRECTIVE, _DIRECTIVE, 0.75),
    (Label.ASPIRATION, _ASPIRATION, 0.65),
    (Label.ENDORSEMENT, _ENDORSEMENT, 0.75),
    (Label.DISCUSSION, _DISCUSSION, 0.75),
)


def _pledge_cue(text: str) -> str:
    """The words of a pledge by the parties to a concrete act; "" when there is none."""
    if _NEGATION.search(text) or _CEREMONY.search(text):
        return ""
    pledges = (_INTENT, _RENEWED, _AGREED_THAT, _REPORTED_WOULD, _PARTY_WILL, _WE_CONTINUE)
    for pattern in (*pledges, _STEADFAST):
        for match in pattern.finditer(text):
            if _names_concrete_act(text, match):
                return match.group(0)
    return ""


def _names_concrete_act(text: str, match: re.Match[str]) -> bool:
    """The pledged verb is an act, not a view or an outcome such as growth or a vision."""
    verb = match.group("verb").lower()
    purpose = _PURPOSE.match(text, match.end())
    if verb in _GENERIC_VERBS and purpose:
        verb = purpose.group("verb").lower()
    if verb in _VIEW_VERBS and match.re is _WE_CONTINUE:
        return False
    if verb in _VAGUE_VERBS and _OUTCOME_NOUNS.search(text[match.end() : match.end() + 60]):
        return False
    return _is_action_verb(verb)


def _is_action_verb(word: str) -> bool:
    """An action verb in base, -ing or past-participle form ("re-activated" counts)."""
    word = word.replace("-", "")
    candidates = {
        word,
        _IRREGULAR_PARTICIPLES.get(word, word),
        word.removesuffix("ing"),
        word.removesuffix("ing") + "e",
    }
    candidates |= {word.removesuffix("ed"), word.removesuffix("d"), word.removesuffix("s")}
    return not candidates.isdisjoint(_ACTION_STEMS)


def _pledge_confidence(text: str) -> float:
    """Lower for a hedged pledge ("as appropriate", "where possible")."""
    return 0.6 if _HEDGES.search(text) else 0.85


def _label_forced_item(text: str, *, is_item: bool) -> LabelDecision | None:
    """An item under a forcing lead-in: infinitive or gerund acts inherit the pledge,
    past-tense items report acts; anything else is left to the sentence rules. A line
    that is not a list item inherits only when it opens with a bare verb ("Advance ...")."""
    body = _ITEM_LABEL.sub("", text, count=1)
    words = [word.lower().strip(",;") for word in body.split()]
    while words and (words[0] in _LEADING_ADVERBS or words[0].endswith("ly")):
        words.pop(0)
    first = words[0] if words else ""
    if not is_item:
        bare_verb = body[:1].isupper() and first in _ACTION_STEMS
        return LabelDecision(Label.COMMITMENT, 0.7, f"lead-in + {first}") if bare_verb else None
    if _is_past_tense(first):
        pledge = _pledge_cue(body)
        if pledge:
            return LabelDecision(Label.COMMITMENT, 0.8, pledge)
        return LabelDecision(Label.ACTION_TAKEN, 0.7, first)
    if body[:1].isupper() and _is_action_verb(first):
        return LabelDecision(Label.COMMITMENT, 0.75, f"lead-in + {first}")
    return None


def _is_past_tense(word: str) -> bool:
    return word in _PAST_TENSE_IRREGULAR or (word.endswith("ed") and len(word) > 4)


def _looks_like_heading(text: str) -> bool:
    """Short lines without a finite verb, numbered section titles, datelines."""
    words = text.split()
    if _HEADING_NUMBER.match(text) and len(words) <= 14:
        return True
    if text.endswith((".", ":", "?")) and len(words) > 4:
        return False
    return len(words) <= 12 and not _SENTENCE_VERB.search(text)


def is_forcing_lead_in(text: str, label: Label) -> bool:
    """A list lead-in whose items inherit commitment force ("The two sides decided to:")."""
    if _CEREMONY.search(text) or _NEGATION.search(text):
        return False
    if label not in (Label.COMMITMENT, Label.ACTION_TAKEN, Label.OTHER):
        return False
    ends_list_opening = text.rstrip().endswith(":")
    return bool(_LEAD_IN.search(text.strip())) or (label is Label.COMMITMENT and ends_list_opening)


def _is_japanese(text: str) -> bool:
    return bool(re.search(r"[\u3040-\u30ff\u3400-\u9fff]", text))


def _label_japanese(text: str) -> LabelDecision:
    """Japanese readouts: the cues EXTRACTION.md lists, first match in precedence order."""
    for label, pattern, confidence in (
        (Label.COMMITMENT, _JA_COMMITMENT, 0.75),
        (Label.ACTION_TAKEN, _JA_ACTION, 0.65),
        (Label.DIRECTIVE, _JA_DIRECTIVE, 0.6),
        (Label.ENDORSEMENT, _JA_ENDORSEMENT, 0.65),
        (Label.DISCUSSION, _JA_DISCUSSION, 0.65),
    ):
        match = pattern.search(text)
        if match:
            return LabelDecision(label, confidence, match.group(0))
    return LabelDecision(Label.OTHER, 0.5)


# --- Topics and sectors -------------------------------------------------------------

# Leaf topics of ARCHITECTURE.md's taxonomy, described in the words official texts use.
_TOPIC_PHRASES: dict[str, tuple[str, ...]] = {
    "supply-chain-resilience": (
        "supply chain*",
        "value chain*",
        "resilien*",
        "diversif*",
        "dependenc*",
        "critical minerals",
        "rare earth*",
        "early warning",
        "shortage*",
        "disruption*",
        "サプライチェーン",
        "供給網",
    ),
    "critical-technology-protection": (
        "technology leakage",
        "outbound investment",
        "export control*",
        "export restriction*",
        "investment screening",
        "research security",
        "sanction*",
        "technology protection",
        "dual use",
        "輸出管理",
        "投資審査",
    ),
    "cybersecurity": ("cyber*", "security by design", "secure networks", "サイバー"),
    "non-market-practices": (
        "non market",
        "market distorting",
        "trade distortive",
        "overcapacity",
        "industrial subsid*",
        "level playing field",
        "forced technology transfer",
        "非市場的",
    ),
    "economic-coercion": ("coercion", "coercive", "weaponi*", "経済的威圧"),
    "energy-security": (
        "liquefied natural gas",
        "energy security",
        "gas supply",
        "lng",
        "energy supply",
        "energy diversification",
        "energy market*",
        "エネルギー安全保障",
    ),
    "market-access": (
        "market access",
        "tariff*",
        "trade barrier*",
        "bilateral trade",
        "non tariff",
        "agricultur*",
        "trade relationship",
        "trade and investment",
        "exports",
        "市場アクセス",
        "関税",
    ),
    "digital-trade": (
        "digital trade",
        "data flow*",
        "flow of data",
        "e commerce",
        "digital protectionis*",
        "e invoicing",
        "digital tools",
        "データ流通",
        "デジタル貿易",
    ),
    "trade-facilitation": ("trade facilitation", "customs", "border procedures", "貿易円滑化"),
    "labor-rights": (
        "forced labour",
        "forced labor",
        "child labour",
        "child labor",
        "labor rights",
        "labour rights",
        "workers rights",
        "labour standards",
        "labor standards",
        "強制労働",
        "労働",
    ),
    "trade-and-environment": (
        "sustainable trade",
        "trade and environment",
        "environmental issues",
        "green public procurement",
        "climate and environmental",
    ),
    "regional-multilateral-fora": (
        "wto",
        "world trade organization",
        "oecd",
        "g20",
        "apec",
        "ministerial conference",
        "multilateral trading system",
        "world health organization",
        "世界貿易機関",
        "ＷＴＯ",
    ),
    "two-way-investment": (
        "two way investment",
        "investment*",
        "investor*",
        "投資",
    ),
    "third-country-infrastructure": (
        "third countries",
        "third country",
        "quality infrastructure",
        "global infrastructure",
        "infrastructure investment",
        "infrastructure development",
        "developing countries",
        "economic development in",
        "第三国",
        "インフラ",
    ),
    "research-cooperation": (
        "quantum",
        "joint research",
        "research*",
        "r and d",
        "joint undertaking",
        "science",
        "high performance computing",
        "hpc",
        "研究",
    ),
    "digital-connectivity": (
        "6g",
        "5g",
        "telecommunication*",
        "internet",
        "connectivity",
        "submarine cable*",
        "ict",
        "open ran",
        "digital infrastructure",
        "通信",
    ),
    "people-to-people": (
        "people to people",
        "workforce",
        "exchange program*",
        "education*",
        "student*",
        "skills",
        "youth",
        "人的交流",
    ),
    "clean-energy-technology": (
        "nuclear energy",
        "nuclear power",
        "modular reactor*",
        "clean energy",
        "solar",
        "renewable*",
        "hydrogen",
        "electric vehicle*",
        "e vehicle",
        "charging infrastructure",
        "battery",
        "batteries",
        "critical minerals",
        "クリーンエネルギー",
    ),
    "decarbonization": (
        "net zero",
        "decarboni*",
        "climate",
        "emissions",
        "coal",
        "fossil fuel*",
        "energy transition",
        "carbon",
        "脱炭素",
        "気候",
    ),
    "health-security": (
        "covid*",
        "pandemic",
        "health",
        "vaccine*",
        "medical countermeasures",
        "保健",
    ),
    "rules-and-norms": (
        "rules based",
        "standard*",
        "artificial intelligence",
        "ai",
        "trustworthy",
        "disinformation",
        "information manipulation",
        "human rights",
        "rule of law",
        "digital identit*",
        "governance",
        "free and fair",
        "norms",
        "ルール",
    ),
}
_TOPICS = PhraseMatcher(_TOPIC_PHRASES)
_SECTOR_PHRASES: dict[str, tuple[str, ...]] = {
    "semiconductors": ("semiconductor*", "chips", "半導体"),
    "critical-minerals": ("critical minerals", "rare earth*", "重要鉱物"),
    "batteries": ("batter*", "蓄電池"),
    "ict-5g": ("5g", "6g", "telecommunication*", "ict"),
    "steel": ("steel", "aluminium", "aluminum", "鉄鋼"),
    "autos": ("automotive", "electric vehicle*", "e vehicle", "autos", "自動車"),
    "agriculture": ("agricultur*", "grain", "farmers", "food security", "農業"),
    "energy": ("energy", "gas", "lng", "electricity", "エネルギー"),
    "pharmaceuticals": ("pharmaceutical*", "vaccine*", "医薬品"),
    "shipbuilding": ("shipbuilding", "造船"),
    "aerospace-defense": ("aerospace", "defense industr*", "防衛産業"),
    "ai": ("ai", "artificial intelligence", "人工知能"),
    "quantum": ("quantum", "量子"),
    "biotech": ("biotech*", "biotechnology", "バイオ"),
}
_SECTORS = PhraseMatcher(_SECTOR_PHRASES)


def find_topics_and_sectors(
    text: str, words: list[str] | None = None
) -> tuple[list[str], list[str]]:
    """Taxonomy leaf topics and sector slugs whose vocabulary appears in the unit."""
    words = words if words is not None else tokens(text)
    return _TOPICS.find(text, words), _SECTORS.find(text, words)
