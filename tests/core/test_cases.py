"""refine(): structured and free-text answers, contradictions, order and idempotence."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.cases import (
    ANSWER_VALUES,
    ANSWERABLE,
    Answer,
    Case,
    InvalidAnswer,
    apply_answer,
    interpret,
    reads_as_answer,
    refine,
    starts_new_case,
    validate_answer,
)
from core.classifier import decide, extract_signals
from core.models import Found, Money, Signals

AT = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)
BUDGET = Signals(
    has_allowance=True,
    money=Money(amount=500, currency="USD", period="month", phrase="$500/month"),
    form=Found(value="api_credits", phrase="API budget"),
)


def button(question_id: str, value: str) -> Answer:
    return Answer(question_id=question_id, value=value, at=AT, user="U1")


# --- structured answers -------------------------------------------------------------------


def test_structured_answer_sets_the_fact_and_reports_the_change() -> None:
    outcome = refine(BUDGET, button("use", "work_only"))
    assert outcome.signals.use is not None
    assert outcome.signals.use.value == "work_only"
    assert outcome.verdict == decide(outcome.signals)
    assert len(outcome.changes) == 1
    assert outcome.changes[0].startswith("Use: unknown -> work only: verdict ")
    assert outcome.verdict.label in outcome.changes[0]


def test_answers_keep_earlier_facts() -> None:
    first = refine(BUDGET, button("use", "work_only"))
    second = refine(first.signals, button("expiry", "rolls_over"))
    assert second.signals.use == first.signals.use
    assert second.signals.expiry is not None and second.signals.expiry.value == "rolls_over"
    assert second.signals.money == BUDGET.money
    assert second.signals.form == BUDGET.form


def test_a_newer_answer_that_contradicts_wins_and_says_so() -> None:
    first = refine(BUDGET, button("use", "personal_allowed"))
    second = refine(first.signals, button("use", "work_only"))
    assert second.signals.use is not None and second.signals.use.value == "work_only"
    assert second.changes == [
        "Use: personal use allowed -> work only (your newer answer replaces the earlier one): "
        f"verdict {'is now' if second.verdict.verdict != first.verdict.verdict else 'stays'} "
        f"{second.verdict.label}"
    ]


def test_a_case_says_where_a_contradicted_fact_came_from() -> None:
    from_text = replace(BUDGET, use=Found(value="work_only", phrase="work-only"))
    case = Case(
        id="c1",
        platform="console",
        workspace="local",
        channel="console",
        thread=None,
        user="U1",
        text="$500/month API budget, work-only",
        signals=from_text,
        verdict=decide(from_text),
        created_at=AT,
        updated_at=AT,
    )
    first = refine(case, button("use", "personal_allowed"))
    assert "(your answer replaces what the offer text said)" in first.changes[0]
    answered = case.model_copy(update={"signals": first.signals, "answers": [button("use", "personal_allowed")]})
    second = refine(answered, button("use", "some_personal"))
    assert "(your newer answer replaces the earlier one)" in second.changes[0]
    # within one batch, the second answer to a question contradicts the first answer
    batch = refine(case, [button("use", "personal_allowed"), button("use", "some_personal")])
    assert "offer text" in batch.changes[0] and "newer answer" in batch.changes[1]


def test_changes_compare_with_the_verdict_last_shown() -> None:
    shown = decide(BUDGET).model_copy(update={"verdict": "perk"})
    case = Case(
        id="c1",
        platform="console",
        workspace="local",
        channel="console",
        thread=None,
        user="U1",
        text="$500/month API budget",
        signals=BUDGET,
        verdict=shown,
        created_at=AT,
        updated_at=AT,
    )
    outcome = refine(case, button("expiry", "rolls_over"))
    assert outcome.changes[0].endswith(f"verdict is now {outcome.verdict.label}")


def test_repeating_an_answer_changes_nothing() -> None:
    first = refine(BUDGET, button("top_up", "no"))
    again = refine(first.signals, button("top_up", "no"))
    assert again.signals == first.signals
    assert again.changes == []


def test_several_answers_at_once_are_applied_in_order() -> None:
    outcome = refine(BUDGET, [button("use", "work_only"), button("use", "some_personal")])
    assert outcome.signals.use is not None and outcome.signals.use.value == "some_personal"
    assert len(outcome.changes) == 2
    assert "replaces the earlier one" in outcome.changes[1]


def test_change_lines_carry_no_user_text() -> None:
    typed = Answer(
        question_id="use",
        value="work_only",
        text="<!channel> work only",
        phrase="<!channel>",
        at=AT,
    )
    outcome = refine(BUDGET, typed)
    assert all("<!channel>" not in change for change in outcome.changes)
    # the typed words are kept as the phrase the reasons may quote
    assert outcome.signals.use == Found(value="work_only", phrase="<!channel>")


@pytest.mark.parametrize(
    ("question_id", "value"),
    [("use", "maybe"), ("colour", "blue"), ("expiry", "unknown"), ("top_up", "work_only")],
)
def test_unknown_structured_answers_are_refused(question_id: str, value: str) -> None:
    with pytest.raises(InvalidAnswer):
        validate_answer(question_id, value)


def test_every_listed_value_is_accepted() -> None:
    for question_id, values in ANSWER_VALUES.items():
        for value in values:
            validate_answer(question_id, value)
            refine(BUDGET, button(question_id, value))


# --- the rules through answers (need the real classifier's decide) --------------------------


@pytest.mark.parametrize(
    ("answers", "verdict"),
    [
        ([("use", "work_only")], "operating_cost"),
        ([("use", "personal_allowed")], "perk"),
        ([("use", "some_personal")], "mixed"),
        ([("use", "personal_allowed"), ("top_up", "yes")], "mixed"),
        ([("top_up", "yes")], "operating_cost"),
        ([("use", "personal_allowed"), ("use", "work_only")], "operating_cost"),
    ],
)
def test_answers_decide_by_the_contract_rules(answers: list[tuple[str, str]], verdict: str) -> None:
    outcome = refine(BUDGET, [button(q, v) for q, v in answers])
    assert outcome.verdict.verdict == verdict


def test_answered_questions_are_no_longer_asked() -> None:
    before = decide(BUDGET)
    assert {"use", "expiry", "top_up"} <= {q.id for q in before.questions}
    after = refine(BUDGET, [button("use", "work_only"), button("expiry", "rolls_over")])
    assert {q.id for q in after.verdict.questions}.isdisjoint({"use", "expiry"})


def test_change_names_the_new_verdict() -> None:
    outcome = refine(BUDGET, button("use", "work_only"))
    assert outcome.changes == ["Use: unknown -> work only: verdict is now Operating cost"]


# --- free-text answers (read with the classifier's vocabulary) -----------------------------


@pytest.mark.parametrize(
    ("text", "question_id", "value"),
    [
        ("it's work only", "use", "work_only"),
        ("they top it up", "top_up", "yes"),
        ("expires monthly", "expiry", "expires"),
        ("yes, personal projects are fine", "use", "personal_allowed"),
        ("they said it rolls over", "expiry", "rolls_over"),
        ("no cap", "top_up", "yes"),
        ("hard cap", "top_up", "no"),
    ],
)
def test_free_text_answers_are_understood(text: str, question_id: str, value: str) -> None:
    answers = interpret(text, AT, user="U1")
    assert (question_id, value) in {(a.question_id, a.value) for a in answers}
    assert all(a.text == text and a.user == "U1" for a in answers)
    assert reads_as_answer(extract_signals(text))
    outcome = refine(BUDGET, answers)
    found = getattr(outcome.signals, question_id)
    assert found is not None and found.value == value


def test_free_text_work_only_turns_the_verdict() -> None:
    outcome = refine(BUDGET, interpret("they said it's work only", AT))
    assert outcome.verdict.verdict == "operating_cost"
    assert outcome.changes == ["Use: unknown -> work only: verdict is now Operating cost"]


def test_a_message_with_its_own_amount_starts_a_new_case() -> None:
    signals = extract_signals("actually the AI budget is $300 a month, work only")
    assert starts_new_case(signals)
    assert not reads_as_answer(signals)


def test_small_talk_is_not_an_answer() -> None:
    assert not reads_as_answer(extract_signals("thanks!"))
    assert interpret("thanks!", AT) == []


# --- properties ----------------------------------------------------------------------------

structured_answers = st.sampled_from([(q, v) for q, values in ANSWER_VALUES.items() for v in values]).map(
    lambda pair: button(*pair)
)


@given(st.lists(structured_answers, max_size=8))
def test_property_the_last_answer_per_question_wins(answers: list[Answer]) -> None:
    outcome = refine(BUDGET, answers)
    last = {a.question_id: a.value for a in answers}
    for question_id in ANSWER_VALUES:
        found = getattr(outcome.signals, question_id)
        if question_id in last:
            assert found is not None and found.value == last[question_id]
        else:
            assert found == getattr(BUDGET, question_id)
    assert outcome.verdict == decide(outcome.signals)


@given(st.lists(structured_answers, max_size=8), st.randoms())
def test_property_order_does_not_matter_across_questions(answers: list[Answer], rnd: object) -> None:
    last_per_question = list({a.question_id: a for a in answers}.values())
    shuffled = list(last_per_question)
    rnd.shuffle(shuffled)  # type: ignore[attr-defined]
    assert refine(BUDGET, last_per_question).signals == refine(BUDGET, shuffled).signals


@given(st.lists(structured_answers, max_size=8))
def test_property_refining_twice_with_the_same_answers_is_idempotent(answers: list[Answer]) -> None:
    once = refine(BUDGET, answers)
    twice = refine(once.signals, answers)
    assert twice.signals == once.signals
    assert twice.verdict == once.verdict
    consistent = len({(a.question_id, a.value) for a in answers}) == len({a.question_id for a in answers})
    if consistent:  # nothing new the second time round
        assert twice.changes == []


@given(structured_answers, structured_answers)
def test_property_contradictions_are_reported(first: Answer, second: Answer) -> None:
    outcome = refine(refine(BUDGET, first).signals, second)
    contradicts = first.question_id == second.question_id and first.value != second.value
    assert any("replaces the earlier one" in c for c in outcome.changes) == contradicts
    if first == second:
        assert outcome.changes == []


TYPED = [
    ("it's work only", "use", "work_only"),
    ("yes, personal projects are fine", "use", "personal_allowed"),
    ("they top it up", "top_up", "yes"),
    ("hard cap", "top_up", "no"),
    ("they said it rolls over", "expiry", "rolls_over"),
    ("expires monthly", "expiry", "expires"),
]


@given(st.lists(st.sampled_from(TYPED), max_size=6))
def test_property_typed_answers_last_one_wins(messages: list[tuple[str, str, str]]) -> None:
    signals = BUDGET
    for text, _, _ in messages:
        signals = refine(signals, interpret(text, AT)).signals
    expected = {question_id: value for _, question_id, value in messages}
    for question_id in ("use", "top_up", "expiry"):
        found = getattr(signals, question_id)
        if question_id in expected:
            assert found is not None and found.value == expected[question_id]
        else:
            assert found is None


@pytest.mark.parametrize("question_id", ANSWERABLE)
def test_an_answer_sets_its_own_fact_and_keeps_the_others(question_id: str) -> None:
    value = ANSWER_VALUES[question_id][0]
    answered = apply_answer(BUDGET, button(question_id, value))
    assert getattr(answered, question_id).value == value
    assert replace(answered, **{question_id: getattr(BUDGET, question_id)}) == BUDGET
