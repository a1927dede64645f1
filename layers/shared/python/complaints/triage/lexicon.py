"""The word lists triage reads: product keywords (English and Chinese), sentiment words, churn signals and
category keywords. docs/triage.md documents each list and why it holds what it holds.

English patterns match whole words (``\\b``); Chinese ones match as substrings (Chinese has no spaces).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Literal

from complaints.triage.text import english_words, normalise

ProductLine = Literal["deposit", "credit_card", "loan", "mortgage", "wealth", "insurance", "payment", "other"]
PRODUCT_LINES: tuple[ProductLine, ...] = (
    "deposit",
    "credit_card",
    "loan",
    "mortgage",
    "wealth",
    "insurance",
    "payment",
    "other",
)


def _words(*alternatives: str) -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(alternatives) + r")\b")


# The bilingual product keyword layer. Chinese text has no product training data: its product is the line
# with the most keyword hits. English text feeds the same counts to the product model as dense features.
PRODUCT_KEYWORDS_EN: Mapping[ProductLine, re.Pattern[str]] = {
    "deposit": _words(
        r"checking",
        r"savings",
        r"bank accounts?",
        r"overdrafts?",
        r"nsf",
        r"deposits?",
        r"deposited",
        r"atm",
        r"debit cards?",
        r"certificates? of deposit",
        r"cds?",
        r"branch",
    ),
    "credit_card": _words(
        r"credit cards?",
        r"card ?holder",
        r"statement balance",
        r"apr",
        r"annual fee",
        r"rewards?",
        r"cash back",
        r"balance transfers?",
        r"minimum payments?",
        r"credit limit",
    ),
    "loan": _words(
        r"student loans?",
        r"auto loans?",
        r"car loans?",
        r"vehicles?",
        r"cars?",
        r"lease",
        r"leased",
        r"dealership",
        r"repossess\w*",
        r"payday",
        r"title loans?",
        r"personal loans?",
        r"installment loans?",
        r"navient",
        r"nelnet",
        r"fedloan",
        r"great lakes",
        r"mohela",
        r"sallie mae",
        r"servicer",
        r"lenders?",
        r"borrow\w*",
    ),
    "mortgage": _words(
        r"mortgages?",
        r"escrow",
        r"home loans?",
        r"foreclos\w*",
        r"refinanc\w*",
        r"loan modification",
        r"heloc",
        r"home equity",
        r"house",
        r"property",
        r"appraisal",
    ),
    "wealth": _words(
        r"invest\w*",
        r"brokerage",
        r"mutual funds?",
        r"stocks?",
        r"bonds?",
        r"portfolio",
        r"ira",
        r"401 ?k",
        r"wealth management",
        r"financial advis[eo]r",
    ),
    "insurance": _words(r"insurance", r"insurer", r"polic(?:y|ies)", r"premiums?", r"claims? adjuster"),
    "payment": _words(
        r"paypal",
        r"venmo",
        r"zelle",
        r"cash app",
        r"wire transfers?",
        r"money transfers?",
        r"western union",
        r"moneygram",
        r"prepaid",
        r"gift cards?",
        r"bitcoin",
        r"coinbase",
        r"money orders?",
        r"remittances?",
    ),
}
PRODUCT_KEYWORDS_ZH: Mapping[ProductLine, tuple[str, ...]] = {
    "deposit": (
        "存款",
        "储蓄",
        "活期",
        "定期",
        "存折",
        "借记卡",
        "储蓄卡",
        "银行卡",
        "工资卡",
        "开户",
        "销户",
        "取款",
        "存钱",
        "大额存单",
    ),
    "credit_card": (
        "信用卡",
        "白金卡",
        "金卡",
        "额度",
        "提额",
        "降额",
        "临额",
        "年费",
        "账单",
        "分期",
        "积分",
        "主卡",
        "副卡",
        "下卡",
        "卡片",
        "刷卡",
        "透支",
        "最低还款",
    ),
    "loan": (
        "贷款",
        "借款",
        "网贷",
        "消费贷",
        "信用贷",
        "经营贷",
        "车贷",
        "助学贷",
        "放款",
        "借钱",
        "备用金",
        "现金分期",
        # Consumer-credit names and loan words a Chinese loan complaint uses without 贷款 (unmeasured:
        # there is no labelled Chinese product data).
        "借呗",
        "借条",
        "微粒贷",
        "网商贷",
        "高利贷",
        "小贷",
        "放贷",
        "学贷",
        "砍头息",
        "汽车金融",
    ),
    "mortgage": ("房贷", "按揭", "房屋贷款", "住房贷款", "公积金贷款", "抵押贷", "提前还贷", "首套", "二套"),
    "wealth": ("理财", "基金", "理财产品", "净值", "收益率", "股票", "证券", "私募", "资管", "投资", "黄金"),
    "insurance": ("保险", "保单", "保费", "理赔", "投保", "退保", "寿险", "车险", "医疗险", "重疾险"),
    "payment": (
        "转账",
        "支付",
        "汇款",
        "收款",
        "付款",
        "扫码",
        "支付宝",
        "微信支付",
        "云闪付",
        "跨行",
        "代扣",
        "快捷支付",
    ),
}
# The English model's dense features: log(1 + hits) per line, scaled to sit beside L2-normalised TF-IDF
# (0.3 chosen by cross-validation on the training part, see training/train.py).
PRODUCT_KEYWORD_SCALE = 0.3
ENGLISH_PRODUCT_FEATURE_LINES: tuple[ProductLine, ...] = tuple(PRODUCT_KEYWORDS_EN)


# Ties go to the more specific line (房屋贷款 is a mortgage and, by its words, also a loan).
ZH_PRODUCT_TIE_ORDER: tuple[ProductLine, ...] = (
    "mortgage",
    "insurance",
    "wealth",
    "payment",
    "loan",
    "credit_card",
    "deposit",
)


def product_keyword_hits(text: str, language: str) -> dict[ProductLine, int]:
    """Keyword hits per product line (only the lines with hits)."""
    lowered = normalise(text)
    if language == "zh-CN":
        counts = {
            line: sum(lowered.count(word) for word in words) for line, words in PRODUCT_KEYWORDS_ZH.items()
        }
    else:
        counts = {line: len(pattern.findall(lowered)) for line, pattern in PRODUCT_KEYWORDS_EN.items()}
    return {line: count for line, count in counts.items() if count}


# The English loan override: a named loan type or loan company decides `loan` when the text is not also
# about a mortgage or a credit report (a credit-reporting dispute that mentions a student loan is, in the
# CFPB's mapping, `other`). Checked on the training part only: on the 1,149 earlier CFPB narratives it fires
# on 64, 83 % of them loans (docs/triage.md, "Product line").
LOAN_CUES_EN = _words(
    r"student loans?",
    r"auto loans?|car loans?|vehicle loans?|car payments?|auto financ\w*|car financ\w*",
    r"payday(?: loans?| lenders?)?|title loans?|personal loans?|installment loans?|loan servic\w*",
    r"navient|nelnet|mohela|great lakes|fedloan|sallie mae|pheaa|aes|acs education|edfinancial|ecmc",
    r"santander consumer|nmac|nissan motor acceptance|toyota (?:motor credit|financial)",
    r"ally (?:financial|auto)",
    r"gm financial|ford (?:motor )?credit|credit acceptance|westlake|consumer portfolio services|exeter",
    # Lenders whose name is also an English word only with a word that makes them the lender.
    r"capital one auto|chase auto|lending ?club|onemain|one main financial",
    r"(?:upgrade|prosper|avant),? (?:inc|llc|loans?|personal loans?|funding|marketplace)",
    r"speedy cash|ace cash|check ?into ?cash|advance america|cash ?net ?usa",
    r"car (?:was )?repossess\w*|repossess\w*|repo",
)
_MORTGAGE_CONTEXT_EN = _words(r"mortgages?", r"home loans?", r"escrow", r"foreclos\w*", r"heloc")
_CREDIT_REPORT_CONTEXT_EN = _words(
    r"credit reports?",
    r"credit reporting",
    r"credit bureaus?",
    r"credit files?",
    r"equifax|transunion|trans union|experian",
    r"reporting agenc\w*",
)


def unambiguous_loan_cue(text: str) -> bool:
    """The English complaint names a loan type or loan company, and no mortgage or credit report."""
    lowered = normalise(text)
    return (
        LOAN_CUES_EN.search(lowered) is not None
        and _MORTGAGE_CONTEXT_EN.search(lowered) is None
        and _CREDIT_REPORT_CONTEXT_EN.search(lowered) is None
    )


def english_product_dense_features(text: str) -> list[float]:
    hits = product_keyword_hits(text, "en")
    return [PRODUCT_KEYWORD_SCALE * math.log1p(hits.get(line, 0)) for line in ENGLISH_PRODUCT_FEATURE_LINES]


# Chinese sentiment: evaluative and emotional words of bank-customer forums. Factual words (拒, 逾期, 冻结)
# are left out on purpose: the labels mark how people feel, not what happened to them.
ZH_NEGATIVE_WORDS: tuple[str, ...] = (
    "坑",
    "恶心",
    "垃圾",
    "差劲",
    "太差",
    "很差",
    "真差",
    "失望",
    "心累",
    "很气",
    "好气",
    "生气",
    "气人",
    "骗",
    "不要脸",
    "流氓",
    "黑心",
    "抠",
    "小气",
    "太低",
    "太慢",
    "太难",
    "好难",
    "不爽",
    "不舒服",
    "难受",
    "恐吓",
    "威胁",
    "骚扰",
    "怒销",
    "不靠谱",
    "没意义",
    "吐槽",
    "可恶",
    "过分",
    "惨",
    "倒霉",
    "浪费",
    "憋屈",
    "委屈",
    "欺负",
    "歧视",
    "看不起",
    "敷衍",
    "恶劣",
    "态度差",
    "糟糕",
    "郁闷",
    "崩溃",
    "无语",
    "醉了",
    "后悔",
    "鄙视",
    "忽悠",
    "套路",
    "烂",
    "差评",
    "傻",
    "妈的",
    "尼玛",
    "卧槽",
    "毛用",
    "没毛",
    "凭什么",
    "离谱",
    "辣鸡",
    "烦死",
    "丢人",
    "心慌",
    "够呛",
)
ZH_POSITIVE_WORDS: tuple[str, ...] = (
    "不错",
    "满意",
    "好用",
    "很好",
    "挺好",
    "给力",
    "感谢",
    "恭喜",
    "福利",
    "划算",
    "赞",
    "厉害",
    "效率高",
    "效率还",
    "真香",
    "很香",
    "挺香",
    "良心",
    "优秀",
    "方便",
    "顺利",
    "惊喜",
    "棒",
    "羡慕",
)
# Scale of the two dense lexicon counts beside the character n-grams (chosen by cross-validation).
ZH_SENTIMENT_LEXICON_SCALE = 1.0


def chinese_sentiment_dense_features(text: str) -> list[float]:
    compact = normalise(text).replace(" ", "")
    negative = sum(word in compact for word in ZH_NEGATIVE_WORDS)
    positive = sum(word in compact for word in ZH_POSITIVE_WORDS)
    return [
        ZH_SENTIMENT_LEXICON_SCALE * math.log1p(negative),
        ZH_SENTIMENT_LEXICON_SCALE * math.log1p(positive),
    ]


def _word_set(words: str) -> frozenset[str]:
    return frozenset(words.split())


# English sentiment: no labelled English data exists for this domain, so a small hand-written lexicon of
# complaint language scores it. A negator within the three words before turns a positive word negative
# ("not happy") and silences a negative one ("I didn't know about the fees" is no praise).
EN_NEGATIVE_WORDS: frozenset[str] = _word_set(
    """
    abuse abused abusive angry annoyed annoying appalled awful bad betrayed broke careless cheated cheat
    complain complained complaint confused confusing criminal damage damaged deceived deceptive denied
    deny despite difficult disappointed disappointing disgusted disgusting dishonest dispute disputed
    distress embarrassed error errors erroneous failed fail fails failure fault fee fees fraud fraudulent
    frustrated frustrating frustration furious harass harassed harassing harassment horrible ignored
    illegal illegally inaccurate incompetent incorrect inconvenience issue issues lie lied lies lying
    mess mislead misleading misled mistake mistakes negligence negligent never nightmare outrageous
    penalty penalized poor predatory problem problems refuse refused refuses rude ruined scam scammed
    stress stressed stressful stolen terrible threaten threatened threatening unable unacceptable unfair
    unfairly unauthorized unhappy unjust unprofessional upset violate violated violation violations
    worst worse wrong wrongly wrongful
    """
)
EN_POSITIVE_WORDS: frozenset[str] = _word_set(
    """
    appreciate appreciated best excellent glad good grateful great happy helpful kind pleased
    professional quick quickly recommend resolved satisfied thank thanks thankful wonderful
    """
)
EN_NEGATORS: frozenset[str] = frozenset({"not", "no", "never", "don't", "didn't", "isn't", "wasn't", "nor"})


def english_sentiment_counts(text: str) -> tuple[int, int]:
    """(negative, positive) word counts after negation."""
    negative = positive = 0
    words = english_words(text)
    for index, word in enumerate(words):
        negated = any(previous in EN_NEGATORS for previous in words[max(0, index - 3) : index])
        if word in EN_POSITIVE_WORDS:
            if negated:
                negative += 1
            else:
                positive += 1
        elif word in EN_NEGATIVE_WORDS and not negated:
            negative += 1
    return negative, positive


# Churn: the customer says they will leave or stop using the bank.
CHURN_SIGNALS_EN = _words(
    r"close (?:my|our|the|all (?:of )?(?:my|our)) (?:\w+ )?accounts?",
    r"clos(?:ed|ing) (?:my|our) (?:\w+ )?accounts?",
    r"switch(?:ing)? (?:banks?|to another bank)",
    r"change banks?",
    r"mov(?:e|ing) (?:my|our) (?:money|accounts?|business)",
    r"take (?:my|our) (?:money|business) (?:elsewhere|to another)",
    r"cancel(?:led|ing)? (?:my|our|the) (?:\w+ )?(?:cards?|accounts?)",
    r"(?:find|going to|go to) (?:a |an )?(?:another|different|new) bank",
    r"never (?:use|bank with|do business with) (?:\w+ ){0,2}again",
    r"no longer (?:bank|do business) with",
    r"leav(?:e|ing) (?:this|the|your) bank",
)
CHURN_SIGNALS_ZH: tuple[str, ...] = (
    "销户",
    "销卡",
    "注销",
    "怒销",
    "换银行",
    "换一家",
    "换家",
    "转到别的银行",
    "转走",
    "再也不用",
    "再也不会",
    "不再使用",
    "不用了",
    "取消信用卡",
    "剪卡",
    "退卡",
    "把钱取出来",
    "全部取出",
    "永不再",
    "拉黑",
)


def has_churn_signal(text: str, language: str) -> bool:
    if language == "zh-CN":
        compact = normalise(text).replace(" ", "")
        return any(signal in compact for signal in CHURN_SIGNALS_ZH)
    return CHURN_SIGNALS_EN.search(normalise(text)) is not None


Category = Literal["service", "product", "technical", "conduct"]
# Category by keywords: conduct (how the bank behaved) outranks the rest, then the line with more hits.
CATEGORY_KEYWORDS_EN: Mapping[Category, re.Pattern[str]] = {
    "conduct": _words(
        r"rude\w*",
        r"harass\w*",
        r"threat\w*",
        r"lied",
        r"lying",
        r"misled",
        r"mislead\w*",
        r"deceptive",
        r"deceiv\w*",
        r"mis-?sold",
        r"pressur\w+",
        r"discriminat\w*",
        r"unethical",
        r"dishonest",
        r"predatory",
        r"without (?:my )?(?:consent|permission|authori[sz]ation)",
        r"abusive",
        r"bait and switch",
        r"unprofessional",
        r"yell\w*",
        r"hung up",
    ),
    "technical": _words(
        r"app",
        r"website",
        r"web ?site",
        r"online banking",
        r"online portal",
        r"portal",
        r"log ?in",
        r"password",
        r"glitch\w*",
        r"outage",
        r"crash\w*",
        r"error messages?",
        r"system (?:error|issue|problem)s?",
        r"technical",
        r"not loading",
        r"mobile banking",
        r"two-factor",
        r"verification code",
    ),
    "product": _words(
        r"interest rates?",
        r"apr",
        r"fees?",
        r"charges?",
        r"terms",
        r"credit limit",
        r"rewards?",
        r"points",
        r"promotion\w*",
        r"penalt(?:y|ies)",
        r"annual fee",
        r"minimum payment",
        r"rate",
    ),
}
CATEGORY_KEYWORDS_ZH: Mapping[Category, tuple[str, ...]] = {
    "conduct": (
        "态度",
        "骂",
        "威胁",
        "恐吓",
        "骚扰",
        "误导",
        "欺骗",
        "骗",
        "强制",
        "捆绑",
        "搭售",
        "歧视",
        "不要脸",
        "流氓",
        "暴力催收",
        "违规",
    ),
    "technical": (
        "app",
        "APP",
        "网银",
        "手机银行",
        "系统",
        "闪退",
        "登录",
        "登陆",
        "验证码",
        "故障",
        "升级",
        "页面",
        "网页",
        "bug",
        "转圈",
        "密码",
    ),
    "product": (
        "利率",
        "利息",
        "手续费",
        "年费",
        "额度",
        "提额",
        "降额",
        "积分",
        "权益",
        "分期",
        "费率",
        "收费",
        "违约金",
        "优惠",
        "活动",
    ),
}


def category_hits(text: str, language: str) -> dict[Category, int]:
    lowered = normalise(text)
    if language == "zh-CN":
        return {
            category: sum(lowered.count(word.lower()) for word in words)
            for category, words in CATEGORY_KEYWORDS_ZH.items()
        }
    return {category: len(pattern.findall(lowered)) for category, pattern in CATEGORY_KEYWORDS_EN.items()}
