"""The HTTP security headers nginx adds to every response, the Content-Security-Policy first.

The policy allows what the app needs and nothing more:

- scripts only from the site itself, plus, by their hashes, Streamlit's one inline script
  (computed from the installed Streamlit's index.html, so an upgrade cannot silently break or
  widen it) and the app's own inline script (`APP_INLINE_SCRIPTS`);
- `'wasm-unsafe-eval'`: Streamlit's protobuf runtime (long.js) compiles a tiny WebAssembly module
  for 64-bit arithmetic; this allows WebAssembly compilation only, not JavaScript `eval`;
- inline styles (Streamlit's components and Plotly set `style` attributes and `<style>` tags);
- images from the site, `data:` (Plotly's modebar icons, exports) and `blob:` (PNG export);
- fonts from the site and `data:`;
- network connections to the site only: HTTP and the websocket (`'self'` covers ws/wss of the
  same host in CSP level 3 browsers);
- workers from `blob:` (MapLibre starts its tile workers from a blob URL);
- no plugins, no `<base>` hijack, forms only to the site;
- `frame-ancestors` from nginx's `$frame_ancestors`: the dashboard itself for normal views, any
  site for `?embed=true` views, which exist to be iframed by news sites (they show one
  read-only view; nothing in them acts on behalf of a signed-in user, so framing them cannot be
  abused for clickjacking).
"""
from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

# Who may iframe `?embed=true` views. "*" because the embed snippet is for any news site; a
# deployment that wants a list writes e.g. "https://vnexpress.net https://tuoitre.vn" here.
EMBED_FRAME_ANCESTORS = "*"

# The inline scripts the app itself emits, word for word: dashboard/ui/frame.py
# `set_document_language` sets <html lang> with st.html (the script runs in the page). The texts
# come from the app's own function, so they cannot drift apart; the browser test through nginx
# (tests/browser/test_nginx_serve.py) fails on any CSP violation.
def _app_inline_scripts() -> tuple[str, ...]:
    from dashboard.ui.page_scripts import language_script

    return tuple(language_script(code) for code in ("vi", "en"))


APP_INLINE_SCRIPTS: tuple[str, ...] = _app_inline_scripts()

_INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", re.DOTALL | re.IGNORECASE)


def streamlit_index_html() -> Path:
    """The index.html the installed Streamlit serves for every page."""
    import streamlit

    return Path(streamlit.__file__).parent / "static" / "index.html"


def script_hash(body: str) -> str:
    """The CSP source expression ('sha256-...') that allows one inline script."""
    return f"'sha256-{base64.b64encode(hashlib.sha256(body.encode('utf-8')).digest()).decode()}'"


def inline_script_hashes(html: str) -> list[str]:
    """CSP hashes of every inline <script> of a page."""
    return [script_hash(body) for body in _INLINE_SCRIPT.findall(html)]


def allowed_script_hashes() -> list[str]:
    """Hashes of Streamlit's inline scripts (installed version) and of the app's own."""
    html = streamlit_index_html().read_text(encoding="utf-8")
    return inline_script_hashes(html) + [script_hash(s) for s in APP_INLINE_SCRIPTS]


def content_security_policy(script_hashes: list[str], frame_ancestors: str = "$frame_ancestors") -> str:
    """The policy as one header value; `frame_ancestors` is nginx's per-request variable by default."""
    directives = [
        "default-src 'self'",
        "script-src 'self' 'wasm-unsafe-eval' " + " ".join(script_hashes),
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "worker-src 'self' blob:",
        "child-src 'self' blob:",
        "frame-src 'self'",
        "manifest-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        f"frame-ancestors {frame_ancestors}",
    ]
    return "; ".join(d.strip() for d in directives)


def security_headers(script_hashes: list[str] | None = None) -> dict[str, str]:
    """Header name -> value (values may use nginx variables)."""
    if script_hashes is None:
        script_hashes = allowed_script_hashes()
    return {
        "Content-Security-Policy": content_security_policy(script_hashes),
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "strict-origin-when-cross-origin",
        "X-Frame-Options": "$x_frame_options",  # legacy browsers; empty (not sent) for embeds
        "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
        "Cross-Origin-Opener-Policy": "same-origin",
    }


# The light edition (static HTML, inline SVG, one stylesheet from the site, no script): everything
# not named is refused, scripts included, so an injected <script> could never run there.
LIGHT_CONTENT_SECURITY_POLICY = ("default-src 'none'; style-src 'self'; img-src 'self' data:; "
                                 "base-uri 'none'; form-action 'none'; frame-ancestors 'self'")


def light_security_headers() -> dict[str, str]:
    """The light edition's headers: the same protections with a policy for pages without script."""
    return {
        "Content-Security-Policy": LIGHT_CONTENT_SECURITY_POLICY,
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "strict-origin-when-cross-origin",
        "X-Frame-Options": "SAMEORIGIN",
        "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
        "Cross-Origin-Opener-Policy": "same-origin",
    }


def nginx_add_header_lines(headers: dict[str, str], indent: str = "        ") -> str:
    """`add_header` directives (with `always`, so error pages carry them too)."""
    return "\n".join(f'{indent}add_header {name} "{value}" always;' for name, value in headers.items())


def ingress_configuration_snippet() -> str:
    """The same headers for ingress-nginx (`configuration-snippet`): `$frame_ancestors` and
    `$x_frame_options` are set per request there, as the `map`s of nginx.conf.template do."""
    lines = ["set $frame_ancestors \"'self'\";", 'set $x_frame_options "SAMEORIGIN";',
             'if ($arg_embed = "true") {', '  set $frame_ancestors "*";', '  set $x_frame_options "";', "}"]
    lines += [f'more_set_headers "{name}: {value}";' for name, value in security_headers().items()]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    # python -m deploy.security_headers  -> the snippet to paste into deploy/k8s/ingress.yaml
    print(ingress_configuration_snippet(), end="")
