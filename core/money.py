"""Sums of money in free text: amount, currency and period, in the formats people type."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from core.models import PERIOD_FACTORS
from core.regexes import any_of_source
from core.text import Prepared, count_in

# Currency written before the number. Longest forms first so `CA$` wins over `$`.
_PREFIX_CURRENCIES: dict[str, str] = {
    "us$": "USD",
    "usd": "USD",
    "ca$": "CAD",
    "can$": "CAD",
    "c$": "CAD",
    "cad": "CAD",
    "au$": "AUD",
    "a$": "AUD",
    "aud": "AUD",
    "nz$": "NZD",
    "nzd": "NZD",
    "s$": "SGD",
    "s/": "PEN",
    "cop": "COP",
    "ars": "ARS",
    "clp": "CLP",
    "sgd": "SGD",
    "hk$": "HKD",
    "hkd": "HKD",
    "r$": "BRL",
    "brl": "BRL",
    "€": "EUR",
    "eur": "EUR",
    "£": "GBP",
    "gbp": "GBP",
    "cn¥": "CNY",
    "rmb": "CNY",
    "cny": "CNY",
    "¥": "JPY",
    "jpy": "JPY",
    "₹": "INR",
    "inr": "INR",
    "rs.": "INR",
    "rs": "INR",
    "₩": "KRW",
    "krw": "KRW",
    "₪": "ILS",
    "chf": "CHF",
    "sek": "SEK",
    "nok": "NOK",
    "dkk": "DKK",
    "pln": "PLN",
    "zar": "ZAR",
    "mxn": "MXN",
    "$": "USD",
}
# Currency written after the number (codes, words, symbols).
_SUFFIX_CURRENCIES: dict[str, str] = {
    "ドル": "USD",
    "us$": "USD",
    "pesos colombianos": "COP",
    "cop": "COP",
    "pesos mexicanos": "MXN",
    "pesos argentinos": "ARS",
    "ars": "ARS",
    "clp": "CLP",
    "ユーロ": "EUR",
    "soles": "PEN",
    "$ ca": "CAD",  # French Canadian: "1 500 $ CA"
    "$ can": "CAD",
    "$ us": "USD",
    "usd": "USD",
    "us dollars": "USD",
    "dollars": "USD",
    "dollar": "USD",
    "bucks": "USD",
    "cad": "CAD",
    "canadian dollars": "CAD",
    "aud": "AUD",
    "australian dollars": "AUD",
    "nzd": "NZD",
    "sgd": "SGD",
    "hkd": "HKD",
    "eur": "EUR",
    "euros": "EUR",
    "euro": "EUR",
    "€": "EUR",
    "gbp": "GBP",
    "pounds": "GBP",
    "pound": "GBP",
    "quid": "GBP",
    "£": "GBP",
    "jpy": "JPY",
    "yen": "JPY",
    "円": "JPY",
    "inr": "INR",
    "rupees": "INR",
    "rupee": "INR",
    "rs": "INR",
    "chf": "CHF",
    "sek": "SEK",
    "nok": "NOK",
    "dkk": "DKK",
    "pln": "PLN",
    "zł": "PLN",
    "cny": "CNY",
    "rmb": "CNY",
    "krw": "KRW",
    "zar": "ZAR",
    "mxn": "MXN",
    "brl": "BRL",
    "$": "USD",
}
# A bare `$` means another dollar when the text names one.
_DOLLAR_HINTS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\b(?:cad\b|canadian)"), "CAD"),
    (re.compile(r"\b(?:aud\b|australian)"), "AUD"),
    (re.compile(r"\b(?:nzd\b|new zealand)"), "NZD"),
    (re.compile(r"\b(?:sgd\b|singapore)"), "SGD"),
    (re.compile(r"\b(?:hkd\b|hong kong)"), "HKD"),
)

# Any of them: most texts name no other dollar, and one scan says so.
_ANY_DOLLAR_HINT = re.compile("|".join(f"(?:{pattern.pattern})" for pattern, _ in _DOLLAR_HINTS))

_MULTIPLIERS: dict[str, float] = {
    "k": 1e3,
    "thousand": 1e3,
    "grand": 1e3,
    "m": 1e6,
    "mn": 1e6,
    "mm": 1e6,
    "mil": 1e6,
    "million": 1e6,
    "l": 1e5,
    "lakh": 1e5,
    "lakhs": 1e5,
    "lac": 1e5,
    "lacs": 1e5,
    "lpa": 1e5,
    "cr": 1e7,
    "crore": 1e7,
    "crores": 1e7,
    "万": 1e4,
    "千": 1e3,
}


def _alternation(words: object) -> str:
    return "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))  # type: ignore[call-overload]


_NUMBER = r"\d{1,3}(?:'\d{3})+|\d{1,2}(?:,\d{2})+,\d{3}|\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d{1,3}(?:\.\d{3})+(?:,\d{1,2})?|\d{1,3}(?: \d{3})+|\d+(?:[.,]\d+)?"
_MONEY = re.compile(
    rf"(?<![a-z0-9_$€£¥₹])(?P<pre>{_alternation(_PREFIX_CURRENCIES)})?\s?"
    rf"(?P<num>{_NUMBER})"
    rf"(?: ?(?P<mult>{_alternation(_MULTIPLIERS)})(?![a-z]))?"  # on the same line: "175k\nRSU" is not rupees
    rf"(?: ?(?P<suf>{_alternation(_SUFFIX_CURRENCIES)})(?![a-z]))?"
)

# Every sum has a digit, at most a currency prefix and a space after its start: _MONEY is tried
# only there (scanning a pasted letter character by character is a sixth of its check).
_MONEY_LEAD = max(map(len, _PREFIX_CURRENCIES)) + 1
_MONEY_OPENERS = frozenset(prefix[0] for prefix in _PREFIX_CURRENCIES)
# a digit a sum can start at (not after an ASCII digit, which _MONEY's lookbehind forbids); the
# digit first, so the engine skips to digits without trying the lookbehind everywhere
_LONE_DIGIT = re.compile(r"\d(?<![0-9]\d)")


def _money_matches(low: str) -> list[re.Match[str]]:
    """What `_MONEY.finditer(low)` finds, trying only the few places before each digit where a sum
    can start."""
    found: list[re.Match[str]] = []
    resume = 0  # matches do not overlap: the next starts at or after the last one's end
    for digit in _LONE_DIGIT.finditer(low):
        at = digit.start()
        if at < resume:
            continue
        for start in range(max(resume, at - _MONEY_LEAD), at + 1):
            if start < at and low[start] not in _MONEY_OPENERS and not low[start].isspace():
                continue
            match = _MONEY.match(low, start)
            if match is not None:
                found.append(match)
                resume = match.end()
                break
    return found


_SPANISH_THOUSAND = re.compile(
    r"\s*(?:de\s+)?(?:pesos|euros|dólares|dolares|soles|bolívares|colones|€|cop\b|mxn\b|ars\b|clp\b)"
)
# The rest of a sum in 万 ("1万5千円", "2万5000円"): thousands or units, then yen.
_MAN_REST = re.compile(r"(\d{1,4})(千)?円")
# What a bare number counts, when it is not money.
_UNIT_AFTER = re.compile(
    r"\s?(?:m\s|million\s|k\s|thousand\s)?(?:ai\s|api\s|llm\s)?"
    r"(?:(?:tokens?|requests?|queries|messages?|prompts?|calls?|seats?|licen[cs]es?|hours?|hrs?|"
    r"days?|weeks?|months?|years?|yrs?|gpus?|words?|options?|shares?|units?|rsus?|users?|people|"
    r"employees?|engineers?|percent|x|times|minutes?|mins?|pages?|images?|credits?|"
    r"points?)\b|%|:\d|トークン|回|株)"
)
# "base: 145000": a bare number labelled as a pay component is money.
# "AI tokens: 2M a month": a count of something, not a sum
_COUNT_LABEL_BEFORE = re.compile(r"\b(?:tokens?|requests?|calls?|queries|messages|prompts)\s*[:=]?\s*$")
_LABEL_BEFORE = re.compile(
    r"\b(?:base|salary|bonus|stipend|budget|allowance|credits?|sign[- ]on|signing|rsus?|equity|pay|comp|ctc|tc)"
    r"\s*(?:[:=]|\bis\b|\bof\b)\s*$"
)
# "40k RSUs/yr": a yearly value of a grant, not a count of units.
_GRANT_RATE = re.compile(
    r"\s?(?:rsus?|stock|equity)\s?(?:/\s?(?:yr|year)|per (?:year|yr)|a (?:year|yr)|annually|yearly|p\.?a\.?)"
)
_PERIOD_SUFFIX_ONLY = re.compile(
    r"\s?(?:/|per\b|a\s+(?:day|week|month|year|quarter)|p\.?a\b|pcm\b|lpa\b|(?:daily|weekly|monthly|quarterly|yearly|annually)\b|"
    r"(?:im|pro) (?:monat|jahr|quartal|woche)\b|par (?:mois|an|semaine|jour)\b|(?:al|por) (?:mes|año|día)\b|"
    r"(?:mensuel|annuel|mensual|anual|semanal)\w*|monatlich\b|jährlich\b)"
)

# Period words, English first, then German, French, Spanish and Japanese.
PERIOD_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "one_time",
        any_of_source(
            r"\bone[- ]?(?:time|off)\b|\blump[- ]?sum\b|\bsingle payment\b|\bone[- ]shot\b|"
            r"\beinmalig\w*|\bponctuel\w*|\bpago único\b|\búnico pago\b|一回限り|一時金|"
            r"\b(?:versement|paiement|prime|forfait|crédit|montant|budget|bonus|enveloppe|allocation|dotation|aide|somme|"
            r"pago|bono|crédito|importe|monto|presupuesto|ayuda|cantidad|asignación)"
            r"\s(?:\w+\s)?(?:uniques?|únic[oa])\b|\b(?:une seule fois|en une (?:seule )?fois|una sola vez|por única vez)\b"
        ),
    ),
    (
        "day",
        any_of_source(
            r"/\s?(?:working\s)?(?:day|d)\b|\bper\s(?:working\s)?day\b|\ba\sday\b|\bdaily\b|"
            r"\b(?:each|every)\s(?:working\s)?day\b|\bper\sdiem\b|"
            r"\bpro (?:arbeits)?tag\b|\btäglich\b|\bpar jour(?: ouvré| travaillé)?\b|\bpor día(?: laborable| hábil)?\b|\bal día\b|\bdiari[oa]\b|"
            r"日額|毎日|/日|1日あたり|一日あたり|日当たり"
        ),
    ),
    (
        "week",
        any_of_source(
            r"/\s?(?:wk|week|w)\b|\bper\s(?:wk|week)\b|\ba\sweek\b|\bweekly\b|\b(?:each|every)\sweek\b|\bp/w\b|"
            r"\bpro woche\b|\bjede woche\b|\bchaque semaine\b|\bwöchentlich\b|\bpar semaine\b|\bhebdomadaire\b|\bpor semana\b|\ba la semana\b|\bcada semana\b|\bevery wk\b|"
            r"\bsemanal(?:es|mente)?\b|週あたり|週に|週額|毎週|/週"
        ),
    ),
    (
        "month",
        any_of_source(
            r"/\s?(?:mo|mon|mth|mnth|m)\b|/\s?month|/\s?(?:mois|monat|mes)\b|\bchaque mois\b|\bmensuellement\b|\bmensualmente\b|\bjede[nm]? monat\b|\btous les mois\b|\btodos los meses\b|\b(?:per|in any|in a|each|every)\s(?:(?:given\s)?calendar\s)?(?:mo|month|mth)\b|\bin any (?:given )?month\b|\ba\smonth\b|\bmonthly\b|"
            r"\bpcm\b|\bp/m\b|\b(?:each|every)\smonth\b|\bmthly\b|\bmonth(?:ly)?\sbudget\b|"
            r"\bpro monat\b|\bim monat\b|\bmonatlich\w*|\bmtl\.|\bpar mois\b|\btous les mois\b|/mois\b|\bmensuel\w*|\bpor mes\b|\bal mes\b|\bcada mes\b|"
            r"\bmensual\w*|月額|毎月|每月|月々|/月|月に|(?<![\d０-９])月(?=[\d０-９])"
        ),
    ),
    (
        "quarter",
        any_of_source(
            r"/\s?(?:qtr|quarter|q)\b|\bper\s(?:qtr|quarter)\b|\ba\s(?:quarter|qtr)\b|\bquarterly\b|\b(?:each|every)\s(?:quarter|qtr)\b|"
            r"\bpro quartal\b|\bal trimestre\b|\bjedes quartal\b|\bchaque trimestre\b|\bcada trimestre\b|\bvierteljährlich\b|\bquartalsweise\b|\bpar trimestre\b|\btrimestriel\w*|"
            r"\bpor trimestre\b|\btrimestral\w*|四半期|\b(?:every|each|per) (?:three|3) months\b"
        ),
    ),
    (
        "year",
        any_of_source(
            r"/\s?(?:yr|year|y|annum|a)\b|\bper\s(?:yr|year|annum|anum)\b|\ba\s(?:yr|year)\b|\bannually\b|"
            r"\byearly\b|\bannual\b|\bp\.?a\.?(?!\w)|\b(?:each|every)\s(?:yr|year)\b|\blpa\b|\bper\syear\b|"
            r"\b(?:per|in any|in a|each|every)\s(?:calendar|plan|financial|fiscal|benefits?|school|contract)\syear\b|\byear(?:ly)?\sbudget\b|"
            r"\bpro jahr\b|\bcada año\b|\bchaque année\b|\btodos los años\b|/\s?(?:an|jahr|año)\b|\bjedes jahr\b|\bim jahr\b|\bjährlich\w*|\bpar an\b|\bpar année\b|\bannuel\w*|\bpor año\b|\bal año\b|"
            r"\banual\w*|年額|年間|毎年|/年|(?<![\d０-９])年(?=[\d０-９])"
        ),
    ),
)
_IMMEDIATE_PERIOD = re.compile(
    r"\s?(?:a\s|an\s|per\s|each\s|every\s)?(?:(?P<month>mo|mos|mon|month|mth|pm|p/m|mois|mes|monat)|(?P<year>yr|yrs|year|pa|p/a|año|jahr)|"
    r"(?P<week>wk|week|semaine|semana|woche)|(?P<quarter>qtr|quarter|q)|(?P<day>day|d)|(?P<one_time>once))\b"
)
_PERIOD_WORD = (
    r"(?:(?P<month>monthly|per month|a month|every month|pcm|/mo)|(?P<year>yearly|annually|per year|a year|per annum|p\.a\.|/yr)|"
    r"(?P<quarter>quarterly|per quarter|a quarter)|(?P<week>weekly|per week|a week)|(?P<day>daily|per day|a day)|"
    r"(?P<one_time>one[- ]?(?:time|off)))"
)
_NEXT_LINE_PERIOD = re.compile(rf"\s*(?:(?:period|frequency|cadence|paid|every|per)\s*[:=-]?\s*)?{_PERIOD_WORD}\b")
_HEADING_PERIOD = re.compile(rf"^\s*{_PERIOD_WORD}\s*:\s*$")
_EITHER_PERIOD = re.compile(
    r"\s+or\s+(?:per|a|an|each|every|/)?\s?(?:day|week|month|quarter|year|annum|monthly|yearly|annually)\b"
)
# "paid in twelve monthly instalments": how a sum is paid out, not its period
_INSTALMENTS = re.compile(
    r"\s(?:equal\s)?(?:instal(?:l)?ments?|tranches?|payments?|pay ?runs?|payroll|pay ?cycles?|paychecks?|pay ?periods?)\b"
)
_PAY_SCHEDULE = re.compile(r"\b(?:payable|paid(?: out)?|disbursed|distributed|deposited|credited|loaded|issued)\s$")
_LEAD_PERIOD = re.compile(
    r"\s*(?:(?P<month>monthly|every month|each month)|(?P<year>annually|yearly|every year|each year)|"
    r"(?P<quarter>quarterly|every quarter)|(?P<week>weekly|every week)|(?P<day>daily|every day))\s*[,:;-]"
)
# How far from a sum its period may be stated, in characters.
_WINDOW = 60
# What may stand between a period word and the sum it introduces ("月額 2万円", "monthly: $300").
_LEADS_SUM = re.compile(r"[ \t:：=]*")  # on the same line: "RSUs per year\nA$250" is the RSUs' year
# Periods stated loosely after the sum ("resets monthly"): used only when nothing closer says.
_PM_AFTER = re.compile(r"\s?p\.?m\.?(?!\w)")


@dataclass(frozen=True)
class MoneyMention:
    amount: float
    currency: str | None
    period: str | None
    start: int
    end: int
    phrase: str  # the sum as the person wrote it, with its period when adjacent

    @property
    def annual(self) -> float | None:
        return None if self.period is None else self.amount * PERIOD_FACTORS[self.period]


_INDIAN_GROUPS = re.compile(r"\d{1,2}(?:,\d{2})+,\d{3}")
_COMMA_THOUSANDS = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?")
_DOT_THOUSANDS = re.compile(r"\d{1,3}(?:\.\d{3})+(?:,\d{1,2})?")
_DECIMAL_COMMA = re.compile(r"\d+,\d{1,2}")


def _to_number(raw: str, currency: str | None) -> float:
    raw = raw.replace(" ", "").replace("'", "")  # "25 000", Swiss "1'500"
    if raw.isascii() and raw.isdigit():
        return float(raw)
    if _INDIAN_GROUPS.fullmatch(raw):  # Indian grouping: 30,00,000
        return float(raw.replace(",", ""))
    if _COMMA_THOUSANDS.fullmatch(raw):
        return float(raw.replace(",", ""))
    if _DOT_THOUSANDS.fullmatch(raw):
        # `1.500` is fifteen hundred in euro formats; `1.500` dollars would be odd, so read it as
        # thousands unless it is a dollar sum, where the dot is a decimal point.
        if currency in (None, "USD", "CAD", "AUD", "NZD", "SGD", "HKD") and raw.count(".") == 1 and "," not in raw:
            return float(raw)
        return float(raw.replace(".", "").replace(",", "."))
    if _DECIMAL_COMMA.fullmatch(raw):
        return float(raw.replace(",", "."))
    return float(raw.replace(",", ""))


# The characters a period word can open with: a letter at a word start, or "/", "1" ("1日あたり")
# or a Japanese character anywhere. The engine tries the long alternation below at every position
# of a window; checked first, this passes over most positions at once (a window's scan 3x faster).
# tests/core/test_money.py holds it to the words: a period word opening otherwise fails there.
_PERIOD_OPENERS = r"(?=\b[abcdefhijlmopqstuvwyú]|[/1一四年日月毎每週])"
# "paid semi-monthly", "bi-weekly payroll": how often pay is paid, not the period of a sum.
_ANY_PERIOD = re.compile(
    _PERIOD_OPENERS
    + r"(?<!semi-)(?<!bi-)(?<!semi)(?<!bi)(?:"
    + "|".join(f"(?P<{name}>{pattern.pattern})" for name, pattern in PERIOD_PATTERNS)
    + ")"
)


def _period_near(prep: Prepared, start: int, end: int, lo: int, hi: int, next_sum: int | None = None) -> str | None:
    """The period stated next to the sum low[start:end], within the window [lo, hi): the nearest
    one after the sum, else the nearest one before it, else a period the sentence opens with
    ("Monthly, they load $300"). How often it is paid ("$2,400 a year, payable monthly") counts
    only when nothing else says. A period right before the next sum (at `next_sum`) is that sum's."""
    immediate = _IMMEDIATE_PERIOD.match(prep.low, end, hi)
    if immediate:  # "300 USD month", "$20 mo", "$1,500 once"
        return immediate.lastgroup
    schedule = None
    for after in _ANY_PERIOD.finditer(prep.low, end, hi):
        if after.start() - end > 45:
            break
        if next_sum is not None and _LEADS_SUM.fullmatch(prep.low, after.end(), next_sum):
            break  # "年額600万円、AIクレジット 月額2万円", "$160k base, monthly $300": the next sum's own period
        if _EITHER_PERIOD.match(prep.low, after.end()):
            return None  # "didn't say per month or per year"
        if _PAY_SCHEDULE.search(prep.low, max(0, after.start() - 16), after.start()) or _INSTALMENTS.match(
            prep.low, after.end()
        ):
            schedule = schedule or after.lastgroup
            continue
        return after.lastgroup
    if _PM_AFTER.match(prep.low, end, hi):
        return "month"
    last = None
    # up to the sum's first character, which a lead period ("月3,000円") looks ahead at
    for before in _ANY_PERIOD.finditer(prep.low, lo, start + 1):
        if before.end() <= start:
            last = before
    if last is not None:
        return last.lastgroup
    lead = _LEAD_PERIOD.match(prep.low, prep.sentence_at(start)[0], start)
    if schedule or lead:
        return schedule or (lead.lastgroup if lead else None)
    return _period_on_nearby_line(prep, start, end)


def _period_on_nearby_line(prep: Prepared, start: int, end: int) -> str | None:
    """Lists and pasted layouts: "amount: £200 / period: monthly" on the next line, "$1,800 / per
    year," split over lines, or a heading "Monthly:" on the line before."""
    low = prep.low
    line_end = low.find("\n", end)
    if line_end != -1 and not low[end:line_end].strip(" ,.;:"):
        following = _NEXT_LINE_PERIOD.match(low, line_end + 1)
        if following:
            return following.lastgroup
    line_start = low.rfind("\n", 0, start)
    if line_start > 0:
        heading = _HEADING_PERIOD.search(low, max(0, low.rfind("\n", 0, line_start) + 1), line_start)
        if heading:
            return heading.lastgroup
    return None


_RATIO_AFTER = re.compile(r"\s?/\s?\d")
_MONTH_AFTER_M = re.compile(r"o\b|onth|th\b")  # "5m" in "5mo", "5 month": not millions
_PERCENT_AFTER = re.compile(r"\s?%")
# the period words right after a sum, quoted with it ("$500/month")
_ADJACENT_PERIOD = re.compile(
    r"\s?(?:/\s?[a-z]+|per\s[a-z]+|a\s(?:day|week|month|year|quarter)|monthly|yearly|annually|"
    r"weekly|quarterly|daily|pcm|p\.?a\.?|p\.?m\.?)"
)


def find_money(prep: Prepared) -> list[MoneyMention]:
    """Every sum of money in the text, in order. A bare number counts only when it reads as money
    (a multiplier such as `k`, a currency, or a period right after it); counts of tokens do not."""
    low = prep.low
    default_dollar = "USD"
    if prep.first(_ANY_DOLLAR_HINT):  # the first hint in list order, wherever it is in the text
        default_dollar = next((code for pattern, code in _DOLLAR_HINTS if prep.first(pattern)), "USD")
    found: list[MoneyMention] = []
    candidates = _money_matches(low)
    starts = [match.start() for match in candidates]  # sorted: finditer goes left to right
    consumed = 0  # the end of a compound Japanese sum ("1万5千円"), whose second part is not a sum of its own
    for position, match in enumerate(candidates):
        if match.start() < consumed:
            continue
        pre, num, mult, suf = match.group("pre"), match.group("num"), match.group("mult"), match.group("suf")
        currency = _PREFIX_CURRENCIES.get(pre or "") or _SUFFIX_CURRENCIES.get(suf or "")
        if pre == "$" and suf is None:
            currency = default_dollar
        if suf and pre in (None, "$"):
            currency = default_dollar if suf == "$" else _SUFFIX_CURRENCIES[suf]
        if mult in ("lpa",) or (
            mult in ("l", "lakh", "lakhs", "lac", "lacs", "cr", "crore", "crores") and currency is None
        ):
            currency = currency or "INR"
        end = match.end()
        compound = _MAN_REST.match(low, end) if mult == "万" and suf is None else None
        if compound:  # "1万5千円" is 15,000 yen, "2万5000円" 25,000
            end = consumed = compound.end()
            currency = currency or "JPY"
        tail = low[end : end + 40]
        if (
            currency is None
            and mult is None
            and not _LABEL_BEFORE.search(low, max(0, match.start() - 24), match.start())
        ):
            if not _PERIOD_SUFFIX_ONLY.match(tail) or _UNIT_AFTER.match(tail):
                continue
            if _RATIO_AFTER.match(tail):  # a date or a ratio such as 24/7
                continue
        if currency is None and _COUNT_LABEL_BEFORE.search(low, max(0, match.start() - 16), match.start()):
            continue
        grant_rate = mult is not None and _GRANT_RATE.match(tail)
        if currency is None and mult in ("m", "k") and _UNIT_AFTER.match(low[match.end("mult") :]) and not grant_rate:
            continue
        if currency is None and _UNIT_AFTER.match(tail) and not _PERIOD_SUFFIX_ONLY.match(tail) and not grant_rate:
            continue
        if mult == "m" and _MONTH_AFTER_M.match(low[match.end("mult") : match.end("mult") + 4]):
            continue
        if _PERCENT_AFTER.match(tail):
            continue
        if mult == "k" and num in ("401", "403", "457") and currency is None:
            continue  # a 401(k) plan, not a sum
        try:
            amount = _to_number(num, currency) * _MULTIPLIERS.get(mult or "", 1.0)
            if compound:
                amount += int(compound.group(1)) * (1000 if compound.group(2) else 1)
            if mult == "mil" and _SPANISH_THOUSAND.match(low, match.end("mult")):
                amount /= 1000  # Spanish "350 mil pesos" is 350,000 (English "$2 mil" is two million)
        except ValueError:
            continue
        if amount <= 0 or amount != amount or amount == float("inf") or amount > 1e12:
            continue
        if currency is None and mult is None and 1900 <= amount <= 2100 and not _PERIOD_SUFFIX_ONLY.match(tail):
            continue
        start = match.start() + (len(match.group()) - len(match.group().lstrip()))
        clause_lo, clause_hi = prep.sentence_at(start)
        # A period before the sum must be in its own clause ("$1.2k/mo AI credits + $160k base").
        own_clause = prep.clause_at(start)[0]
        if low[own_clause - 1 : own_clause] == "(":  # "monthly AI allowance (USD 250)"
            own_clause = clause_lo
        elif own_clause > clause_lo:  # "the AI budget is yearly, $3,600": a clause with no sum of its own
            index = bisect.bisect_left(prep.clauses, (own_clause, -1)) - 1
            previous = prep.clauses[index] if index >= 0 else (clause_lo, own_clause)
            if not count_in(starts, previous):
                own_clause = max(clause_lo, previous[0])
        lo = max(clause_lo, own_clause, found[-1].end if found else 0)
        following = candidates[position + 1].start() if position + 1 < len(candidates) else clause_hi
        hi = min(clause_hi, following, end + _WINDOW)
        lo = max(lo, start - _WINDOW)
        next_sum = candidates[position + 1].start() if position + 1 < len(candidates) else None
        period = "year" if mult == "lpa" else _period_near(prep, start, end, lo, hi, next_sum)
        phrase_end = end
        adjacent = _ADJACENT_PERIOD.match(low, end)
        if adjacent:
            phrase_end = adjacent.end()
        found.append(
            MoneyMention(
                amount=round(amount, 2),
                currency=currency,
                period=period,
                start=start,
                end=end,
                phrase=prep.source(start, phrase_end),
            )
        )
    return _with_worded_sums(prep, found, default_dollar)


_SMALL = {
    word: value
    for value, word in enumerate(
        [
            "zero",
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
            "thirteen",
            "fourteen",
            "fifteen",
            "sixteen",
            "seventeen",
            "eighteen",
            "nineteen",
        ]
    )
}
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
_WORD_NUMBER = (
    r"half an?|an?|(?:"
    + "|".join(_TENS)
    + r")(?:[- ](?:"
    + "|".join(list(_SMALL)[1:10])
    + r"))?|"
    + "|".join(sorted(_SMALL, key=len, reverse=True))
)
_WORD_CURRENCIES = {
    "dollars": "USD",
    "dollar": "USD",
    "bucks": "USD",
    "euros": "EUR",
    "euro": "EUR",
    "pounds": "GBP",
    "quid": "GBP",
    "rupees": "INR",
    "yen": "JPY",
}
# "twelve hundred dollars a year", "half a grand a month", "two thousand euros"
_CURRENCY_WORDS = "|".join(sorted(_WORD_CURRENCIES, key=len, reverse=True))
_WORDED_SUM = re.compile(
    rf"\b(?P<num>{_WORD_NUMBER})\s(?:(?P<scale>hundred|thousand|grand|k)\b(?:\s(?P<cur>{_CURRENCY_WORDS})\b)?"
    rf"|(?P<bare_cur>{_CURRENCY_WORDS})\b)"
)


def _word_value(words: str) -> float:
    if words.startswith("half"):
        return 0.5
    if words in ("a", "an"):
        return 1.0
    tens, _, unit = words.replace("-", " ").partition(" ")
    return float(_TENS.get(tens, 0) + _SMALL.get(unit, 0) if tens in _TENS else _SMALL[tens])


def _with_worded_sums(prep: Prepared, found: list[MoneyMention], default_dollar: str) -> list[MoneyMention]:
    """Sums written in words join the numeric ones when they read as money: a currency word,
    "grand", or a period right after them."""
    low = prep.low
    extra: list[MoneyMention] = []
    for match in prep.everywhere(_WORDED_SUM):
        if any(mention.start <= match.start() < mention.end for mention in found):
            continue
        tail = low[match.end() : match.end() + 40]
        cur = match.group("cur") or match.group("bare_cur")
        if match.group("num") in ("a", "an") and match.group("bare_cur"):
            continue  # "a dollar"
        if cur is None and match.group("scale") != "grand" and not _PERIOD_SUFFIX_ONLY.match(tail):
            continue
        scale = {"hundred": 100.0, None: 1.0}.get(match.group("scale"), 1000.0)
        currency = _WORD_CURRENCIES.get(cur or "")
        if currency == "USD":
            currency = default_dollar
        sentence = prep.sentence_at(match.start())
        period = _period_near(prep, match.start(), match.end(), sentence[0], min(sentence[1], match.end() + _WINDOW))
        extra.append(
            MoneyMention(
                amount=_word_value(match.group("num")) * scale,
                currency=currency,
                period=period,
                start=match.start(),
                end=match.end(),
                phrase=prep.source(match.start(), match.end()),
            )
        )
    return sorted(found + extra, key=lambda mention: mention.start) if extra else found
