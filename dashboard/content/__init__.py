"""What each page says: sentences, tables and choices, from published tables (pure, no statistics)."""
