"""Query side of MKB-assistent: question -> retrieved passages -> cited answer."""
