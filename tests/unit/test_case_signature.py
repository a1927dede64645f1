"""The case library's text signatures: alike texts score high, unrelated ones low, in English and in
Chinese; the stored form is small, holds no word in clear, and scores as the unencoded one does."""

from __future__ import annotations

from complaints.cases.signature import (
    TERMS,
    SharedTerms,
    decode,
    encode,
    ranked,
    signature,
    similarity,
    terms,
)

DEBIT = "My card payment at the supermarket was debited twice; the duplicate charge was never reversed."
DEBIT_RETOLD = "Duplicate charge: the supermarket debited my card twice and the second debit is not reversed."
MORTGAGE = "The servicer lost my mortgage modification paperwork and started foreclosure on my home."
ZH_DEBIT = "超市刷卡被重复扣款两次，第二笔扣款没有退回。"
ZH_DEBIT_RETOLD = "我的卡在超市重复扣款，多扣的那笔一直没有退回。"
ZH_LOAN = "贷款提前还款被收取高额违约金，客户经理从未告知。"


def score(first: str, second: str) -> float:
    return similarity(signature(first).as_mapping(), signature(second))


def test_the_same_matter_retold_scores_far_above_another_matter() -> None:
    assert score(DEBIT, DEBIT) > 0.99
    assert score(DEBIT, DEBIT_RETOLD) > 0.4
    assert score(DEBIT, MORTGAGE) < 0.1
    assert score(ZH_DEBIT, ZH_DEBIT_RETOLD) > 0.3
    assert score(ZH_DEBIT, ZH_LOAN) < 0.1


def test_function_words_and_redactions_are_not_terms() -> None:
    found = terms("The bank told me that XXXX was the reason, and it would not help.")
    assert "the" not in found and "xxxx" not in found and "bank" not in found and "would" not in found
    assert found["reason"] == 1 and found["help"] == 1


def test_the_stored_signature_is_small_holds_no_word_and_scores_as_the_original() -> None:
    long_text = " ".join(f"word{chr(97 + i % 26)}{chr(97 + i // 26 % 26)}" for i in range(500))
    stored = encode(signature(long_text))
    assert len(stored) == TERMS * 5
    stored_debit = encode(signature(DEBIT))
    assert b"supermarket" not in stored_debit and b"debit" not in stored_debit
    query = signature(DEBIT_RETOLD)
    direct = similarity(query.as_mapping(), signature(DEBIT))
    assert abs(similarity(query.as_mapping(), decode(stored_debit)) - direct) < 0.02
    shared = SharedTerms(query).of(stored_debit)
    assert abs(sum(query.as_mapping()[key] * weight for key, weight in shared.items()) - direct) < 0.02
    assert SharedTerms(query).of(encode(signature(MORTGAGE))) == {}


def test_ranking_weighs_the_words_particular_to_a_complaint_over_the_words_all_of_them_use() -> None:
    # Every candidate says "card statement"; only one shares the query's particular words.
    candidates = [
        ("common-1", "card statement card statement fee"),
        ("common-2", "card statement card statement interest"),
        ("common-3", "card statement card statement limit"),
        ("particular", "card statement duplicate supermarket"),
    ]
    query = signature("card statement card statement duplicate supermarket debit")
    total, scores = ranked(query, ((name, encode(signature(text))) for name, text in candidates))
    assert total == 4
    order = [name for _, name in sorted(scores, reverse=True)]
    assert order[0] == "particular"
    plain = {name: similarity(query.as_mapping(), signature(text)) for name, text in candidates}
    weighted = dict((name, score) for score, name in scores)
    # The rare words lift the particular one further above the others than the plain cosine does.
    assert weighted["particular"] - weighted["common-1"] > plain["particular"] - plain["common-1"]


def test_an_empty_or_wordless_text_has_an_empty_signature_that_matches_nothing() -> None:
    assert not signature("!!! 123 ...")
    assert encode(signature("")) == b""
    assert SharedTerms(signature(DEBIT)).of(b"") == {}
    assert ranked(signature(""), [("a", encode(signature(DEBIT)))]) == (1, [])
