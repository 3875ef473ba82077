"""From survey answers to published figures (pure functions, no I/O, no streamlit)."""
