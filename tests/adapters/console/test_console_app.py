"""The console loop over in-memory streams, and its plain-text rendering."""

from __future__ import annotations

import asyncio
import io

from adapters.console import ConsoleApp, render_reply, render_verdict
from adapters.console.render import clean
from core.classifier import classify
from core.service import ConversationService, Reply


async def run_console(service: ConversationService, lines: str, user: str = "me") -> str:
    out = io.StringIO()
    code = await ConsoleApp(service, io.StringIO(lines), out, user=user).run()
    assert code == 0
    return out.getvalue()


async def test_check_answer_history_forget(service: ConversationService) -> None:
    out = await run_console(service, "$500/month API budget\nthey said it's work only\nhistory\nforget\nhistory\n")
    assert "Can't tell yet" in out
    assert "What changed:\n  - Use: unknown -> work only: verdict is now Operating cost" in out
    assert "Operating cost: Office supplies" in out
    assert "Your last check:" in out
    assert "Done: I erased" in out
    assert out.rstrip().endswith("No checks stored for you yet.")


async def test_resumes_the_open_case_in_a_new_session(service: ConversationService) -> None:
    await run_console(service, "$500/month API budget\n")
    out = await run_console(service, "it rolls over\n")
    assert "Picking up your last check: Can't tell yet" in out
    assert "Expiry: unknown -> rolls over" in out


async def test_quit_stops_reading(service: ConversationService) -> None:
    out = await run_console(service, "quit\n$500/month API budget\n")
    assert out.rstrip().endswith("Bye.")
    assert "Office supplies" not in out


async def test_blank_lines_are_skipped_and_help_works(service: ConversationService) -> None:
    out = await run_console(service, "\n\n  \nhelp\n")
    assert "Words I know: help, new" in out
    assert "empty" not in out


async def test_no_prompt_on_a_pipe(service: ConversationService) -> None:
    out = await run_console(service, "help\n")
    assert "> " not in out


def test_control_characters_never_reach_the_terminal() -> None:
    nasty = "\x1b[2J\x1b]0;pwned\x07$500/month\u202e API budget, work only"
    rendered = render_reply(Reply(kind="verdict", verdict=classify(nasty), text=nasty))
    assert "\x1b" not in rendered and "\x07" not in rendered and "\u202e" not in rendered
    assert clean("a\tb\nc\x00d") == "a\tb\ncd"


def test_verdict_rendering_shows_amounts_reasons_and_questions() -> None:
    text = render_verdict(classify("$500/month API budget, work-only"))
    first, *rest = text.splitlines()
    assert first.startswith("Operating cost: ")
    assert "  Allowance: USD 500 a month (USD 6,000 a year)" in rest
    assert "  Count as pay: USD 0 a year" in rest
    assert "Why:" in rest and "Ask the employer:" in rest
    assert any(line.startswith("  1. Does") for line in rest)


def test_offer_rendering() -> None:
    text = render_verdict(classify("$185k base, 10% bonus, $15,000/yr AI token credits"))
    assert "Offer: headline" in text
    assert "base salary" in text


def test_notes_and_duplicates() -> None:
    assert render_reply(Reply(kind="duplicate")) == ""
    rendered = render_reply(
        Reply(
            kind="verdict",
            verdict=classify("hello"),
            notes=["History could not be saved just now."],
        )
    )
    assert rendered.endswith("Note: History could not be saved just now.")


def test_the_verdict_words_appear_once_in_the_title() -> None:
    for text in ("15k a year in AI credits, use it for anything", "$500/month API budget"):
        verdict = classify(text)
        first_line = render_verdict(verdict).splitlines()[0]
        assert first_line.lower().count(verdict.label.lower()) == 1, first_line


async def test_a_multi_line_paste_in_a_terminal_is_one_message(
    service: ConversationService,
) -> None:
    import os
    import pty

    controller, terminal = pty.openpty()
    out = io.StringIO()
    with os.fdopen(terminal, "r", closefd=True) as stdin:
        app = ConsoleApp(service, stdin, out, user="me", prompt=False)
        task = asyncio.create_task(app.run())
        os.write(
            controller,
            b"Dear Sam, we are pleased to offer you the role.\n"
            b"Your package includes a $500/month API budget,\n"
            b"for work use only.\n",
        )
        for _ in range(200):  # poll until the reply is printed
            if "Operating cost" in out.getvalue():
                break
            await asyncio.sleep(0.02)
        os.write(controller, b"quit\n")
        assert await asyncio.wait_for(task, timeout=10) == 0
    os.close(controller)
    printed = out.getvalue()
    assert printed.count("Operating cost") == 1
    assert "I couldn't find an AI token" not in printed  # the greeting line was not a message alone
