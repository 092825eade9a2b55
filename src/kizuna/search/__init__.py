"""Full-text search over commitments, documents, meetings and dialogues, in any language.

One table, `search_entry`, holds each record's searchable text; database triggers keep it in
step with the records (bulk loads included). SQLite indexes it with FTS5's trigram tokenizer,
PostgreSQL with a pg_trgm GIN index; `kizuna.search.selectors` is the only reader. See
docs/adr/0007-full-text-search.md.
"""
