"""Errors the assistant raises; `web/` decides how to show them (messages are Dutch)."""

from __future__ import annotations


class AssistantError(Exception):
    """Base class: something the user should hear about, with a Dutch `message`."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class QuestionError(AssistantError):
    """The question cannot be asked as it is (empty or too long)."""


class FilterError(AssistantError):
    """A document or year filter that matches nothing in the index."""
