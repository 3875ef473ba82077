"""The only inline scripts the app puts in its pages, word for word.

They live here, apart from the UI code, so that nginx's Content-Security-Policy can allow exactly
these texts by their hashes (deploy/security_headers.py) without importing Streamlit.
"""
from __future__ import annotations


def language_script(lang: str) -> str:
    """Sets <html lang>: Streamlit hard-codes "en", and screen readers need the page's language."""
    return f"document.documentElement.lang = '{'en' if lang == 'en' else 'vi'}';"
