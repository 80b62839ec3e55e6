"""Which card fields a sentence about a scheme fills (index.scheme_fields.score_fields)."""

from __future__ import annotations

from index.scheme_fields import score_fields


def test_the_places_the_caller_found_make_the_waar_statement() -> None:
    """The card builder finds a sentence's places once (`Naming.places`) and hands them over:
    the field scores read those, not places of their own."""
    text = "U vraagt de TVL aan bij RVO."
    assert score_fields(text, ["TVL"], ["RVO"]).get("waar") == 2
    assert "waar" not in score_fields(text, ["TVL"], [])  # e.g. RVO was a scheme's name
