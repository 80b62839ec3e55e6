"""HTTP side of MKB-assistent: chat page, source viewer, JSON API."""
