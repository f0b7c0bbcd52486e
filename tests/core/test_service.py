"""ConversationService behaviour on real storage (SQLite, and PostgreSQL when configured)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pytest

from core.classifier import MAX_INPUT_CHARS
from core.service import NOTE_NOT_SAVED, Conversation, ConversationService

if TYPE_CHECKING:
    from bot.storage import SqlStorage
    from tests.conftest import FakeClock

OFFER = "$500/month API budget"


def dm(user: str = "U1", workspace: str = "T1") -> Conversation:
    return Conversation(platform="slack", workspace=workspace, channel="D1", user=user)


async def test_check_stores_a_case_and_history_lists_it(service: ConversationService) -> None:
    reply = await service.check(dm(), OFFER)
    assert reply.kind == "verdict"
    assert reply.verdict is not None and reply.case_id is not None
    assert reply.notes == []
    history = await service.history(dm())
    assert [entry.case_id for entry in history.history] == [reply.case_id]
    assert history.history[0].verdict == reply.verdict


async def test_history_is_isolated_per_workspace_and_user(service: ConversationService) -> None:
    await service.check(dm(workspace="T1"), OFFER)
    assert (await service.history(dm(workspace="T2"))).history == []
    assert (await service.history(dm(user="U2"))).history == []
    assert (await service.history(dm(user="U2"))).text == "No checks stored for you yet."


async def test_a_retried_event_is_handled_once(service: ConversationService, storage: SqlStorage) -> None:
    first = await service.check(dm(), OFFER, event_id="Ev42")
    again = await service.check(dm(), OFFER, event_id="Ev42")
    by_message = await service.message(dm(), OFFER, event_id="Ev42")
    assert first.kind == "verdict"
    assert again.kind == "duplicate" and by_message.kind == "duplicate"
    assert len(await storage.list_cases("slack", "T1", "U1", 10)) == 1
    assert await service.claim_event("Ev43") is True
    assert await service.claim_event("Ev43") is False


async def test_rate_limit_is_per_user_per_minute_and_shared(
    storage_factory: Callable[[], SqlStorage], clock: FakeClock
) -> None:
    first_storage, second_storage = storage_factory(), storage_factory()
    await first_storage.migrate()
    one = ConversationService(first_storage, clock=clock, rate_limit_per_minute=3)
    two = ConversationService(second_storage, clock=clock, rate_limit_per_minute=3)
    kinds = [(await svc.check(dm(), OFFER)).kind for svc in (one, two, one)]
    assert kinds == ["verdict"] * 3
    limited = await two.message(dm(), OFFER)
    assert limited.kind == "rate_limited"
    assert "3 checks in a minute" in limited.text
    assert (await one.check(dm(user="U2"), OFFER)).kind == "verdict"  # someone else is fine
    clock.advance(minutes=1)
    assert (await two.check(dm(), OFFER)).kind == "verdict"


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("", "empty"),
        ("   \n\t ", "empty"),
        ("x" * (MAX_INPUT_CHARS + 1), f"{MAX_INPUT_CHARS:,}"),
        ("\x00\x01binary\x02\x03\x04", "binary"),
        ("\ufffd" * 40, "binary"),
    ],
)
async def test_refused_input_gets_a_polite_error(service: ConversationService, text: str, fragment: str) -> None:
    for call in (service.check, service.message):
        reply = await call(dm(), text)
        assert reply.kind == "error"
        assert fragment in reply.text
        assert reply.verdict is None


async def test_input_at_the_limit_is_accepted(service: ConversationService) -> None:
    reply = await service.check(dm(), "a" * MAX_INPUT_CHARS)
    assert reply.kind == "verdict"


async def test_command_words(service: ConversationService, storage: SqlStorage) -> None:
    assert (await service.message(dm(), "help")).kind == "help"
    assert (await service.message(dm(), " Help! ")).kind == "help"
    created = await service.check(dm(), OFFER)
    assert (await service.open_case(dm())) is not None
    new = await service.message(dm(), "new")
    assert new.kind == "info"
    assert await service.open_case(dm()) is None
    history = await service.message(dm(), "history")
    assert history.kind == "history" and history.history[0].case_id == created.case_id
    gone = await service.message(dm(), "forget")
    assert gone.kind == "forgotten"
    assert "erased" in gone.text
    assert await storage.get_case(created.case_id or "") is None


async def test_a_button_answer_refines_the_case(service: ConversationService, storage: SqlStorage) -> None:
    created = await service.check(dm(), OFFER)
    assert created.case_id is not None
    reply = await service.answer(created.case_id, "U1", "use", "work_only", workspace="T1")
    assert reply.kind == "refined"
    assert reply.case_id == created.case_id
    assert reply.changes and reply.changes[0].startswith("Use: unknown -> work only")
    again = await service.answer(created.case_id, "U1", "use", "work_only")
    assert again.changes == [] and "nothing changed" in again.text
    stored = await storage.get_case(created.case_id)
    assert stored is not None and stored.version == 3 and len(stored.answers) == 2
    assert stored.verdict == reply.verdict


async def test_a_button_from_another_workspace_is_refused(service: ConversationService, storage: SqlStorage) -> None:
    created = await service.check(dm(workspace="T1"), OFFER)
    reply = await service.answer(created.case_id or "", "U9", "use", "work_only", workspace="T2")
    assert reply.kind == "error"
    stored = await storage.get_case(created.case_id or "")
    assert stored is not None and stored.answers == [] and stored.version == 1


@pytest.mark.parametrize(("question", "value"), [("use", "sometimes"), ("salary", "yes")])
async def test_an_unknown_button_value_is_an_error(service: ConversationService, question: str, value: str) -> None:
    created = await service.check(dm(), OFFER)
    reply = await service.answer(created.case_id or "", "U1", question, value)
    assert reply.kind == "error"


async def test_get_case_respects_the_workspace(service: ConversationService) -> None:
    created = await service.check(dm(workspace="T1"), OFFER)
    case_id = created.case_id or ""
    assert (await service.get_case(case_id, platform="slack", workspace="T1")) is not None
    assert await service.get_case(case_id, workspace="T2") is None
    assert await service.get_case(case_id, platform="discord") is None
    assert await service.get_case("missing") is None


async def test_answering_an_erased_case_says_so(service: ConversationService) -> None:
    reply = await service.answer("0" * 32, "U1", "use", "work_only")
    assert reply.kind == "error" and "no longer have" in reply.text


async def test_settings_default_and_update(service: ConversationService) -> None:
    settings = await service.settings(dm())
    assert settings.default_visibility == "private" and settings.default_currency is None
    updated = await service.update_settings(dm(), default_visibility="public", default_currency="eur")
    assert updated.default_currency == "EUR" and updated.updated_by == "U1"
    assert await service.settings(dm()) == updated
    assert (await service.settings(dm(workspace="T2"))).default_visibility == "private"
    with pytest.raises(ValueError):
        await service.update_settings(dm(), default_currency="euros")


async def test_meta_values_are_shared(service: ConversationService) -> None:
    assert await service.get_meta("discord.command_hash") is None
    await service.set_meta("discord.command_hash", "h1")
    assert await service.get_meta("discord.command_hash") == "h1"


async def test_retention_purge(service: ConversationService, clock: FakeClock) -> None:
    old = await service.check(dm(), OFFER)
    clock.advance(days=91)
    fresh = await service.check(dm(), OFFER)
    assert await service.purge_expired(90) == 1
    ids = [entry.case_id for entry in (await service.history(dm())).history]
    assert ids == [fresh.case_id]
    assert old.case_id not in ids


# --- with the real classifier: free-text answers in a conversation ---------------------------


async def test_a_typed_answer_refines_the_open_case(service: ConversationService) -> None:
    created = await service.message(dm(), OFFER)
    assert created.verdict is not None and created.verdict.verdict == "unclear"
    reply = await service.message(dm(), "they said it's work only")
    assert reply.kind == "refined"
    assert reply.case_id == created.case_id
    assert reply.verdict is not None and reply.verdict.verdict == "operating_cost"
    assert reply.changes == ["Use: unknown -> work only: verdict is now Operating cost"]
    contradiction = await service.message(dm(), "actually, personal projects are fine too")
    assert contradiction.case_id == created.case_id
    assert any("replaces the earlier one" in change for change in contradiction.changes)


async def test_a_new_amount_starts_a_new_case(service: ConversationService) -> None:
    first = await service.message(dm(), OFFER)
    second = await service.message(dm(), "they also offered $200/month in API credits, work only")
    assert second.kind == "verdict"
    assert second.case_id != first.case_id


async def test_small_talk_is_answered_but_not_stored(service: ConversationService) -> None:
    for call in (service.check, service.message):
        reply = await call(dm(), "hello there")
        assert reply.kind == "verdict" and reply.verdict is not None
        assert reply.case_id is None and reply.notes == []
    assert (await service.history(dm())).history == []


async def test_small_talk_keeps_the_open_case_open(service: ConversationService) -> None:
    created = await service.message(dm(), OFFER)
    chatter = await service.message(dm(), "thanks, let me ask them")
    assert chatter.case_id is None
    assert any("still open" in note for note in chatter.notes)
    answered = await service.message(dm(), "they said it's work only")
    assert answered.kind == "refined" and answered.case_id == created.case_id


async def test_an_answer_with_no_open_case_says_so(service: ConversationService) -> None:
    await service.message(dm(), OFFER)
    await service.message(dm(), "new")
    reply = await service.message(dm(), "it's work only")
    assert reply.kind == "info" and "no open check" in reply.text
    assert (await service.message(dm(user="U2"), "they said it rolls over")).kind == "info"
    # an answer that names the allowance itself is a check of its own
    own = await service.message(dm(), "the token budget is work only")
    assert own.kind == "verdict" and own.case_id is not None


async def test_default_currency_applies_to_bare_amounts(service: ConversationService) -> None:
    await service.update_settings(dm(), default_currency="EUR")
    reply = await service.check(dm(), "500 a month in AI credits")
    assert reply.verdict is not None and reply.verdict.allowance.currency == "EUR"
    dollars = await service.check(dm(), "$500 a month in AI credits")
    assert dollars.verdict is not None and dollars.verdict.allowance.currency == "USD"


async def test_default_currency_implies_the_tax_country(service: ConversationService) -> None:
    silent = await service.check(dm(), "€200 a month in AI credits, work only")
    assert silent.tax is None  # the euro names no single country
    await service.update_settings(dm(), default_currency="GBP")
    reply = await service.check(dm(), "€200 a month in AI credits, work only")
    assert reply.tax is not None and reply.tax.country == "GB"
    named = await service.check(dm(), "€200 a month in AI credits in Germany, work only")
    assert named.tax is not None and named.tax.country == "DE"  # the text's own country wins


# --- storage down: verdicts still come, with a note --------------------------------------------


class BrokenStorage:
    """Every storage call fails, as when the database is down."""

    def __getattr__(self, name: str) -> Callable[..., Any]:
        async def fail(*args: object, **kwargs: object) -> Any:
            raise ConnectionRefusedError(f"database down ({name})")

        return fail


async def test_storage_down_still_gives_verdicts(caplog: pytest.LogCaptureFixture) -> None:
    service = ConversationService(BrokenStorage())  # type: ignore[arg-type]
    secret = "$500/month API budget SECRET-OFFER-TEXT"
    with caplog.at_level(logging.INFO):
        checked = await service.check(dm(), secret, event_id="Ev1")
        messaged = await service.message(dm(), secret)
    for reply in (checked, messaged):
        assert reply.kind == "verdict"
        assert reply.verdict is not None
        assert reply.case_id is None
        assert NOTE_NOT_SAVED in reply.notes
    assert "could not save a case" in caplog.text
    assert "SECRET-OFFER-TEXT" not in caplog.text  # no offer text above DEBUG
    assert (await service.history(dm())).kind == "history"
    assert (await service.forget(dm())).kind == "error"
    assert (await service.answer("c1", "U1", "use", "work_only")).kind == "error"
    assert await service.claim_event("Ev2") is True
    assert (await service.settings(dm())).default_visibility == "private"
    assert (await service.message(dm(), "new")).kind == "info"
    assert await service.get_case("c1") is None


async def test_history_is_newest_first(service: ConversationService, clock: FakeClock) -> None:
    first = await service.check(dm(), OFFER)
    clock.advance(seconds=1)
    second = await service.check(dm(), OFFER)
    ids = [entry.case_id for entry in (await service.history(dm())).history]
    assert ids == [second.case_id, first.case_id]


async def test_forget_rebuilds_other_peoples_cases_without_my_answers(
    service: ConversationService, storage: SqlStorage
) -> None:
    def in_thread(user: str) -> Conversation:
        return Conversation(platform="slack", workspace="T1", channel="C1", thread="171.1", user=user)

    await service.update_settings(in_thread("UADMIN"), default_currency="EUR")
    created = await service.check(in_thread("UOWNER"), "500 a month in AI credits")
    refined = await service.message(in_thread("UHELPER"), "they said it's work only")
    assert refined.kind == "refined" and refined.case_id == created.case_id
    assert (await service.forget(in_thread("UHELPER"))).kind == "forgotten"
    case = await storage.get_case(created.case_id or "")
    assert case is not None and case.answers == []
    assert case.signals.use is None  # the helper's answer no longer counts
    assert case.verdict.allowance.currency == "EUR"  # rebuilt like the original check
    assert case.verdict == created.verdict
