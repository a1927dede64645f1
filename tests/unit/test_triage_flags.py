"""Risk flags, churn signals and category rules: what a reader of the complaint would flag."""

from __future__ import annotations

import pytest

from complaints.triage.flags import risk_flags
from complaints.triage.lexicon import (
    category_hits,
    english_sentiment_counts,
    has_churn_signal,
    product_keyword_hits,
    unambiguous_loan_cue,
)
from complaints.triage.text import (
    chinese_char_features,
    detect_language,
    english_char_features,
    english_words,
)


@pytest.mark.parametrize(
    ("text", "flag"),
    [
        ("I have filed a complaint with the CFPB about this servicer.", "regulator"),
        ("I reported them to my state's Attorney Generals Office.", "regulator"),
        ("The FDIC and the Better Business Bureau will hear about this.", "regulator"),
        ("My lawyer says we will sue if the charges are not reversed.", "litigation"),
        ("They took me to small claims court over a debt I paid.", "litigation"),
        ("I will post this on Twitter and go to the press.", "media"),
        ("My mother is 82 years old and has dementia.", "vulnerable"),
        ("My husband passed away last year and I lost my job.", "vulnerable"),
        ("I am a victim of identity theft; these accounts were opened in my name.", "fraud"),
        ("There are unauthorized charges on my debit card.", "fraud"),
        ("The loan officer refused me because of my race; this is discrimination.", "discrimination"),
        ("They violated the FDCPA, which is $1,000 per violation.", "litigation"),
        ("The collector said they would press criminal charges.", "litigation"),
        ("I am not working right now and cannot pay the overdraft.", "vulnerable"),
        ("I have not worked for the past four weeks because of the shutdown.", "vulnerable"),
        ("We are retirees on a pension and need this money back.", "vulnerable"),
    ],
)
def test_english_complaints_raise_the_flag_they_name(text: str, flag: str) -> None:
    assert flag in risk_flags(text, "en")


@pytest.mark.parametrize(
    ("text", "flag"),
    [
        ("我的信用卡被盗刷了五千块，银行不管", "fraud"),
        ("接到诈骗电话，被骗了两万", "fraud"),
        ("已经向银保监投诉了，还打了12378", "regulator"),
        ("再不处理我就找律师起诉你们", "litigation"),
        ("我要去微博曝光你们", "media"),
        ("我父亲是残疾人，腿脚不便，还要排队三个小时", "vulnerable"),
        ("客户经理歧视我们农村人", "discrimination"),
    ],
)
def test_chinese_complaints_raise_the_flag_they_name(text: str, flag: str) -> None:
    assert flag in risk_flags(text, "zh-CN")


@pytest.mark.parametrize(
    "text",
    [
        "Thank you for your courtesy on the phone.",
        "I gave my daughter power of attorney over my accounts.",
        "The bank added attorney fees to my balance.",
        "My case was discharged by the bankruptcy court years ago.",
    ],
)
def test_words_that_only_look_like_litigation_do_not_raise_it(text: str) -> None:
    assert "litigation" not in risk_flags(text, "en")


def test_figures_of_speech_do_not_raise_litigation_or_vulnerable() -> None:
    assert "litigation" not in risk_flags("Citi cannot be a fair judge of what happened.", "en")
    assert "vulnerable" not in risk_flags("My requests are falling on deaf ears.", "en")
    assert "vulnerable" not in risk_flags("Accepting my plan would be no undue hardship for the bank.", "en")


def test_an_attorney_general_is_a_regulator_not_litigation() -> None:
    assert risk_flags("I wrote to the attorney general about the fees.", "en") == ("regulator",)


def test_an_attorney_general_and_a_lawsuit_raise_both() -> None:
    flags = risk_flags("The attorney general is aware and I have filed a lawsuit.", "en")
    assert set(flags) == {"regulator", "litigation"}


def test_a_fraud_alert_alone_is_a_safeguard_not_a_fraud() -> None:
    assert "fraud" not in risk_flags("I placed a fraud alert on my credit file.", "en")


def test_good_news_and_a_phone_menu_are_not_media() -> None:
    text = "The good news is the agent told me to press 1 and wait."
    assert "media" not in risk_flags(text, "en")


def test_an_ordinary_complaint_raises_no_flag() -> None:
    assert risk_flags("My statement shows a late fee although I paid on time.", "en") == ()
    assert risk_flags("额度太低了，一年都没提额", "zh-CN") == ()


# Rule families added in v5 (docs/triage.md, "Risk flags"): phrasings of a flag without its usual word.
@pytest.mark.parametrize(
    ("text", "flag"),
    [
        ("I have reported your company to consumerfinance.gov as a form of record.", "regulator"),
        ("I filed a complaint with the state Department of Insurance and the FCC.", "regulator"),
        ("I filed a complaint with HUD about how the servicer handled my loan.", "regulator"),
        ("I am seeking damages under the FACT Act for these violations.", "litigation"),
        ("Civil and criminal claims will be pursued if this is not corrected.", "litigation"),
        ("I spoke with the base JAG and was told the lease is void.", "litigation"),
        ("I will be legally following through on all matters.", "litigation"),
        ("I was referred to legal aid but nobody could take the case.", "litigation"),
        ("I received a summons and the creditor's law offices will not call back.", "litigation"),
        ("I posted about this on Twitter so others know.", "media"),
        ("I will leave an honest review on Yelp about this bank.", "media"),
        ("I can not afford this payment; I am not making enough money.", "vulnerable"),
        ("WE ARE HAVING CHRONIC HARDHSIP!", "vulnerable"),
        ("My income dropped to less than a quarter of my previous salary.", "vulnerable"),
        ("We live in a declared disaster area since the hurricane.", "vulnerable"),
        ("I hadn't found a job out of college yet.", "vulnerable"),
        ("I was furloughed and asked for a forbearance.", "vulnerable"),
        ("I am only weeks from fully financially collapsing.", "vulnerable"),
        ("My husband is permanently disabled and on dialysis.", "vulnerable"),
        ("My elderly mother is in a nursing home.", "vulnerable"),
        ("Accounts and collections have been place in my name after the data breach.", "fraud"),
        ("They moved my money into fake accounts.", "fraud"),
        ("I cancelled the membership but they are still charging me every month.", "fraud"),
        ("There are three charges that I did not make on my statement.", "fraud"),
        ("I did not select any paid service but was billed anyway.", "fraud"),
        ("Someone used my information to open a cable account.", "fraud"),
        ("The caller was posing as my bank.", "fraud"),
        ("They denied the loan based on my national origin.", "discrimination"),
    ],
)
def test_v5_phrasings_without_the_usual_words_raise_the_flag(text: str, flag: str) -> None:
    assert flag in risk_flags(text, "en")


@pytest.mark.parametrize(
    "text",
    [
        "I escalated it to the bank's ombudsman dept and heard nothing.",
        "I met with a HUD-approved housing counselor about the modification.",
        "The HUD housing counselors gave conflicting answers.",
        "She arrived with the HUD-1 and we signed the documents.",
    ],
)
def test_a_firms_ombudsman_and_hud_as_a_programme_are_not_regulators(text: str) -> None:
    assert "regulator" not in risk_flags(text, "en")


@pytest.mark.parametrize(
    ("text", "flag"),
    [
        ("The bankruptcy judge discharged the loan years ago.", "litigation"),
        ("Please fix any damages to my credit report.", "litigation"),
        ("I am sick and tired of calling them.", "vulnerable"),
        ("My online access was disabled for no reason.", "vulnerable"),
        ("I am a 34 year old man with a good credit history.", "vulnerable"),
        ("I paid the balance to the hospital in full.", "vulnerable"),
        ("This caused me a lot of financial distress and anxiety.", "vulnerable"),
        ("I placed a fraud alert and the card was wrongly flagged for fraud.", "fraud"),
        ("There are unauthorized inquiries on my report.", "fraud"),
        ("We opened the joint account in my name last year.", "fraud"),
        ("I did not make the payment because the website was down.", "fraud"),
        ("My ex bragged about it on social media.", "media"),
        ("I was treated unfairly because I asked for a supervisor.", "discrimination"),
    ],
)
def test_v5_exclusions_keep_look_alikes_out(text: str, flag: str) -> None:
    assert flag not in risk_flags(text, "en")


@pytest.mark.parametrize(
    ("text", "flag"),
    [
        ("我已经打12378投诉你们了", "regulator"),
        ("再不解决就去金融监管局和人民银行投诉", "regulator"),
        ("打315投诉，再去消费者协会", "regulator"),
        ("去市场监管局反映，不行就信访", "regulator"),
        ("银行发来律师函，说要起诉我", "litigation"),
        ("我会通过法律途径解决，不排除诉诸法律", "litigation"),
        ("法院已经立案了，下周开庭", "litigation"),
        ("保留追究你们法律责任的权利", "litigation"),
        ("我要找媒体曝光你们", "media"),
        ("我会发微博让大家看看", "media"),
        ("已经在黑猫投诉上发了", "media"),
        ("记者已经联系我了", "media"),
        ("我父亲七十多岁了，行动不便", "vulnerable"),
        ("我今年68岁，还要排队三小时", "vulnerable"),
        ("家里老人住院了，急需用钱", "vulnerable"),
        ("我下岗失业了，实在还不起", "vulnerable"),
        ("我老婆是孕妇，还让她站着等", "vulnerable"),
        ("得了重病，看不起病", "vulnerable"),
        ("遭遇电信诈骗，被骗了三万", "fraud"),
        ("有人冒名办了贷款", "fraud"),
        ("点了钓鱼链接，钱被转走了", "fraud"),
        ("假冒银行客服打电话要验证码", "fraud"),
        ("未经本人同意开通了分期", "fraud"),
        ("这笔交易不是本人操作", "fraud"),
        ("看不起我们农民工", "discrimination"),
    ],
)
def test_chinese_v5_words_raise_the_flag(text: str, flag: str) -> None:
    assert flag in risk_flags(text, "zh-CN")


@pytest.mark.parametrize(
    ("text", "flag"),
    [
        ("查了人行征信，有一条逾期记录", "regulator"),
        ("这是柜员的个人行为，与银行无关", "regulator"),
        ("我被告知需要等三个工作日", "litigation"),
        ("只有法院能冻结账户，银行不能", "litigation"),
        ("APP首页全是新闻推送，关不掉", "media"),
        ("在微博上看到说可以提额", "media"),
        ("防诈骗提醒短信太多了", "fraud"),
        ("这广告你们也信？", "litigation"),
    ],
)
def test_chinese_look_alikes_do_not_raise_the_flag(text: str, flag: str) -> None:
    assert flag not in risk_flags(text, "zh-CN")


# Rule families added in v6 (docs/triage.md, "Risk flags"): words mentioned in passing, and phrasings
# of a flag without its usual word.
@pytest.mark.parametrize(
    ("text", "flag"),
    [
        ("I would open a criminal inquiry if I could.", "litigation"),
        ("They should be prosecuted for what they did to my account.", "litigation"),
        ("I will press charges against the bank if the money is not returned.", "litigation"),
        ("The collector obtained a judgment against me in county court without serving me.", "litigation"),
        ("They sued me in the Supreme Court of New York over a debt I paid.", "litigation"),
        (
            "After my bankruptcy was discharged the collector kept calling, so I hired an attorney.",
            "litigation",
        ),
        ("I was on unpaid medical leave and could not make the payment.", "vulnerable"),
        ("My doctor's note says I would be off work for six weeks; I was not getting paid.", "vulnerable"),
        ("We had two emergency bankruptcies that cost us money we don't have.", "vulnerable"),
        ("There were unauthorized checks being used on my account.", "fraud"),
        ("I am a victim of identity theft; they asked me to send a police report.", "fraud"),
        ("I will contact a TV station about this.", "media"),
    ],
)
def test_v6_phrasings_raise_the_flag(text: str, flag: str) -> None:
    assert flag in risk_flags(text, "en")


@pytest.mark.parametrize(
    ("text", "flag"),
    [
        (
            "Public records such as bankruptcies and legal judgments can show up on your credit report.",
            "litigation",
        ),
        (
            "I asked the bureaus whether there is a judgment against me; neither found any such judgment.",
            "litigation",
        ),
        ("Please provide: any judgments obtained by any creditor regarding this account.", "litigation"),
        ("The account was frozen although no court order, or judgment or levy exists.", "litigation"),
        ("Our bankruptcy shows as individual. We are married, filed joint and used a lawyer.", "litigation"),
        ("The papers from the county court show my brother and me as executors of the estate.", "litigation"),
        ("My wife and I were attorney in facts on the account.", "litigation"),
        ("The U.S. Supreme Court decision in 2017 is responsible for this.", "litigation"),
        ("The law provides fines of up to $5,000 per violation.", "litigation"),
        ("In exchange for her admission, I would not file charges.", "litigation"),
        ("I worry that others would incur late payments and other financial hardships.", "vulnerable"),
        (
            "Funds that cannot be withdrawn except upon retirement, termination, or death are excluded.",
            "vulnerable",
        ),
        ("An inquiry appears on my Experian credit report that I did not authorize.", "fraud"),
        ("They made an unauthorized credit check when I was late.", "fraud"),
        (
            "They responded with a letter requesting that I send them a police report for identity theft.",
            "fraud",
        ),
        ("I was busy casting a TV show and fully employed.", "media"),
    ],
)
def test_v6_exclusions_keep_mentions_in_passing_out(text: str, flag: str) -> None:
    assert flag not in risk_flags(text, "en")


def test_a_context_exclusion_blanks_only_its_word() -> None:
    text = "The county court papers name us executors. The collector has now sued us."
    assert "litigation" in risk_flags(text, "en")


@pytest.mark.parametrize(
    ("text", "flag"),
    [
        ("这张卡不是本人申请的，有人冒用我的身份证", "fraud"),
        ("银行会不会起诉我", "litigation"),
        ("失业半年，我没钱还了", "vulnerable"),
        ("单位停薪留职，拿不出钱还款", "vulnerable"),
    ],
)
def test_chinese_v6_words_raise_the_flag(text: str, flag: str) -> None:
    assert flag in risk_flags(text, "zh-CN")


@pytest.mark.parametrize(
    ("text", "flag"),
    [
        ("客服打电话问我是不是本人申请的", "fraud"),
        ("审核要确认是否本人办理", "fraud"),
        ("我不会起诉你们，只想要个说法", "litigation"),
        ("征信上有没有法院判决记录", "litigation"),
    ],
)
def test_chinese_v6_look_alikes_do_not_raise_the_flag(text: str, flag: str) -> None:
    assert flag not in risk_flags(text, "zh-CN")


# Rule families added in v7 (docs/triage.md, "Risk flags"), from the errors of rounds 1-7.
@pytest.mark.parametrize(
    ("text", "flag"),
    [
        ("Please be aware that you may be liable for your willful non-compliance.", "litigation"),
        ("Their conduct may have risen to a criminal or civil liabilities claim.", "litigation"),
        ("I was recently divorced and have no money to afford a lawyer.", "vulnerable"),
        ("The card was closed and I was left with no money for this week, money to live on.", "vulnerable"),
        ("I can not pay either debt but would like to settle.", "vulnerable"),
        ("I wasnt able to pay due to my daughter being in hospital.", "vulnerable"),
        ("The account closed because I could not pay the bill.", "vulnerable"),
        ("I am contacting you because of the difficulty in paying off the auto balance.", "vulnerable"),
        ("A judgment would put me into an even more arduous financial situation.", "vulnerable"),
        ("I was wrongfully terminated in 2011 and the collector keeps calling.", "vulnerable"),
        ("After i loose a job, i returned the car.", "vulnerable"),
        ("I had stopped working around the middle of the year.", "vulnerable"),
        ("My father could not help and I hadnt found a job yet.", "vulnerable"),
        ("I am job hunting for a second income since my husband passed.", "vulnerable"),
        ("They refuse to refund me; if I weren't dirt poor they might care.", "vulnerable"),
        ("The second bill was burnt in our house fire.", "vulnerable"),
        ("Please keep in mind that those accounts were not authorized by me.", "fraud"),
        ("These accounts are not mine. I submitted a police report and my license.", "fraud"),
        ("I'm also attaching a copy of a police report recently filed.", "fraud"),
        ("A thief used my card at three stores.", "fraud"),
    ],
)
def test_v7_phrasings_raise_the_flag(text: str, flag: str) -> None:
    assert flag in risk_flags(text, "en")


@pytest.mark.parametrize(
    ("text", "flag"),
    [
        ("The court states they do not furnish nor verify information to the bureaus.", "litigation"),
        ("I sent a letter to the county court clerk's office asking if they verified it.", "litigation"),
        ("Remove it or verify it with the court system.", "litigation"),
        ("Once the court verifies it, the information is sent back to the bureau.", "litigation"),
        ("I can not afford an attorney for bankruptcy at this time.", "litigation"),
        ("I honestly should have known; I used poor judgment in this matter.", "litigation"),
        (
            "The law says actual damages sustained by the consumer as a result of the failure are $1,000.",
            "litigation",
        ),
        ("I requested call backs from the department of the Ombudsman.", "regulator"),
        ("They said they would send it to their consumer affairs department.", "regulator"),
        ("Please resubmit my application for the HUD partial claim.", "regulator"),
        ("The error was a benefit to my side of the HUD; we signed the HUD at closing.", "regulator"),
        ("These negative accounts have caused tremendous hardship on my credit.", "vulnerable"),
        ("I advised them I can not pay it all at once.", "vulnerable"),
        ("I can not make a payment on this account because the balance is unknown.", "vulnerable"),
        ("My son passed his exams and my card was declined.", "vulnerable"),
        ("Otherwise, anyone paying for your services could fax or email in a fraudulent account.", "fraud"),
        ("The credit bureau Experian was hacked and failed to give notice.", "fraud"),
        ("The remark must be removed, for I did not authorize this comment on my report.", "fraud"),
        ("I never was contacted about fraud activity nor participated in any fraudulent activity.", "fraud"),
        ("One bureau told me to file a police report against these lenders.", "fraud"),
        ("These unauthorized inquiries must be removed immediately without prejudice.", "discrimination"),
    ],
)
def test_v7_exclusions_keep_mentions_in_passing_out(text: str, flag: str) -> None:
    assert flag not in risk_flags(text, "en")


def test_a_v7_court_exclusion_blanks_only_the_court() -> None:
    text = "The court does not verify information to the bureaus. I will take them to small claims court."
    assert "litigation" in risk_flags(text, "en")


# Rule families added in v8, from the errors of round 8 (docs/triage.md, "Risk flags").
@pytest.mark.parametrize(
    ("text", "flag"),
    [
        ("Iamsubmittingthisnarrativeasmycomplainttothecfpbbecausenothingchanged.", "regulator"),
        ("I filed an identity theft report with identitytheft.gov via reference number 12.", "regulator"),
        ("I was admitted to XXXX XXXX in 2017 for a procedure.", "vulnerable"),
        ("My loans should be discharged based on my total and XXXX XXXX.", "vulnerable"),
        ("That would leave me with as little as $540 to survive on a month.", "vulnerable"),
        ("I explained to them that these accounts are freaud.", "fraud"),
        ("They have added unauthorized interest, fees, and charges not listed in my contract.", "fraud"),
        ("The items are not mine. I contacted the FTC and my local police.", "fraud"),
        ("After reviewing them I noticed that the signature appearing in them is not mine.", "fraud"),
    ],
)
def test_v8_phrasings_raise_the_flag(text: str, flag: str) -> None:
    assert flag in risk_flags(text, "en")


@pytest.mark.parametrize(
    ("text", "flag"),
    [
        ("The closing lawyer attempted to obtain the payoff statement for my refinance.", "litigation"),
        ("I do NOT authorize you nor any entity right to access or report my information.", "fraud"),
        (
            "If you reported invalidated information this action might constitute fraud under the law.",
            "fraud",
        ),
        ("I do not know if it was id theft or someone elses actual credit file.", "fraud"),
        ("In early spring my car was stolen and then recovered; it was a total loss.", "fraud"),
        ("My son was admitted to college in the fall and the loan was disbursed.", "vulnerable"),
    ],
)
def test_v8_exclusions_keep_mentions_in_passing_out(text: str, flag: str) -> None:
    assert flag not in risk_flags(text, "en")


@pytest.mark.parametrize(
    "text",
    [
        "I reminded them of all the fraudulent activity the bank was in the news for, and waived nothing.",
        "I am having a hard time getting my credits reporters from these companies.",
    ],
)
def test_v9_media_look_alikes_do_not_raise_media(text: str) -> None:
    assert "media" not in risk_flags(text, "en")


def test_a_misspelt_fraud_alert_is_a_safeguard_not_a_fraud() -> None:
    assert "fraud" not in risk_flags("Please remove any and all fruad alerts on my credit report.", "en")


def test_a_customer_going_to_the_news_still_raises_media() -> None:
    assert "media" in risk_flags("The bank was in the news last year; I will call the local news too.", "en")


def test_a_stolen_car_does_not_hide_a_stolen_card() -> None:
    text = "My car was stolen last week, and the thief used my debit card at two gas stations."
    assert "fraud" in risk_flags(text, "en")


# Rule families added in v10, from the errors of round 9.
@pytest.mark.parametrize(
    ("text", "flag"),
    [
        ("Today I am filing a complaint with the Consumer Financial Protection Board.", "regulator"),
        ("In the response to CFBP complaint 123, the servicer states the loan was modified.", "regulator"),
        (
            "I informed them that due to personal circumstances I was unable to pay by the due date.",
            "vulnerable",
        ),
        ("I have no idea who would have access to my credit report to open these.", "fraud"),
        ("Items on my credit are not mine. I also reached out the my local police department.", "fraud"),
    ],
)
def test_v10_phrasings_raise_the_flag(text: str, flag: str) -> None:
    assert flag in risk_flags(text, "en")


@pytest.mark.parametrize(
    ("text", "flag"),
    [
        ("Most attorneys and people involved at the closing agreed the fee was wrong.", "litigation"),
        (
            "The collector will obtain verification or a copy of a judgment against the consumer.",
            "litigation",
        ),
        ("The postponed closing caused us extreme hardship and four nights in a hotel.", "vulnerable"),
        ("This hard inquiry has caused a great hardship on my life.", "vulnerable"),
        ("My daughter got sick and needs care, so I moved the payment date.", "vulnerable"),
        ("Please investigate to ensure there is no fraudulent activity.", "fraud"),
        (
            "There are inquires on my credit report that i do not recognize and that i did not authorize.",
            "fraud",
        ),
        ("Block information that resulted from an alleged identity theft, as the law requires.", "fraud"),
    ],
)
def test_v10_exclusions_keep_mentions_in_passing_out(text: str, flag: str) -> None:
    assert flag not in risk_flags(text, "en")


def test_a_hardship_with_money_words_is_still_a_hardship() -> None:
    assert "vulnerable" in risk_flags(
        "The garnishment caused us financial hardship; we cannot pay rent.", "en"
    )


# Rule families added in v11, from the errors of round 10.
@pytest.mark.parametrize(
    ("text", "flag"),
    [
        ("They ignored every letter and I am about ready to file suit.", "litigation"),
        ("I have been on social security since 2015 and live in a motel room.", "vulnerable"),
        ("US Bank debited my account {$570.00} without my authorization.", "fraud"),
        ("I filed an identity theft claim with identity theft.gov last week.", "regulator"),
    ],
)
def test_v11_phrasings_raise_the_flag(text: str, flag: str) -> None:
    assert flag in risk_flags(text, "en")


@pytest.mark.parametrize(
    ("text", "flag"),
    [
        ("A report may be furnished in response to the order of a court having jurisdiction.", "litigation"),
        ("The agency may refer the account to an attorney admitted to the practice of law.", "litigation"),
        ("Anything verbal does not hold validity in a court of law.", "litigation"),
        ("The post office signed me up so I could have proof in court.", "litigation"),
        ("We are being held liable for these high escrow payments.", "litigation"),
        ("Activity: collection department/attorney/agency, balance date 2019.", "litigation"),
        ("I was blind sided by the dealer's offer.", "vulnerable"),
        ("I never received an eviction notice and was never contacted.", "vulnerable"),
        ("I thought I had fraud protection, but it's not working for me.", "vulnerable"),
        ("My social security number was on the application.", "vulnerable"),
        ("I didn't authorize none of these companies to run my credit for any reason.", "fraud"),
        ("The reporting on my consumer file that I did not authorize must be removed.", "fraud"),
        ("Copies sent to the senior vice president enterprise fraud id theft at the bureau.", "fraud"),
        ("Here is the information regarding this fake collection account.", "fraud"),
        ("The appraisal copy was late under ECOA section 1002.14.", "discrimination"),
    ],
)
def test_v11_exclusions_keep_mentions_in_passing_out(text: str, flag: str) -> None:
    assert flag not in risk_flags(text, "en")


# Rule families added in v12, from the errors of round 11.
@pytest.mark.parametrize(
    ("text", "flag"),
    [
        ("I sent it to the Consumer Finance Protection Bureau's database.", "regulator"),
        ("I can not afford to make 2 separate car payments and they report me late.", "vulnerable"),
        ("If this is not fixed we will sue the dealer.", "litigation"),
        ("I have not sued yet, but my attorney is ready.", "litigation"),
        ("The collector sued me in county court last spring.", "litigation"),
        ("Someone opened a card in my name; it was fraud and I never applied.", "fraud"),
        ("My account was hacked and the hackers moved $900 out.", "fraud"),
        ("I did not report the fraud to the police until March.", "fraud"),
        ("Losing the job has put me in a financial hardship; I cannot pay rent.", "vulnerable"),
    ],
)
def test_v12_phrasings_still_raise_the_flag(text: str, flag: str) -> None:
    assert flag in risk_flags(text, "en")


@pytest.mark.parametrize(
    ("text", "flag"),
    [
        ("I was never sued separately on the deficiency balance.", "litigation"),
        ("Their letter says the debt is past the statute, we will not sue you.", "litigation"),
        ("Underwriting denied me on the last day of the attorney review.", "litigation"),
        ("Their refusal to fix it has put me in a hardship with every lender.", "vulnerable"),
        ("Closing this card could potentially create a financial hardship for me.", "vulnerable"),
        ("It is unacceptable due to the significant financial hardship it would cause.", "vulnerable"),
        ("He said the case manager was out sick that day.", "vulnerable"),
        ("The account had been suspended for fraudulent activity, the letter said.", "fraud"),
        ("Your fraud departeent said there was nothing wrong.", "fraud"),
        ("Given the growing nature of identity theft, please verify this debt.", "fraud"),
        ("I had never once said that fraud had been committed.", "fraud"),
        ("They gave my personal information to hackers a year ago.", "fraud"),
        ("I was told the car had been reported stolen in another state.", "fraud"),
    ],
)
def test_v12_exclusions_keep_mentions_in_passing_out(text: str, flag: str) -> None:
    assert flag not in risk_flags(text, "en")


# Rule families added in v13, from the errors of rounds 12 and 13.
@pytest.mark.parametrize(
    ("text", "flag", "language"),
    [
        ("We had flood damage in May and the insurer paid the servicer.", "vulnerable", "en"),
        ("I do not care about my credit as I am old and cranky.", "vulnerable", "en"),
        ("I fell behind in my payments and made a payment arrangement.", "vulnerable", "en"),
        ("I have accounts that are not mine and my identity may be compromised.", "fraud", "en"),
        ("I have reached out to the FTC and to my local police department.", "fraud", "en"),
        ("这个月钱太紧了，信用卡只能先还最低。", "vulnerable", "zh-CN"),
        ("最近手头紧，贷款还不过来。", "vulnerable", "zh-CN"),
    ],
)
def test_v13_phrasings_raise_the_flag(text: str, flag: str, language: str) -> None:
    assert flag in risk_flags(text, language)


@pytest.mark.parametrize(
    ("text", "flag"),
    [
        ("The statute says no collection agency shall commence litigation on an account.", "litigation"),
        ("This reporting is causing financial hardship on the purchasing of a new home.", "vulnerable"),
        ("It disturbs me that the elderly are being targeted by this collector.", "vulnerable"),
        ("I am old enough to know a bad deal when I see one.", "vulnerable"),
        ("My basement was never flooded; the charge is for a repair I did not order.", "vulnerable"),
    ],
)
def test_v13_exclusions_keep_mentions_in_passing_out(text: str, flag: str) -> None:
    assert flag not in risk_flags(text, "en")


def test_not_working_for_an_employer_is_still_out_of_work() -> None:
    assert "vulnerable" in risk_flags("I have not worked for them since March.", "en")


@pytest.mark.parametrize(
    ("text", "flag"),
    [
        ("去年被公司辞退了，信用卡还款困难", "vulnerable"),
        ("最近经济压力很大，无力支付这期账单", "vulnerable"),
        ("钱包被偷了，卡被人刷了两笔", "fraud"),
        ("账户被黑客登录，钱被转走", "fraud"),
    ],
)
def test_chinese_v7_words_raise_the_flag(text: str, flag: str) -> None:
    assert flag in risk_flags(text, "zh-CN")


@pytest.mark.parametrize(
    ("text", "flag"),
    [
        ("我没什么经济压力，就是想提额", "vulnerable"),
        ("经济压力不大，卡可以慢慢养", "vulnerable"),
    ],
)
def test_chinese_v7_look_alikes_do_not_raise_the_flag(text: str, flag: str) -> None:
    assert flag not in risk_flags(text, "zh-CN")


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("I am going to close my account and switch banks.", "en"),
        ("Please cancel my card, I will never use this bank again.", "en"),
        ("这种服务，我明天就去销户", "zh-CN"),
        ("再也不用你们银行了，换银行", "zh-CN"),
    ],
)
def test_churn_signals(text: str, language: str) -> None:
    assert has_churn_signal(text, language)


def test_no_churn_signal_in_a_plain_question() -> None:
    assert not has_churn_signal("When will my refund arrive?", "en")
    assert not has_churn_signal("请问退款什么时候到账", "zh-CN")


def test_chinese_product_keywords() -> None:
    assert (
        max(product_keyword_hits("信用卡年费怎么收", "zh-CN").items(), key=lambda kv: kv[1])[0]
        == "credit_card"
    )
    assert "mortgage" in product_keyword_hits("房贷提前还款被收违约金", "zh-CN")
    assert "wealth" in product_keyword_hits("买的理财产品亏了", "zh-CN")
    assert product_keyword_hits("今天天气不错", "zh-CN") == {}


@pytest.mark.parametrize(
    ("text", "loan"),
    [
        ("Navient lost two of my payments and put my loans in forbearance.", True),
        ("My auto loan with Santander Consumer was charged off.", True),
        ("The payday lender keeps debiting my account.", True),
        ("My student loan is reported late on my Equifax credit report.", False),
        ("The servicer put my car payments toward the mortgage escrow.", False),
        ("The bank charged me an overdraft fee.", False),
        ("I asked them to upgrade my card to one with rewards.", False),
    ],
)
def test_the_loan_override_needs_a_loan_cue_outside_mortgage_and_credit_reports(
    text: str, loan: bool
) -> None:
    assert unambiguous_loan_cue(text) is loan


def test_category_keywords() -> None:
    assert category_hits("The app crashes at login", "en")["technical"] >= 1
    assert category_hits("客服态度恶劣，还骂人", "zh-CN")["conduct"] >= 1


def test_language_detection() -> None:
    assert detect_language("My card was charged twice.") == "en"
    assert detect_language("我的信用卡被扣了两次年费") == "zh-CN"
    # A Chinese complaint that names an app in Latin letters is still Chinese.
    assert detect_language("手机银行APP登录不上，ETC也扣费失败") == "zh-CN"


def test_english_words_drop_cfpb_redactions() -> None:
    assert english_words("XXXX charged my Credit card on XX/XX/XXXX") == [
        "charged",
        "my",
        "credit",
        "card",
        "on",
    ]


def test_english_features_are_character_ngrams_inside_words() -> None:
    assert english_char_features("Loan") == [
        " lo",
        "loa",
        "oan",
        "an ",
        " loa",
        "loan",
        "oan ",
        " loan",
        "loan ",
    ]


def test_chinese_features_are_character_ngrams_without_spaces() -> None:
    assert chinese_char_features("信用 卡") == ["信", "用", "卡", "信用", "用卡"]


def test_english_negation_turns_praise_into_complaint_but_not_complaint_into_praise() -> None:
    assert english_sentiment_counts("I am not happy") == (1, 0)
    assert english_sentiment_counts("They did not refuse the refund") == (0, 0)
    assert english_sentiment_counts("Thank you, very helpful") == (0, 2)
