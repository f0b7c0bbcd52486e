"""Free text -> Signals: what the allowance is, how it may be used, and the rest of the offer."""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from typing import cast, get_args

from core import lexicon as lx
from core.models import Component, ComponentKind, Found, Money, Period, Signals, VerdictKind
from core.money import MoneyMention, find_money
from core.rules import verdict_for
from core.text import Prepared, count_in, prepare

Span = tuple[int, int]

# "your team's experiments" are work; "if you need more for work" is about top-ups, not use.
_WORK_OWNER = re.compile(
    r"\b(?:team|company|work|client|business|job|our|engineering|employer|org)(?:'s)?\s"
    r"(?:(?!or\b|and\b|nor\b|but\b|plus\b)[\w-]+\s)?$"
)
_NEED_MORE = re.compile(r"\b(?:need|needs|needed|require|requires|more|additional|extra)\b")
# "whatever you don't use", "credits we didn't spend": the unused balance, not a denial
_UNUSED = re.compile(
    r"\b(?:what|whatever|anything|that|which|credits?|tokens?|budget|balance|money|amount)\s+(?:you|u|we|i|they)\s+"
    r"(?:don't|do not|didn't|did not|haven't|have not|won't)\s+(?:use|spend|need|burn|consume)\b\s*$"
)
# "not restricted to tools connected with your role": the work phrase is what it is not limited to
_NOT_LIMITED_TO = re.compile(
    r"\b(?:not|n't|never)\s+(?:be\s+)?(?:restricted|limited|confined|tied)\s+(?:only\s+)?to\b(?:\s+\S+){0,3}\s*$"
)
# "In addition to standard equipment, ...": what the sentence is not about
_BESIDES = re.compile(
    r"\b(?:in addition to|besides|apart from|aside from|on top of|as well as|alongside|other than)\s(?:[\w'-]+\s){0,3}$"
)
# "No AI budget at all", "there's no token allowance": an allowance that is not there
_NO_ALLOWANCE = re.compile(
    r"\bnothing (?:about|on|re|regarding) (?:ai|llm|token|api|genai)\b|"
    r"\b(?:no|zero|without(?: any| an?)?)\s(?:ai|llm|token|api|genai|tooling) "
    r"(?:budget|allowance|stipend|credits?|perk)s?\b|"
    r"\baucun(?:e)? (?:budget|allocation|crédit|enveloppe)s? (?:ia|d'ia)\b|"
    r"\bkein(?:e|en)? ki-(?:budget|zuschuss|guthaben|pauschale)\b|"
    r"\bning[uú]n(?:a)? (?:presupuesto|suscripci[oó]n|ayuda)\b"
)
# An indirect question's "whether" in English, German (ob), French and Spanish (si)
_WHETHER = re.compile(r"\b(?:whether|if|ob|si)\b")
# "If personal use were allowed (I'd call it a perk), but ...": only its own clause is hypothetical
_COUNTERFACTUAL = re.compile(r"\b(?:were|was) (?:allowed|permitted|ok|okay|fine|open)\b")
# "Verfallen tut nichts", "n'expire jamais": a verb denied after it
_NOTHING_AFTER = re.compile(r"\s+(?:[\w']+\s+){0,2}(?:nichts|nie|niemals|jamais|nunca)\b")
# What a product name can modify: "Claude credits", "Cursor/Claude token budget"
_NAMES_A_NOUN = re.compile(
    r"(?:[\s/&+-]+[\w.-]+){0,2}?\s(?:credits?|tokens?|api|stipends?|budget|allowance)\b|[^\s。、]{0,6}(?:クレジット|トークン)"
)
# "Annual bonus gets paid out in March.": a pay component's own terms
_PAY_COMPONENT = re.compile(
    r"(?<!as a )(?<!as )(?<!into )(?<!like a )(?<!your )(?<!the )"
    r"\b(?:bonus|sign[- ]?on|signing|rsus?|equity|stock|options|commission)\b"
)
# What a benefit with no AI word is for, when it is not the AI allowance
_NON_AI_THING = re.compile(
    r"\b(?:equipment|hardware|desk|chair|monitors?|furniture|store|gift|swag|internet|broadband|phone|mobile|gym|"
    r"wellness|meals?|food|lunch|commut\w*|travel|relocation|coworking|courses?|tuition|books?|headphones|amazon|"
    r"groceries|childcare|parking|transit|graduate|semester)\b"
)
# A text about what AI costs a person, with no employer in it: "my ChatGPT Plus bill is $20 a month"
_CONSUMER = re.compile(
    r"\b(?:bill|(?:it|that|which|this) costs?|costs? (?:me|us)|price[sd]?|pricing|per (?:million|1m|1k|thousand)|"
    r"usage was|ran up|charged|"
    r"my (?:own )?(?:subscription|plan|account|card|usage)|i pay|i'm paying|i paid|better value|cheaper|"
    r"more expensive)\b"
)
_PROVISION_CONTEXT = re.compile(
    r"\b(?:offer\w*|employers?|company|company's|firm|startup|org|team|they|we get|i get|gets?|given|gives?|provided?|"
    r"provides|covers?|covered|reimburs\w*|expensed?|stipends?|allowances?|budgets?|perks?|benefits?|package|comp|"
    r"compensation|salary|base|bonus|hr|recruiter|hiring|job|role|letter|contract|policy|credits|claim\w*|finance|"
    r"business|work)\b"
)
_UNLIMITED = re.compile(r"\bunlimited\b")
_TIER_WORDS = frozenset({"plus", "pro", "max", "ultra"})
_NEEDS_MORE_AFTER = re.compile(r"\s+(?:needs?|requires?|demands?)\s+(?:more|extra|additional)\b")
# "whatever you need for work": what the work needs is the scope, not a need for more
_WHATEVER_NEEDED = re.compile(
    r"\b(?:whatever|anything|everything|what|tools?|tooling|the [\w-]+)\s+(?:you|u|we|i|they)\s+(?:need|require)\s*$"
)
_WORK_WORD = re.compile(
    r"\b(?:work|business|job|professional|official|trabajo|laboral|travail|boulot|professionnel|arbeit|beruflich|"
    r"dienstlich)\b|業務|仕事"
)
_TOTAL_BEFORE = re.compile(
    r"(?:total (?:(?:target|annual|annualised|annualized|expected|guaranteed|on-target) )?"
    r"(?:comp(?:ensation)?|package|rewards?|remuneration|pay|cash)|\btc|\bctc|\bote|all[- ]in|"
    r"\b(?:el|le|das) total(?: que [\w ]{0,25})?|gesamtpaket|gesamtvergütung|rémunération (?:totale|globale)|"
    r"retribución total|paquete total|総額)"
    r"\s*(?:\([^()]{0,40}\)\s*)?(?:(?:on the offer |in the letter |on paper )?(?:says|said|reads|shows)|is|=|:|"
    r"of|comes to|of about|around|~|≈|at|will be|would be)?\s*"
    r"(?:about|around|roughly|approximately|approx\.?|circa|c\.|~|an estimated|estimated)?\s*$"
)
_TOTAL_AFTER = re.compile(
    r"^\s*(?:/\s?(?:yr|year)|a year|per year|annually|p\.?a\.?)?\s*(?:in )?"
    r"(?:total (?:comp(?:ensation)?|package|rewards?|remuneration|pay|cash)|tc\b|ctc\b|ote\b|all[- ]in)"
)
_UNIT_GRANT = re.compile(r"\d[\d,.]*\s?k?\s?(?:options|shares|rsus?|units)\b")
_PERMISSIVE = re.compile(
    r"(?:\w+n't|not|never|no|nobody|no one)\s+(?:\w+\s+)?"
    r"(?:mind|minds|care|cares|object|objects|police|check|checks|restrict|limit|problem|objection|issue|one cares|"
    r"info|information|details?|word|mention|idea)\b"
)
_EXCEPTION_AFTER = re.compile(r"\s+(?:but|except|other than|besides)\b")
_EXCEPTED = re.compile(r"\b(?:anything|everything)\s+(?:but|except|other than|besides)\s+(?:for\s+)?$")
_DOUBLE_NEGATIVE = re.compile(r"\b(?:not (?:like|that|as if)|nobody said|no one said|never said)\b[^,;.]{0,12}$")
_LIMIT_BEFORE = re.compile(
    r"\b(?:up to|(?:a )?max(?:imum)?(?: of)?|capped at|cap(?: of)?|limit(?: of)?|no more than|at most|ceiling(?: of)?)"
    r"\s*(?:a\s)?$"
)
_REPLY = re.compile(r"\b(?:said|says|told|replied|answered|wrote|confirmed|responded)\b")
_YES_NO_OPENER = (
    r"(?:so\s+|and\s+|but\s+)?(?:is|are|does|do|did|will|would|can|could|should|shall|has|have|was|were|may|might)\b"
)
_YES_NO_QUESTION = re.compile(rf"\s*{_YES_NO_OPENER}")
# A yes/no question after a colon or a dash, inside a sentence that opens with the offer's terms
_INNER_YES_NO = re.compile(
    rf"[:–—]\s*{_YES_NO_OPENER}|,\s*(?:so\s+)?(?:is|are|does|do|can|will|would) (?:that|it|they|this|those)\b"
)
# An answer that is no answer: "Personal use? Not sure.", "Rollover? No idea."
_UNKNOWN_ANSWER = re.compile(
    r"\W*(?:[a-z]+\s*:\s*)?(?:(?:i'm |i am |we're |still )?not (?:sure|clear|known|specified|stated|mentioned|decided)|"
    r"no idea|unclear|unknown|(?:i )?(?:don't|do not) know|dunno|tbd|tba|(?:they )?didn't say|"
    r"(?:the (?:offer(?: letter)?|letter|contract|email|policy|recruiter|doc|document) |it |hr )?"
    r"(?:doesn't|does not|didn't|did not|won't) (?:say|specify|mention|tell)|"
    r"no (?:answer|reply|response|word)(?: yet)?|not yet|pending|waiting|who knows|nobody knows|"
    r"['\"]?(?:[a-z]+(?: [a-z]+)?, )?let me check|(?:they'll|she'll|he'll|will) get back)\b"
)
_ASKING_LEAD = re.compile(r"\s*(?:also|and|so|plus|or)\b")
# "work-only? roll over? cap?": a label answered only by the next label is not answered
_NEXT_IS_LABEL = re.compile(r"\?\s*[\w' -]{1,25}\?")
_WH_QUESTION = re.compile(r"\s*(?:so\s+)?(?:what|how|why|which|who|where|when)\b")
_AFFIRMED = re.compile(
    r"\W*(?:[a-z]+\s*:\s*)?(?:yes|yep|yeah|sure|of course|absolutely|definitely|totally)\b(?!\s*(?:but|,\s*but))"
)
_ASKED_REACH = 18
# "Can I use it for ...?", "Is it OK to ...?": the use is what is being asked.
_PERMISSION_QUESTION = re.compile(
    r"\W*(?:so\s+|and\s+|but\s+)?(?:can|could|may|am i allowed|are we allowed|is it (?:ok|okay|fine|allowed))\b"
)
_COUNTED_IN = re.compile(
    r"\b(?:counted|included|part of|in|into|towards)\s+(?:(?:my|your|the|their|our)\s+)?(?:tc|ctc|ote|total)"
)
_TOKEN_COUNT = re.compile(r"\d[\d,.]*\s?(?:k|m|mn|million|thousand|b|bn|billion)?\s?(?:ai |api |llm )?tokens?\b")
_QUESTION_TOPICS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("tax", lx.TAX),
    ("ask", re.compile(r"\b(?:ask|questions?|negotiat\w*|push back|what to say)\b")),
    ("expiry", re.compile(r"\b(?:expir\w*|roll\w* over|rollover|carry over|use it or lose it)\b")),
    ("top_up", re.compile(r"\b(?:top[- ]?up|run out|more than the allowance|unlimited|cap)\b")),
    ("value", re.compile(r"\b(?:worth|value|count|pay|compensation|comp|perk|salary|real)\b")),
)
_COUNTRIES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\b(?:uk|united kingdom|britain|england|scotland|hmrc|p11d|london)\b"), "GB"),
    (
        re.compile(
            r"\b(?:usa|u\.s\.a?\.?|united states|america|irs|w-?2|1099|new york|san francisco|california)(?!\w)"
        ),
        "US",
    ),
    (re.compile(r"\b(?:india|bangalore|bengaluru|mumbai|delhi|hyderabad|pune|lpa)\b"), "IN"),
    (re.compile(r"\b(?:canada|toronto|vancouver|cra)\b"), "CA"),
    (re.compile(r"\b(?:germany|deutschland|berlin|munich)\b"), "DE"),
)
# A question about what something is worth: what it names is a fact ("does the IT-run seat count as pay?")
_VALUE_TOPIC = dict(_QUESTION_TOPICS)["value"]
# Any of them: most texts name no country, and one scan says so.
_ANY_COUNTRY = re.compile("|".join(f"(?:{pattern.pattern})" for pattern, _ in _COUNTRIES))
_US_CAPITALS = re.compile(r"U(?<!\wU)\.?S\.?(?![\w$])")  # "U" first: the engine skips to each "U"
#: The country a currency implies, for tax notes when the text names no country.
COUNTRY_OF_CURRENCY = {"USD": "US", "GBP": "GB", "INR": "IN", "CAD": "CA", "AUD": "AU", "JPY": "JP"}


def extract_signals(prep_or_text: str | Prepared) -> Signals:
    """Everything the rules need from one text."""
    if isinstance(prep_or_text, str):
        prep_or_text = _unslash(prep_or_text)
    prep = prep_or_text if isinstance(prep_or_text, Prepared) else prepare(prep_or_text)
    low = prep.low
    money = _corrected(prep, find_money(prep))
    others = _other_party_sentences(prep, money)  # "my buddy gets $500/month ...; mine is $200/month"
    if others:
        money = [mention for mention in money if not _inside(mention.start, others)]
    prep.set_focus(_focus(prep, money))
    questions = _interrogative_spans(prep, money)
    sums = sorted(mention.start for mention in money)  # to count the sums in a span by bisection
    components, main_index, stated_total, allowance_clauses = _components(prep, money, sums, questions)
    # what AI costs the writer, with no employer in the text: no allowance
    consumer = bool(prep.first(_CONSUMER)) and not prep.first(_PROVISION_CONTEXT)
    if consumer:
        components = [component for component in components if component.kind != "allowance"]
        main_index, allowance_clauses = None, {}

    main_money = _main_money(money, components, main_index)

    # The main allowance's facts come from everywhere except the clauses of other allowances,
    # priced ones and named seats with no sum ("a Cursor Pro seat (personal use is fine), plus $300/mo ...").
    other = [span for i, span in allowance_clauses.items() if i != main_index]
    if main_index is not None:
        other += _unpriced_seat_clauses(prep, sums, allowance_clauses[main_index])
    scope = _exclude([(0, len(low))], other + others)
    if main_index is not None and len(allowance_clauses) > 1:
        own = [allowance_clauses[main_index]]
        if _use(prep, own, questions) is not None:
            scope = sorted(own + _exclude([(0, len(low))], list(allowance_clauses.values())))

    equipment = _equipment_sentences(prep, sums)
    if main_index is not None:
        equipment += _other_benefit_sentences(prep, allowance_clauses[main_index])
    tiers = _tiers(prep, _exclude(scope, equipment), money, main_money)
    use = _first_tier(_use, prep, tiers, questions) or _use(prep, _shared_statements(prep), questions)
    expiry = _first_tier(_expiry, prep, tiers, questions)
    top_up = _first_tier(_top_up, prep, tiers, questions)
    for asked in _answered_no(prep):  # "I asked if the credits roll over and she said no"
        use = use or _flipped(_use(prep, [asked], ()), _NO_USE)
        expiry = expiry or _flipped(_expiry(prep, [asked], ()), _NO_EXPIRY)
        top_up = top_up or _flipped(_top_up(prep, [asked], ()), _NO_TOP_UP)
    has_allowance = (
        main_index is not None or _mentions_allowance(prep) or (bool(use or top_up) and _stated_about_allowance(prep))
    ) and not consumer
    # beside a sum for the allowance, the laptop and its terms are not the allowance
    kit_scope = _exclude(scope, equipment) if main_money is not None else scope
    kit = _kit(prep, kit_scope, questions) if has_allowance else None
    if kit is None and has_allowance and questions and prep.first(_VALUE_TOPIC):
        kit = _kit(
            prep, kit_scope, ()
        )  # "Does a company-paid Claude Team seat, run by IT, count as pay?": the seat is a fact
    form = _form(prep, allowance_clauses.get(main_index) if main_index is not None else None, scope, questions)

    is_question = bool(questions) and not money and (low.rstrip().endswith("?") or _starts_with_question(prep))
    topics: list[Found] = []
    if is_question:
        for name, pattern in _QUESTION_TOPICS:
            match = pattern.search(low)
            if match:
                topics.append(Found(value=name, phrase=prep.source(match.start(), match.end())))

    token_count = None
    if main_money is None:
        count = _TOKEN_COUNT.search(low)
        if count:
            token_count = prep.source(count.start(), count.end())

    return Signals(
        has_allowance=has_allowance,
        money=_as_money(main_money),
        form=form,
        use=use,
        expiry=expiry,
        top_up=top_up,
        company_kit=kit,
        comp_framing=_first(prep, lx.COMP_FRAMING, [(0, len(low))], ())
        or _framing_from_total(components, main_index, stated_total),
        tax=_first(prep, lx.TAX, [(0, len(low))], ()),
        country=_country(prep, main_money),
        is_question=is_question,
        components=_in_text_order(prep, components),
        stated_total=_as_money(stated_total),
        token_count=token_count,
        topics=topics,
    )


# --- scopes --------------------------------------------------------------------------------


# "base/bonus/equity/AI: $160k / 15% / $40k/yr / $500/mo stipend": labels and values paired by position.
_SLASH_HINT = re.compile(r"[A-Za-z]\s?/\s?[A-Za-z][\w ]{0,20}[:=]")
_SLASHED_LABELS = re.compile(r"(?P<labels>[A-Za-z][\w ]{0,20}(?:\s*/\s*[A-Za-z][\w ]{0,20}){1,7})\s*[:=]\s*")


def _unslash(text: str) -> str:
    """Rewrite a slash-separated package as "base $160k, bonus 15%, ..." (the values keep their own words)."""
    if "/" not in text or not _SLASH_HINT.search(text):
        return text
    match = _SLASHED_LABELS.search(text)
    if match is None:
        return text
    labels = [label.strip() for label in match.group("labels").split("/")]
    rest = text[match.end() :]
    values = re.split(r"\s+/\s+", rest, maxsplit=len(labels) - 1)
    if len(values) != len(labels):
        return text
    paired = ", ".join(f"{label} {value.strip()}" for label, value in zip(labels, values, strict=True))
    return text[: match.start()] + paired


_RELOCATION = re.compile(r"\breloc(?:ation)?\b")
# "..., both for work": one statement about every allowance named before it
_SHARED_STATEMENT = re.compile(r"\s*(?:and\s+)?(?:both|all of them|all three|all two|each of them|all)\b")
_SHORT_TEXT = 600
_REFERS_BACK = re.compile(
    r"\s*(?:it|its|it's|this|these|that|they|them|the (?:allowance|budget|credits?|stipend|card|seat|plan|tokens?)|"
    r"unused|any unused|credits|you can|you may|personal|usage|use)\b"
)
_RELEVANT = (lx.AI_WORDS, lx.ALLOWANCE_NOUNS, lx.PRODUCTS, lx.KIT, lx.KIT_EQUIPMENT)


_SUM_CORRECTION = re.compile(
    r"\b(?:wait|sorry|i mean|oops|i misread|my mistake|correction|scratch that|i was wrong|typo|nvm|never mind)\b|"
    r"\b(?:the (?:final|written|signed) (?:letter|offer|version|one)|the offer i (?:accepted|signed)|"
    r"knocked (?:it )?(?:down|up) to|(?:revised|reduced|lowered|cut) (?:down )?to)\b|"
    r"\bnot one[- ]time\b|\b(?:edit|upd(?:ate)?)\s?\d*\s?:"
)

# "the allowance isn't $1,500/month, it's $1,500 per year": the sum after the comma stands
_SUM_DENIED = re.compile(
    r"\b(?:isn't|is not|wasn't|was not|not)\s(?:[^.;,]|[.,](?=\d)){0,40}?,"
    r"\s*(?:it's|it is|it was|they're|but|rather|more like)\s(?=\S{0,4}\d)"
)


def _other_party_sentences(prep: Prepared, money: Sequence[MoneyMention]) -> list[Span]:
    """Sentences about someone else's allowance or a past job's ("my buddy at a fintech gets ...",
    "Old job: $50/mo"), when the rest of the text speaks of this offer's: they are left out."""
    hits = prep.everywhere(lx.OTHER_PARTY)
    if not hits:
        return []
    this = _starts(prep, lx.THIS_OFFER)
    others = [span for span in sorted({prep.sentence_at(hit.start()) for hit in hits}) if not count_in(this, span)]
    if not others:
        return []
    about_this = any(not _inside(mention.start, others) for mention in money) or any(
        not _inside(position, others) for position in _starts(prep, lx.PRODUCTS, lx.ALLOWANCE_CORE_NOUNS)
    )
    return others if about_this else []


def _corrected(prep: Prepared, money: list[MoneyMention]) -> list[MoneyMention]:
    """ "$500 a month, sorry, $400 a month": a sum corrected later is replaced by the correction."""
    if len(money) < 2:
        return money
    marks = [match.start() for match in prep.everywhere(_SUM_CORRECTION)]
    marks += [match.end() for match in prep.everywhere(_SUM_DENIED)]  # "isn't $1,500/month, it's $1,500 a year"
    marks = [mark for mark in marks if mark <= money[-1].start]  # "..., it's $2,000 per year, I misread"
    if not marks:
        return money
    mark = max(marks)
    before = [mention for mention in money if mention.end <= mark]
    after = [mention for mention in money if mention.start >= mark]
    if len(before) == 1 and len(after) == 1:  # one sum, restated: the later one stands
        return after
    return money


def _focus(prep: Prepared, money: Sequence[MoneyMention]) -> list[Span] | None:
    """In a long text (a pasted offer letter), the sentences about money or an allowance and the
    sentence after each: the rest is boilerplate ("do not use confidential information for any
    purpose other than your work") that must not be read as facts about the allowance."""
    if len(prep.low) <= _SHORT_TEXT:
        return None
    sentences = prep.sentences
    hits = [mention.start for mention in money]
    hits += [match.start() for pattern in _RELEVANT for match in prep.everywhere(pattern)]
    relevant: set[int] = set()
    for hit in hits:
        index = _sentence_index(sentences, hit)
        relevant.update((index, index + 1))
        # "It's meant for Claude usage. It's not for personal use. If you need more we'll raise it."
        if index + 1 < len(sentences) and _REFERS_BACK.match(prep.low, sentences[index + 1][0]):
            relevant.add(index + 2)
    merged: list[Span] = []  # neighbouring sentences as one span: fewer, longer scans
    for index in sorted(relevant):
        if not 0 <= index < len(sentences):
            continue
        start, end = sentences[index]
        if merged and start - merged[-1][1] <= 2:
            merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def _unpriced_seat_clauses(prep: Prepared, sums: Sequence[int], main: Span) -> list[Span]:
    """Clauses naming an AI product with no sum of their own beside the main allowance's, in its
    sentence, each with the parenthesis right after it: that seat's terms, not the priced allowance's."""
    low = prep.low
    spans: list[Span] = []
    for match in prep.everywhere(lx.PRODUCTS):
        start, end = prep.clause_at(match.start())
        if main[0] <= match.start() < main[1] or count_in(sums, (start, end)):
            continue
        if main[1] <= start and not low[main[1] : start].strip(" +&"):
            continue  # "$300/mo Cursor + ChatGPT allowance (...)": one allowance for both
        if prep.sentence_at(match.start()) != prep.sentence_at(main[0]):
            continue  # "They cover ChatGPT Plus. It's $20 a month.": the sum is that seat's
        opening = low[end : end + 2].lstrip()
        if opening.startswith("("):
            close = low.find(")", end)
            if close != -1 and not count_in(sums, (end, close)):
                end = close + 1
        spans.append((start, end))
    return spans


def _starts(prep: Prepared, *patterns: re.Pattern[str]) -> list[int]:
    """Sorted start positions of every match of `patterns` in the whole text (each scanned once)."""
    return sorted(match.start() for pattern in patterns for match in prep.everywhere(pattern))


def _other_benefit_sentences(prep: Prepared, main: Span) -> list[Span]:
    """Beside an AI allowance, sentences about another benefit and no AI ("The gym stipend can be
    used for anything", "The laptop is work-only"): their terms are that benefit's."""
    ai = _starts(prep, lx.AI_WORDS, lx.PRODUCTS)
    if not count_in(ai, main):
        return []
    benefits = _starts(prep, lx.OTHER_STIPEND_NOUN, lx.KIT_EQUIPMENT, _PAY_COMPONENT)
    if not benefits:
        return []
    low = prep.low
    spans: list[Span] = []
    for start, end in prep.sentences:
        if not (start <= main[0] < end) and count_in(benefits, (start, end)) and not count_in(ai, (start, end)):
            spans.append((start, end))
    for start, end in prep.clauses:  # "The laptop is work-only, but the AI stipend ...": the clause's subject
        if start <= main[0] < end or count_in(ai, (start, end)) or not count_in(benefits, (start, end)):
            continue
        subject = benefits[bisect.bisect_left(benefits, start)]
        if set(low[start:subject].split()) <= _DETERMINERS:
            spans.append((start, end))
    return sorted(spans)


def _equipment_sentences(prep: Prepared, sums: Sequence[int]) -> list[Span]:
    """Sentences about company equipment only (a laptop, "the equipment necessary for your role"),
    naming no sum, AI or allowance: their "business use only" is the equipment's terms, not the
    allowance's."""
    equipment = _starts(prep, lx.KIT_EQUIPMENT)
    if not equipment:
        return []
    other = _starts(prep, lx.AI_WORDS, lx.ALLOWANCE_CORE_NOUNS)
    return [
        span
        for span in prep.sentences
        if count_in(equipment, span) and not count_in(sums, span) and not count_in(other, span)
    ]


#: Up to this many clauses every one is looked at for a percentage or a grant of units; in a text
#: with more, only those `_share_clauses` picks out.
_FEW_CLAUSES = 16


def _share_clauses(prep: Prepared) -> Iterable[int]:
    """The places of the clauses that can hold a percentage or a grant of units ("4,000 RSUs"), in
    order: those with a "%", and those a unit grant found in the whole text overlaps. (A grant
    found in a clause alone starts where the whole text's scan finds one, or inside one it found.)"""
    clauses = prep.clauses
    if len(clauses) <= _FEW_CLAUSES:
        return range(len(clauses))
    low = prep.low
    marks = [(match.start(), match.end()) for match in _UNIT_GRANT.finditer(low)]
    for sign in ("%", "％"):
        at = low.find(sign)
        while at != -1:
            marks.append((at, at + 1))
            at = low.find(sign, at + 1)
    places: set[int] = set()
    for start, end in marks:
        first = max(0, bisect.bisect_right(clauses, (start, float("inf"))) - 1)
        last = bisect.bisect_left(clauses, (end, 0))  # clauses starting before the mark ends
        places.update(range(first, last))
    return sorted(places)


def _sentence_index(sentences: Sequence[Span], position: int) -> int:
    index = bisect.bisect_right(sentences, (position, float("inf"))) - 1
    return index if index >= 0 and sentences[index][0] <= position < sentences[index][1] else -1


def _interrogative_spans(prep: Prepared, money: Sequence[MoneyMention]) -> list[Span]:
    """Questions that name no sum ("can I use it for side projects?"): what they mention is asked,
    not stated. A question about a stated sum ("is $500/mo for work worth anything?") still
    describes the offer, so its facts count."""
    spans: list[Span] = []
    for start, end in prep.sentences:
        if prep.low[end : end + 1] != "?" and not prep.low[start:end].rstrip().endswith("?"):
            continue
        if "!" in prep.low[end - 1 : end + 2]:
            continue  # "Unlimited credits, personal projects too?!": surprise, not a question
        has_money = any(start <= mention.start < end for mention in money)
        if not has_money and _is_label(prep, start, end):
            if _UNKNOWN_ANSWER.match(prep.low, end + 1) or _NEXT_IS_LABEL.match(prep.low, end):
                spans.append((start, end))  # "Personal use? Not sure.": still a question
            continue  # "Personal use? Not allowed.", "Leftovers? Paid out.": read across the "?"
        if _UNKNOWN_ANSWER.match(prep.low, end + 1):
            spans.append((start, end))  # "What if I need more? No reply yet.": still a question
            continue
        if _REFUSED.match(prep.low, end + 1):
            spans.append((start, end))  # "Can I use it at home? The answer: no.": _answered_no reverses it
            continue
        if _AFFIRMED.match(prep.low, end + 1):
            continue  # "Can I use it for side projects? / Recruiter: yes, anything." makes it a fact
        if not has_money:
            spans.append((start, end))
            continue
        # "€200/mo AI allowance: does that include personal use?": the question after the colon
        inner = _INNER_YES_NO.search(prep.low, start, end)
        if inner is not None and not any(inner.start() <= mention.start < end for mention in money):
            spans.append((inner.start(), end + 1))
            continue
        # "is the $2k/yr budget work only?", "will they top up ...?": what opens or closes the
        # question is what it asks
        if _YES_NO_QUESTION.match(prep.low, start, end):
            spans.append((start, min(end, start + _ASKED_REACH)))
        if not _WH_QUESTION.match(prep.low, start, end):  # "what do you make of $X, work only?" states it
            spans.append((max(start, end - _ASKED_REACH), end + 1))
        # "$300/mo AI credits, can I use them for side projects?": the permission asked is not given
        for clause_start, clause_end in prep.clauses:
            if start <= clause_start < end and _PERMISSION_QUESTION.match(prep.low, clause_start, clause_end):
                spans.append((clause_start, end))
                break
    for match in prep.everywhere(lx.INDIRECT_QUESTION):  # "they didn't say whether it's work-only"
        start = prep.clause_at(match.start())[0]
        whether = _WHETHER.search(match.group())
        if whether:
            # "... my own projects too no idea if it rolls over": from its few lead words on
            start = max(start, match.start() - 16)
        elif match.start() - start <= 2 and _BARE_UNKNOWN.match(match.group()):
            start = _previous_clause_start(prep, start)  # "Pour l'usage perso, aucune idée": what is not known
        end = prep.sentence_at(match.start())[1]
        if not whether or _COUNTERFACTUAL.search(match.group()):
            end = prep.clause_at(match.start())[1]  # "nothing said about personal use, doesn't roll over"
        reply = _REPLY.search(prep.low, match.end(), end)  # "I asked if ... and they said no"
        if reply is not None and _SAID_YES.match(prep.low, reply.start()):
            continue  # "I asked if I could use it for side projects and she said yes": a fact
        next_sentence = prep.low[end + 1 : end + 60]
        if reply is None and _ANSWER_YES.match(next_sentence):
            continue
        spans.append((start, reply.start() if reply else end))
    return sorted(spans)


_BARE_UNKNOWN = re.compile(r"no idea|not sure|unclear|dunno|aucune idée|keine ahnung|ni idea|no sé")


def _previous_clause_start(prep: Prepared, start: int) -> int:
    """Where the clause before the one at `start` begins, within its sentence."""
    index = bisect.bisect_left(prep.clauses, (start, -1)) - 1
    if index < 0:
        return start
    previous = prep.clauses[index][0]
    return previous if previous >= prep.sentence_at(start)[0] else start


def _starts_with_question(prep: Prepared) -> bool:
    return bool(lx.INTERROGATIVE.match(prep.low))


def _inside(index: int, spans: Iterable[Span]) -> bool:
    return any(start <= index < end for start, end in spans)


def _exclude(spans: list[Span], holes: Sequence[Span]) -> list[Span]:
    result = spans
    for hole_start, hole_end in holes:
        cut: list[Span] = []
        for start, end in result:
            if hole_end <= start or hole_start >= end:
                cut.append((start, end))
                continue
            if start < hole_start:
                cut.append((start, hole_start))
            if hole_end < end:
                cut.append((hole_end, end))
        result = cut
    return sorted(result)


def _matches(
    prep: Prepared, pattern: re.Pattern[str], scope: Sequence[Span], questions: Sequence[Span]
) -> Iterable[re.Match[str]]:
    """Matches of `pattern` that start inside `scope` and outside questions, in text order."""
    for match in prep.find_all(pattern):
        index = match.start()
        if _inside_sorted(index, scope) and not _inside(index, questions):
            yield match


def _inside_sorted(index: int, spans: Sequence[Span]) -> bool:
    position = bisect.bisect_right(spans, (index, float("inf"))) - 1
    return position >= 0 and spans[position][0] <= index < spans[position][1]


def _found(prep: Prepared, value: str, match: re.Match[str]) -> Found:
    return Found(value=value, phrase=prep.source(match.start(), match.end()))


def _first(prep: Prepared, pattern: re.Pattern[str], scope: Sequence[Span], questions: Sequence[Span]) -> Found | None:
    match = next(iter(_matches(prep, pattern, scope, questions)), None)
    return None if match is None else _found(prep, "yes", match)


def _ordered(
    prep: Prepared,
    table: Sequence[tuple[str, re.Pattern[str]]],
    scope: Sequence[Span],
    questions: Sequence[Span],
) -> Found | None:
    for value, pattern in table:
        match = next(iter(_matches(prep, pattern, scope, questions)), None)
        if match is not None:
            return _found(prep, value, match)
    return None


def _negated(prep: Prepared, match: re.Match[str], reach: int = 2) -> bool:
    """A negation close before the phrase (within `reach` words) or a refusal right after it."""
    clause_start, clause_end = prep.clause_at(match.start())
    before = prep.low[max(clause_start, match.start() - 40) : match.start()]
    before = before[before.rfind(": ") + 2 :] if ": " in before else before  # "I haven't seen before: a ..."
    after = prep.low[match.end() : min(clause_end, match.end() + 45)]
    if _EXCEPTED.search(prep.low, max(0, match.start() - 30), match.start()):
        return True  # "spend it on anything but personal stuff"
    if prep.low[clause_end : clause_end + 1] in ("?", "|") or _EXCEPTION_AFTER.match(prep.low, match.end()):
        # "personal use? not allowed.", "on anything but personal stuff": read past the clause break
        after = prep.low[match.end() : match.end() + 45]
    if lx.NOT_RESTRICTED_AFTER.search(after):
        return False
    before_pattern = lx.VERBAL_NEGATION_BEFORE if reach == 0 else lx.NEGATION_BEFORE[reach]
    negation = before_pattern.search(before)
    if negation is not None and _DOUBLE_NEGATIVE.search(
        prep.low, max(0, match.start() - len(before) - 16), match.start() - len(before) + negation.start()
    ):
        negation = None  # "it's not like we can't use it for personal things"
    if negation is not None and _PERMISSIVE.match(before, negation.start()):
        negation = None  # "they don't mind if I use it on my side projects"
    if negation is not None and _UNUSED.search(before):
        negation = None  # "whatever you don't use stays in your account": what is unused
    return bool(negation or lx.NEGATION_AFTER.search(after))


# --- use, top-up, form -----------------------------------------------------------------------


_SAYS_NO = re.compile(r"\bno\b|\bnot\b|n't")
_RSUS = re.compile(r"\brsus?\b")


def _use(prep: Prepared, scope: Sequence[Span], questions: Sequence[Span]) -> Found | None:
    table = dict(lx.USE)
    some = next(iter(_matches(prep, table["some_personal"], scope, questions)), None)
    if some is not None:
        return _found(prep, "some_personal", some)
    personal: list[re.Match[str]] = []
    strong: list[re.Match[str]] = []
    for match in _matches(prep, table["personal_allowed"], scope, questions):
        if _WORK_OWNER.search(prep.low[max(0, match.start() - 24) : match.start()]):
            continue  # "the team's experiments" are work
        # "personal use is not allowed", "not to be used outside work": a restriction
        (strong if _negated(prep, match, reach=6) else personal).append(match)
    for match in _matches(prep, table["work_only"], scope, questions):
        if _DOUBLE_NEGATIVE.search(prep.low, max(0, match.start() - 16), match.start()) or _PERMISSIVE.match(
            match.group()
        ):
            personal.append(match)  # "it's not like we can't use it for personal things"
        elif "only" not in match.group() and _about_more(prep, match):
            continue  # "if we need more for client work it gets raised": about the top-up
        elif (
            (_negated(prep, match) or _NOT_LIMITED_TO.search(prep.low, prep.clause_at(match.start())[0], match.start()))
            and not _SAYS_NO.search(match.group())
            and not match.group().startswith(("anything", "everything"))
        ):
            personal.append(match)  # "not restricted to work": an opening, not a restriction
        else:
            strong.append(match)
    weak = [
        m
        for m in _matches(prep, lx.WORK_WEAK, scope, questions)
        if not _negated(prep, m, reach=0) and not _about_more(prep, m)
    ]
    # "for official work as well as personal learning": the work phrase is half of an opening;
    # "work-related learning only": the personal word is inside the restriction
    personal = [p for p in personal if not any(m.start() <= p.start() and p.end() <= m.end() for m in strong)]
    strong = [
        m
        for m in strong
        if not any(m.start() <= p.start() < m.end() < p.end() and _WORK_WORD.search(p.group()) for p in personal)
    ]
    conditional = next((m for m in strong if m.group().startswith("as long as")), None)
    if conditional is not None:  # "use it for anything, as long as it's work"
        return _found(prep, "work_only", conditional)
    if personal and strong:
        return _found(prep, "some_personal", min(personal + strong, key=lambda m: m.start()))
    if personal:
        return _found(prep, "personal_allowed", personal[0])
    if strong or weak:
        return _found(prep, "work_only", (strong or weak)[0])
    return None


def _about_more(prep: Prepared, match: re.Match[str]) -> bool:
    """ "if we need more for client work it gets raised": the work phrase is about the top-up
    ("whatever you need for work" is the scope)."""
    before = prep.low[prep.clause_at(match.start())[0] : match.start()]
    if _NEEDS_MORE_AFTER.match(prep.low, match.end()):
        return True  # "we lift it for anyone whose work needs more"
    return bool(_NEED_MORE.search(before)) and not _WHATEVER_NEEDED.search(before)


def _expiry(prep: Prepared, scope: Sequence[Span], questions: Sequence[Span]) -> Found | None:
    """The first expiry reading that holds; "not paid out" is not a cash-out."""
    for value, pattern in lx.EXPIRY:
        for match in _matches(prep, pattern, scope, questions):
            if value == "cash_out" and _negated(prep, match, reach=1):
                continue
            denied_before = prep.low[max(0, match.start() - 3) : match.start()] == "no "  # "no se pierde"
            if value == "expires" and (_NOTHING_AFTER.match(prep.low, match.end()) or denied_before):
                continue  # "Verfallen tut jedenfalls nichts": nothing expires
            if value == "rolls_over" and _negated(prep, match, reach=1):
                return _found(prep, "expires", match)  # "rollover? no.", "not carried over"
            return _found(prep, value, match)
    return None


def _top_up(prep: Prepared, scope: Sequence[Span], questions: Sequence[Span]) -> Found | None:
    explicit_yes, hard_no, soft_yes = (pattern for _, pattern in lx.TOP_UP)
    # "we won't top it up": a soft promise negated is a cap
    match = next(iter(_matches(prep, explicit_yes, scope, questions)), None)
    if match is not None:
        return _found(prep, "yes", match)
    match = next(iter(_matches(prep, hard_no, scope, questions)), None)
    if match is not None:
        return _found(prep, "no", match)
    for match in _matches(prep, soft_yes, scope, questions):
        return _found(prep, "no" if _negated(prep, match) else "yes", match)
    return None


def _form(prep: Prepared, clause: Span | None, scope: Sequence[Span], questions: Sequence[Span]) -> Found | None:
    """How the allowance is given. How it is paid (reimbursed) beats what it buys (a seat); the
    allowance's own clause speaks before the rest of its sentence, then the rest of the text."""
    if clause is None:
        return _ordered(prep, lx.FORMS[:1], scope, ()) or _earliest(prep, lx.FORMS, scope)
    questions = ()  # what a question names ("is a Cursor seat pay?") is still the thing asked about
    sentence = [prep.sentence_at(clause[0])]
    reimbursement = _ordered(prep, lx.FORMS[:1], [clause], questions)
    found = (
        reimbursement
        or _earliest(prep, lx.FORMS, [clause])
        or _earliest(prep, lx.FORMS, sentence)
        or _ordered(prep, lx.FORMS, scope, questions)
    )
    if found is not None and found.value == "subscription":  # "Erstattung von Kosten für KI-Abos (z. B. ChatGPT Plus)"
        after = prep.sentence_at(sentence[0][1] + 1)  # "... Copilot ... Expensed through Concur."
        found = _ordered(prep, lx.FORMS[:1], [sentence[0], after], questions) or found
    return found


def _earliest(prep: Prepared, table: Sequence[tuple[str, re.Pattern[str]]], scope: Sequence[Span]) -> Found | None:
    """The value whose words come first in `scope`: the head noun of "API credits on the company
    subscription" is the credits."""
    best: tuple[int, Found] | None = None
    for value, pattern in table:
        for match in _matches(prep, pattern, scope, ()):
            if value == "subscription" and _NAMES_A_NOUN.match(prep.low, match.end()):
                continue  # "Cursor/Claude credits", "OpenAI API budget": the product names the noun after it
            if best is None or match.start() < best[0]:
                best = (match.start(), _found(prep, value, match))
            break
    return None if best is None else best[1]


_NO_USE = {"work_only": "personal_allowed", "personal_allowed": "work_only", "some_personal": "work_only"}
_NO_EXPIRY = {"rolls_over": "expires", "expires": "rolls_over"}
_NO_TOP_UP = {"yes": "no", "no": "yes"}
_SAID_YES = re.compile(
    r"(?:said|says|replied|answered|wrote|confirmed)\s*:?\s*['\"]?(?:yes|yep|sure|of course|absolutely|definitely|"
    r"(?:they|it|you) (?:do|does|did|can|could|will|would))\b"
)
_ANSWER_YES = re.compile(r"\W*(?:the answer was|answer)\s*:?\s*(?:a\s+)?(?:firm\s+|clear\s+)?(?:yes|sure)\b")
# "... a firm no": the refusal an answer reports
_NO_ANSWERED = r"\s*:?\s*['\"“‘]?(?:a\s+)?(?:firm\s+|clear\s+|flat\s+|straight\s+|hard\s+)?(?:no|nope)\b"
# opening the sentence after a question: "They said no.", "Answer: no"
_ANSWER_NO = re.compile(rf"\W*(?:the answer was|answer|they said|she said|he said){_NO_ANSWERED}")
# inside the question's own sentence: "I asked if it rolls over and the answer was no"
_ANSWER_WAS_NO = re.compile(
    rf"\b(?:the |their |her |his )?(?:answer|reply|response) (?:was|is|came back){_NO_ANSWERED}|"
    r"\b(?:réponse|respuesta|antwort)\s*:\s*(?:non|no|nein)\b"
)
_REFUSED = re.compile(
    r"\W*(?:[a-z]+\s*:\s*)?(?:absolutely |definitely |certainly |strictly )?"
    r"(?:no|nope|not|not allowed|not permitted|never|not really|a firm no)\b"
    r"(?!\s+\w+\s+(?:cap|limit))(?!\s+(?:clear|sure|known|specified|mentioned|stated|said|decided))"
)
_SAID_NO = re.compile(r"(?:said|says|replied|answered|wrote)\s*:?\s*['\"]?(?:no|nope|not really)\b")


def _answered_no(prep: Prepared) -> list[Span]:
    """Questions someone reports asking ("I asked if X", "Q: X?") that the answer reported right
    after refuses ("she said no", "A: Not allowed.", "The answer was a firm no.")."""
    spans: list[Span] = []
    for match in prep.everywhere(lx.INDIRECT_QUESTION):
        end = prep.sentence_at(match.start())[1]
        reply = _REPLY.search(prep.low, match.end(), end)
        answer = _ANSWER_WAS_NO.search(prep.low, match.end(), end)  # "... and the answer was no"
        if reply is not None and _SAID_NO.match(prep.low, reply.start()):
            spans.append((match.end(), reply.start()))
        elif answer is not None:
            spans.append((match.end(), answer.start()))
        elif reply is None and _ANSWER_NO.match(prep.low[end + 1 : end + 60]):
            spans.append((match.end(), end))
    for start, end in prep.sentences:
        asks = prep.low[end : end + 1] == "?" or prep.low[start:end].rstrip().endswith("?")
        if (
            asks
            and not _is_label(prep, start, end)
            and _REFUSED.match(prep.low, end + 1)
            and not _UNKNOWN_ANSWER.match(prep.low, end + 1)
        ):
            spans.append((start, end))
    return spans


def _is_label(prep: Prepared, start: int, end: int) -> bool:
    """A short question used as a label ("Top-ups?", "Personal use?"), answered right after it."""
    return len(prep.low[start:end].split()) <= 3 and not (
        _YES_NO_QUESTION.match(prep.low, start, end)
        or _WH_QUESTION.match(prep.low, start, end)
        or _ASKING_LEAD.match(prep.low, start, end)
    )  # "does it reset?", "also work-only?" are questions, not labels


def _flipped(found: Found | None, opposite: dict[str, str]) -> Found | None:
    """The reading of a refused question, reversed. A phrase that already runs into the answer
    ("Personal use? Not allowed.") was read with the answer, so it stands as it is."""
    if found is None or found.value not in opposite:
        return None
    if "?" in found.phrase:
        return found
    return Found(value=opposite[found.value], phrase=found.phrase)


_DETERMINERS = frozenset({"the", "a", "an", "your", "my", "our", "their", "his", "her", "company", "company's"})
# A sum in a clause with these is a bill or earnings, even beside AI words
_EARNINGS_OR_RENT = r"rent|mortgage|tuition|earn\w*|income|(?:i|we|you|they) (?:make|made)"
_NOT_AN_ALLOWANCE = re.compile(
    r"\b(?:(?:cloud|aws|gcp|azure|utility|electricity|phone|monthly|team's|our|the) bills?|invoices?|"
    rf"{_EARNINGS_OR_RENT}|(?:we|they|the company|our company|the team) spends?\b|"
    r"(?:i|we) pay\b[^.;\n]{0,40}\b(?:myself|ourselves|out of (?:my |our )?(?:own )?pocket|personally))\b"
)
# What else a sum can be, when the text names no allowance: rent, an hourly rate, a price, earnings...
_OTHER_SUM = re.compile(
    r"\b(?:price[sd]?|costs?|fees?|bills?|loans?|debt|savings|hourly|an hour|per hour|"
    r"/\s?(?:hr|hour)|rates?|wages?|paycheck|invoice|tickets?|fines?|deposit|budget for (?:rent|food|travel)|"
    rf"(?:i|we|you|they) (?:get|got) paid|{_EARNINGS_OR_RENT})\b"
)


def _states_allowance_terms(prep: Prepared) -> bool:
    """The text states terms only an allowance has (who may use it, whether it expires, rolls
    over or is paid out, whether it is topped up), so a sum it names that is not pay is the
    allowance: "$250/mo, use it on side projects", "A$2,500 a year, mostly work"."""
    return any(prep.everywhere(pattern) for _, pattern in lx.USE) or (
        bool(prep.everywhere(lx.ALLOWANCE_CORE_NOUNS)) and any(prep.everywhere(pattern) for _, pattern in lx.EXPIRY)
    )


def _stated_about_allowance(prep: Prepared) -> bool:
    """A sentence that names AI or an allowance noun and says how it may be used or topped up
    ("No ceiling on tokens for work stuff")."""
    use_patterns = [pattern for _, pattern in lx.USE] + [pattern for _, pattern in lx.TOP_UP] + [lx.WORK_WEAK]
    for start, end in prep.sentences:
        if not prep.search(lx.ALLOWANCE_CORE_NOUNS, start, end):
            continue
        if any(prep.search(pattern, start, end) for pattern in use_patterns):
            return True
    return False


def _first_tier(
    find: Callable[[Prepared, Sequence[Span], Sequence[Span]], Found | None],
    prep: Prepared,
    tiers: Sequence[Sequence[Span]],
    questions: Sequence[Span],
) -> Found | None:
    """The first tier of the text that says anything about this fact decides it."""
    for tier in tiers:
        found = find(prep, tier, questions)
        if found is not None:
            return found
    return None


def _tiers(
    prep: Prepared, scope: list[Span], money: Sequence[MoneyMention], main: MoneyMention | None
) -> list[list[Span]]:
    """Where to look for the allowance's facts, most telling first: what follows the last
    correction ("scratch that, HR says work only"); in a long text, the sentences about the
    allowance (and the sentence after each, when it refers back); then everything in scope."""
    tiers: list[list[Span]] = []
    # after the last correction, else after the one before it ("... correct herself: personal use is
    # fine, and that's what the written offer says too": nothing follows the last)
    for correction in prep.everywhere(lx.CORRECTION)[::-1][:3]:
        tiers.append(_intersect(scope, [(correction.end(), len(prep.low))]))
    if len(prep.low) > _SHORT_TEXT:
        about: list[Span] = []
        sentences = prep.sentences
        hits = [main.start] if main is not None else []
        hits += [
            m.start() for pattern in (lx.AI_WORDS, lx.PRODUCTS, lx.ALLOWANCE_CORE_NOUNS) for m in prep.find_all(pattern)
        ]
        for index in sorted({_sentence_index(sentences, hit) for hit in hits} - {-1}):
            about.append(sentences[index])
            if index + 1 < len(sentences) and _REFERS_BACK.match(prep.low, sentences[index + 1][0]):
                about.append(sentences[index + 1])
        tiers.append(_intersect(scope, sorted(set(about))))
    tiers.append(scope)
    return tiers


def _intersect(spans: Sequence[Span], window: Sequence[Span]) -> list[Span]:
    result = [
        (max(start, w_start), min(end, w_end))
        for start, end in spans
        for w_start, w_end in window
        if max(start, w_start) < min(end, w_end)
    ]
    return sorted(result)


def _kit(prep: Prepared, scope: Sequence[Span], questions: Sequence[Span]) -> Found | None:
    """Company kit: managed seats, company keys, cloud credits; equipment only when provided."""
    found = _first(prep, lx.KIT, scope, questions)
    if found is not None:
        return found
    for match in _matches(prep, lx.KIT_EQUIPMENT, scope, questions):
        if _BESIDES.search(prep.low, max(0, match.start() - 40), match.start()):
            continue  # "In addition to standard equipment, the Company will pay for ...": not this
        sentence = prep.sentence_at(match.start())
        if prep.search(lx.PROVISION, sentence[0], sentence[1]):
            return _found(prep, "yes", match)
    return None


def _mentions_allowance(prep: Prepared) -> bool:
    """The text is about an AI token or tool allowance: a seat on a named plan, company kit, or
    within one sentence an AI word with an allowance noun, a count of tokens or an unlimited
    promise, or a product or piece of equipment the employer provides."""
    if prep.first(lx.PRODUCT_TIER) or prep.first(lx.KIT):
        return True
    for start, end in prep.sentences:
        if prep.search(_NO_ALLOWANCE, start, end):
            continue  # "No AI budget at all"
        provided = prep.search(lx.PROVISION, start, end) or prep.search(lx.ALLOWANCE_NOUNS_STRONG, start, end)
        if (prep.search(lx.KIT_EQUIPMENT, start, end) or prep.search(lx.PRODUCTS, start, end)) and provided:
            return True
        uncapped = prep.search(lx.TOP_UP[0][1], start, end)  # "No ceiling on Claude usage"
        if uncapped and (prep.search(lx.PRODUCTS, start, end) or prep.search(lx.AI_WORDS, start, end)):
            return True
        if prep.search(lx.AI_WORDS, start, end) and (
            prep.search(lx.ALLOWANCE_NOUNS_STRONG, start, end)
            or (prep.search(lx.PROVISION, start, end) and prep.search(lx.ALLOWANCE_NOUNS, start, end))
            or prep.search(_TOKEN_COUNT, start, end)
            or prep.search(_UNLIMITED, start, end)
        ):
            return True
    return False


# --- whole offers ----------------------------------------------------------------------------

_LABELS: dict[str, str] = {
    "base": "base salary",
    "bonus": "bonus",
    "equity": "equity",
    "sign_on": "sign-on bonus",
    "allowance": "AI allowance",
    "stipend": "stipend",
}


def _clause_kind(prep: Prepared, span: Span) -> ComponentKind | str | None:
    """The kind of pay the clause (or sentence) at `span` names."""
    start, end = span
    for kind, pattern in lx.COMPONENT_KINDS[1:2]:  # a sign-on bonus
        if prep.search(pattern, start, end):
            return kind
    text = prep.low[start:end]
    rewritten = prep.search(lx.AI_ROLE, start, end) is not None  # "AI engineer offer: $210k base" is a base salary
    if rewritten:
        text = lx.AI_ROLE.sub(" ", text)

    def names(pattern: re.Pattern[str]) -> bool:
        """The clause names `pattern` (as rewritten, when it named an AI role)."""
        return (pattern.search(text) if rewritten else prep.search(pattern, start, end)) is not None

    if names(lx.AI_WORDS) or names(lx.PRODUCTS) or names(lx.KIT):
        return "allowance"
    for kind, pattern in lx.COMPONENT_KINDS[2:]:
        if names(pattern):
            return kind
    if names(lx.OTHER_STIPEND_NOUN) or names(_RELOCATION):
        return "stipend"
    if names(lx.ALLOWANCE_NOUNS) and any(
        match.group() not in _TIER_WORDS for match in lx.ALLOWANCE_NOUNS.finditer(text)
    ):
        # not a bare "plus" or "pro": with no product named, they are ordinary words; an
        # "equipment allowance" or "store credit" is another benefit, not an AI allowance
        return "stipend" if _NON_AI_THING.search(text) else "allowance"
    return None


_KIND_PATTERNS: tuple[tuple[str, tuple[re.Pattern[str], ...]], ...] = (
    ("sign_on", (dict(lx.COMPONENT_KINDS)["sign_on"],)),
    ("allowance", (lx.AI_WORDS, lx.PRODUCTS, lx.KIT)),
    ("equity", (dict(lx.COMPONENT_KINDS)["equity"],)),
    ("bonus", (dict(lx.COMPONENT_KINDS)["bonus"],)),
    ("base", (dict(lx.COMPONENT_KINDS)["base"],)),
)


def _merge_restated(components: list[Component], clause_of: dict[int, Span]) -> list[Component]:
    """The same allowance named twice ("un budget IA de 1 200 € par an, in English an AI budget of
    1 200 € per year") is one allowance: the repeat is dropped, and its words count for the first."""
    seen: dict[tuple[float | None, str | None, str], int] = {}
    drop: set[int] = set()
    for index, component in enumerate(components):
        if component.kind != "allowance" or component.annual_amount is None:
            continue
        key = (component.annual_amount, component.currency, component.kind)
        if key in seen:
            drop.add(index)
        else:
            seen[key] = index
    if not drop:
        return components
    kept = [index for index in range(len(components)) if index not in drop]
    remap = {old: new for new, old in enumerate(kept)}
    moved = {remap[index]: span for index, span in clause_of.items() if index in remap}
    clause_of.clear()
    clause_of.update(moved)
    return [components[index] for index in kept]


def _extend_to_next_sum(prep: Prepared, clause_of: dict[int, Span], money: Sequence[MoneyMention]) -> None:
    """What follows a sum in its sentence, up to the next sum, is about that sum: "$500/mo wellness
    stipend (spend on anything), $400/mo AI credits for work only"."""
    for index, (start, end) in list(clause_of.items()):
        sentence_end = prep.sentence_at(start)[1]
        following = [mention.start for mention in money if mention.start >= end]
        limit = min(sentence_end, prep.clause_at(following[0])[0]) if following else sentence_end
        for clause_start, clause_end in prep.clauses:
            if not end <= clause_start < limit:
                continue
            if any(prep.search(pattern, clause_start, clause_end) for pattern in _OTHER_THINGS):
                limit = clause_start  # "..., plus a company-managed Copilot Business seat"
                break
        clause_of[index] = (start, max(end, limit))


_OTHER_THINGS = (
    lx.PRODUCTS,
    lx.KIT,
    lx.OTHER_STIPEND_NOUN,
    *(pattern for kind, pattern in lx.COMPONENT_KINDS if kind != "total"),
)


def _restated_in_question(prep: Prepared, mention: MoneyMention, earlier: Sequence[MoneyMention]) -> bool:
    end = prep.sentence_at(mention.start)[1]
    asks = prep.low[end : end + 1] == "?" or prep.low[:end].rstrip().endswith("?")
    return asks and any(abs(other.amount - mention.amount) < 0.5 for other in earlier)


def _nearest_of(prep: Prepared, sentence: Span, position: int, kinds: Sequence[str]) -> str | None:
    """Of `kinds`, the one whose word stands nearest `position` in the sentence."""
    table = dict(lx.COMPONENT_KINDS)
    best: tuple[int, str] | None = None
    for kind in kinds:
        for match in table[kind].finditer(prep.low, sentence[0], sentence[1]):
            distance = abs(match.start() - position)
            if best is None or distance < best[0]:
                best = (distance, kind)
    return best[1] if best else None


# A pay component named right after its sum: "$150k base", "$20k bonus", "$40k RSUs"
_KIND_RIGHT_AFTER = re.compile(
    r"\s*(?:/\s?(?:yr|year)\s*)?"
    r"(?:(?P<base>base|salary)|(?P<bonus>bonus)|(?P<equity>rsus?|equity|stock)|(?P<sign_on>sign[- ]on))\b"
)


def _names_several_kinds(text: str) -> bool:
    """The text names the allowance (AI) and a pay component (base, bonus, equity, sign-on)."""
    if not lx.AI_WORDS.search(text):
        return False
    return any(pattern.search(text) for kind, patterns in _KIND_PATTERNS if kind != "allowance" for pattern in patterns)


def _kind_near(prep: Prepared, clause: Span, mention: MoneyMention) -> str | None:
    """With several sums in one clause ("your base of $158,000 and a $3,000 annual AI credit"),
    each sum takes the kind of the nearest word naming one."""
    best: tuple[int, int, str] | None = None
    for rank, (kind, patterns) in enumerate(_KIND_PATTERNS):
        for pattern in patterns:
            for match in pattern.finditer(prep.low, clause[0], clause[1]):
                if match.start() >= mention.end:
                    distance = match.start() - mention.end
                elif match.end() <= mention.start:
                    distance = mention.start - match.end()
                else:
                    distance = 0
                if best is None or (distance, rank) < best[:2]:
                    best = (distance, rank, kind)
    return best[2] if best is not None else _clause_kind(prep, clause)


def _unlabelled_base(prep: Prepared, components: list[Component], unassigned: list[MoneyMention]) -> None:
    """ "$125k + 10% bonus + $1.2k/yr AI budget": in a package with no base named, a yearly (or
    period-less) sum that dwarfs every other component is the base salary."""
    if not unassigned or not components or any(c.kind == "base" for c in components):
        return
    biggest = max(unassigned, key=lambda mention: mention.amount)
    known = [c.annual_amount for c in components if c.annual_amount]
    if biggest.period in (None, "year") and all(biggest.amount >= 5 * amount for amount in known):
        clause = prep.clause_at(biggest.start)
        components.append(_component("base", biggest, prep.low[clause[0] : clause[1]], prep, clause))
        unassigned.remove(biggest)


def _previous_clause(prep: Prepared, clause: Span, sentence: Span) -> Span | None:
    index = prep.clauses.index(clause) if clause in prep.clauses else -1
    if index <= 0:
        return None
    previous = prep.clauses[index - 1]
    return previous if previous[0] >= sentence[0] else None


def _label(kind: str, clause: str) -> str:
    if kind == "allowance":
        product = lx.PRODUCTS.search(clause)
        if product and not lx.ALLOWANCE_NOUNS.search(clause[product.end() : product.end() + 12]):
            return f"{product.group().title()} seat"
        for noun in ("api credits", "token credits", "credits", "budget", "stipend", "allowance"):
            if noun in clause:
                return f"AI {noun}" if "api" not in noun else noun.replace("api", "API")
    if kind == "stipend":
        match = lx.OTHER_STIPEND.search(clause)
        if match:
            return f"{match.group()} stipend"
    if kind == "equity":
        return "RSUs" if _RSUS.search(clause) else "equity"
    return _LABELS[kind]


def _components(
    prep: Prepared, money: list[MoneyMention], sums: Sequence[int], questions: Sequence[Span]
) -> tuple[list[Component], int | None, MoneyMention | None, dict[int, Span]]:
    """The pay components named in the text, which one is the main AI allowance, a stated total,
    and the clause each allowance sits in."""
    low = prep.low
    components: list[Component] = []
    clause_of: dict[int, Span] = {}
    stated_total: MoneyMention | None = None
    unassigned: list[MoneyMention] = []
    used_clauses: set[Span] = set()

    for position, mention in enumerate(money):
        if _restated_in_question(prep, mention, money[:position]):
            continue  # "so is that basically $3k extra salary?" names no new component
        limit = _LIMIT_BEFORE.search(low, max(0, mention.start - 24), mention.start)
        if limit and any(component.kind == "allowance" for component in components):
            continue  # "carries over, up to a maximum of USD 1,500": a limit, not another allowance
        total_before = _TOTAL_BEFORE.search(low, max(0, mention.start - 80), mention.start)
        if total_before and position and stated_total is money[position - 1]:
            total_before = None  # "£140k TC: £115k base": the total named the sum before it
        if total_before and _COUNTED_IN.search(low[max(0, mention.start - 50) : mention.start]):
            total_before = None  # "the allowance is counted in my CTC: ₹1,00,000": the allowance's sum
        if total_before or _TOTAL_AFTER.match(low[mention.end : mention.end + 40]):
            stated_total = stated_total or mention
            continue
        clause = prep.clause_at(mention.start)
        clause_text = low[clause[0] : clause[1]]
        shared = count_in(sums, clause) > 1
        kind = _kind_near(prep, clause, mention) if shared else _clause_kind(prep, clause)
        named_after = _KIND_RIGHT_AFTER.match(low, mention.end)
        if not shared and named_after and _names_several_kinds(clause_text):
            kind = named_after.lastgroup  # "the AI credit is included in that: $150k base"
        sentence = prep.sentence_at(mention.start)
        alone = count_in(sums, sentence) == 1
        if (
            kind == "allowance"
            and _NOT_AN_ALLOWANCE.search(clause_text)
            and not lx.ALLOWANCE_CORE_NOUNS.search(clause_text)
        ):
            kind = None  # "the team's cloud bill hit $30k because of all the LLM calls"
        if (
            kind is None and alone and not _OTHER_SUM.search(clause_text) and not _NOT_AN_ALLOWANCE.search(clause_text)
        ):  # "I make $160k ..., they pay for Claude Pro"
            kind = _clause_kind(prep, sentence)
            if kind in ("allowance", "stipend"):
                clause = sentence
                clause_text = low[sentence[0] : sentence[1]]
        if kind is None:  # "a Copilot seat ($39/mo)": the sum belongs to the clause before it
            previous = _previous_clause(prep, clause, sentence)
            if previous is not None and not count_in(sums, previous):
                kind = _clause_kind(prep, previous)
                clause = (previous[0], clause[1])
                clause_text = low[clause[0] : clause[1]]
        if kind is None:
            unassigned.append(mention)
            continue
        used_clauses.add(clause)
        components.append(_component(str(kind), mention, clause_text, prep, clause))
        if kind in ("allowance", "stipend"):
            clause_of[len(components) - 1] = clause

    for position in _share_clauses(prep):
        clause = prep.clauses[position]
        clause_text = low[clause[0] : clause[1]]
        if low[clause[0] - 1 : clause[0]] == "(" and position and prep.clauses[position - 1] in used_clauses:
            continue  # "£11.5k bonus (10%)": the percentage restates the sum before it
        if clause in used_clauses or not ("%" in clause_text or "％" in clause_text or _UNIT_GRANT.search(clause_text)):
            continue
        kind = _clause_kind(prep, clause)
        percent = lx.PERCENT.search(clause_text)
        if percent and kind in (None, "base"):  # "a target of 10% of your base salary", "ESOP (0.3%)"
            kind = (
                _nearest_of(prep, prep.sentence_at(clause[0]), clause[0] + percent.start(), ("bonus", "equity")) or kind
            )
        if kind == "bonus" and percent:
            pct = float(percent.group("pct").replace(",", "."))
            components.append(
                Component(
                    kind="bonus",
                    label=f"{pct:g}% bonus",
                    annual_amount=None,
                    percent=pct,
                    phrase=prep.source(clause[0], clause[1]).strip(),
                )
            )
        elif kind == "equity" and (percent or _UNIT_GRANT.search(clause_text)):
            components.append(
                Component(
                    kind="equity",
                    label=_label("equity", clause_text),
                    annual_amount=None,
                    phrase=prep.source(clause[0], clause[1]).strip(),
                )
            )

    _unlabelled_base(prep, components, unassigned)
    allowance_indexes = [i for i, c in enumerate(components) if c.kind == "allowance"]
    if not allowance_indexes and unassigned and _mentions_allowance(prep):
        mention = unassigned[0]
        clause = prep.clause_at(mention.start)
        if not _OTHER_SUM.search(low, clause[0], clause[1]):  # "I make $160k ..., and they pay for Claude Pro"
            components.append(_component("allowance", mention, low[clause[0] : clause[1]], prep, clause))
            clause_of[len(components) - 1] = clause
            allowance_indexes = [len(components) - 1]
    elif not allowance_indexes and unassigned and _states_allowance_terms(prep):
        # no allowance named, but its terms are ("$250/mo, use it on side projects"): the sum is it,
        # unless its sentence says what else the sum is (rent, an hourly rate, a price...)
        mention = unassigned[0]
        sentence = prep.sentence_at(mention.start)
        if not _OTHER_SUM.search(prep.low, sentence[0], sentence[1]):
            clause = prep.clause_at(mention.start)
            components.append(_component("allowance", mention, low[clause[0] : clause[1]], prep, clause))
            clause_of[len(components) - 1] = clause
            allowance_indexes = [len(components) - 1]

    _extend_to_next_sum(prep, clause_of, money)
    components = _merge_restated(components, clause_of)
    allowance_indexes = [i for i, c in enumerate(components) if c.kind == "allowance"]
    main_index: int | None = None
    if allowance_indexes:
        main_index = max(
            allowance_indexes,
            key=lambda i: (components[i].annual_amount or 0.0, -i),
        )
    components = _finish(prep, components, main_index, clause_of, questions)
    return components, main_index, stated_total, clause_of


_COMPONENT_KINDS: frozenset[str] = frozenset(get_args(ComponentKind))


def _as_kind(name: str) -> ComponentKind:
    """A kind's name as the contract's kind (the vocabulary's tables name only these)."""
    if name not in _COMPONENT_KINDS:
        raise ValueError(f"not a pay component kind: {name!r}")
    return cast(ComponentKind, name)


def _component(kind: str, mention: MoneyMention, clause_text: str, prep: Prepared, clause: Span) -> Component:
    annual = mention.annual
    assumed = False
    if kind == "sign_on":
        annual = mention.amount
    elif kind == "equity" and (mention.period is None or mention.phrase == prep.source(mention.start, mention.end)):
        # a grant's value, spread over its vesting years ("$90k, vesting in annual tranches over three
        # years"); "$40k/yr" (a period right after the sum) is already a yearly figure
        vest = lx.VESTING.search(clause_text) or lx.VESTING.search(prep.low[slice(*prep.sentence_at(mention.start))])
        word = next((group for group in vest.groups() if group), "0") if vest else "0"
        years = int(word) if word.isdigit() else lx.NUMBER_WORDS[word]
        if years:
            annual = mention.amount / years
        elif mention.period is None:
            annual = None
    elif annual is None and kind in ("base", "bonus", "allowance", "stipend"):  # yearly unless said
        annual, assumed = mention.amount, True
    return Component(
        kind=_as_kind(kind),
        label=_label(kind, clause_text),
        annual_amount=annual,
        currency=mention.currency,
        phrase=mention.phrase,
        assumed_annual=assumed,
    )


def _shared_statements(prep: Prepared) -> list[Span]:
    """Clauses that speak of every allowance at once: "both for work", "all open to personal use"."""
    return [clause for clause in prep.clauses if _SHARED_STATEMENT.match(prep.low, clause[0], clause[1])]


def _finish(
    prep: Prepared,
    components: list[Component],
    main_index: int | None,
    clause_of: dict[int, Span],
    questions: Sequence[Span],
) -> list[Component]:
    """Resolve percentage bonuses against base; give each side allowance its own verdict."""
    base = next((c for c in components if c.kind == "base" and c.annual_amount), None)
    finished: list[Component] = []
    for index, component in enumerate(components):
        if component.percent is not None and base is not None and base.annual_amount is not None:
            annual = round(base.annual_amount * component.percent / 100, 2)
            component = replace(component, annual_amount=annual, currency=base.currency)
        if index == main_index:
            component = replace(component, is_main=True)
        elif component.kind in ("allowance", "stipend") and index in clause_of:
            scope = [clause_of[index]]
            use = _use(prep, scope, questions) or _use(prep, _shared_statements(prep), questions)
            top_up = _top_up(prep, scope, questions)
            kit = _first(prep, lx.KIT, scope, questions)
            own: VerdictKind = verdict_for(
                use.value if use else "unknown", top_up.value if top_up else "unknown", kit is not None, True
            )
            component = replace(component, own_verdict=own)
        finished.append(component)
    return finished


def _in_text_order(prep: Prepared, components: list[Component]) -> list[Component]:
    """Components in the order the text names them (a percentage bonus is found in a later pass)."""

    def position(component: Component) -> int:
        found = prep.original.find(component.phrase) if component.phrase else -1
        return found if found >= 0 else len(prep.original)

    return sorted(components, key=position)


def _framing_from_total(
    components: list[Component], main_index: int | None, stated: MoneyMention | None
) -> Found | None:
    """A stated total that adds up with the allowance in it (or exactly without it) says how the
    allowance is framed, as surely as the words "included in TC" would."""
    if stated is None or main_index is None:
        return None
    known = sum(c.annual_amount or 0.0 for c in components)
    allowance = components[main_index].annual_amount or 0.0
    tolerance = 0.02 * stated.amount
    if abs(stated.amount - known) <= tolerance:
        return Found(value="included", phrase=stated.phrase)
    if allowance and abs(stated.amount - (known - allowance)) <= tolerance:
        return Found(value="excluded", phrase=stated.phrase)
    return None


def _main_money(money: list[MoneyMention], components: list[Component], main_index: int | None) -> MoneyMention | None:
    if main_index is None:
        return None
    phrase = components[main_index].phrase
    return next((m for m in money if m.phrase == phrase), None)


def _as_money(mention: MoneyMention | None) -> Money | None:
    if mention is None:
        return None
    period = cast("Period | None", mention.period)  # the period words' group names are the contract's periods
    return Money(amount=mention.amount, currency=mention.currency, period=period, phrase=mention.phrase)


def _country(prep: Prepared, money: MoneyMention | None) -> str | None:
    """The country the text implies: named places and tax words, "US" in capitals (not the word
    "us"), else the currency of the allowance."""
    if prep.first(_ANY_COUNTRY):
        for pattern, country in _COUNTRIES:  # the first in this order, wherever it is in the text
            if prep.first(pattern):
                return country
    if _US_CAPITALS.search(prep.original):
        return "US"
    if money is not None and money.currency:
        return COUNTRY_OF_CURRENCY.get(money.currency)
    return None
