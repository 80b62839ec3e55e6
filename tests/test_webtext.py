"""Site furniture in web pages copied to plain text or Markdown, told by a line's text."""

from __future__ import annotations

import pytest

from index.webtext import is_breadcrumb


@pytest.mark.parametrize(
    ("line", "breadcrumb"),
    [
        ("Home > Ondernemers > Lening aanvragen", True),
        ("Naar de inhoud | Zakelijk > Btw > Kleineondernemersregeling", True),
        ("Home › Subsidies en financiering › WBSO", True),
        ("Omzet > Kosten", False),  # two segments: a comparison as well
        ("Is de omzet > € 20.000 > de grens, dan betaalt u btw.", False),
        ("Als x > 3 > y", False),
        ("»Home« zei hij", False),
    ],
)
def test_a_breadcrumb_is_three_or_more_link_labels_joined_by_arrows(
    line: str, breadcrumb: bool
) -> None:
    assert is_breadcrumb(line) is breadcrumb
