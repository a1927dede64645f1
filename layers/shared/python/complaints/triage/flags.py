"""Risk flags by rule: a bilingual lexicon, whole words for English, substrings and short patterns for
Chinese.

Each flag has positive patterns and exclusions. An exclusion's matches are blanked out of the text before
the positive patterns run, so "fraud alert", "power of attorney" or "HUD-approved counselor" cannot raise
a flag while a fraud, a lawyer or HUD named elsewhere in the same text still does. Context exclusions
blank only their group `x` (the word) when the context around it shows it is mentioned in passing
("judgments can show up on your report", "the probate court's papers name us executors").

The rules, their exclusions and the known gaps are in docs/triage.md; training/LABELLING.md is what
the hand-labelled evaluation set was labelled by. Version 11 (see docs/triage.md for what changed).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Literal

from complaints.triage.text import normalise

RiskFlag = Literal["regulator", "litigation", "media", "vulnerable", "fraud", "discrimination"]
RISK_FLAGS: tuple[RiskFlag, ...] = (
    "regulator",
    "litigation",
    "media",
    "vulnerable",
    "fraud",
    "discrimination",
)
RULES_VERSION = 13


def _words(*alternatives: str) -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(alternatives) + r")\b")


def _chinese(*alternatives: str) -> re.Pattern[str]:
    return re.compile("|".join(alternatives))


# Words of up to this many letters between the parts of a phrase ("opened three credit cards in my name").
# v11: CFPB writes amounts in braces ("debited my account {$570.00} without my authorization").
_GAP = r"(?:[\w'$.,{}-]+ ){0,4}"
# "fraud" and the misspellings met (v8: "freaud", "fruad", "fradulent"; v9: "fruad alerts"): the fraud
# pattern and the fraud alert's exclusion both read them.
_FRAUD = r"(?:fraud|freaud|fruad|fradu)"
_PERSON = (
    r"(?:mother|father|mom|dad|parents?|grandmother|grandfather|grandparents?|husband|wife|spouse|aunt"
    r"|uncle|woman|man|lady|couple|customers?|consumers?|person|people|citizens?|adults?|americans?"
    r"|borrowers?|homeowners?|widow)"
)

ENGLISH_EXCLUSIONS: Mapping[RiskFlag, re.Pattern[str]] = {
    # A firm's own ombudsman; HUD as a subsidy, a loan programme, an approved counsellor or the HUD-1 form.
    "regulator": _words(
        r"(?:financial )?ombudsman(?:'s)? (?:dept|department|team|unit|group|division)",
        r"(?:their|its|the bank's|the company's|internal|corporate) ombudsman",
        # v7: the same department told the other way round ("the department of the Ombudsman").
        r"(?:dept|department|division) of (?:the )?ombudsman",
        # v7: a firm's own consumer affairs team (the state's is "Department of Consumer Affairs").
        r"(?:their|its|the bank's|the company's|internal|corporate) consumer affairs",
        r"consumer affairs (?:dept|department|team|unit|group|division|specialists?|representatives?)",
        r"hud(?:[- ]?1\b|[- ](?:approved|certified|subsidi[sz]ed|sponsored)"
        r"| (?:approved|certified|housing|counsel\w*|agency|agencies|homes?|loans?|programs?|statement"
        r"|settlement|form|closing|insured|mortgage|partial claims?))",
        r"(?:through|by|insured by|fha ?/ ?) hud",
        # v7: the HUD settlement statement as a closing paper ("my side of the HUD", "we signed the HUD").
        r"(?:side|page|line|copy|bottom|top) of the hud",
        r"(?:on|with|review|reviewed|reviewing|sign|signed|signing|read|reading) the hud"
        r"(?! (?:department|office|agency|complaint|investigat\w*))",
        r"the hud (?:presented|shows|showed|document|paperwork|papers)",
    ),
    # A power of attorney, attorney fees a servicer adds, a bankruptcy's court or judge, a fair judge.
    "litigation": _words(
        r"powers? of attorney",
        # The lawyers who close a sale or a refinance, parties to the transaction, not the dispute (v8:
        # "the closing lawyer"; v10: "the attorneys involved at the closing").
        r"closing (?:lawyers?|attorneys?)",
        r"(?:attorneys?|lawyers?) (?:[\w']+ ){0,4}(?:at|in|for|of) (?:the|our|my) (?:closing|refinanc\w*)",
        # v10: the FDCPA's "a copy of a judgment against the consumer" quoted in a validation letter.
        r"judge?ment against the consumer",
        r"attorney(?:'s|s')? ?fees?",
        r"tax attorney",
        r"(?:bankrupt|banckrup|bankrup)\w*(?: \w+){0,2} (?:courts?|judges?(?:'s)?|attorneys?|lawyers?"
        r"|trustees?)",
        r"(?:bankrupt|banckrup|bankrup)\w*[^.!?]{0,60}? (?:the|a) (?:federal )?judges?(?:'s)?",
        r"(?:a |the )?fair judge",
        r"attorneys?[- ]in[- ]facts?",
        # v7: the lawyer a bankruptcy needs, told before the bankruptcy ("an attorney for bankruptcy").
        r"(?:attorneys?|lawyers?) (?:for|to file|to handle|to do) (?:a |my |the |our )?(?:chapter \w+ )?"
        r"bankrupt\w*",
        # v7: judgment as good sense ("I used poor judgment", "against my better judgment").
        r"(?:poor|bad|good|better|best|sound|lack of|lapse in|lapse of|errors? in|errors? of) judge?ment",
        # Judgments and courts named in general, not in this dispute: what a credit report may show, a
        # validation checklist, asking whether there is one, a denial that one exists.
        r"(?:bankruptc\w*|liens?|public records?|collections?|repossessions?|foreclosures?|evictions?)"
        r"(?:,|,? and|,? or|/) (?:\w+ ){0,2}judge?ments?",
        r"judge?ments?(?:,|,? and|,? or|/) (?:\w+ ){0,2}(?:liens?|bankruptc\w*|public records?|levy|levies)",
        r"judge?ments? (?:\w+ ){0,3}(?:can|may|could|will|would) (?:\w+ ){0,2}(?:show|appear|stay|remain"
        r"|be reported)",
        r"(?:whether|if) there (?:is|was|are|were|has been) (?:a |any )?(?:\w+ )?judge?ments?",
        r"(?:any|no) such judge?ments?",
        r"any (?:\w+ )?judge?ments? (?:obtained|entered|rendered|issued|filed)",
        r"no (?:court orders?|judge?ments?|levy|levies)(?:,? (?:or|nor) (?:a |any )?(?:court orders?"
        r"|judge?ments?|levy|levies))*",
        # Courts cited as law, fines a law provides.
        r"(?:the |u\.? ?s\.? |united states )?supreme courts?(?:'s)?"
        r" (?:decisions?|rulings?|cases?|held|ruled|decided|has|have|in|opinions?)",
        r"courts? (?:have|has) (?:\w+ )?(?:ruled|held|decided|found|upheld)",
        r"(?:challenges?|upheld|struck down|challenged) in (?:\w+ )?courts?",
        r"fines? (?:of )?(?:up to )?[^a-z]{0,25}per violation",
        # v7: the FCRA's damages clause quoted ("actual damages sustained by the consumer"), law cited.
        r"(?:(?:any|the) )?(?:actual |statutory |punitive )?damages sustained by (?:the|a|any|such) consumer",
        # Charges the writer says they will not press.
        r"(?:would|will|did|do|does|could|should)(?: not|n't) (?:\w+ )?(?:press|file|bring|pursue)"
        r" (?:\w+ )?charges",
        r"(?:not|never) to (?:press|file|bring|pursue) (?:\w+ )?charges",
        r"no charges",
        # v11: laws quoted (the FCRA's permissible purposes, a state's collection statute), courts named as
        # general knowledge ("does not hold validity in a court of law", "proof in court"), the customer
        # held liable for payments (owing, not a claim).
        r"(?:orders? of a court having jurisdiction|court having jurisdiction)(?: to issue such an order)?",
        r"subpoena issued in connection with proceedings",
        r"attorneys? admitted to (?:the )?practice (?:of )?law|for the commencement of litigation",
        r"(?:hold|holds|held|stand|stands|valid\w*|admissible|proof|evidence|up) (?:\w+ ){0,2}in (?:a |any )?"
        r"courts?(?: of law)?",
        # v11: a bureau report's column header ("collection department/attorney/agency").
        r"(?:department|agency) ?/ ?attorney|attorney ?/ ?(?:agency|department)",
        r"(?:i|we|me|us) (?:\w+ ){0,2}held liable for",
        # v12: a suit denied ("I was never sued", a collector's "we will not sue you"); not "have not sued
        # yet" (a step weighed). A home purchase's "attorney review" period (LABELLING.md, round 8).
        r"(?:never|will not|won't|would not|wouldn't|can ?not|can't|cannot|could not|couldn't|was not"
        r"|wasn't|were not|weren't|ha(?:ve|s|d) not been|ha(?:ve|s|d)n't been) (?:\w+ )?(?:be )?"
        r"(?:sue|sued|suing)(?! yet)",
        r"attorney review(?: period)?",
        # v13: a statute's drafting quoted ("no collection agency shall commence litigation").
        r"(?:no|any) (?:\w+ ){0,3}shall (?:not )?(?:commence|institute|bring|file) (?:\w+ )?"
        r"(?:litigation|an action|a suit|suit|lawsuits?)",
    ),
    # Work on or watching a programme is not the press.
    "media": _words(
        r"good news",
        r"press (?:\d|one|two|star|pound)",
        # v9: "my credits reporters" as well.
        r"credits? reporters?",
        # v9: the firm in the news for its past ("the fraud wf was in the news for"), not a threat of press.
        r"(?:was|were|is|are|has been|have been|been|being|always|often|constantly) (?:\w+ )?in the news",
        r"(?:cast\w*|film\w*|produc\w*|shoot\w*|work\w* (?:on|for)|watch\w*|audition\w*|star\w* in|job on)"
        r" (?:\w+ ){0,2}(?:tv|television) (?:shows?|programs?|series)",
    ),
    # Figures of speech and things that only look like a person's circumstances.
    "vulnerable": _words(
        r"deaf ears",
        # v11: "blind sided", an eviction notice never received (a dispute's paperwork).
        r"blind ?sided|blindsided|blind ?eye|blind spot",
        r"(?:never|not|didn't|did not|no) (?:\w+ ){0,2}(?:an )?eviction (?:notices?|letters?|papers?)",
        r"undue hardship",
        # v10: hardship the dispute itself caused ("caused us extreme hardship"), without a word of money (a
        # financial hardship still counts); another person's illness told alone ("my daughter got sick").
        r"caus\w* (?:us |me |my family |him |her |them )?(?:(?:a |an |so much |much |a lot of |great "
        r"|extreme |tremendous |severe |significant |serious |unnecessary |a great deed of "
        r"|a great deal of )+)?hardships?(?! (?:to pay|in paying|paying|making))",
        r"(?:daughter|son|child|children|kids?|brother|sister|friend|dog|cat|pet|aunt|uncle|cousin|nephew|niece)"
        r"(?:'s)? (?:\w+ )?(?:got|gets|is|was|were|became|has been|had been|being) (?:very |really |so )?"
        r"(?:sick|ill)\b",
        # v7: harm to a credit file, not to the person ("caused tremendous hardship on my credit"); v10: or
        # "on my life", the dispute's weight.
        r"hardships? (?:on|to|for|with) (?:my|our|his|her|the) (?:credit|file|report|score|life)\w*",
        # v13: or on a purchase it held up ("causing financial hardship on the purchasing of a new home").
        r"hardships? (?:on|to|for|with|in) (?:the |my |our )?(?:purchas\w*|buying|ability to)",
        # v13: the elderly in general as a firm's targets (others, not the customer).
        r"(?:the )?(?:elderly|seniors|older (?:people|americans|consumers))"
        r" (?:people |customers |consumers )?(?:are|were|being|get|getting) (?:\w+ )?(?:targeted"
        r"|taken advantage of|victimi[sz]ed|exploited|preyed upon|scammed)",
        # v12: hardship the dispute put the customer in, or might cause ("have put me in a hardship", "could
        # potentially create a financial hardship", "the financial hardship it would cause").
        r"(?:put|puts|putting|placed|placing) (?:me|us|him|her|them|my family) (?:in|into|under) (?:a |an )?"
        r"(?:\w+ )?hardships?",
        r"(?:could|would|will|may|might|can)(?: potentially| possibly| also)? (?:create|cause|result in"
        r"|lead to|mean) (?:a |an |some )?(?:\w+ ){0,2}hardships?",
        r"hardships? (?:it|this|that|which) (?:would|will|could|might|may) (?:\w+ )?(?:cause|create|mean)",
        # v12: a member of staff off sick ("the case manager was out sick").
        r"(?:manager|representative|rep|agent|employee|staff|officer|specialist|advisor|banker|processor)"
        r" (?:\w+ )?(?:was|is|were|had been|has been|being) (?:out )?sick",
        r"sick (?:of|and tired)",
        r"social security (?:numbers?|no|#|card)",
        r"(?:card|cards|account|accounts|access|login|feature|features|service|app) (?:was |were |has been "
        r"|is )?disabled",
        r"disabled (?:my|the|our|his|her|their|online|access|card|account)",
        # Conditions a guideline or a policy lists, not the customer's.
        r"(?:retirement|termination|divorce|disability|resignation),? (?:\w+ ){0,3}(?:or|and) death",
        r"(?:in the event of|upon|in case of) (?:the )?(?:\w+'s? |your |their )?(?:death|disability)",
    ),
    # Safeguards and suspicions, not an allegation: a fraud alert or department, a card flagged for fraud,
    # a disputed credit inquiry alone (a reporting dispute).
    "fraud": _words(
        _FRAUD + r" (?:alerts?|depart\w*|dept|unit|units|team|specialists?|prevention"
        r"|protection|monitoring|detection|hold|block|investigators?|analysts?|services?)",
        r"identity theft (?:and fraud )?(?:units?|departments?|dept|teams?|protection|monitoring|insurance"
        r"|services?|alerts?)",
        # v12: or an account suspended, frozen or locked for it (the firm's suspicion).
        r"(?:flagged|flagging|flag|marked|mistaken\w*|suspected|suspicion of|potential|possible|suspended"
        r"|frozen|locked|restricted)"
        r" (?:\w+ ){0,3}(?:as |for )?(?:possible |potential |suspected )?fraud\w*(?: activity)?",
        r"unauthori[sz]ed (?:hard |credit )?(?:inquir\w*|credit (?:checks?|pulls?)|pulls?)",
        # v10: twelve words apart ("inquires on my credit report that i do not recognize and that i did not").
        r"inquir\w* (?:[\w'-]+ ){0,12}(?:did not|didn't|never|had not|hadn't|not) authori[sz]e\w*",
        # v10: the FCRA's identity-theft section quoted, an investigation asked to rule fraud out.
        r"(?:resulted|results|resulting) from an alleged identity theft|copy of an identity theft report ?;",
        # v11: a credit check or the reporting the customer did not authorise (a reporting dispute); a fraud
        # department's officer in a list of addressees; a "fake collection account" (a reporting dispute).
        r"(?:did not|didn't|never|not) authori[sz]e (?:[\w']+ ){0,5}to (?:run|pull|check|access|view)"
        r" my credit",
        r"reporting on my (?:consumer |credit )?(?:file|report) (?:that )?(?:i|we) (?:did not|didn't|never)"
        r" authori[sz]e",
        r"(?:enterprise|global|corporate) fraud(?: (?:and |& |/ )?(?:id|identity) theft)?",
        r"(?:director|president|officer|manager|head)(?: of)? fraud"
        r"(?: (?:and|&) (?:id|identity) (?:theft|management))?",
        r"(?:fake|bogus|phony) collections? (?:accounts?|debts?|items?)",
        r"(?:ensure|make sure|verify|confirm|check) (?:that )?there (?:is|was|has been|are) no (?:\w+ )?"
        r"fraud\w*",
        # A collector asking the customer for a police report: theft is not alleged by that alone.
        r"(?:request\w*|ask\w*|demand\w*|requir\w*) (?:\w+ ){0,4}(?:a|an|the) (?:police report|identity theft"
        r" (?:report|affidavit))(?: (?:for|of|regarding) (?:identity theft|fraud))?",
        # The customer's own account: "we opened the account in my name".
        r"(?:i|we) (?:\w+ ){0,2}(?:opened|open|applied|placed|took out|established|created)",
        # v7: a hypothetical in the 609 template ("otherwise, anyone ... could fax in a fraudulent account").
        r"(?:anyone|anybody) (?:[\w',]+ ){0,8}(?:could|can|might|may|would) (?:[\w',]+ ){0,8}fraud\w*",
        # v7: a breach at a bureau is not a fraud on the customer (LABELLING.md, round 6).
        r"(?:equifax|experian|trans ?union|the (?:credit )?bureaus?|credit bureaus?|credit reporting"
        r" (?:agency|agencies|company|companies)) (?:\w+ )?(?:was|were|had been|has been|have been|got|being)"
        r" (?:\w+ )?hacked",
        # v7: a reporting remark the customer did not agree to, and denials of any fraud.
        r"(?:did not|didn't|never|not) authori[sz]e (?:this|that|the|these|those|any) (?:\w+ )?(?:comments?"
        r"|remarks?|notations?|statements?|narratives?)",
        r"(?:never|not|nor) (?:\w+ ){0,3}(?:participated|engaged|involved|taken part|contacted|notified)"
        r" (?:in|about|of|regarding) (?:any )?fraud\w* activit\w*",
        # v8: a template's present-tense refusal ("I do NOT authorize you nor any entity to report"), a
        # template's conditional ("this action might constitute fraud"), a theft the writer doubts.
        r"(?:do|does) not authori[sz]e (?:you|your|anyone|any|them|this|the|such)",
        r"(?:may|might|could|would|can) (?:\w+ )?(?:constitute|amount to|be considered|be deemed)"
        r" (?:\w+ ){0,2}fraud\w*",
        r"(?:do not|don't|dont|not sure|unsure|no idea) (?:\w+ ){0,3}(?:if|whether) (?:\w+ ){0,3}"
        r"(?:id|identity) theft",
        # v8: a stolen car is a theft, not a fraud on the customer's money or cards (LABELLING.md, round 8).
        r"(?:car|vehicle|truck|motorcycle|van) (?:was |were |had been |has been |got |had gotten )?"
        # v12: "the car had been reported stolen", "a vehicle that wound up being stolen".
        r"(?:reported |(?:that )?(?:wound up|ended up|turned out) (?:being |to be ))?stolen"
        r"|stolen (?:car|vehicle|truck|motorcycle|van)",
        # v12: identity theft as a general risk ("given the growing nature of identity theft"), a fraud the
        # customer says they never alleged (not "I did not report the fraud": still alleged), a breach's data
        # given to hackers (LABELLING.md, round 11).
        r"(?:growing|rising|increasing|prevalence|epidemic|nature|age|era|risks?|threats?|dangers?|rise)"
        r" of (?:\w+ )?(?:identity theft|fraud)",
        r"(?:never|not|didn't|did not|don't|do not) (?:once |ever |even )?(?:said|say|claimed|claim|alleged"
        r"|allege|stated|state)(?: that)? (?:\w+ ){0,3}" + _FRAUD + r"\w*",
        r"(?:gave|given|giving|give|provid\w*|lost|leaked|leaking|exposed|sold|handed)\b[^.!?]{0,120}?\bto"
        r" (?:the )?hackers",
    ),
    # v7: "removed without prejudice" is a legal formula, not a bias.
    "discrimination": _words(
        r"price discrimination",
        r"(?:with|without) prejudice",
        # v11: the ECOA's appraisal-copy rule cited (Regulation B 1002.14), not a claim of discrimination.
        r"(?:ecoa|equal credit opportunity act|reg(?:ulation)? b),? (?:section |sec\.? |§ ?)?1002\.14",
    ),
}

# Words mentioned in passing, told by their context: only the group `x` is blanked.
ENGLISH_CONTEXT_EXCLUSIONS: Mapping[RiskFlag, tuple[re.Pattern[str], ...]] = {
    "litigation": (
        # The lawyer who handled a past bankruptcy ("filed joint and used a lawyer").
        re.compile(
            r"\b(?:filed|filing|file) (?:for )?(?:chapter \w+ )?bankrupt\w*[^.!?]{0,40}?\b(?:used|hired|had"
            r"|through|with|retained|paid) (?:a|an|my|our) (?:\w+ )?(?P<x>lawyers?|attorneys?)\b"
        ),
        re.compile(
            r"\bbankrupt\w*[\s\S]{0,250}?\b(?:filed|filing|file)\b[^.!?]{0,40}?\b(?:used|hired|had|through|with"
            r"|retained|paid) (?:a|an|my|our) (?:\w+ )?(?P<x>lawyers?|attorneys?)\b"
        ),
        re.compile(
            r"\b(?:used|hired|had|through|with|retained|paid) (?:a|an|my|our) (?:\w+ )?"
            r"(?P<x>lawyers?|attorneys?)\b[^.!?]{0,60}\bbankrupt"
        ),
        # A court's papers naming the executors of an estate (no dispute).
        re.compile(
            r"\b(?P<x>courts?)\b[^.!?]{0,80}\b(?:executors?|executrix|administrat(?:or|rix)"
            r"|letters testamentary|letters of administration)\b"
        ),
        re.compile(r"\b(?:executors?|executrix|letters testamentary)\b[^.!?]{0,80}\b(?P<x>courts?)\b"),
        # v7: a court as the keeper of public records in a credit-report dispute: it does not verify,
        # furnish or report them to the bureaus, or the customer asks how it verifies them.
        re.compile(
            r"\b(?P<x>courts?|court ?houses?|court system|court clerk(?:'s)?|clerk of (?:the )?courts?)\b"
            r"[^.!?]{0,100}?\b(?:(?:(?:do|does|did)(?: not|n't| no)|never|will not|won't|cannot|can't"
            r"|can not) (?:\w+ ){0,2}|(?:how|if|whether) (?:they|it|the court) (?:\w+ )?)"
            r"(?:verif|furnish|report|disclos|shar|releas|respond)\w*"
        ),
        re.compile(
            r"\b(?:verif\w*|furnish\w*)\b[^.!?]{0,60}?\b(?:with|from|through) (?:the |a |any )?(?:\w+ ){0,2}"
            r"[-–]?(?P<x>courts?|court ?houses?|court system)\b"
        ),
        re.compile(
            r"\b(?P<x>courts?|court ?houses?) (?:\w+ ){0,2}verif(?:y|ies|ied)"
            r" (?:it|this|that|the information)"
        ),
    ),
    # Other people's possible hardships ("others would incur ... financial hardships").
    "vulnerable": (
        re.compile(
            r"\b(?:others|other (?:people|customers|consumers|borrowers|members|users|families)"
            r"|many (?:people|customers|consumers|borrowers|families)|those who|anyone who|people who)\b"
            r"[^.!?]{0,80}?\b(?P<x>(?:financial |economic )?hardships?|(?:can't|cannot|can not) afford)"
        ),
    ),
}

ENGLISH_PATTERNS: Mapping[RiskFlag, re.Pattern[str]] = {
    # A regulator, an official complaint body, or a complaint to one. "attorney general" is a regulator.
    "regulator": _words(
        r"cfpb",
        # v8: a narrative written without spaces ("yourcomplainttothecfpb"): the name inside a longer word.
        r"\w+cfpb\w*|cfpb\w+",
        r"c\.f\.p\.b",
        r"consumer financial protection bureau",
        # v10: the CFPB misnamed or misspelt ("consumer financial protection board", "cfbp", "cpfb").
        r"consumer financial protection (?:board|agency)|cfbp|cpfb",
        # v12: "consumer finance protection bureau".
        r"consumer finance protection (?:bureau|board|agency)",
        r"consumer ?finance\.gov",
        r"consumer protection (?:bureau|agency|agencies|division|office|department|board|commission)",
        r"attorneys? generals?(?:'s?)?(?: office)?",
        r"ag'?s office",
        r"federal trade commission",
        r"ftc(?:\.gov)?",
        r"reportfraud\.ftc\.gov",
        # v8: the FTC's identity-theft site (LABELLING.md, round 8).
        r"identity ?theft\.gov",
        r"fcc",
        r"federal communications commission",
        r"fca",
        r"financial conduct authority",
        r"(?:financial )?ombudsman",
        r"occ",
        r"comptroller of the currency",
        r"fdic",
        r"federal deposit insurance corporation",
        r"federal reserve",
        r"better business bureau",
        r"bbb",
        r"department of financial (?:services|institutions|protection|regulation)",
        r"(?:office|division|department) of (?:financial|consumer) (?:regulation|protection|institutions"
        r"|credit)",
        r"department of business oversight",
        r"state (?:banking|financial|insurance) (?:department|commission|commissioner|regulators?)",
        r"(?:banking|insurance) (?:commission|commissioner)",
        r"(?:commissioner|department|division) of (?:banking|banks|insurance|financial institutions"
        r"|consumer credit)",
        r"(?:state|federal|banking|financial|government) regulators?",
        r"regulators?",
        r"regulatory (?:agency|agencies|body|bodies|authorit\w*)",
        r"ncua",
        r"hud",
        r"department of housing and urban development",
        r"consumer affairs",
        r"department of banking",
        r"division of banking",
        r"finra",
        r"cftc",
        r"securities and exchange commission",
    ),
    # Lawyers, courts, suits, claimed damages and liability, legal steps taken or weighed.
    "litigation": _words(
        r"lawyers?",
        r"law (?:firms?|offices?)",
        r"(?<!power of )(?<!tax )attorneys?(?! generals?)(?!'s general)(?:'s)?",
        r"lawsuits?",
        # v11: "about ready to file suit".
        r"(?:file|files|filed|filing|bring|brought|bringing) (?:a )?(?:civil )?suit",
        r"law suits?",
        r"sue|sues|sued|suing",
        r"courts?",
        r"courthouse",
        r"legal(?:ly)? (?:recourse|action|actions|proceedings?|aid|advice|advisors?|counsel|help"
        r"|assistance|remed\w*|options|steps|measures|means|route|avenues?|representation"
        r"|representatives?|team|services|claims?|case|battle|fight|dispute)",
        r"legally (?:pursu\w*|follow\w*|proceed\w*|challeng\w*|fight\w*|enforc\w*)",
        r"(?:pursu\w*|tak\w*|took|handl\w*|deal\w*|settl\w*) (?:this|it|the matter|this matter|them|things)"
        r" (?:\w+ )?legally",
        r"serve (?:legal )?process",
        r"process server",
        r"litigat\w*",
        r"small claims",
        r"class action",
        r"judges?",
        r"judge?ments?",
        r"magistrate",
        r"plaintiffs?|defendants?",
        r"summons|summoned|subpoena\w*|depositions?|testif(?:y|ied|ying)|injunctions?",
        # Claimed damages, liability and criminal threats are legal threats without a lawyer's word.
        r"(?:seek\w*|claim\w*|recover\w*|award\w*|entitled to|sue\w* for|pursu\w*|demand\w*|actual|statutory"
        r"|treble|punitive|compensatory|consequential|general|specific|liquidated"
        r"|monetary) (?:\w+ ){0,2}damages",
        r"(?:after|against) (?:\w+ ){0,2}for damages|compensat\w* (?:\w+ ){0,2}for (?:my |our )?damages",
        r"(?:civil|criminal) (?:claims?|suits?|actions?|cases?|complaints?|litigation|proceedings"
        r"|inquir\w*|investigations?)",
        r"prosecut\w*",
        r"per violation",
        r"(?:hold|held|make|made|found) (?:\w+ ){0,2}liable",
        # v7: liability put to the firm ("you may be liable for your willful non-compliance") or named as a
        # claim ("a criminal or civil liabilities claim").
        r"you (?:\w+ ){0,2}(?:be|are) (?:held )?liable",
        r"(?:civil|criminal)(?:ly)? (?:(?:and|or) (?:civil|criminal)(?:ly)? )?liabilit\w*",
        r"(?:press|file|filing|pressing) (?:criminal )?charges",
        r"criminal charges",
        r"arbitrat\w*",
        r"(?:retain\w*|hire\w*|hiring|my|our|local|outside) (?:legal )?counsel",
        r"jag|judge advocate|paralegal|public defender|esquire",
    ),
    # Press, news, social media and public review sites, as where the complaint goes or went.
    "media": _words(
        r"the press",
        r"press (?:release|conference|coverage)",
        r"news ?(?:media|outlets?|stations?|channels?|reports?|articles?|papers?|stories|story|coverage"
        r"|reporters?|agenc\w*)",
        r"(?:in|on|to|contact\w*|call\w*) the (?:local |evening |national )?news",
        r"local news",
        r"journalists?",
        r"reporters?(?! agency)",
        r"(?:the|local|mass|news) media",
        r"media (?:outlets?|attention|coverage)",
        r"(?:tv|television) (?:stations?|channels?|news|programs?|shows?)",
        r"go(?:ing|ne)? public|went public|make (?:this|it|my story) public|public(?:ly)? (?:forums?|posts?)",
        r"(?:online|public|yelp|google|trustpilot|bad|negative|honest) reviews?",
        r"(?:post\w*|shar\w*|put\w*|publish\w*|expos\w*|blast\w*|broadcast\w*|spread\w*|writ\w*|wrote"
        r"|tell\w*|told|tak\w*|took|go|going|went|complain\w*|air\w*) (?:\w+ ){0,6}(?:on|to|in|via|across"
        r"|all over) (?:\w+ ){0,2}(?:social media|twitter|facebook|instagram|tiktok|youtube|reddit|linkedin"
        r"|yelp|trustpilot|ripoff ?report|my blog)",
        r"tweet\w*",
        r"viral",
    ),
    # Age, illness, disability, bereavement, financial hardship, a disaster.
    "vulnerable": _words(
        r"elderly",
        r"senior citizens?",
        r"seniors",
        r"senior " + _PERSON,
        r"(?<!year )(?<!years )(?<!year-)(?<!years-)(?<!yr )(?:aging|aged|old|older) " + _PERSON,
        r"(?:aged?|age of) (?:6[5-9]|[7-9]\d|1[01]\d)",
        r"(?:i am|i'm|im|he is|she is|who is|is now|am now|turned|turning) (?:6[5-9]|[7-9]\d)\b"
        r"(?! ?(?:days|%|dollars|percent|cents|miles|minutes|hours|months|weeks|times|calls|pages))",
        r"(?:6[5-9]|[7-9]\d)[- ]?(?:years?|yrs?)[- ]old|(?:6[5-9]|[7-9]\d) ?y/?o",
        r"retiree|pensioner|(?:fixed|limited|sole|only|small|modest) (?:source of )?income",
        r"(?:i|he|she|we|who|husband|wife|spouse|son|daughter|mother|father|mom|dad|veteran|child)"
        r" (?:am|is|was|are|were|has been|have been|had been|became|become|got) (?:\w+ )?disabled",
        r"i'?m (?:\w+ )?disabled|(?:totally|permanently|fully|medically|\d+ ?%) disabled",
        r"disabled (?:veterans?|person|people|adult|child|son|daughter|husband|wife|mother|father|parent"
        r"|individual|customer|consumer|senior)",
        r"disabilit(?:y|ies)|handicap\w*|wheelchair|blind|deaf",
        r"dementia|alzheimer'?s?|cancer|chemo\w*|stroke|heart attack|ptsd|depression|diagnosed",
        r"dialysis|transplant|diabet\w*|seizure disorder|(?:had|has|have|having) (?:a )?seizures?|epilep\w*"
        r"|multiple sclerosis|parkinson'?s?|lupus"
        r"|leuka?emia|tumou?rs?|coma|intensive care|icu|hospice|nursing home|assisted living"
        r"|mental health|bipolar|schizophren\w*|pregnan\w*|miscarriage",
        r"(?:kidney|liver|heart|lung) (?:failure|disease|condition|surgery|problems?)",
        r"(?:terminal|serious|chronic|mental)(?:ly)? ill\w*|terminal (?:cancer|disease|diagnosis)",
        r"(?:major|serious|severe|chronic|critical|life[- ]threatening) (?:medical|health) \w+",
        r"illness(?:es)?|sick",
        r"hospitali[sz]\w*|(?:in|out of|into|admitted to) (?:the )?hospital|surger(?:y|ies)|bed ?ridden",
        # v8: admitted with the hospital's name redacted ("i was admitted to xxxx xxxx") or to a ward.
        r"admitted (?:to|into) (?:the |a )?(?:x{2,}|emergency|er|icu|rehab\w*|psychiatric|mental|medical)",
        # v8: a total and permanent disability discharge, the condition redacted ("my total and xxxx xxxx").
        r"total and (?:permanent|x{4})",
        r"medical (?:condition|conditions|issues?|problems?|emergenc\w*|leave|crisis|reasons)",
        r"health (?:issues?|problems?|conditions?|crisis|emergenc\w*|reasons)",
        r"deceased|passed away|died|death|funeral|bereave\w*|widow(?:ed|er)?|executor|executrix|probate",
        r"surviving spouse|estate of (?:my|our|his|her|the)",
        r"late (?:husband|wife|father|mother|son|daughter|spouse|parents?)",
        # v7: "since my husband passed" (without "away"); not "my son passed his exam".
        r"(?:husband|wife|spouse|mother|father|mom|dad|son|daughter|parents?|brother|sister|grandmother"
        r"|grandfather|partner)(?:,? who)? (?:has |had |have |recently |just |suddenly )?passed\b"
        r"(?! (?:the|a|an|on|through|along|over|by|to|it|this|that|me|him|her|them|my|his|our|their|all"
        r"|away))",
        r"unemploy\w*|no income|laid off|lay ?offs?|job loss|furlough\w*",
        r"lost (?:my|his|her|our|their) (?:\w+ )?(?:jobs?|employment|income|business)",
        r"(?:loss|reduction|decrease|drop) (?:of|in) (?:\w+ )?(?:income|salary|wages|pay|hours|employment)",
        r"(?:income|salary|wages|hours) (?:\w+ ){0,2}(?:dropped|cut|reduced|decreased|slashed|fell)",
        r"(?:hadn't|hadnt|haven't|havent|have not|had not|couldn't|couldnt|could not|can't|cant|cannot"
        r"|unable to|not able to) (?:\w+ )?(?:find|get|land|found) (?:a |another |new |any )?(?:job|work"
        r"|employment)",
        # v7: a job lost told otherwise ("I was wrongfully terminated", "after i loose a job", "I stopped
        # working"); the present "lose my job" is left out (a credit error may cost a job: the dispute).
        r"(?:i|he|she|we|husband|wife) (?:was|were|got|had been|have been|has been) (?:\w+ )?"
        r"(?:fired|terminat\w*|let go)\b"
        r"(?! (?:the|my|our|this|that|it|from (?:the|this|that) (?:account|program|plan|contract)))",
        r"wrongful(?:ly)? terminat\w*|lost a (?:\w+ )?job",
        r"(?:after|since|when|because) (?:i|we|he|she) (?:lost|loose|lose|loosing) (?:a|my|his|her|our)"
        r" (?:\w+ )?(?:jobs?|employment)",
        r"(?:i|we|he|she|husband|wife) (?:had |have |has )?(?:stopped|quit) working",
        r"unable to work|(?:can't|cannot|can not|could not|couldn't) work",
        r"financial(?:ly)? strain\w*",
        r"struggl\w* (?:to pay|paying|to make|to keep|to afford|financially)",
        r"struggl\w* (?:with|to keep up with) (?:the|these|my|our|those) (?:\w+ )?(?:payments?|bills?"
        r"|debts?|mortgage|rent)",
        r"unable to (?:continue )?(?:make|making|pay)",
        # v7: the same told with "cannot" ("I can not pay either debt", "wasnt able to pay"); not "cannot pay
        # it all at once / in a lump sum / online" (a way of paying, not the means).
        r"(?:can ?not|can't|cant|cannot|could not|couldn't|couldnt|wasn't able to|wasnt able to"
        r"|was not able to|weren't able to|were not able to) (?:afford to )?pay (?:(?:due to|because)\b"
        r"|(?:(?:the|this|that|these|those|my|our|either|both|any|all) )?(?:\w+ )?(?:debts?|bills?|payments?"
        r"|loans?|rent|mortgage|balance|it back|(?:the |that )?money back)\b"
        r"(?! (?:[\w'$.,-]+ ){0,3}(?:at once|in full|lump sum|online|on line|by phone|over the phone|through"
        r"|via)))",
        r"difficult(?:y|ies) (?:in )?(?:paying|making (?:the |my |our )?payments?|keeping up)",
        r"(?:arduous|difficult|dire|tough|precarious|desperate|terrible|horrible|strained) financial"
        r" (?:situation|position|state|circumstances)",
        r"(?:can ?not|can't|cannot|unable to|could not|couldn't|no longer|not able to) afford (?:to )?"
        r"(?:pay |make |keep |paying |making )?(?:the |this |that |these |my |our |such |a |any )?"
        r"(?:\w+ ){0,3}"
        r"(?:payments?|amount|bills?|rent|mortgage|car|house|home|loan|debt|installments?|food|medicine"
        r"|medications?|groceries|utilities)",
        r"not (?:making|earning) enough",
        r"(?:financial|financially|economic) (?:hardship|difficult\w*|crisis|troubles?"
        r"|devastat\w*|ruin\w*|collaps\w*|struggle\w*|instability|emergenc\w*)",
        r"financially (?:strapped|struggling|devastated|ruined|collaps\w*|unstable|drained|desperate)",
        r"hard(?:ship|hsip|shp|hsp)s?|struggling financially|low[- ]income|poverty|poor people",
        r"(?:hard|tough|difficult|desperate|dire) (?:times|straits|financial)|desperate situation",
        r"paycheck to paycheck|(?:i'?m|am|we'?re|are) (?:flat )?broke|barely (?:get|getting|surviv\w*|making"
        r" it|scraping|afford)",
        r"(?:have not|haven't|has not|hasn't|not been|am not|i'm not|not) work(?:ed|ing)(?: right now)?"
        # v11: not "it's not working for me" (a thing that fails the customer).
        r"(?= for (?!me\b|us\b)| since| right now| at the moment| due| because)",
        r"out of work",
        # v10: a payment missed "due to personal circumstances".
        r"(?:due to|because of) (?:\w+ )?(?:personal|family|unforeseen) circumstances",
        # Unpaid leave, money the writer does not have.
        r"(?:i|we) (?:was|were|am|are|have been|had been|wasn't|weren't|was not|were not) (?:not )?"
        r"(?:getting|being) paid|(?:unpaid|without pay) (?:\w+ )?leave|leave without pay|fmla",
        r"(?:doctor|medical|physician|injur\w*|illness|surgery)\S* (?:[\w'-]+ ){0,6}off (?:of )?work",
        r"money (?:that )?(?:i|we) (?:do not|don't|dont|did not|didn't|didnt|no longer) have"
        r"|(?:i|we) (?:do not|don't|dont) have the money",
        r"(?:haven't had|have not had|had no|without) (?:any )?income",
        r"(?:am|i'm|we're|we are|is|was|now|recently|being|i|we|he|she) retired|retire(?:ment)? income"
        r"|pension",
        r"homeless\w*|evict\w*",
        r"social security (?:disability|income|benefits?|checks?|retirement)",
        # v11: "I have been on social security since".
        r"(?:been|am|i'm|is|are|was|were|currently|now) on (?:social security|ssi|ssdi|disability)"
        r"(?! (?:numbers?|no|#|cards?|administration))",
        r"(?:living|live|lives|rely|relying|depend\w*) (?:solely |only )?(?:on|off|in) (?:social security"
        r"|disability|benefits)",
        r"food stamps|make ends meet",
        # v7: no money to live on, and poverty told in plain words ("if i weren't dirt poor").
        r"(?:left|leaving|leaves|leave) (?:me |us )?(?:with )?(?:no|little|zero) money"
        r"|(?:have|had|with) no money (?:to|for|left)|money to live on",
        # v8: what is left to survive on ("as little as $540 to survive on a month").
        r"to survive on|(?:enough|money) to survive",
        r"dirt[- ]poor|(?:i am|i'm|im|we are|we're|i was|we were) (?:so |very |too )?poor\b",
        r"domestic (?:violence|abuse)|abuser",
        r"lost (?:my|our) (?:home|house)",
        r"ssi|ssdi",
        r"(?:house|home|apartment) fire|(?:house|home) (?:burned|burnt) down",
        r"(?:natural|declared|federal(?:ly)? declared) disasters?|disaster (?:area|zone|relief|declaration"
        r"|assistance)|hurricanes?(?! season)|wildfires?|tornado\w*|earthquakes?",
        # v13: a flood, the customer's old age told plainly ("I am old and cranky"), payments fallen behind
        # and an arrangement asked for (struggling to pay, LABELLING.md rounds 7 and 12).
        r"flood damage|(?:home|house|basement|apartment|property|car|town|area) (?:was |were |got )?flooded",
        r"(?:i am|i'm|im|we are|we're) (?:so |too |very |now |getting |quite )?(?:old|elderly)"
        r"(?= and\b| now\b| (?:person|man|woman|lady|couple)\b|[.,;!?])",
        r"(?:fell|fallen|falling|got|get) behind (?:[\w']+ ){0,4}(?:and|so) (?:\w+ ){0,3}(?:made|set up|asked"
        r" for|requested|entered)(?: into)? (?:a |an )?(?:payment )?(?:arrangement|plan|extension|deferment"
        r"|forbearance)",
    ),
    # Scams, fraud, identity theft, phishing, impersonation, transactions, accounts or charges the
    # customer did not authorise.
    "fraud": _words(
        r"scam\w*",
        _FRAUD + r"\w*",
        r"defraud\w*",
        r"identity theft|id theft|thefts?|stolen identity|identity thie(?:f|ves)",
        r"identity (?:was |has been |had been )?(?:stolen|taken|hijacked|misused|used)",
        r"phishing",
        # v8: the thing may end a list ("unauthorized interest, fees, and charges").
        r"unauthori[sz]ed (?:[\w$]+,? (?:and |or |& )?){0,3}(?:transactions?|charges?|withdrawals?|access|use"
        r"|debits?|transfers?|payments?|accounts?|purchases?|activity|loans?|cards?|checks?|cheques?|items?"
        r"|fees)",
        r"(?:did not|didn't|never|not) authori[sz]e",
        r"not authori[sz]ed by (?:me|us|myself)",
        # v7: the customer reporting a crime to the police (a collector asking for a report is excluded).
        r"(?:i|we) (?:have |had |also |already |then |even )*(?:filed|submitted|made|sent) (?:in )?"
        r"(?:a |the |my |an )?(?:\w+ )?police reports?|(?:copy|copies) of (?:a |the |my )?police reports?",
        r"thie(?:f|ves)",
        # v8: the police told of a crime ("I contacted the FTC and my local police"), a forged signature.
        r"(?:contacted|called|notified|reached out(?: to)?|went to|reported (?:[\w']+ ){0,4}to)"
        r" (?:[\w']+ ){0,7}police",
        # v13: "my identity may be compromised".
        r"(?:my|our) identity (?:may |might |could |has |had |have )?(?:be |been |was |is )?compromised",
        # v10: an unknown person with the customer's details ("no idea who would have access to my credit").
        r"no (?:idea|knowledge|clue) (?:of )?(?:who|anyone|anybody|how anyone) (?:[\w']+ ){0,3}(?:would|could"
        r"|has|had|got|obtained|have) (?:[\w']+ ){0,2}(?:access|my (?:personal )?(?:information|info|identity"
        r"|ssn|social|details|credit))",
        r"signatures? (?:[\w']+ ){0,4}(?:is|was|are|were) not (?:mine|my own)|not my signature",
        r"forged|forger(?:y|ies)",
        r"(?:open|opened|place|placed|put|taken out|took out|applied|apply|applying|obtained|established"
        r"|created|registered) " + _GAP + r"in my name",
        r"(?:used|stole|took) my (?:\w+ )?(?:name|identity|information|info|ssn|social security number"
        r"|details)"
        r" (?:to|without)",
        r"(?:opened|created|added|taken out|withdrew|withdrawn|transferred|moved|charged|debited"
        r"|deducted|pulled|removed|used|accessed|enrolled|signed (?:me )?up|set up) "
        + _GAP
        + r"(?:unbeknownst to me|without (?:my|our) (?:knowledge|consent|permission|authori[sz]ation"
        r"|approval|authority))",
        r"(?:someone|somebody|a third party|an unknown (?:person|party|individual)|a stranger"
        r"|an? impost[eo]r)"
        r" (?:else )?(?:has |had |have )?(?:used|using|opened|applied|took out|taken out|accessed|obtained"
        r"|withdrew|transferred|stole|charged|cashed|logged into|gained access|hacked)",
        r"unknown (?:person|persons|individual|party|third party|name|recipient|merchant|source)",
        r"(?:person|party|individual|name|charges?|company|account) (?:\w+ )?unknown to (?:me|us)",
        r"(?:transactions?|charges?|purchases?|withdrawals?|transfers?|debits?) (?:that )?(?:i|we)"
        r" (?:did not|didn't|never|do not|don't) (?:make|made|do|initiate|recogni[sz]e|authori[sz]e)",
        r"(?:did not|didn't|never|would never) (?:make|made|initiate|recogni[sz]e) (?:these|this|those|the"
        r"|any)"
        r" (?:\w+ )?(?:transactions?|charges?|purchases?|withdrawals?|transfers?)",
        r"(?:did not|didn't|never|would never) (?:select|sign up|signed up|subscribe|subscribed|enroll"
        r"|enrolled|order|ordered) (?:\w+ ){0,2}(?:for )?(?:this|these|that|any|the|a) (?:\w+ )?(?:paid )?"
        r"(?:services?|subscriptions?|memberships?|products?|plans?|programs?)",
        r"would never sign up",
        # Still charged after the customer cancelled or revoked the authorisation.
        r"(?:charg|bill|debit|tak|pull|deduct|withdr[ae]w)\w* (?:\w+ ){0,8}(?:after|despite|even though"
        r"|although) (?:i|we) (?:had )?(?:cancel|revok|terminat|clos|end)\w*",
        r"(?:cancel\w*|revok\w*) (?:\w+ ){0,10}(?:still|continued?|continues|keep|keeps|kept) (?:\w+ ){0,2}"
        r"(?:charg|bill|debit|tak|pull|deduct|withdraw)\w*",
        r"(?:fake|bogus|phony|sham) (?:\w+ )?(?:accounts?|tickets?|checks?|cheques?|websites?|sites?"
        r"|company|companies|sellers?|business\w*|calls?|emails?|texts?|ids?|documents?|invoices?|charges?"
        r"|lenders?|loans?|personnel|employees?|agents?|representatives?|collectors?)",
        r"illegally (?:took|taken|withdrew|transferred|moved|opened|charged|used|accessed|obtained)",
        r"hacked|hacker\w*|skimm\w*|counterfeit|impersonat\w*|spoof\w*|con artists?|swindl\w*",
        r"embezzl\w*|misappropriat\w*|extort\w*|ponzi|pyramid scheme|money mule",
        r"posing as|posed as|pretend\w* to be|claim\w* to be (?:from|with|a|an)",
        r"stole|stolen|steal\w*",
    ),
    "discrimination": _words(
        r"discriminat\w*",
        r"racis[mt]\w*|racial\w*|redlin\w*|sexis[mt]|prejudice\w*",
        r"equal credit opportunity|ecoa",
        r"because (?:of )?(?:my|i am|i'm|we are|we're|he is|she is|our) (?:\w+ )?(?:race|age|gender|sex"
        r"|religion|national origin|ethnicity|black|african[- ]american|hispanic|latin[oa]|asian|muslim"
        r"|jewish|arab|immigrant|foreign\w*|accent|disabled|disability|a woman|female|elderly|old|a senior"
        r"|gay|transgender|pregnan\w*|marital status|skin color|colou?r)",
        r"based (?:solely )?on (?:my|our|his|her) (?:race|age|gender|sex|religion|national origin|ethnicity"
        r"|disability|colou?r|marital status)",
        r"(?:race|age|gender|sex|religious|disability)[- ]based",
        r"biased against",
    ),
}

# Chinese is matched on the text without spaces. Substrings first, then short patterns.
CHINESE_WORDS: Mapping[RiskFlag, tuple[str, ...]] = {
    "regulator": (
        "金融监管",
        "国家金融监督管理总局",
        "金融监督管理局",
        "监管总局",
        "监管局",
        "银保监",
        "银监",
        "保监",
        "证监会",
        "人民银行",
        "外汇管理局",
        "消协",
        "消费者协会",
        "消费者权益保护协会",
        "金融消费者权益保护",
        "金融消费权益保护",
        "监管部门",
        "监管机构",
        "监管机关",
        "金融办",
        "金融局",
        "银行业协会",
        "市场监管",
        "市场监督管理",
        "工商局",
        "信访",
        "市长热线",
        "政府热线",
        "向监管",
        "找监管",
        "投诉到监管",
        "举报到监管",
    ),
    "litigation": (
        "律师",
        "起诉",
        "法院",
        "诉讼",
        "打官司",
        "法律途径",
        "法律手段",
        "法律程序",
        "司法途径",
        "司法程序",
        "诉诸法律",
        "走法律",
        "仲裁",
        "法律责任",
        "告上法庭",
        "提起上诉",
        "上诉到",
        "传票",
        "判决",
        "胜诉",
        "败诉",
        "开庭",
        "原告",
        "法官",
        "强制执行",
        "被执行人",
    ),
    "media": (
        "媒体",
        "曝光",
        "记者",
        "电视台",
        "黑猫",
        "网上发帖",
        "315晚会",
        "3·15晚会",
        "焦点访谈",
        "舆论",
        "公之于众",
        "上新闻",
        "新闻媒体",
        "新闻记者",
        "新闻热线",
        "新闻报道",
        "找新闻",
    ),
    "vulnerable": (
        "老人",
        "老年",
        "年迈",
        "年纪大",
        "年事已高",
        "高龄",
        "空巢",
        "孤寡",
        "七旬",
        "八旬",
        "九旬",
        "残疾",
        "残障",
        "残联",
        "瘫痪",
        "失明",
        "聋哑",
        "生病",
        "患病",
        "重病",
        "大病",
        "病重",
        "身患",
        "绝症",
        "癌",
        "白血病",
        "尿毒症",
        "化疗",
        "透析",
        "住院",
        "手术",
        "重症监护",
        "植物人",
        "中风",
        "脑梗",
        "心脏病",
        "抑郁症",
        "精神病",
        "看不起病",
        "孕妇",
        "怀孕",
        "去世",
        "过世",
        "病故",
        "离世",
        "病逝",
        "身故",
        "遗孀",
        "丧偶",
        "孤儿",
        "失业",
        "下岗",
        "无业",
        "没有工作",
        "没工作",
        "丢了工作",
        "失去工作",
        "裁员",
        "没有收入",
        "没收入",
        "无收入",
        "收入微薄",
        "低保",
        "困难户",
        "贫困",
        "经济困难",
        "生活困难",
        "家庭困难",
        "经济拮据",
        "入不敷出",
        "走投无路",
        "揭不开锅",
        "还不起",
        "没钱还",
        "拿不出钱",
        "停薪",
        "没有工资",
        "没工资",
        "工资停发",
        "还不上",
        "无力还款",
        "无力偿还",
        # v7: a job lost told otherwise, repaying or paying beyond the customer's means.
        "被辞退",
        "被开除",
        "被解雇",
        "还款困难",
        "无力支付",
        "经济压力",
        "退休",
        "养老金",
        "受灾",
        "灾区",
        # v13: money too tight (钱太紧了, round 13), told the usual ways.
        "钱紧",
        "钱太紧",
        "钱很紧",
        "手头紧",
        "手头拮据",
        "生活拮据",
        "资金紧张",
        "还不过来",
    ),
    "fraud": (
        "诈骗",
        "骗子",
        "被骗",
        "骗了",
        "骗局",
        "骗取",
        "骗走",
        "骗钱",
        "受骗",
        "行骗",
        "套路贷",
        "盗刷",
        "盗用",
        "盗取",
        "盗号",
        "被盗",
        "冒用",
        "冒名",
        "冒充",
        "冒领",
        "假冒",
        "钓鱼网站",
        "钓鱼链接",
        "钓鱼短信",
        "钓鱼邮件",
        "欺诈",
        "不是我本人",
        "不是我本人",
        "本人未操作",
        "不是我操作",
        "不是我刷",
        "被人刷",
        "被转走",
        # v7: stolen cards and money, hackers (as the English "stolen", "hacked").
        "被偷",
        "偷走",
        "偷刷",
        "黑客",
    ),
    "discrimination": (
        "歧视",
        "区别对待",
        "差别对待",
        "瞧不起",
        "狗眼看人低",
        "看人下菜",
        "嫌贫爱富",
        "势利眼",
        "不一视同仁",
    ),
}
CHINESE_PATTERNS: Mapping[RiskFlag, re.Pattern[str]] = {
    "regulator": _chinese(
        r"(?<!\d)(?:12378|12363|12315|12345)(?!\d)",
        r"(?:打|找|向|去|到|拨打)(?:3·?15|315)|(?<!\d)3·?15(?:投诉|热线|平台|消费者)",
        r"央行|(?<![个本私路步行老])人行(?![道驶为走动使])",
    ),
    "litigation": _chinese(
        r"(?<![广报警忠公通预转劝])告(?:你们|他们|银行|到法院|上法庭)",
        r"(?<!公安)(?<!警方)(?<!派出所)(?<!已)立案",
        r"被告(?!知|诉)",
    ),
    "media": _chinese(
        r"(?:发|去|到|上|找)(?:个|条|了)?(?:微博|抖音|快手|小红书|朋友圈|头条|知乎|视频号|b站|公众号|贴吧|网上)"
        r"(?:曝光|投诉|维权|吐槽|揭露|说说|让大家|发帖|@)",
        r"(?:发|转发)(?:个|条|到|了)?(?:微博|抖音|快手|小红书|朋友圈|视频号)",
        r"(?:微博|抖音|快手|小红书|朋友圈|头条|知乎|网上|网络)[^，。！？,!?]{0,4}(?:曝光|维权|揭露)",
    ),
    "vulnerable": _chinese(
        r"(?<!\d)(?:6[5-9]|[7-9]\d|1[01]\d)(?:多)?岁",
        r"(?:[七八九]十|六十[五六七八九])(?:多|几|来)?岁",
    ),
    "fraud": _chinese(
        r"未经[^，。！？,!?]{0,4}(?:同意|授权|允许)[^，。！？,!?]{0,6}(?:扣|转|开通|办理|办了|刷|消费|贷款|借款|开户|划)",
        r"私自(?:扣|转|开通|办理|划|刷)",
        r"(?:非|不是)本人(?:操作|交易|消费|办理|签字|签名|申请|授权)",
    ),
    "discrimination": _chinese(
        r"看不起(?!病)",
        r"因为(?:我|我们|他|她)?是(?:外地|农村|女|老年|残疾|少数民族)",
    ),
}
CHINESE_EXCLUSIONS: Mapping[RiskFlag, re.Pattern[str]] = {
    # 人行征信 is the credit report, not the regulator.
    "regulator": _chinese(r"(?:人民银行|人行|央行)(?:的)?征信"),
    # A court named only as general knowledge ("只有法院能冻结").
    "litigation": _chinese(
        r"(?:只有|除了|除非)法院|法院才",
        r"(?:有没有|是否有|有无|没有)(?:法院)?(?:的)?(?:判决|强制执行|被执行)",
        r"(?:我|我们)(?:也|就|并)?(?:不会|不想|不打算|不再|不去|没打算)(?:去)?(?:起诉|告你们|告银行|追究法律责任)",
    ),
    # An app's news feed is not the press.
    "media": _chinese(r"(?!x)x"),
    # v7: 没(什么)经济压力 / 经济压力不大 deny the strain.
    "vulnerable": _chinese(
        r"手术费(?:分期)?",
        r"(?:没|没有|无)(?:什么|啥)?经济压力|经济压力(?:不大|不是很大|小)",
    ),
    # 是不是本人申请 asks whether the applicant is the card holder.
    "fraud": _chinese(r"防诈骗|反诈骗|防骗|反诈|是不是(?:我)?本人|是否(?:为|是)?(?:我)?本人"),
    "discrimination": _chinese(r"(?!x)x"),
}


def _blank(pattern: re.Pattern[str], text: str) -> str:
    return pattern.sub(" ", text)


def _blank_group(pattern: re.Pattern[str], text: str) -> str:
    def keep_context(match: re.Match[str]) -> str:
        start, end = match.start("x") - match.start(), match.end("x") - match.start()
        return match.group(0)[:start] + " " + match.group(0)[end:]

    return pattern.sub(keep_context, text)


def _english_kept(flag: RiskFlag, lowered: str) -> str:
    kept = _blank(ENGLISH_EXCLUSIONS[flag], lowered)
    for pattern in ENGLISH_CONTEXT_EXCLUSIONS.get(flag, ()):
        kept = _blank_group(pattern, kept)
    return kept


def risk_flags(text: str, language: str) -> tuple[RiskFlag, ...]:
    """The flags the text raises, in RISK_FLAGS order."""
    lowered = normalise(text)
    # English patterns run on Chinese text too: Chinese complaints quote "CFPB", "Facebook".
    found = {
        flag for flag, pattern in ENGLISH_PATTERNS.items() if pattern.search(_english_kept(flag, lowered))
    }
    if language == "zh-CN":
        compact = lowered.replace(" ", "")
        for flag in RISK_FLAGS:
            kept = _blank(CHINESE_EXCLUSIONS[flag], compact)
            if any(word in kept for word in CHINESE_WORDS[flag]) or CHINESE_PATTERNS[flag].search(kept):
                found.add(flag)
    return tuple(flag for flag in RISK_FLAGS if flag in found)
