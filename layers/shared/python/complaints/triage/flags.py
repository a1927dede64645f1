"""Risk flags by rule: a bilingual lexicon, whole words for English, substrings for Chinese.

The rules, their exclusions and the known gaps are in docs/triage.md; training/LABELLING.md is what
the hand-labelled evaluation set was labelled by.
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


def _words(*alternatives: str) -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(alternatives) + r")\b")


ENGLISH_PATTERNS: Mapping[RiskFlag, re.Pattern[str]] = {
    # A regulator, an official complaint body, or a complaint to one. "attorney general" is a regulator.
    "regulator": _words(
        r"cfpb",
        r"c\.f\.p\.b",
        r"consumer financial protection bureau",
        r"consumer protection bureau",
        r"attorneys? generals?(?:'s?)?(?: office)?",
        r"ag'?s office",
        r"federal trade commission",
        r"ftc",
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
        r"department of financial (?:services|institutions|protection)",
        r"banking (?:department|commission)",
        r"(?:state|federal|banking|financial) regulators?",
        r"regulators?",
        r"regulatory (?:agency|agencies|body)",
        r"ncua",
        r"hud(?![- ]subsidi[sz]ed)",
        r"department of housing and urban development",
        r"consumer affairs",
        r"department of banking",
        r"division of banking",
        r"finra",
        r"securities and exchange commission",
    ),
    # Lawyers, courts and suits. Not "attorney general" (a regulator), "power of attorney" (a mandate),
    # attorney fees a servicer adds, nor the bankruptcy court (a bankruptcy is no dispute with the bank).
    "litigation": _words(
        r"lawyers?",
        r"law firms?",
        r"(?<!power of )(?<!tax )attorneys?(?! generals?)(?!'s general)(?:'s)?(?! ?fees)",
        r"lawsuits?",
        r"law suits?",
        r"sue|sues|sued|suing",
        r"(?<!bankruptcy )courts?",
        r"courthouse",
        r"legal recourse",
        r"serve (?:legal )?process",
        r"process server",
        r"legal action",
        r"legal proceedings?",
        r"litigat\w*",
        r"small claims",
        r"class action",
        r"(?<!fair )judge",
        r"judge?ments?",
        # Claimed damages and criminal threats are legal threats without a lawyer's word (LABELLING.md).
        r"(?:statutory|treble|punitive) damages",
        r"per violation",
        r"held liable",
        r"(?:press|file|filing|pressing) (?:criminal )?charges",
        r"criminal charges",
        r"arbitration",
        r"subpoena\w*",
        r"legal counsel",
        r"legal representation",
    ),
    # Press, news and social media. Not "good news", "press 1" on a phone menu nor a credit reporter.
    "media": _words(
        r"the press",
        r"press release",
        r"news (?:media|outlets?|stations?|channels?|reports?|articles?|papers?)",
        r"newspapers?",
        r"(?:in|on) the news",
        r"local news",
        r"news coverage",
        r"journalists?",
        r"(?<!credit )reporters?(?! agency)",
        r"social media",
        r"twitter|tweet\w*|facebook|instagram|tiktok|youtube|reddit|linkedin|yelp",
        r"media outlets?",
        r"(?:tv|television) stations?",
        r"go(?:ing)? public",
        r"the media",
    ),
    # Age, illness, disability, bereavement, financial hardship.
    "vulnerable": _words(
        r"elderly",
        r"senior citizens?",
        r"seniors",
        r"aged? (?:6[5-9]|[7-9]\d)",
        r"(?:6[5-9]|[7-9]\d)[- ]years?[- ]old",
        r"retiree|pensioner|fixed income",
        r"(?:am|is|was|being|became|totally|permanently) disabled",
        r"disabled (?:veterans?|person|people|adult|child|son|daughter|husband|wife|mother|father)",
        r"disabilit(?:y|ies)|handicap\w*|wheelchair|blind|deaf(?! ears)",
        r"dementia|alzheimer'?s?|cancer|chemo\w*|stroke|heart attack|ptsd|depression|diagnosed",
        r"(?:terminal|serious|chronic|mental)(?:ly)? ill\w*",
        r"illness(?:es)?|sick",
        r"hospitali[sz]ed|(?:in|out of) (?:the )?hospital|surger(?:y|ies)|bed ?ridden",
        r"medical (?:condition|issues?|problems?)",
        r"health (?:issues?|problems?|condition)",
        r"deceased|passed away|died|death|funeral|bereave\w*|widow(?:ed|er)?",
        r"late (?:husband|wife|father|mother|son|daughter)",
        r"unemployed|unemployment|no income|laid off|job loss",
        r"lost (?:my|his|her|our) jobs?",
        r"financial(?:ly)? strain\w*",
        r"struggling (?:to pay|paying|to make)",
        r"unable to (?:continue )?(?:make|making|pay)",
        r"financial hardship|(?<!undue )hardship|struggling financially|low[- ]income|poverty|poor people",
        r"(?:have not|haven't|has not|hasn't|not been|am not|i'm not|not) work(?:ed|ing)(?: right now)?"
        r"(?= for| since| right now| at the moment| due| because)",
        r"out of work",
        r"(?:haven't had|have not had|had no|without) (?:any )?income",
        r"(?:am|i'm|we're|we are|is|was|now|recently|being) retired|retire(?:ment)? income|pension",
        r"homeless\w*|evict\w*",
        r"social security (?:disability|income|benefits)",
        r"(?:living|live|lives|rely|relying) (?:on|off|in) (?:social security|disability|benefits)",
        r"food stamps|make ends meet|barely afford",
        r"domestic (?:violence|abuse)|abuser",
        r"lost (?:my|our) (?:home|house)",
        r"ssi|ssdi",
    ),
    # Scams, fraud, identity theft, phishing, unauthorised transactions or accounts. A fraud alert or fraud
    # department alone is a safeguard, not a fraud; a disputed credit inquiry alone is a reporting dispute.
    "fraud": _words(
        r"scam\w*",
        r"fraud(?!\w*\s+(?:alerts?|department|dept))\w*",
        r"defraud\w*",
        r"identity theft|id theft|thefts?|stolen identity|identity thie(?:f|ves)",
        r"identity (?:was |has been )?stolen",
        r"phishing",
        r"unauthori[sz]ed (?:\w+ )?(?:transactions?|charges?|withdrawals?|access|use|debits?|transfers?"
        r"|payments?|accounts?|purchases?)",
        r"(?:did not|didn't|never|not) authori[sz]e",
        r"(?:opened|placed|taken out|applied for) (?:\w+ ){0,3}in my name",
        r"(?:opened|created|added|taken out) (?:\w+ ){0,4}(?:unbeknownst to me"
        r"|without my (?:knowledge|consent|permission|authori[sz]ation))",
        r"hacked|hacker\w*|skimm\w*|counterfeit|impersonat\w*|spoof\w*|con artists?|swindl\w*",
        r"stole|stolen|steal\w*",
    ),
    "discrimination": _words(
        r"discriminat\w*",
        r"racis[mt]\w*|racial\w*|redlin\w*|sexis[mt]|prejudice\w*",
        r"equal credit opportunity|ecoa",
        r"because (?:of )?(?:my|i am|i'm) (?:race|age|gender|sex|religion|national origin|ethnicity|black"
        r"|disabled|a woman)",
        r"biased against",
    ),
}
CHINESE_WORDS: Mapping[RiskFlag, tuple[str, ...]] = {
    "regulator": (
        "金融监管总局",
        "国家金融监督管理总局",
        "监管总局",
        "银保监",
        "银监会",
        "银监局",
        "保监会",
        "证监会",
        "人民银行",
        "人行",
        "央行",
        "12378",
        "12363",
        "消协",
        "消费者协会",
        "12315",
        "监管部门",
        "监管机构",
        "金融办",
        "银行业协会",
        "金融消费权益保护",
        "向监管",
        "找监管",
        "投诉到监管",
    ),
    "litigation": (
        "律师",
        "起诉",
        "法院",
        "诉讼",
        "打官司",
        "法律途径",
        "法律手段",
        "仲裁",
        "律师函",
        "追究法律责任",
        "告上法庭",
        "传票",
    ),
    "media": (
        "媒体",
        "曝光",
        "微博",
        "抖音",
        "记者",
        "新闻",
        "电视台",
        "小红书",
        "黑猫投诉",
        "网上发帖",
        "发帖曝光",
        "头条",
    ),
    "vulnerable": (
        "老人",
        "老年人",
        "年迈",
        "年纪大",
        "高龄",
        "残疾",
        "残障",
        "生病",
        "住院",
        "重病",
        "大病",
        "癌症",
        "手术",
        "去世",
        "过世",
        "病故",
        "离世",
        "失业",
        "下岗",
        "低保",
        "孤寡",
        "经济困难",
        "生活困难",
        "家庭困难",
        "困难户",
        "残联",
    ),
    "fraud": (
        "诈骗",
        "骗子",
        "被骗",
        "骗了",
        "骗局",
        "盗刷",
        "盗用",
        "冒用",
        "冒名",
        "钓鱼",
        "欺诈",
        "非本人",
        "不是本人操作",
        "被盗",
    ),
    "discrimination": ("歧视", "区别对待", "差别对待", "看不起", "瞧不起"),
}


def risk_flags(text: str, language: str) -> tuple[RiskFlag, ...]:
    """The flags the text raises, in RISK_FLAGS order."""
    lowered = normalise(text)
    if language == "zh-CN":
        compact = lowered.replace(" ", "")
        found = {flag for flag, words in CHINESE_WORDS.items() if any(word in compact for word in words)}
        # Chinese complaints quote English names too ("CFPB", "Facebook").
        found |= {flag for flag, pattern in ENGLISH_PATTERNS.items() if pattern.search(lowered)}
    else:
        found = {flag for flag, pattern in ENGLISH_PATTERNS.items() if pattern.search(lowered)}
    return tuple(flag for flag in RISK_FLAGS if flag in found)
