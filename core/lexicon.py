"""The vocabulary the rules listen for. Patterns run on prepared (lower-cased, corrected) text.

Each list is ordered: the first pattern that matches in a scope decides, so narrower readings
(negations, qualifiers) come before the plain ones they would otherwise be mistaken for.
"""

from __future__ import annotations

import re

from core.languages import EXTRA
from core.regexes import any_of, any_of_source


def more(key: str) -> tuple[str, ...]:
    """The same vocabulary in German, French, Spanish and Japanese (core/languages.py)."""
    return EXTRA.get(key, ())


# --- What the allowance is -----------------------------------------------------------------

AI_WORDS = any_of(
    *more("ai_words"),
    r"(?<![a-z]')\bai\b",  # not French "j'ai"
    r"\ba\.i\.",
    r"\bllms?\b",
    r"\bgpt",
    r"\bchatgpt",
    r"\bclaude\b",
    r"\banthropic",
    r"\bopenai",
    r"\bcopilot",
    r"\bcursor\b",
    r"\bgemini\b",
    r"\btokens?\b",
    r"\bapi\b",
    r"\binference\b",
    r"\bwindsurf\b",
    r"\bperplexity",
    r"\bmistral\b",
    r"\bcodeium\b",
    r"\btabnine\b",
    r"\bbedrock\b",
    r"\bvertex\b",
    r"\bmidjourney\b",
    r"\bgrok\b",
    r"\bdeepseek\b",
    r"\bgen ?ai\b",
    r"\bmodel (?:usage|credits|access|budget)",
    r"\bcompute\b",
    r"\bgpus?\b",
    r"\bml\b",
)
# "AI engineer", "ML lab", "GenAI developer role": AI words naming a job, a team or a company.
AI_ROLE = re.compile(
    r"\b(?:ai|a\.i\.|ml|gen ?ai|llm|machine learning|artificial intelligence)[- ](?:engineer\w*|research\w*|scientists?|"
    r"developers?|lab|labs|startups?|company|companies|team|teams|roles?|jobs?|positions?|interviews?|hiring|"
    r"courses?|conferences?|ethics|specialists?|architects?|leads?|ops|platform team|infrastructure team)\b"
)
ALLOWANCE_NOUNS = any_of(
    *more("allowance_nouns"),
    r"\bbudgets?\b",
    r"\bquotas?\b",
    r"\blimits?\b",
    r"\ballowances?\b",
    r"\bstipends?\b",
    r"\bcredits?\b",
    r"\breimburs",
    r"\bsubscriptions?\b",
    r"\bseats?\b",
    r"\bplans?\b",
    r"\blicen[cs]es?\b",
    r"\bperks?\b",
    r"\bbenefits?\b",
    r"\bfund(?:s|ing)?\b",
    r"\bwallet\b",
    r"\bcard\b",
    r"\baccess\b",
    r"\baccounts?\b",
    r"\bspend\b",
    r"\btools?\b",
    r"\btooling\b",
    r"\bmembership\b",
    r"\bpro\b",
    r"\bplus\b",
    r"\bmax\b",
    r"\bultra\b",
)
# Named products: a seat on one of these is an allowance even without a sum or a noun.
PRODUCTS = any_of(
    r"\bchatgpt(?:[ -](?:plus|pro|team|business|enterprise|edu))?",
    r"\bclaude(?:[ -](?:pro|max|team|enterprise|code))?",
    r"\b(?:github )?copilot(?:[ -](?:pro\+?|pro|business|enterprise|individual))?",
    r"\bcursor(?:[ -](?:pro|ultra|business|teams?))?",
    r"\bgemini(?:[ -](?:advanced|pro|ultra|business|enterprise|code assist))?",
    r"\bperplexity(?:[ -]pro)?",
    r"\bwindsurf(?:[ -]pro)?",
    r"\bmidjourney",
    r"\bcodeium",
    r"\btabnine",
)
# Other allowances of a package that are not about AI tools.
# Other allowances of a package are named as such: "learning stipend", "wellness budget".
# What other benefits of a package are for
_BENEFIT_SUBJECTS = (
    r"(?:wellness|wellbeing|well-being|gym|fitness|health|meal|food|lunch|phone|mobile|internet|broadband|"
    r"commut\w*|transport\w*|travel|home[- ]office|wfh|remote[- ]work|childcare|learning|education|training|"
    r"conference|books?|professional development|l&d|relocation|coworking|co-working)"
)
OTHER_STIPEND_NOUN = re.compile(
    rf"\b{_BENEFIT_SUBJECTS}\s(?:[\w&-]+\s)?"
    r"(?:stipends?|allowances?|budgets?|funds?|benefits?|reimbursements?|credits?|cards?|perks?|plans?|bills?)\b"
)
OTHER_STIPEND = any_of(rf"\b{_BENEFIT_SUBJECTS}\b")
# Equipment is kit when the text says it is provided ("my laptop is slow" is not an offer).
KIT_EQUIPMENT = any_of(
    r"\blaptops?\b(?! test)",
    r"\bmacbook",
    r"\bmonitors?\b",
    r"\bworkstations?\b",
    r"\bhardware\b",
    r"\bequipment\b",
    r"\bide licen[cs]es?\b",
    r"\bjetbrains\b",
)
PROVISION = any_of(
    r"\bprovid(?:e|es|ed|ing)\b",
    r"\bgiv(?:e|es|en|ing)\b",
    r"\bgave\b",
    r"\boffer(?:s|ed|ing)\b",
    r"\bwe offer\b",
    r"\bfree\b",
    r"\binclud(?:e|es|ed|ing)\b",
    r"\bcomes? with\b",
    r"\bsuppl(?:y|ies|ied)\b",
    r"\bissued?\b",
    r"\bon us\b",
    r"\b(?:company|employer)\b",
    r"\bship(?:s|ped)?\b",
    r"\bpaid for\b",
    r"\bcover(?:s|ed)?\b",
    r"\bwe(?:'ll| will)? (?:give|provide|send|buy)\b",
    r"\byou(?:'ll| will)? (?:get|receive)\b",
)
KIT = any_of(
    *more("kit"),
    r"\bcloud credits?\b",
    r"\b(?:aws|gcp|azure) credits?\b",
    r"\b(?:aws|gcp|azure|google cloud|vertex|bedrock)\b[^.;\n]{0,25}\bcredits?\b[^.;\n]{0,40}\bfor the [\w-]+ team\b",
    r"\b(?:business|team|teams|enterprise|corporate|org|organi[sz]ation) (?:seat|plan|account|licen[cs]e|subscription|tier|edition|workspace)s?\b",
    r"\b(?:chatgpt|claude|copilot|cursor|gemini)[^.;\n]{0,20}\b(?:business|team|teams|enterprise)\b",
    r"\bgemini for (?:google )?workspace\b",
    r"\b(?:business|team|teams|enterprise)\b[^.;\n]{0,12}(?:chatgpt|claude|copilot|cursor|gemini)",
    r"\b(?:company|company's|corporate|our|the org's|org|team|team's|shared|work|employer's)\s(?:(?!reimburs|pays?\b|covers?\b|gives?\b|offers?\b|expenses?\b)[\w-]+\s){0,3}(?:account|key|keys|tenant|org|organi[sz]ation|gateway|proxy|deployment|instance|workspace|project|subscription)s?\b",
    r"\bbilled (?:directly )?to (?:the |our |your )?(?:team|company|department|cost cent(?:er|re)|project|employer)\b",
    r"\bthrough (?:our|the company's|the company|a company|the team's) ",
    r"\b(?:company|employer)[- ](?:managed|administered|provided|owned|provisioned|issued|paid)\b",
    r"\b(?:managed|administered|provisioned) by (?:the company|us|it|our|the employer|your employer)\b",
    r"\bprovisioned\b",
    r"\bvia sso\b",
    r"\bsso\b",
)

FORMS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "reimbursement",
        any_of(
            *more("form:reimbursement"),
            r"\breimburs\w*",
            r"\b(?<!business )expens(?:e|es|ed|able)\b(?! (?:account|rules?|polic(?:y|ies)|guidelines?|regulations?))",
            r"\bpay (?:you|it) back\b",
            r"\bclaim(?:ed|s)? (?:it |them )?back\b",
            r"\brefund(?:s|ed)? (?:you )?(?:for|your|the cost|subscriptions?|seats?|plans?)\b",
            r"\bwe(?:'ll| will)? refund\b",
            r"\breceipts?\b",
        ),
    ),
    (
        "stipend",
        any_of(
            *more("form:stipend"),
            r"\bstipends?\b",
            r"\bcash\b(?! out)",
            r"\b(?:added|paid) (?:to|into|with|on) (?:your|the) (?:pay|salary|paycheck|paycheque|payslip|payroll)",
            r"\bon (?:your|the) (?:payslip|paycheck|paycheque)\b",
            r"\bto spend (?:on|as)\b",
            r"\b(?:to|can|may|free to) spend (?:it |them )?(?:on|however|as)\b",
            r"\b(?:virtual|prepaid|debit|gift) card\b",
            r"\bwallet\b",
        ),
    ),
    (
        "subscription",
        any_of(
            *more("form:subscription"),
            r"\bseats?\b",
            r"\bsubscriptions?\b",
            r"\bmembership\b",
            r"\blicen[cs]es?\b",
            r"\b(?:pro|plus|max|team|business|enterprise|paid|premium|individual|ultra) plans?\b",
            r"\b(?:chatgpt|claude|copilot|cursor|gemini|google|perplexity|windsurf)(?: ai)?[\s-](?:plus|pro\+?|max|team|teams|business|enterprise|ultra|advanced|individual)\b",
            r"\b(?:midjourney|firefly|claude|chatgpt|gemini|copilot|cursor|perplexity|windsurf)\b[^.;\n]{0,12}\bplans?\b",
            r"\b(?:github )?copilot\b",
            r"\bcursor\b",
        ),
    ),
    (
        "api_credits",
        any_of(
            *more("form:api_credits"),
            r"\bapi\b",
            r"\b(?:org|openai|anthropic|company's|company) keys?\b",
            r"\btokens?\b",
            r"\bcredits?\b",
            r"\binference\b",
            r"\bcompute\b",
        ),
    ),
)

# --- Use ----------------------------------------------------------------------------------

# Searched in a slice of the text that may begin mid-word ("an't use it for"): any "-n't" counts.
# Spanish "(lo) que no uses" is "unused", not a denial.
_NEG = r"(?:\bnicht|\bkein\w*|\bpas|\bjamais|\baucun\w*|\bnunca|\bningun\w*|\bno(?!(?<=\bque no)\s(?:uses|usas|utilices|utilizas|gastes|gastas|consumas|consumes)\b)|\bnone|\bnot|\bnever|\b\w+n't|\bcannot|\bwithout|\bw/o|\bnor)"
# Every English "-n't" spelled out, for patterns scanned over whole words: the prefilter
# (core/prefilter.py) can then tell where a match starts, which it cannot for \w+n't.
# What "no ... on/with" denies when it opens use up: "no restriction on personal use", "no problem with side projects"
_LIMIT_WORDS = r"(?:restrictions?|limits?|limitations?|rules?|bans?|problems?|issues?|objections?)"
_NOT = r"(?:ca|do|does|did|is|are|was|were|wo|would|could|should|has|have|had|must|need|might|may|sha|ai|dare|ought)n't"
USE: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "some_personal",
        any_of(
            *more("use:some_personal"),
            r"\b(?:reasonable|limited|some|occasional|incidental|light|modest|minor|small amounts? of|a bit of|a little|moderate|fair|sensible)\s(?:personal|private|non-work)\s(?:use|usage|projects?|experiments?|tinkering|stuff|things)",
            r"\b(?:a |an )?(?:reasonable|limited|small|modest|occasional|moderate) (?:amount|level|degree|measure|share) of (?:personal|private|non-work)\b",
            r"\bwithin reason\b",
            r"\b(?:mostly|mainly|primarily|predominantly|largely|principally|chiefly)\s(?:[\w-]+\s)?(?:for\s)?(?:the\s)?(?:work|business|job|company)",
            r"\bwithin reason\b",
            r"\bwork first\b",
            r"\bup to \d+\s?%\s(?:of it )?(?:for|on)\s(?:personal|private|side)",
            r"\bpersonal (?:use|projects?) (?:is |are )?(?:ok|okay|fine|allowed|tolerated|permitted)?\s?(?:in moderation|within limits|as long as|if it|provided|within reason)",
            r"\bas long as (?:it|work|the work|you)[^.;\n]{0,30}(?:first|priority|comes first|not abuse)",
            r"\bpersonal use (?:is )?(?:capped|limited)",
            r"\bafter work(?:'s| is) done\b",
            r"\bup to (?:\d+\s?%|a (?:third|quarter|fifth|tenth|half)|half|[$€£¥₹]\s?\d(?:[\d,.]*\d)?k?)(?: of it)? (?:can |may |could )?(?:go|goes|be used|be spent)? ?(?:to|for|on)? ?(?:personal|private|non-work|side)",
            r"\b(?:about|around|roughly|up to) (?:a|one) (?:third|quarter|fifth|tenth)\b",
            r"\b\d{2}\s?/\s?\d{2} (?:work|business) (?:to|and|/) personal\b",
            r"\bthe rest (?:is |goes )?(?:for|to) (?:work|business|the job)\b",
            r"\ba few personal\b",
            r"\b(?:some|limited|a bit of|bit of|reasonable|occasional|light)\s+(?:personal|private)(?:\s+(?:use|usage|stuff))?\s+(?:is\s+|also\s+)?(?:ok|okay|fine|allowed|permitted)\b",
            r"\bpersonal (?:use|usage)?\s*[:=]\s*(?:limited|some|occasional|partly|within reason)",
        ),
    ),
    (
        "work_only",
        any_of(
            *more("use:work_only"),
            r"\bwork[- ]only\b",
            r"\b(?:business|company|job|client|official)-only\b",
            r"\b(?:anything|everything|whatever) (?:(?:that(?:'s| is)|which is) )?(?:work|job|business|project|company|client)[- ]related\b",
            r"\bonly (?:use|spend|apply) (?:it |them )?(?:on|for) (?:work|business|company|client|job|the job|official|internal)\b",
            r"\bwork[- ](?:use|usage|purposes?)[- ]only\b",
            r"\bonly (?:for|on|to be used for|usable for|use(?:d)? for) (?:work|business|company|job|official|professional|the job|your job|our|client|internal|project)",
            r"\b(?:work|business|company|job|professional|official)(?:[- ]related)? (?:use|usage|purposes?|tasks?|projects?|stuff)? ?only\b",
            r"\bfor (?:company|client|internal|work|business|official) (?:projects?|work|use|tasks?|purposes?)(?: only)?\b",
            r"\((?:for )?(?:project|client|office|official|company|business) (?:work|use|purposes)(?: only)?\)",
            r"\boff[- ]limits (?:for|to) (?:personal|private|side|non-work|hobby)",
            r"\bused only on (?:assigned )?(?:tickets|tasks|work|projects)\b",
            r"\bfor building (?:the|our) (?:product|platform|codebase)\b",
            r"\bas long as (?:i'm|you're|we're|i am|you are) using (?:it|them) (?:on|for) (?:their|our|the|company) (?:projects?|work|product)\b",
            r"\bmeant for (?:the|our) (?:product|job|work|platform|codebase)\b",
            r"\brestricted to (?:your|the) role\b",
            r"\bfor (?:your|the|our|their) (?:assignments?|deliverables|duties|engagements?)\b",
            r"\bfor professional (?:purposes|use|tasks|work)\b",
            r"\bstrictly (?:for )?(?:business|work|professional|company|official)\b",
            r"\b(?:role|job|duty|duties)[- ]related (?:use|usage|purposes?) only\b",
            r"\bonly (?:for )?professional (?:use|usage|purposes)\b",
            r"\b(?:0|zero) personal (?:use|usage)\b",
            r"\bbusiness use\b",
            r"\b(?:restricted|limited|locked|confined|tied|exclusively|solely|purely) (?:to )?(?:for )?(?:the |your |our )?(?:work|business|company|job|professional|employer|on[- ]the[- ]job)",
            r"\b(?:work|business|company|job|employer|professional|official|client|internal)(?:[- ]related)?\s(?:[\w-]+\s)?(?:use\s|usage\s|purposes\s)?only\b",
            r"\bon[- ]the[- ]job (?:use|usage|purposes) only\b",
            r"\bonly (?:for )?(?:work|business|the job)\b(?!s|\s+(?:and|or|with|&)\b)",
            r"\b(?:exclusively|solely|purely|strictly) for (?:the |your |our )?(?:work|business|company|job|professional|official|on[- ]the[- ]job|employer|client\w*|day job|deliverables|assigned|your (?:role|job|work|duties))",
            r"\b(?:needed|required|necessary) for (?:your|the) (?:role|job|work|duties)\b",
            r"\bonly (?:to be )?used (?:while|when) working\b",
            r"\b(?:anything|everything|nothing) (?:but|except|other than|besides|apart from|that isn't|that is not|not related to|unrelated to) (?:the |your |our )?(?:work|job|business|company|role)\b",
            r"\bbusiness expenses? only\b",
            r"\b(?:strictly|only|solely|exclusively) for (?:building |creating |making )?(?:internal|company|client)\b",
            r"\b(?:ring[- ]fenced|earmarked|reserved) for (?:the |our |your )?(?:[\w'-]+ ){0,2}(?:team|team's|backlog|work|client|billable|projects?|sprint|engagements?|platform)\b",
            r"\bonly (?:to be )?(?:spent|used) on (?:tickets|tasks|work|projects)\b",
            r"\b(?:for use|to be used|usable) on (?:[\w'-]+ ){0,3}(?:projects?|work|tasks?|engagements?|deliverables) only\b",
            # "earmarked for X and nothing else"; not "it's in the offer and nothing else" (nothing else is said)
            r"\b(?<!offer )(?<!letter )(?<!email )(?<!contract )(?<!document )(?<!that )(?<!it )(?<!this )(?<!written )(?<!listed )and nothing else\b(?!\s+(?:about|on|regarding|mentioned|said|is said|was said))",
            r"\busable only (?:on|for) (?:the )?(?:company's|company|client|employer's|work) ",
            r"\bstrictly (?:for )?(?:the )?(?:work|business|job)\b",
            r"\bfor (?:our |the )?(?:customer|client|company) projects? only\b",
            r"\b(?:work|job|business) purpose only\b",
            r"\b(?:anything|everything) (?:but|except|other than) (?:for )?(?:personal|private|non-work|side)\b",
            r"\b(?:can't|cannot|can not) (?:be )?(?:shared|used) (?:with|by) (?:family|your family|anyone else|others)\b",
            r"\bexcept (?:for )?the company(?:'s)? (?:codebase|code|repos?|projects?|work)\b",
            r"\bas long as (?:it'?s|it is|they'?re|they are|it'?s used|you use it) (?:for |on )?(?:the |our |your )?(?:work|job|business|company|product|project|client)(?:[- ]related)?\b",
            r"\bcan(?:'t|not) (?:be )?(?:used?|spen[dt]) (?:it |them )?(?:[\w$/,.-]+ ){0,5}?(?:for|on) (?:personal|private|non-work|side|my own|your own)",
            r"\bpersonal (?:use|usage)\s*\?\s*(?:no|nope|not allowed|not permitted|never)\b",
            r"\bpersonal (?:use|usage)?\s*[:=]\s*(?:no|none|nope|n|false|not allowed)\b",
            r"\bfor (?:the|our) (?:product|products|platform|codebase) (?:we'?re|we are|you'?re) building\b",
            # ... but "no restriction on personal use" / "no problem with side projects" open it up
            rf"\b(?:no|none|not|never|{_NOT}|cannot|without|nor)(?!\s(?:\w+\s){{0,2}}{_LIMIT_WORDS}\b)\s(?:\w+\s){{0,6}}(?:for\s)?(?:personal|private|non-work|side)\b",
            r"\bpersonal (?:use|projects?|stuff) (?:is |are )?(?:prohibited|forbidden|banned|not allowed|not permitted|isn't allowed|aren't allowed|off limits|off-limits)",
            r"\bduring work(?:ing)? hours only\b",
            r"\bin the course of (?:your |the |their )?(?:employment|work|duties|job|role)\b",
            r"\bin connection with (?:your |the |their |the employee's |his or her )?(?:employment|work|duties|job|role)\b",
            r"\bin connection with (?:the )?(?:company|employer|firm)(?:'s)? business\b",
            r"\b(?:connected|related) (?:to|with) (?:your|the|their) (?:role|job|work|duties|position|employment)\b",
            r"\b(?:required|needed) (?:by|for|in) (?:your|the|their) (?:role|job|position|duties)\b",
            r"\bincurred (?:in|while|when) (?:performing|the performance of|carrying out|the course of|delivering)\b",
            r"\b(?:solely|exclusively|only) for (?:tools|services|resources) (?:required|needed|necessary)\b",
            r"\b(?:relate|related|relating) to (?:your |our |the )?(?:company's |company |employer's )?(?:work|business|duties|role|job|employment)",
            r"\bperformance of (?:your|the|their|the employee's) (?:duties|work|role|job)\b",
        ),
    ),
    (
        "personal_allowed",
        any_of(
            *more("use:personal_allowed"),
            r"\b(?:personal|private|non-work)\s(?:[\w-]+\s)?(?:use|usage|purposes?|projects?|stuff|things|learning|experiments?|apps?|work|life|coding|repos?|repositories|hacking|tools?|subscriptions?|ideas?|tasks?|time|hacks?|builds?|spending|experimentation)\b",
            r"\b(?:for|just for|having) fun\b",
            r"\bpersonal (?:ones|subscriptions?|accounts?|plans?|tools) (?:are |is )?(?:included|allowed|fine|ok|okay|welcome|too)\b",
            r"\b(?:can|could|may) (?:go|be put|be spent|be used) (?:to|toward|towards|on|for) (?:anything|whatever)\b",
            r"\b(?:personal|private) (?:or|and|&|/|as well as) (?:professional|work|business)\b",
            r"\b(?:professional|work|business)(?:[- ]related)? (?:or|and|&|/|as well as) (?:for )?(?:personal|private|play|fun|pleasure)\b",
            r"\b(?:personal|private) (?:or|and|&|/) (?:work|business|professional)(?:[- ]related)?\b",
            r"\b(?:use|spend) (?:it|them) however\b",
            r"\bno (?:limits?|restrictions?|rules) on (?:what|how|which|where)\b",
            r"\b(?:use|spend) (?:it|them) (?:for|on) both\b",
            r"\bwork or play\b",
            r"\b(?:spend|use) (?:it|them) how(?:ever)? (?:you|u|i) (?:like|want|wish|please)\b",
            r"\b(?:personal|private) included\b",
            r"\bpersonal (?:research|writing|reading|study)\b",
            r"\b(?:my|your|their) own (?:writing|reading|research)\b",
            r"\b(?:oss|open[- ]source) (?:stuff|work|projects?|contributions?)\b",
            r"\b(?:ok|okay|fine|allowed|good) for (?:personal|private)\b",
            r"\buse[- ]it[- ](?:for|on)[- ](?:anything|whatever|everything)\b(?!\s+(?:work|job|business|project|company|client)(?:[- ]related)?\b)",
            r"\b(?:out of|for|from) (?:purely )?(?:personal|private) interests?\b",
            r"\b(?:personal|private|work|professional) or (?:otherwise|not)\b",
            r"\bfor (?:(?:any|general|open|free) )?experimentation\b",
            r"\b(?:to )?play (?:with|around)\b",
            r"\bgo wild\b",
            r"\banything goes\b",
            r"\b(?:my|your|their|his|her) own (?:stuff|things|projects?|use|ideas|purposes|apps?|code|repos?|repositories|work|side)\b",
            r"\b(?:don't|do not|doesn't|does not|won't|will not|never) (?:care|mind|ask|check|restrict|police|track|limit) (?:what|how|if|whether) (?:you|u|i|we) (?:use|spend)",
            r"\b(?:what|how) (?:you|u) (?:use|spend) (?:it|them|the \w+)(?: on| for)? (?:is|are) (?:up to (?:you|u)|your (?:call|choice|business))",
            r"\bup to (?:you|u) (?:what|how)\b",
            r"\bfair game\b",
            r"\bpersonal (?:[\w-]+ )?(?:is|are|'s) (?:fine|ok|okay|allowed|welcome|permitted|totally fine)\b",
            r"\b(?:on or )?off the clock\b",
            r"\b(?:personal|private)(?: use| usage| stuff)?\s+(?:(?:also|too|is|are|totally|fully|usage)\s+)*(?:ok|okay|fine|allowed|welcome|permitted|good)\b",
            r"\b(?:personal|private)\s+(?:also|too)\b",
            r"\bfor personal also\b",
            r"\b(?:work|job|business)\s*(?:\+|and|&|n)\s*personal\b",
            r"\bpersonal\s*(?:\+|and|&|n)\s*(?:work|job|business)\b",
            r"\bdo what (?:u|you) (?:want|like)\b",
            r"\b(?:your|my) own (?:startup|business|company|open[- ]source|time)\b",
            r"\b(?:share|shared|use|used) (?:it )?(?:with|by) (?:your |my )?(?:partner|spouse|family|kids|children)\b",
            r"\b(?:spouses?|partners?|family(?: members)?|kids) (?:can|may|are allowed to) use\b",
            r"\b(?:interest|interests) you personally\b",
            r"\b(?:your|my) own (?:ventures?|interests?|ideas?|learning|study)\b",
            r"\bpersonal side (?:business|hustle|gig|venture)\b",
            r"\bnobody cares what (?:you|u|i|we) (?:build|do|use)\b",
            r"\bpersonal (?:study|studies|courses?|development)\b",
            r"\bhobby (?:apps?|projects?|stuff)\b",
            r"\buse\s*[:=]\s*(?:anything|any|open|personal|unrestricted|whatever|all)\b",
            r"\bany (?:course|class|book|training|conference|certification)s? (?:you|u|i) (?:like|want|choose|fancy)\b",
            r"\banything else (?:you|u|i) (?:fancy|like|want)\b",
            r"\bevenings? and weekends?\b",
            r"\bpersonal (?:projects?|use)\s*\?\s*(?:totally |fully )?(?:allowed|fine|ok|okay|yes|sure)\b",
            r"\bnobody said (?:you|we|i) can(?:'t|not)\b",
            r"\banything (?:you|u) (?:like|want|wish|choose|fancy|need)\b",
            r"\bany (?:app|tool|product|service|model|subscription|thing)s? (?:you|u) (?:like|want|wish|choose|fancy|prefer)\b",
            r"\bside[- ](?:projects?|hustles?|gigs?)\b",
            r"\b(?:for|on) (?:[\w-]+ )?(?:anything|whatever|everything)\b(?!\s+(?:(?:that(?:'s| is)|which is)\s+)?(?:work|job|business|project|company|client)(?:[- ]related)?\b)",
            # not "any use of AI tools is subject to the policy": a rule about use, not an opening
            r"\bany (?:purpose|use|project)\b(?!\s(?:of\s)?(?:[\w-]+\s){0,6}?(?:is|are|must be|shall be) (?:subject to|governed by|bound by|monitored|logged))",
            r"\bhowever (?:you|u|i|we|they) (?:like|want|wish|please|see fit)\b",
            r"\bas you (?:like|wish|please|see fit)\b",
            r"\bwhatever (?:you|u) (?:like|want|wish|please)\b",
            r"\bno (?:strings|restrictions?|rules|limits on (?:use|usage|what))\b",
            r"\b(?:no|without (?:any )?) (?:usage|use|spending) (?:restrictions?|rules|limits)\b",
            r"\b(?:unrestricted|open[- ]ended|fully open|open use|open to anything)\b",
            r"\bhobb(?:y|ies)\b",
            r"\boutside (?:of )?work(?:ing)?(?: hours)?\b",
            r"\b(?:after|out of|outside) (?:work )?hours\b",
            r"\bweekends?\b",
            r"\b(?<!machine )(?<!deep )(?<!reinforcement )(?:learning|tinkering|self[- ]study|upskilling|education)\b"
            r"(?!\s+(?:budget|stipend|allowance|fund|credits?|account|platform|benefit)s?\b)",
            r"\b(?:own|side|fun|weekend|hobby|my|your) experiments?\b",
            r"\bexperiment(?:s|ing)? outside work\b",
            r"\b(?:use|used|using) (?:it |them )?(?:privately|personally)\b",
            r"\b(?:don't|do not|doesn't|does not|won't|never) restrict\b[^.;\n]{0,40}\bto work\b",
            r"\bwhatever else\b",
            r"\bpersonal included\b",
            r"\b(?:go|goes) (?:toward|towards) anything\b",
            r"\b(?:at home|home use)\b",
            r"\bit'?s yours\b",
            r"\byours to (?:use|spend|keep)\b",
            r"\bfamily\b",
            r"\bincluding personal\b",
            r"\bincl\.? personal\b",
            r"\bown projects?\b",
            r"\bnot (?:just|only|limited to|restricted to) work\b",
            r"\bnot work[- ]only\b",
        ),
    ),
)
# Weaker signs of work use: they restrict only when nothing in the text opens the budget up.
WORK_WEAK = any_of(
    r"\b(?:job|work)[- ]related\b",
    r"\bfor (?:your|the) (?:job|role|day job|team)\b",
    r"\bfor (?!personal|private|your own|own|non)(?:[\w-]+ ){0,2}(?:work|business)\b(?! (?:or|and|&|/) (?:for )?(?:personal|private|play|fun|pleasure|hobby|side|whatever|anything))",
    r"\bfor on[- ]the[- ]job (?:use|work|purposes|tasks)\b",
    r"\bon the job\b",
    r"\bwork (?:tasks|purposes|use|stuff)\b",
    r"\bmonitored\b",
    r"\bcompany (?:projects?|work|code|repos?|tasks)\b",
    r"\bclient (?:projects?|work)\b",
    r"\bfor (?:the|our|their) (?:product|project|client|clients|team|codebase)\b",
    r"\bat work\b",
    r"\bfor (?:project|client|team) use\b",
    r"\bwhile working on\b",
    r"\buse (?:it |them )?(?:for|on) (?:the |your )?job\b",
    r"\b(?:on|for) (?:official|company|client) (?:work|business|projects?|deliverables)\b",
    r"\bclient deliverables\b",
    r"\bfor (?:the|their|our) project\b",
)
# A personal-use phrase with one of these close before it is a restriction, not an opening.
# A negation word at most `reach` words before a phrase: "can't use it for personal stuff".
# "no restriction on", "no problem with": a negation of a limit, which opens what follows up
_NOT_A_LIMIT = rf"(?!\s+(?:\S+\s+){{0,2}}?{_LIMIT_WORDS}\b)"
NEGATION_BEFORE = {
    reach: re.compile(rf"{_NEG}\b{_NOT_A_LIMIT}(?:\s+\S+){{0,{reach}}}\s*$") for reach in (1, 2, 3, 5, 6)
}
# Verb negations only: "no cap for work" does not negate "for work".
VERBAL_NEGATION_BEFORE = re.compile(r"(?:\bnot|\bnever|n't|\bcannot)\b(?:\s+\S+){0,1}\s*$")
NEGATION_AFTER = re.compile(
    r"^[^,;.\n]{0,40}\b(?:not allowed|not permitted|prohibited|forbidden|banned|isn't allowed|aren't allowed|not ok|not okay|"
    r"not fine|off[- ]limits|is not|are not|isn't|aren't|doesn't count|does not count|isn't covered|not covered|(?:is |are )?(?:a )?no[- ]go|not an option|out of the question|off the table|not on the table|"
    r"not something (?:\w+ ){0,2}(?:allows?|permits?|supports?|encourages?|does|do)|"
    r"(?:has|have|needs?) to go on (?:your|my|their) own|"
    # German, French, Spanish
    r"nicht (?:erlaubt|gestattet|zulässig|vorgesehen|möglich|freigegeben)|queda prohibid[oa]|(?:wird|werden) nicht|gibt es (?:keine?n?|nicht)|nichts|niemals|nie|jamais|nunca|verboten|untersagt|unzulässig|interdite?s?|"
    r"non (?:autorisée?s?|permise?s?)|pas (?:autorisée?s?|permise?s?|possible)|exclue?s?|no (?:está |están )?permitid[oa]s?|"
    r"prohibid[oa]s?|no se permite|no autorizad[oa]s?)\b"
    r"|^\s*[:=|]\s*(?:no|none|nope|n|false|not allowed)\b(?!\s+\w)"
    r"|^\s*\?\s*(?:[a-z]+\s*:\s*)?(?:absolutely |definitely |certainly |strictly )?(?:no|nope|not|never)\b"
    r"|^\s+(?:but|except|other than|besides|apart from|that isn't|that is not|that's not|unrelated to)\b"
    r"[^,;.\n]{0,30}?\b(?:work|job|business|company|role)\b"
    r"|^\s+(?:but|except|other than)\s+(?:for\s+)?(?:personal|private|non-work|side)\b"
)
# Someone else's allowance, or one from a past job: "my buddy gets ...", "At my last job we got ...".
OTHER_PARTY = re.compile(
    r"\bmy (?:buddy|friend|mate|pal|colleague|coworker|co-worker|cousin|brother|sister|partner|wife|husband|"
    r"ex-colleague|former colleague)s?\b|\ba (?:buddy|friend|mate|pal|colleague|coworker|co-worker)\b|"
    r"\b(?:friend|buddy|mate|colleague)'s\b|\b(?:friend|buddy|mate|colleague)s?\s*:|\b(?:glassdoor|levels\.fyi|blind)\b|"
    r"\b(?:at|in|from|with) my (?:last|previous|old|former|current) (?:job|gig|company|employer|role|place|team|work)\b|"
    r"\b(?:old|last|previous|former|current) (?:job|gig|employer|company|role)\b|\bused to (?:have|get)\b|"
    r"\bat (?:my|his|her|their) place\b|\breply from\b|\b(?:he|she) (?:gets|got|has)\b"
)
# ... and this offer's: "mine is $200/month", "New offer:", "My offer letter says"
THIS_OFFER = any_of_source(
    r"\b(?:this|my|the|new|their) offer\b|\bmine\b|\bme\s*:|\bnew (?:place|job|role|company|gig|employer)\b|"
    r"\b(?:the|my|this) (?:letter|contract)\b|\bthis (?:job|role|company|one)\b|^\s*op\s*:"
)
# A later statement that corrects an earlier one ("work only. Scratch that, personal is fine").
CORRECTION = re.compile(
    r"\b(?:edit\s?\d*\s?:|upd(?:ate)?\s?\d*\s?:|eta\s?:|nvm\b|never mind\b|scratch that|scratch the (?:[\w-]+ ){1,2}(?:part|bit|thing)|i was wrong|i misread|i mean\b|my mistake|oops|sorry,|update from|correction|to correct (?:herself|himself|themselves|myself|that)|update:|edit:|wait,? no\b|"
    r"actually,? (?:scratch|no\b|wait)|supersedes|overrides|"
    r"but (?:the )?(?:contract|offer(?: letter)?|letter|agreement|policy)(?: i got| itself)? (?:says|states|reads)|"
    r"(?:the )?(?:final|written|signed) (?:letter|offer|version|contract|one)\b|\bletter\s*:|\bthe offer i (?:accepted|signed)\b|"
    r"\bwhat the (?:contract|letter|offer)\b)"
)
# "personal use is not prohibited": a refused refusal is an opening.
NOT_RESTRICTED_AFTER = re.compile(
    r"^[^,;.\n]{0,40}\b(?:is |are )?(?:not|isn't|aren't|never) (?:prohibited|restricted|forbidden|banned|limited|an issue|a problem|off[- ]limits)"
)
# A seat on a named plan tier is an allowance by itself; a bare product name is not ("GPT-4 vs Claude?").
PRODUCT_TIER = re.compile(
    r"\b(?:chatgpt|claude|copilot|cursor|gemini|google|perplexity|windsurf)(?: ai)?[\s-](?:plus|pro\+?|max|team|teams|business|enterprise|ultra|advanced|individual|edu)\b"
    r"|\b(?:midjourney|firefly)\b[^.;\n]{0,12}\b(?:plan|seat|subscription|licen[cs]e)\b"
)
# Nouns that make an AI word an allowance in the same sentence ("AI tools are great" is not one).
ALLOWANCE_NOUNS_STRONG = any_of(
    *more("allowance_nouns"),
    r"\bbudgets?\b",
    r"\bquotas?\b",
    r"\ballowances?\b",
    r"\bstipends?\b",
    r"\bcredits?\b",
    r"\breimburs",
    r"\bsubscriptions?\b",
    r"\bseats?\b",
    r"\blicen[cs]es?\b",
    r"\bperks?\b",
    r"\bbenefits?\b",
    r"\bfund(?:s|ing)?\b",
    r"\bwallet\b",
    r"\bmembership\b",
    r"\bspend\b",
)
# Allowance nouns that, with a use or top-up statement, name an allowance without any AI word.
ALLOWANCE_CORE_NOUNS = re.compile(r"\b(?:credits?|tokens?|stipends?|allowances?|budgets?)\b")
# "whether", "no idea if": what follows is asked, not stated.
# "said if" is a condition ("she said if you run out they add more") unless the saying is denied
# ("didn't say if"); "asked if", "not sure if", "said whether" are questions.
# "whether for work or personal projects" states a scope, not a question
_NOT_A_SCOPE = r"(?! (?:(?:it's |it is |they're |you're )?(?:for|at|in|on|used for)\b))"
INDIRECT_QUESTION = any_of_source(
    r"\b(?:know|knows|knew|ask|asked|sure|idea|clear|unclear|word|check|find out|wonder|wondering|idk|clue|unsure|"
    r"waiting (?:on|for))\b"
    r"(?:\s+[\w']+){0,2}?\s+(?:whether|if)\b(?! (?:this|that|it) (?:matters|helps|is relevant|makes a difference))"
    r"|\b(?:say|said|says|mention|mentioned|tell|told|specify|specified|confirm|confirmed)\b(?:\s+[\w']+){0,2}?\s+whether\b"
    r"|\b(?:didn't|did not|doesn't|does not|don't|haven't|hasn't|never|not|won't|wouldn't|couldn't|can't|"
    r"nothing|nobody|no one|nowhere) (?:say|says|said|mention|mentions|mentioned|tell|tells|told|specify|specifies|"
    r"specified|confirm|confirms|confirmed)\b(?:\s+[\w']+){0,2}?\s+if\b"
    r"|\b(?:unknown|unclear|not known|not clear) (?:whether|if)\b"
    # "..., whether it expires": a question; "..., whether for work or personal projects": a scope
    rf"|\b(?:and|or|also) whether\b{_NOT_A_SCOPE}|(?<=, )\bwhether\b{_NOT_A_SCOPE}"
    r"|\b(?:ask|asked|asking)(?: (?:them|her|him|the recruiter|hr))? about\b"
    r"|\b(?:didn't|did not|hasn't|has not|haven't|never|won't) (?:answer|respond|reply)(?: anything)? (?:about|on|to)\b"
    r"|\b(?:(?:didn't|did not|doesn't|does not|don't|haven't|hasn't) (?:say|mention|specify|tell (?:me|us))(?: anything)? (?:about|on)|"
    r"no mention of|nothing\b[^.;\n]{0,25}\b(?:about|on)|no (?:word|info|information|details)(?: yet)? (?:on|about|re|regarding)|"
    r"not (?:sure|clear) (?:what|how))\b"
    # what comes before was left open: "personal use was not mentioned", "the cap never came up"
    # German, French, Spanish, Japanese
    r"|\bob\b(?![^.;\n]{0,80}\b(?:egal|wurscht|wurst|gleich)\b)|\brien n'est (?:précisé|dit|indiqué|prévu|mentionné)\b"
    r"|\b(?:écrit|indiqué|précisé) nulle part\b|\ben ningún (?:sitio|lado|lugar)\b|\bno lo (?:pone|dice|especifica)\b|\bno (?:nos |me |te |le )?(?:dijeron|dicen|dijo|han dicho|especificaron|aclaran|aclara|explican|indican|han aclarado|han explicado|han confirmado) si\b|\b(?:demandé|pregunté|gefragt)\b[^.;\n]{0,10}\b(?:si|ob)\b|\bni si\b"
    r"|\b(?:no idea|not sure|unclear|dunno|aucune idée|keine ahnung|ni idea|no sé)(?=\s*(?:[.,;!?\n]|$))|わからない|分からない|\b(?:stand|steht) (?:nirgends|nicht drin|nichts)\b|\bkeine angaben?\b|\bnicht geregelt\b"
    r"|\b(?:aucune idée|je ne sais pas|je sais pas|on ne sait pas|pas sûr|pas clair)\b[^.;\n]{0,10}\bsi\b"
    r"|\brien (?:de )?(?:précisé |dit |indiqué |prévu )?(?:sur|concernant|à propos)\b|\bne (?:dit|précise|mentionne) rien\b"
    r"|\b(?:no|tampoco) (?:sé|sabemos|sabe|se sabe) si\b|\bni idea (?:de )?si\b"
    r"|\bno (?:dice|pone|menciona|especifica|aclara) nada\b|不明|未定|記載(?:なし|がない|されていない)|書いてない"
    r"|\b(?:(?:was|were|is|are|has been|have been) )?(?:not|never) (?:been )?(?:mentioned|discussed|specified|addressed|"
    r"brought up|stated)\b|\b(?:wasn't|weren't|isn't|aren't|hasn't been|haven't been) (?:mentioned|discussed|specified|"
    r"addressed|brought up|stated)\b|\b(?:never|didn't|did not) (?:come|came) up\b|\bno (?:rule|policy|clause|line|one|document) (?:saying|that says|stating|says)\b|\b(?:never|didn't|did not|doesn't|does not|don't|nobody|no one) (?:said|say|says|told me|mentioned|stated) (?:that )?(?:it was|it's|it is|it'd be|they were|they're)\b|\b(?:assuming|supposing|suppose|hypothetically|let's say) (?:that )?(?:they|it|you|we|i|the)\b|\bif\b(?:\s+[\w']+){1,4}\s+(?:were|was) (?:allowed|permitted|ok|okay|fine|open)\b|\b(?:went )?unmentioned\b"
)

# --- Expiry -------------------------------------------------------------------------------

EXPIRY: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "cash_out",
        any_of(
            *more("expiry:cash_out"),
            r"\bpaid out\b",
            r"\bpaid (?:to you )?(?:in|as) cash\b",
            r"\b(?:leftover|rest|remainder|unused|unspent|balance)\b[^.;\n]{0,40}\b(?:as|in) cash\b",
            r"\b(?:comes?|goes|is paid|gets paid) back to (?:you|u)\b",
            r"\b(?:leftovers?|whatever'?s? left|the rest|remaining|remainder|unspent|unused)\b[^.;\n]{0,30}\b(?:paid into|added to|goes into|goes to) (?:your |my |the )?(?:salary|payroll|pay|paycheck|paycheque)\b",
            r"\b(?:leftovers?|unused|unspent|the rest|(?:whatever|what) (?:you|u|i|we) (?:don't|do not|didn't) (?:spend|use))\b[^.;\n]{0,25}\b(?:added|goes|go|paid) (?:to|into) (?:your|my|the) (?:next |\w+ )?(?:pay|paycheck|paycheque|payslip|salary)\b",
            r"\brefunded as (?:salary|cash|pay)\b",
            r"\b(?:goes|go|get|gets|are|is|it's|that's) (?:added |paid )?(?:to|into) (?:your|my|the) (?:next )?(?:pay|paycheck|paycheque|payslip|salary)\b",
            r"\b(?:unused|unspent|leftover|remaining|remainder)\b[^.;\n]{0,30}\b(?:refunded|returned|paid back|given back)\b",
            r"\bcash(?:ed)?[- ]?out\b",
            r"\b(?<!non-)(?<!non )encash(?:ed|ment|able)?\b",
            r"\bpay(?:s|ing)? (?:it |them |you )?out\b",
            r"\bpayout\b",
            r"\bconverted (?:in)?to (?:cash|salary|pay)",
            r"\bunused\b[^.;\n]{0,40}\b(?:paid|added|returned|given) (?:back )?(?:to you|to your|in cash|as cash|as salary|as a bonus|on your|with your)",
            r"\bunused\b[^.;\n]{0,30}\b(?:cash|your (?:salary|paycheck|paycheque|payslip))\b",
            r"\b(?:left|leftover|remaining|remainder|unused|unspent|unutili[sz]ed)\b[^.;\n]{0,40}\b(?:added|paid|goes|go|credited|returned) (?:back )?(?:to|into|on|with|in) (?:my|your|the|their) (?:\w+ )?(?:pay|paycheck|paycheque|payslip|salary|payroll)\b",
            r"\b(?:keep|pocket) (?:the|whatever|what(?:'s| is)) (?:rest|left|leftover|remainder|unused|you don't use)",
            r"\b(?:unused|unspent|leftover|remaining|left over|left)\b[^.;\n]{0,80}\bpaid (?:to you |out )?(?:through|via|in|with|on) "
            r"(?:the |your )?(?:\w+ )?(?:payroll|pay run|salary|paycheck|paycheque|payslip)\b",
            r"\b(?:keep|pocket|get) (?:what|whatever) (?:you )?(?:don't|do not|didn't) (?:spend|use)",
            r"\b(?:don't|do not|didn't) (?:spend|use)[^.;\n]{0,25}\b(?:as|in) cash\b",
        ),
    ),
    (
        "rolls_over",
        any_of(
            r"\bbanks? (?:indefinitely|forever|over time|from month to month|month to month)\b",
            r"\bstays? (?:for|until|into|in) (?:the )?next (?:year|month|quarter|week)\b",
            r"\b(?:is |are )?still there (?:the )?(?:following|next) (?:day|week|month|quarter|year)\b",
            r"\bstays? (?:available|on (?:your|the) account)\b",
            r"\bcarr(?:y|ies) (?:to|into) (?:the )?next\b",
            r"\badded to (?:the )?next (?:day|week|month|quarter|year)'?s?\b",
            r"\baccumul\w*",
            *more("expiry:never_expires"),
            r"\b(?:never|don't|doesn't|do not|does not|won't|will not|dont|doesnt|wont) expir(?:e|es|ing)\b",
            r"\bbanked\b",
            r"\bbanks? (?:it|them|unused|the|what|any|leftover|credits)\b",
            r"\b(?:they |it |credits |balance )?banks? if (?:unused|not used|unspent)\b",
            r"\bno (?:expiry|expiration|expiration date|expiry date|end date)\b",
            r"\bexpiry\s*[:=]\s*(?:none|no|never)\b",
            r"\bnot (?:lost|use[- ]it[- ]or[- ]lose[- ]it)\b",
            r"\b(?:doesn't|does not|don't|do not|won't|will not|never) reset\b",
            r"\bnon[- ]?expiring\b",
            r"\bdoesn't lapse\b",
        ),
    ),
    (
        "expires",
        any_of(
            r"\b(?:is|are|gets?) lost\b",
            r"\b(?:just |simply )?(?:disappears?|vanish(?:es)?)\b",
            r"\b(?:nothing|none) (?:unspent|unused|left)(?: \w+)? (?:comes|carries|rolls) (?:forward|over)\b",
            r"\b(?:each|every) (?:month|week|quarter|year) stands alone\b",
            r"\b(?:i|you|we|u) lose it\b",
            r"\bleftovers?\s*[:=-]?\s*(?:gone|lost|forfeited|expire|none)\b",
            *more("expiry:expires"),
            r"\buse[- ]it[- ]or[- ]lose[- ]it\b",
            r"\broll-?over\s*[:=]\s*(?:no|none|n|false)\b",
            r"\b(?:not|doesn't|does not|don't|do not|won't|will not|never) (?:go|carry|move|transfer|pass)\w* (?:in)?to (?:the )?next\b",
            r"\b(?:don't|do not|didn't|did not) use\b[^.;\n]{0,20}\b(?:is |are |gets? )?(?:lost|gone|forfeited|wasted)\b",
            r"\b(?:don't|doesn't|do not|does not|won't|will not|cannot|can't|never|no|dont|doesnt|wont) (?:roll|carry|rollover|carryover|rolls)",
            r"\bno (?:roll-?overs?|carry-?overs?|carry over)\b",
            r"\b(?:non|not)[- ]?(?:rolling|cumulative|accumulat\w*)\b",
            r"\bexpir(?:e|es|ed|ing|y|ation)\b",
            r"\b(?:forfeit\w*|lapse[sd]?)\b",
            r"\b(?:unused|unutili[sz]ed|unspent|leftover|remaining|balance|rest|(?:whatever|what|anything|everything)(?:'s| is)? left)\b[^.;\n]{0,30}\b(?:lost|gone|wiped|zeroed|void|disappears?|vanish\w*|lapses?)\b",
            r"\bresets?\b",
            r"\bzero(?:e?s|ed)? out\b",
            r"\bclaw(?:s|ed)? back\b",
            r"\b(?:good|valid) (?:through|until|till|for)\b",
            r"\bvalid (?:for )?\d+ (?:days|weeks|months|years)\b",
            r"\bthen (?:it'?s )?gone\b",
            r"\b(?:balance|credits?|budget|rest|it) (?:evaporates?|vanish(?:es)?|disappears?)\b",
            r"\bor (?:it'?s|it is) gone\b",
            r"\bburns? down to zero\b",
            r"\b(?:don't|do not|didn't) (?:spend|use)\b[^.;\n]{0,15}\b(?:is|are|gets?) (?:gone|lost|forfeited)\b",
            r"\blost if (?:unused|unspent|not used)\b",
            r"\bif not used,? (?:it'?s |it is )?(?:gone|lost|expires?|forfeited)\b",
            r"\b(?:leftovers?|unused|unspent)\b[^.;\n]{0,12}\b(?:are|is|get|gets) lost\b",
            r"\bno roll-?over\b",
            r"\b(?:refresh|refreshes|refreshed) (?:every|each|monthly|weekly|quarterly|annually|yearly|on the)\b",
            r"\b(?:not|n't|never) (?:be )?(?:carried|rolled) (?:over|forward)\b",
            r"\b(?:nothing|none of it|no credits?|no balance) (?:carries|carry|rolls|roll|is carried|is rolled|gets carried) (?:over|forward)\b",
            r"\b(?:unused|unspent|leftover|left over|remaining|remainder)\b[^.;\n]{0,20}\b(?:goes|go|returns?|reverts?) (?:back )?to the (?:company|employer|pool)\b",
            r"\bdoes not accumulate\b",
            r"\bvalid (?:for|until|through|till)\b",
        ),
    ),
    (
        "rolls_over",
        any_of(
            *more("expiry:rolls_over"),
            r"\broll(?:s|ed|ing)?[- ]?over\b",
            r"\b(?:roll|rolls|rolled|carr(?:y|ies|ied)) (?:in)?to (?:the )?(?:next|following)\b",
            r"\broll(?:s|ed)? forward\b",
            r"\b(?:carried|carries|carry|rolls?|rolled) (?:in)?to (?:q[1-4]|the next|next)\b",
            r"\b(?:roll|rolls) from (?:month|year|quarter|week) to (?:month|year|quarter|week)\b",
            r"\bpile up\b",
            r"\b(?:stays?|remains?) (?:in|on) (?:your|the) account\b",
            r"\bcarr(?:y|ies|ied) from one\b",
            r"\b(?:leftover|left over|unused|remaining)\b[^.;\n]{0,30}\bstays? (?:on|in) the account\b",
            r"\broll-?overs?\b",
            r"\bcarr(?:y|ies|ied)[- ]?(?:over|forward)\b",
            r"\bcarry-?over\b",
            r"\baccumulat\w*",
            r"\bbank (?:it|unused|what)",
            r"\bstack(?:s|ing)?\b",
            r"\b(?:unused|leftover|remaining|balance)\b[^.;\n]{0,30}\b(?:stays|stay|remains|remain|kept|keep|carried)\b",
        ),
    ),
)

# --- Top-up -------------------------------------------------------------------------------

TOP_UP: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "yes",
        any_of(
            *more("top_up:yes"),
            r"\b(?<!not )(?<!n't )(?<!never )unlimited\b(?! (?:personal|private|non-work|access to personal|pto|paid time off|vacation|holidays?|leave|sick|time off|days off|snacks|coffee))",
            r"\b(?:isn't|is not|not) a hard (?:cap|limit)\b",
            r"\bnever capped\b",
            r"\b(?<!no )refill(?:s|ed|ing)?(?: it| them| the (?:budget|balance|credits|allowance))?\b",
            r"\b(?:they'll|we'll|they will|we will|will|would|can) upgrade (?:the |your |my |our )?(?:plan|seat|tier|subscription|account|limits?)\b",
            r"\b(?:they|we|finance|he|she|it)(?:'ll| will| would)? (?:just |simply |happily )?adds? (?:more|extra)\b",
            r"\buncapped\b",
            r"\b(?:don't|do not|doesn't|does not|won't|will not|never) (?:cap|limit|ration) (?:it|them|the (?:budget|spend|usage|credits|tokens))\b",
            r"\bno (?:hard |spending |usage |budget |upper )?(?:cap|limit|ceiling)s?\b(?! on (?:what|how|which|where))",
            r"\bnot capped\b",
            r"\bwithout (?:a |any )?(?:hard )?(?:cap|limit)s?\b",
        ),
    ),
    (
        "no",
        any_of(
            *more("top_up:no"),
            r"\bhard[- ]?(?:cap|capped|limit|ceiling)\b",
            r"\b(?:anything|everything|amounts?|spend(?:ing)?) (?:above|over|beyond) (?:that|this|it|the (?:cap|limit))\b[^.;\n]{0,20}\b(?:not|isn't|won't be|never) (?:reimbursed|covered|paid)\b",
            r"\bno exceptions? (?:above|over|beyond|past)\b",
            r"\bno (?:refills?|reloads?)\b",
            r"\bcan(?:'t|not| not) go over\b",
            r"\bno way to get more\b",
            r"\b(?:can't|cannot|can not|won't|will not) increase\b",
            r"\b(?:not|isn't|is not|never|n't|wasn't|was not) (?:really )?unlimited\b",
            r"\bno (?:upgrades?|increases?|extensions?|extra (?:credits|budget|money|funds))\b",
            r"\btough luck\b",
            r"\btop[- ]?ups?\s*[:=|]?\s*(?:no|none|n|false|not available)\b",
            r"\bno (?:top[- ]?ups?|increases?|extensions?|extra|more|additional)\b",
            r"\b(?:not|never|won't be|will not be|cannot be|can't be|isn't|aren't) (?:be )?(?:topped|increased|raised|extended|replenished)\b",
            r"\bonce (?:it'?s|it is|they'?re) (?:gone|used|spent)\b",
            r"\bfixed (?:budget|amount|allowance|cap)\b",
            r"\bstrict(?:ly)? (?:cap|capped|limit|limited)\b",
            r"\b(?:capped|cap) (?:at|of)\b",
            r"\bcapped\b",
            r"\bmax(?:imum)? (?:of )?(?:[$€£¥₹]|rs\.? ?|inr |usd |eur |gbp )\s?\d",
            r"\b(?:is|as) (?:the|your|a) (?:max|maximum|limit|cap|ceiling)\b",
            r"\bnot a (?:penny|cent|dollar|rupee|euro|pound|yen) more\b",
            r"\bfixed at\b",
            r"\bfirm (?:number|cap|limit|ceiling|amount|budget)\b",
            r"\b(?:the )?maximum (?:is )?fixed\b",
            r"\b(?:cap|limit|ceiling) is (?:strict|firm|hard|fixed|final)\b",
            r"\bstrict (?:ceiling|cap|limit)\b",
            r"\bhard stop\b",
            r"\bthat'?s all (?:you|u) get\b",
            r"\b(?:spending|going) (?:over|past|beyond) (?:it|the (?:budget|limit|cap)) (?:is not|isn't|is never) (?:covered|possible|allowed)\b",
            r"\brequests? for (?:a higher limit|more|an increase) (?:are|is) (?:denied|refused|rejected)\b",
            r"\b(?:can't|cannot|can not) (?:get it |be )?(?:increased|extended|raised|topped up)\b",
            r"\b(?:the )?(?:number|amount|budget) is final\b",
            r"\bcaps? (?:it )?at\b",
            r"\b(?:additional|extra|more) (?:credits?|budget|tokens?|funds?|money) (?:are |is )?(?:not|never) (?:available|provided|given)\b",
            r"\bthat'?s (?:the|your) (?:max|maximum|limit|cap|ceiling)\b",
            r"\bout of (?:your own )?pocket\b",
            r"\bpay (?:for )?(?:the rest|extra|any overage)",
        ),
    ),
    (
        "yes",
        any_of(
            *more("top_up:soft_yes"),
            r"\btop(?:ped|s)?[- ]?(?:it |you |them )?up\b(?! (?:with|by) \W?\d| every| each| monthly| weekly| quarterly)",
            r"\btop[- ]?ups?\b",
            r"\b(?:increase|raise|bump|extend|expand|boost)(?:d|s)? (?:it|the (?:\S+ )?(?:budget|allowance|limit|cap|amount)|your (?:budget|allowance|limit))",
            r"\bmore (?:if|when|as|on|upon) (?:(?:i|you|we|u|they) )?(?:ask|need|request|required|needed)",
            r"\brequest (?:more|extra|additional)\b",
            r"\b(?:request|requested|requesting|apply for|ask for)\s(?:an?\s)?(?:increase|top[- ]?up|higher (?:limit|budget|allowance|cap))\b",
            r"\b(?:additional|extra|more|further)\s(?:[\w-]+\s)?(?:(?:may|can|could|will)\sbe\s)?(?:requested|approved|granted|provided|allocated|made available|added|sanctioned)\b",
            r"\b(?:can|may|will) be (?:enhanced|sanctioned|revised upwards?)\b",
            r"\b(?:more|extra|additional|run out|runs out|ran out|need)\b[^.\n]{0,30}\bjust ask\b",
            r"\bask for more\b",
            r"\brequest more\b",
            r"\bas much as (?:you|u) need\b",
            r"\bwhatever (?:you|u) need\b",
            r"\bmore is available\b",
            r"\b(?:add|give|get) (?:you )?more\b",
            r"\bextra (?:on|upon|by) request\b",
            r"\b(?:if|when|once) (?:you|u|i|we|they|someone|anyone) (?:runs? out|ran out|go(?:es)? over|exceeds?|needs? more|use it up|burns? through)",
            r"\bcovers? (?:any |all |the )?(?:overages?|extra|excess)",
            r"\bscales? (?:up )?with\b",
            r"\b(?:we'?ll|we will|we'?d|they'?ll|they will|they'?d|would|we can|they can|will|happy to) (?:raise|increase|bump|top up|extend|add more|up)\b"
            r"(?! (?:you )?(?:an?|the|this|our|my) (?:offer|invitation|welcome|deadline))",
            r"\bapproves? (?:extra|more|additional|an? increase|top[- ]?ups?|the overage|overages|the excess|any overage)\b",
            r"\b(?:we|they|finance|the company|it)(?:'ll| will)? (?:replenish|refill|reload)\b",
            r"\bsoft (?:limit|cap|ceiling)\b",
            r"\b(?:buy|pay for|add|get) (?:you |me )?(?:extra|more|additional) (?:usage|credits?|tokens?|capacity|seats?)\b",
            r"\bwhen (?:i|you|we|u) hit (?:the |my |your )?(?:limits?|cap)\b",
            r"\b(?:move|upgrade|bump) (?:you|me|us) (?:up )?to\b",
            r"\bsign(?:s)? off on (?:extra|more|additional)\b",
            r"\b(?:we|they)(?:'ll| will)? lift (?:it|the (?:limit|cap))\b",
            r"\b(?:raise|increase|top[- ]?up|more) (?:is )?possible\b",
            r"\b(?:can|will|may|could|happily|gladly)\s+(?:\w+\s+)?(?:increase|raise|extend|top (?:it )?up)\b",
            r"\b(?:extra|more|additional) (?:is |are |gets? )?(?:granted|given|added|approved) (?:if|when|whenever)\b",
            r"\bgrows? (?:with|if|when|as)\b",
            r"\bkeep (?:topping|adding|refilling)\b",
            r"\btopped off\b",
            r"\bbackfill(?:s|ed)?\b",
            r"\b(?:if|when) (?:you|u|i|we) run dry\b",
            r"\badds? more (?:whenever|when|if|as)\b",
            r"\binfinite\b",
            r"\b(?:additional|extra) funds? on request\b",
            r"\bjust file a ticket\b",
            r"\bmore (?:if|when) (?:the |your |a )?(?:job|work|project|team)s? needs?\b",
            r"\bwe (?:raise|increase|top up|bump)\b",
            r"\b(?:additional|extra|more|further) (?:budget|credits?|tokens?|allocation|funds?|spend|capacity|quota|usage)\b[^.;\n]{0,25}\b(?:is |are )?(?:approved|provided|granted|given|available|added)\b",
            r"\brequests? for more (?:is |are )?(?:routinely |usually |always )?(?:approved|granted)\b",
            r"\b(?:increased|raised|topped up|extended) automatically\b",
            r"\breplenish(?:es|ed)? it\b",
            r"\badjustable upward",
            r"\bplus (?:extra|more) whenever\b",
            r"\bwhatever (?:\w+ )?(?:you|u) need\b",
            r"\b(?:is|are|gets?|got|will be|can be|be) (?:raised|increased|extended|expanded|bumped|upgraded|topped up)\b",
            r"\b(?:raised|increased|extended|topped up|bumped) (?:if|when|whenever|as)\b",
            r"\b(?:extendable|expandable|increasable)\b",
            r"\bwe'?ll upgrade (?:you|your)\b",
            r"\bif (?:you|u|i|we|they) (?:hit|reach) (?:the |your )?(?:\w+ )?(?:cap|limit)\b",
            r"\bask (?:your |the |a )?(?:manager|lead|boss|team lead|eng manager|finance|it)\b",
            r"\b(?:approve|grant|sign off on) (?:an? )?(?:increase|top[- ]?up|more|extra|additional)",
            r"\b(?:pays?|covers?|picks? up) (?:for )?the (?:difference|overage|rest|excess)\b",
            r"\boverages? (?:are |is )?(?:covered|paid|fine|ok)\b",
            r"\b(?:increased|raised|extended|topped up|expanded|bumped) (?:on|upon|by) request\b",
            r"\bon request\b",
            r"\bsoft (?:cap|limit|budget|ceiling)\b",
            r"\bit'?s (?:a )?soft\b",
            r"\bgo over (?:it|the budget|the limit|budget)\b",
            r"\b(?:will|would|can|could|may|shall) be (?:increased|raised|topped up|extended|expanded|bumped|replenished)\b",
            r"\bcan be (?:increased|raised|extended|expanded) on request\b",
        ),
    ),
)

# --- Framing and tax ----------------------------------------------------------------------

_TOTAL = (
    r"\b(?:total (?:(?:target|annual|annualised|annualized|expected|guaranteed|on-target) )?(?:comp(?:ensation)?|rewards?|package|remuneration|pay)|\btc\b|\bctc\b|\bote\b|comp(?:ensation)? "
    r"(?:package|number|figure|total)|your (?:comp(?:ensation)?|package)|package value|headline (?:number|figure))"
)
COMP_FRAMING = any_of(
    *more("comp_framing"),
    rf"\b(?:included|includes?|including|counted|counting|counts?|part of|factored|baked|rolled|built|folded|bundled)\b[^.;\n]{{0,30}}{_TOTAL}",
    rf"{_TOTAL}[^.;\n]{{0,40}}\b(?:includ\w*|count\w*|incl\.?|excludes?|excluding|doesn't include|does not include|factors? in|covers?|contains?)\b",
    rf"\b(?:not|excluded|exclusive|separate|outside|on top|in addition)\b[^.;\n]{{0,25}}{_TOTAL}",
    r"\b(?:as|is|are) part of (?:your |my |the |our )?(?:compensation|comp|pay|remuneration|package)\b",
    r"\b(?:counted|count|counts|listed|pitched|presented|framed) as (?:part of )?(?:your |my |the )?(?:compensation|comp|remuneration)\b",
    rf"\b(?:in|inside|within|into) (?:the |your |my |our |their )?{_TOTAL}",
    r"\bon top of (?:your |the )?(?:salary|base|comp|compensation|pay|package)\b",
    r"\bin addition to (?:your |the )?(?:salary|base|comp|compensation|pay)\b",
    r"\b(?:not|isn't|is not|aren't|are not) (?:part of|counted (?:in|as|towards)|included in) (?:your |my |the )?(?:comp|compensation|pay|salary|package|tc)\b",
    r"\bpitched (?:it )?as (?:part of )?(?:comp|compensation|pay)\b",
)
TAX = any_of(
    *more("tax"),
    r"\btax\w*",
    r"\bpre-?tax\b",
    r"\bp11d\b",
    r"\bbenefits? in kind\b",
    r"\bbik\b",
    r"\bfringe benefit",
    r"\bw-?2\b",
    r"\b1099\b",
    r"\bhmrc\b",
    r"\birs\b",
    r"\bgross(?:ed)?[- ]?up\b",
    r"\bperquisite",
    r"\btds\b",
    r"\bsalary sacrifice\b",
    r"\bnational insurance\b",
    r"\bsteuer",
    r"\bimp[oô]ts?\b",
    r"\bimpuesto",
)

# --- Whole offers ---------------------------------------------------------------------------

COMPONENT_KINDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "total",
        any_of(
            r"\btotal (?:comp(?:ensation)?|package|rewards?|remuneration|pay|cash)\b",
            r"\btc\b",
            r"\bctc\b",
            r"\bote\b",
            r"\ball[- ]in\b",
        ),
    ),
    (
        "sign_on",
        any_of(
            *more("sign_on"),
            r"\bsign(?:ing)?[- ]?(?:on)?[- ]?bonus\b",
            r"\bsign[- ]?on\b",
            r"\bsigning\b",
            r"\b(?<!at )(?<!on )(?<!upon )(?<!after )(?<!before )(?<!when )joining(?: bonus)?\b(?! (?:kit|pack|packet|letter|date|formalities|day|process))",
            r"\bgolden hello\b",
            r"\bwelcome bonus\b",
            r"\bhiring bonus\b",
        ),
    ),
    (
        "equity",
        any_of(
            *more("equity"),
            r"\brestricted stock",
            r"\b(?:e|v)?sops?\b",
            r"\bphantom (?:shares|stock)\b",
            r"\brsus?\b",
            r"\bequity\b",
            r"\bstock\b",
            r"\boptions\b",
            r"\bshares\b",
            r"\besops?\b",
            r"\bgrant\b",
            r"\bvest",
        ),
    ),
    (
        "bonus",
        any_of(
            *more("bonus"),
            r"\bvariable\b",
            r"\bbonus(?:es)?\b",
            r"\bsti\b",
            r"\bshort[- ]term incentive\b",
            r"\bcommission\b",
            r"\bvariable pay\b",
            r"\bincentive\b",
            r"\bprofit[- ]share\b",
        ),
    ),
    (
        "base",
        any_of(
            *more("base"),
            r"\bbase\b(?! (?:ai |api |token |credit )?(?:allowance|budget|stipend|credits?|quota|tokens?)\b)",  # a "base allowance" is the allowance
            r"\bgross\b(?! (?:margin|profit|revenue|sales))",  # "€5,200 gross/month": the salary
            r"\bbasic\b",
            r"\b(?:special|house rent|conveyance|city compensatory|leave travel) allowance\b",
            r"\bhra\b",
            r"\bfixed (?:pay|salary|ctc|component|comp|compensation)\b",
            r"\blpa fixed\b",
            r"(?<=\d)k? fixed\b(?!\s+(?:at|amount|budget|allowance|cap))",
            r"\bfixed(?=\s*(?:[₹$€£¥]|rs\.?|inr|usd|eur|gbp)?\s?\d)",
            r"\blpa\b",
            r"\bsalary\b",
            r"\bbase pay\b",
            r"\bfixed pay\b",
            r"\bgross pay\b",
            r"\bannual pay\b",
            r"\bwage\b",
            r"\bpaid \S+ (?:a|per) year\b",
        ),
    ),
)
_YEARS = r"(\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten)"
VESTING = re.compile(
    rf"(?:over|across|vest(?:ing|s|ed)?(?: over)?|/|über|auf|sur|en|a|durante|a lo largo de)\s?{_YEARS}\s?(?:-\s?)?"
    rf"(?:years?|yrs?|y|jahren?|ans|années|años)\b|{_YEARS}[- ]?(?:year|yr)[- ]vest|(\d{{1,2}})年間?(?:で|にわたり|かけて)"
)
NUMBER_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
}
# "not 100% sure" is not a bonus
PERCENT = re.compile(
    r"(?P<upto>up to |upto |max(?:imum)? (?:of )?|最大|bis zu |jusqu'à |hasta (?:el |un )?)?(?P<pct>\d{1,3}(?:[.,]\d+)?)\s?[%％]"
    r"(?!\s*(?:sure|certain|confident|positive|chance|likely|of the time|accurate|clear)\b)"
)
INTERROGATIVE = re.compile(
    r"^\s*(?:can|could|is|are|does|do|did|will|would|should|shall|may|might|what|how|why|when|which|who|whether|isn't|aren't)\b"
)
