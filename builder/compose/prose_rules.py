"""Rules on what the prose of a pairing's blocks says, where the structured fields cannot tell:
a deadline counted from another party's awareness (a reporting chain that cannot be met), and a
governance body said to meet more or less often than its charter says."""

from __future__ import annotations

import re

from builder.compose.context import Context
from builder.compose.text_rules import pairing_texts, where_in
from builder.diagnostics import Diagnostics

# "within 24 hours of site awareness": a later step of a chain counted from the event that starts
# the site's (or investigator's) own clock, so the site may use all of the time before it.
BORROWED_CLOCK = re.compile(
    r"\bwithin\s+(?P<time>\d+\s*(?:h|hours?|(?:calendar\s+|business\s+|working\s+)?days?))\s+"
    r"(?:of|from|after)\s+(?:the\s+)?(?P<who>site|investigator)(?:s|'s|s')?\s+(?:first\s+)?"
    r"(?P<event>awareness|becoming\s+aware|knowledge)\b", re.IGNORECASE)

# How prose states a meeting frequency, as the charter's values (Frequency) name them.
FREQUENCY_WORDS = {
    "daily": "daily", "weekly": "weekly", "bi-weekly": "bi-weekly", "biweekly": "bi-weekly",
    "fortnightly": "bi-weekly", "every two weeks": "bi-weekly", "every 2 weeks": "bi-weekly",
    "monthly": "monthly", "every month": "monthly", "quarterly": "quarterly", "every quarter": "quarterly",
    "every three months": "quarterly", "semi-annual": "semi-annual", "semi-annually": "semi-annual",
    "twice a year": "semi-annual", "every six months": "semi-annual", "annual": "annual", "annually": "annual",
    "yearly": "annual", "once a year": "annual",
}
_FREQUENCY = "|".join(sorted((re.escape(word) for word in FREQUENCY_WORDS), key=len, reverse=True))
ANY_FREQUENCY = re.compile(rf"\b(?:{_FREQUENCY})\b", re.IGNORECASE)
# A frequency that holds for a while only ("weekly until lock", "during start-up") is not a
# second statement of the body's standing frequency.
TEMPORARY = re.compile(r"\b(until|during|while|for the first|in the first|before|after|when|if)\b", re.IGNORECASE)


def check_borrowed_clocks(context: Context, diagnostics: Diagnostics) -> None:
    """A deadline counted from the site's or investigator's awareness leaves the later party only
    what the site did not use: the investigator's own step (24 hours of awareness) consumes it."""
    reported: set[tuple[str, str, tuple]] = set()
    for block, path, text in pairing_texts(context):
        match = BORROWED_CLOCK.search(text)
        if match is None or (block.id, block.kind, path) in reported:
            continue
        reported.add((block.id, block.kind, path))
        who = match.group("who").lower()
        diagnostics.error(
            where_in(context, block, path, match.group(0)), "deadline-chain",
            f"'{match.group(0)}' counts a step from the {who}'s awareness, the event the {who}'s own reporting "
            f"deadline also starts from: if the {who} uses its time, this step has none (in pairing "
            f"'{context.pairing.id}'); count it from the receipt of the {who}'s report (for example 'within "
            f"{match.group('time')} of receipt'), and measure the {who}'s step separately")


def check_prose_frequencies(context: Context, diagnostics: Diagnostics) -> None:
    """Prose that gives a governance body's meetings a standing frequency other than its charter's."""
    texts = [(block, path, text, " ".join(text.lower().split()))
             for block, path, text in pairing_texts(context) if ANY_FREQUENCY.search(text)]
    for body in context.governance:
        named = " ".join(body.title.lower().split())
        title = re.escape(body.title).replace(r"\ ", r"\s+")
        patterns = [
            re.compile(rf"\b(?P<frequency>{_FREQUENCY})\s+(?:the\s+)?{title}\b", re.IGNORECASE),
            re.compile(rf"\b{title}(?:'s)?\s+(?:meetings?\s+)?(?:meets|meet|will\s+meet|is\s+held|are\s+held|"
                       rf"convenes|takes\s+place)\s+(?P<frequency>{_FREQUENCY})\b", re.IGNORECASE),
        ]
        for block, path, text, words in texts:
            if named not in words or (block.kind == "governance" and block.id == body.id):
                continue
            for pattern in patterns:
                match = pattern.search(text)
                if match is None:
                    continue
                said = FREQUENCY_WORDS[" ".join(match.group("frequency").lower().split())]
                sentence = _sentence_around(text, match)
                if said == body.frequency or TEMPORARY.search(sentence):
                    continue
                charter = context.locators.get(("governance", body.id))
                diagnostics.warning(
                    where_in(context, block, path, match.group(0)), "frequency-mismatch",
                    f"'{match.group(0)}' says the {body.title} meets {said}, but its charter says "
                    f"{body.frequency} ({charter.locate(('frequency',)) if charter else body.id}); state the "
                    "frequency once, in the charter, and refer to the body here; a temporary change says how "
                    "long it lasts ('weekly until database lock')")
                break


def _sentence_around(text: str, match: re.Match) -> str:
    start = max(text.rfind(".", 0, match.start()), text.rfind(";", 0, match.start())) + 1
    ends = [i for i in (text.find(".", match.end()), text.find(";", match.end())) if i != -1]
    return text[start:min(ends) if ends else len(text)]
