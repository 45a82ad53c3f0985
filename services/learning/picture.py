"""Putting answers together (pure): one person's profile per competence aspect, and a team's or
function group's picture — the answers per statement, as counts — shown only when enough people
answered that nobody's own answers can be read from it (the learning guide: "door de resultaten
als team bij elkaar te brengen ontstaat inzicht in ... teamleerdoelen")."""

from __future__ import annotations

from collections import Counter

WEAKEST = 2  # the aspects named as the team's weakest


def option_scores(options: dict[str, str]) -> dict[str, int]:
    """0–100 per option, the best (first) 100 and the weakest 0, evenly between."""
    keys = list(options)
    top = len(keys) - 1
    return {k: round(100 * (top - n) / top) for n, k in enumerate(keys)}


def _mean(values: list[int]) -> int | None:
    return round(sum(values) / len(values)) if values else None


def profile(groups: list[dict], answers: dict[str, str], options: dict[str, str]) -> list[dict]:
    """One round as the person reads it back: per aspect its score and how often each option
    was chosen."""
    scores = option_scores(options)
    result = []
    for group in groups:
        chosen = [answers[s["id"]] for s in group["statements"] if s["id"] in answers]
        counts = Counter(chosen)
        result.append(
            {
                "key": group["key"],
                "title": group["title"],
                "score": _mean([scores[c] for c in chosen]),
                "counts": {k: counts.get(k, 0) for k in options},
            }
        )
    return result


def picture(
    groups: list[dict], rounds: list[dict[str, str]], options: dict[str, str], *, threshold: int
) -> dict:
    """The distribution of answers per statement over `rounds` (one per person). Below
    `threshold` people nothing but their number is given: no counts, no scores."""
    shown = len(rounds) >= threshold
    if not shown:
        return {"respondents": len(rounds), "shown": False, "groups": [], "weakest": []}
    scores = option_scores(options)
    drawn = [_group_picture(g, rounds, options, scores) for g in groups]
    ranked = sorted((g for g in drawn if g["score"] is not None), key=lambda g: g["score"])
    return {
        "respondents": len(rounds),
        "shown": True,
        "groups": drawn,
        "weakest": [{k: g[k] for k in ("key", "title", "score")} for g in ranked[:WEAKEST]],
    }


def _group_picture(group: dict, rounds: list[dict], options: dict, scores: dict) -> dict:
    statements = []
    for statement in group["statements"]:
        chosen = [r[statement["id"]] for r in rounds if statement["id"] in r]
        counts = Counter(chosen)
        statements.append(
            {
                **statement,
                "counts": {k: counts.get(k, 0) for k in options},
                "score": _mean([scores[c] for c in chosen]),
            }
        )
    answered = [s["score"] for s in statements if s["score"] is not None]
    return {
        "key": group["key"],
        "title": group["title"],
        "score": _mean(answered),
        "statements": statements,
    }
