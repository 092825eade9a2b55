"""Who may see and do what: one rule, applied to every read and write (SECURITY.md)."""
