"""Topics (taxonomy leaf slugs, ARCHITECTURE.md "Default taxonomy") and sectors.

Keyword rules: each slug lists the words officials use for it ("*" ends a word
stem). They are deliberately literal; a unit may carry several topics and several
sectors. Matching is token-based (see keywords.py) to keep extraction fast.
"""

from __future__ import annotations

from kizuna.extraction.keywords import PhraseMatcher

_TOPIC_PHRASES: dict[str, list[str]] = {
    "supply-chain-resilience": [
        "supply chain*",
        "value chain*",
        "supply sources",
        "strategic supplies",
        "dependenc*",
        "economic resilience",
        "diversif* supply",
        "diversif* of supply",
        "diversif* our supply",
        "diversif* key supply",
        "diversif* sources",
        "rare earth*",
        "gallium",
        "germanium",
        "graphite",
        "resilien* of strategic",
        "resilien* of global",
        "サプライチェーン",
    ],
    "critical-technology-protection": [
        "export control*",
        "export restriction*",
        "investment screening",
        "research security",
        "sanction*",
        "technology protection",
        "輸出管理",
    ],
    "cybersecurity": ["cyber*", "サイバー"],
    "non-market-practices": [
        "non market",
        "nonmarket",
        "overcapacit*",
        "excess capacity",
        "market distorti*",
        "level playing field",
        "industrial subsid*",
        "market oriented conditions",
        "fair competition",
        "trade distortive",
    ],
    "economic-coercion": ["coerci*", "weaponi*", "経済的威圧"],
    "energy-security": [
        "energy security",
        "energy insecurity",
        "gas supply",
        "lng",
        "energy diversification",
        "energy market*",
        "energy supply",
        "エネルギー安全保障",
    ],
    "market-access": [
        "market access",
        "tariff*",
        "barriers to trade",
        "trade barrier*",
        "bilateral trade",
        "trade relationship",
        "export duties",
        "trade concerns",
        "trade issues",
        "open and competitive",
        "expand trade",
        "trade and investment",
        "trade with",
        "merchandise trade",
        "free and fair trade",
        "市場アクセス",
        "二国間の通商",
    ],
    "digital-trade": [
        "digital trade",
        "data flow*",
        "free flow of data",
        "data free flow",
        "e commerce",
        "digital economy",
        "digital market*",
        "digital tools in trade",
        "デジタル貿易",
    ],
    "trade-facilitation": [
        "trade facilitation",
        "facilitate trade",
        "customs",
        "e invoicing",
        "digital tools in trade",
    ],
    "labor-rights": [
        "labor*",
        "labour*",
        "workers rights",
        "worker rights",
        "human rights due diligence",
        "労働",
    ],
    "trade-and-environment": [
        "environmental standards",
        "environmental issues",
        "environmental goods",
        "protect the environment",
        "protects the environment",
        "protecting the environment",
        "global environment",
        "sustainable trade",
        "circular economy",
        "green public procurement",
        "trade climate and environmental",
    ],
    "regional-multilateral-fora": [
        "wto",
        "world trade organization",
        "world trade organisation",
        "oecd",
        "g20",
        "apec",
        "ipef",
        "indo pacific economic framework",
        "multilateral*",
        "indo pacific",
        "global south",
        "like minded partners",
        "ministerial conference",
        "world health organization",
        "インド太平洋",
    ],
    "two-way-investment": ["invest", "investment", "investments", "investing", "投資"],
    "third-country-infrastructure": [
        "third country infrastructure",
        "infrastructure in third",
        "infrastructure in developing",
        "infrastructure for developing",
        "central america",
        "southern mexico",
        "pgii",
        "partnership for global infrastructure",
        "developing countries",
        "emerging and developing",
    ],
    "research-cooperation": [
        "research*",
        "r and d",
        "scientific",
        "science and technology",
        "研究",
    ],
    "digital-connectivity": [
        "5g",
        "6g",
        "telecommunication*",
        "ict",
        "connectivity",
        "internet",
        "submarine cable*",
        "digital infrastructure",
        "online platforms",
    ],
    "people-to-people": [
        "people to people",
        "workforce",
        "education",
        "exchange program*",
        "students",
        "in our people",
        "skills training",
    ],
    "clean-energy-technology": [
        "clean energy",
        "renewable*",
        "solar",
        "hydrogen",
        "electric vehicle*",
        "e vehicle",
        "battery",
        "batteries",
        "low carbon goods",
        "zero to low carbon",
        "clean technolog*",
        "critical minerals supply chains",
    ],
    "decarbonization": [
        "climate",
        "net zero",
        "decarboni*",
        "emissions",
        "coal",
        "fossil fuel*",
        "clean growth",
        "energy transition",
        "carbon neutral*",
        "脱炭素",
        "気候",
    ],
    "health-security": ["covid*", "pandemic*", "health", "vaccine*", "medical", "保健"],
    "rules-and-norms": [
        "standards development",
        "technology standards",
        "international standards",
        "standardi*",
        "rules based",
        "rule of law",
        "rules of the road",
        "economic order",
        "trustworthy ai",
        "risk based approach to ai",
        "ai governance",
        "disinformation",
        "information manipulation",
        "human rights",
        "interoperability",
        "free and fair",
        "digital trade rules",
        "ルール",
    ],
}

_SECTOR_PHRASES: dict[str, list[str]] = {
    "semiconductors": ["semiconductor*", "chip", "chips", "半導体"],
    "critical-minerals": [
        "critical mineral*",
        "rare earth*",
        "gallium",
        "germanium",
        "graphite",
        "lithium",
        "重要鉱物",
    ],
    "batteries": ["battery", "batteries", "蓄電池"],
    "ict-5g": ["5g", "6g", "telecommunication*", "ict", "submarine cable*", "open ran"],
    "steel": ["steel", "aluminium", "aluminum", "鉄鋼"],
    "autos": ["automo*", "electric vehicle*", "e vehicle", "auto", "autos", "自動車"],
    "agriculture": ["agricultur*", "farmers", "ranchers", "food security", "grain", "農業"],
    "energy": [
        "energy",
        "gas",
        "lng",
        "coal",
        "nuclear",
        "hydrogen",
        "solar",
        "エネルギー",
    ],
    "pharmaceuticals": ["pharmaceutic*", "medicine", "medicines", "vaccine*", "医薬品"],
    "shipbuilding": ["shipbuilding", "shipyard*", "造船"],
    "aerospace-defense": [
        "aerospace",
        "defense industr*",
        "defence industr*",
        "outer space",
        "space industr*",
        "防衛",
    ],
    "ai": ["ai", "artificial intelligence", "人工知能"],
    "quantum": ["quantum", "量子"],
    "biotech": ["biotech*", "bioeconomy", "バイオ"],
}

# One matcher for both, so each unit's tokens are scanned once.
_MATCHER = PhraseMatcher(
    {f"topic:{slug}": phrases for slug, phrases in _TOPIC_PHRASES.items()}
    | {f"sector:{slug}": phrases for slug, phrases in _SECTOR_PHRASES.items()}
)

TOPIC_SLUGS: tuple[str, ...] = tuple(_TOPIC_PHRASES)
SECTOR_SLUGS: tuple[str, ...] = tuple(_SECTOR_PHRASES)


def find_topics_and_sectors(
    unit_text: str, words: list[str] | None = None
) -> tuple[list[str], list[str]]:
    """Taxonomy leaf slugs (in taxonomy order) and sector slugs the unit's words name."""
    topics: list[str] = []
    sectors: list[str] = []
    for key in _MATCHER.find(unit_text, words):
        kind, _, slug = key.partition(":")
        (topics if kind == "topic" else sectors).append(slug)
    return topics, sectors


def find_topics(unit_text: str) -> list[str]:
    """Taxonomy leaf slugs whose words the unit uses."""
    return find_topics_and_sectors(unit_text)[0]


def find_sectors(unit_text: str) -> list[str]:
    """Sector slugs whose words the unit uses."""
    return find_topics_and_sectors(unit_text)[1]
