"""The serving configuration: nginx config (rendered, then `nginx -t`), Dockerfile, compose, k8s.

`nginx -t` is skipped without nginx locally and fails under CI (tests/ci.py), where .ci/run installs it.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from deploy.nginx_config import (
    NginxMissing,
    NginxSettings,
    check_nginx_config,
    find_nginx,
    render_nginx_config,
    write_nginx_config,
)
from deploy.security_headers import (
    allowed_script_hashes,
    content_security_policy,
    ingress_configuration_snippet,
    inline_script_hashes,
    light_security_headers,
    security_headers,
    streamlit_index_html,
)
from tests.ci import require

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"


def settings(tmp_path: Path, upstreams=("127.0.0.1:8601", "127.0.0.1:8602")) -> NginxSettings:
    return NginxSettings(tmp_path / "nginx", "127.0.0.1:8080", list(upstreams), ROOT / "data" / "releases")


def require_nginx() -> None:
    try:
        find_nginx()
    except NginxMissing:
        require("nginx (apt-get install nginx)", False)


# --- nginx ---------------------------------------------------------------------------------------

def test_rendered_config_has_every_placeholder_filled_and_each_replica(tmp_path):
    text = render_nginx_config(settings(tmp_path))
    assert "{{" not in text and "}}" not in text
    assert "server 127.0.0.1:8601" in text and "server 127.0.0.1:8602" in text
    assert f"pid {tmp_path / 'nginx'}/nginx.pid;" in text  # nothing under /var or /run
    assert "/var/" not in text and "/run/" not in text


def test_config_is_sticky_proxies_websockets_and_compresses(tmp_path):
    text = render_nginx_config(settings(tmp_path))
    assert re.search(r"hash \$uid_got\$uid_set consistent;", text)  # sticky by cookie
    assert "userid on;" in text
    assert "proxy_set_header Upgrade $http_upgrade;" in text
    assert "proxy_set_header Connection $connection_upgrade;" in text
    assert re.search(r"proxy_read_timeout (\d+)s;", text) and int(re.search(r"proxy_read_timeout (\d+)s;", text)[1]) >= 60
    assert "gzip on;" in text and "application/javascript" in text and "application/json" in text
    assert "location = /healthz" in text
    assert "proxy_cache assets;" in text


def test_a_request_a_replica_cannot_answer_goes_to_the_other_one(tmp_path):
    """A dead, warming or not-ready replica costs a reader nothing: nginx retries idempotent
    requests once on the other replica, and gives up connecting to a dead one within a second."""
    text = render_nginx_config(settings(tmp_path))
    retried = re.search(r"proxy_next_upstream ([^;]+);", text)[1].split()
    assert {"error", "timeout", "http_502", "http_503", "http_504"} <= set(retried)
    assert "non_idempotent" not in retried, "a POST must never be sent twice"
    assert re.search(r"proxy_next_upstream_tries 2;", text)
    assert int(re.search(r"proxy_connect_timeout (\d+)s;", text)[1]) <= 2
    assert re.search(r"server 127\.0\.0\.1:8601 max_fails=\d+ fail_timeout=\d+s;", text)


def test_health_check_through_nginx_asks_for_readiness(tmp_path):
    text = render_nginx_config(settings(tmp_path))
    block = text[text.index("location = /healthz"):]
    assert "proxy_pass http://streamlit/readyz;" in block[:block.index("}")]


def test_config_without_upstreams_is_refused(tmp_path):
    with pytest.raises(ValueError):
        render_nginx_config(settings(tmp_path, upstreams=()))


def test_nginx_accepts_the_rendered_config(tmp_path):
    require_nginx()
    written = write_nginx_config(settings(tmp_path))
    checked = check_nginx_config(written.parent)
    assert checked.returncode == 0, checked.stderr
    assert "syntax is ok" in checked.stderr


def test_nginx_refuses_a_broken_config(tmp_path):
    """The check above can fail: a config with an unknown directive is refused."""
    require_nginx()
    written = write_nginx_config(settings(tmp_path))
    written.write_text(written.read_text().replace("gzip on;", "gzip_nonsense on;"))
    assert check_nginx_config(written.parent).returncode != 0


# --- security headers ----------------------------------------------------------------------------

def directives(policy: str) -> dict[str, list[str]]:
    return {d.split()[0]: d.split()[1:] for d in (p.strip() for p in policy.split(";")) if d}


def test_csp_allows_what_the_app_needs_and_no_more():
    policy = directives(security_headers()["Content-Security-Policy"])
    assert policy["default-src"] == ["'self'"]
    assert "'unsafe-inline'" in policy["style-src"]  # Streamlit's and Plotly's inline styles
    assert "'unsafe-inline'" not in policy["script-src"] and "'unsafe-eval'" not in policy["script-src"]
    assert "blob:" in policy["worker-src"]  # MapLibre's workers
    assert "data:" in policy["img-src"]
    assert policy["connect-src"] == ["'self'"]  # HTTP and websocket to the site only
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["$frame_ancestors"]  # per request: embeds or not


def test_csp_allows_streamlits_inline_script_by_its_hash():
    html = streamlit_index_html().read_text(encoding="utf-8")
    hashes = inline_script_hashes(html)
    assert hashes, "Streamlit's index.html has an inline script; its hash must be allowed"
    assert set(hashes) <= set(allowed_script_hashes())
    assert all(h in content_security_policy(allowed_script_hashes()) for h in hashes)


def test_embeds_may_be_framed_by_any_site_other_views_only_by_the_site(tmp_path):
    text = render_nginx_config(settings(tmp_path))
    block = text[text.index("map $arg_embed $frame_ancestors"):]
    block = block[:block.index("}")]
    assert "default \"'self'\";" in block and 'true    "*";' in block
    assert "X-Content-Type-Options \"nosniff\"" in text and "Referrer-Policy" in text


def test_the_light_edition_is_served_from_the_data_roots_current_edition(tmp_path):
    text = render_nginx_config(settings(tmp_path))
    light = str((ROOT / "data" / "releases").resolve() / ".light")
    assert f"alias {light}/current/;" in text and f"alias {light}/$edition/$page;" in text
    assert "location ^~ /light/ {" in text and "error_page 404 $light_not_found;" in text
    assert '"~^/(releases/[^/]+/)?light/en/" /light/en/404.html;' in text  # the 404 page in the reader's language
    assert 'return 302 /light/$light_lang/$light_page;' in text  # ?lite=true
    block = text[text.index("location ^~ /light/ {"):]
    block = block[:block.index("}")]
    assert "default-src 'none'" in block and "script-src" not in block and "userid off;" in block
    assert "max-age=60" in block


def test_light_policy_allows_no_script():
    policy = directives(light_security_headers()["Content-Security-Policy"])
    assert policy["default-src"] == ["'none'"] and policy["style-src"] == ["'self'"]
    assert "script-src" not in policy and policy["base-uri"] == ["'none'"]


# --- Dockerfile ----------------------------------------------------------------------------------

def dockerfile_instructions() -> list[tuple[str, str]]:
    text = (DEPLOY / "Dockerfile").read_text(encoding="utf-8").replace("\\\n", " ")
    return [(line.split()[0].upper(), line.split(None, 1)[1]) for line in text.splitlines()
            if line.strip() and not line.lstrip().startswith("#")]


def test_dockerfile_builds_the_app_on_python_311_as_a_non_root_user():
    steps = dockerfile_instructions()
    assert steps[0][0] == "FROM" and steps[0][1].startswith("python:3.11")
    assert any(k == "RUN" and "install" in v and "nginx" in v for k, v in steps)
    assert any(k == "RUN" and "pip install -r requirements.txt" in v for k, v in steps)
    users = [v for k, v in steps if k == "USER"]
    assert users and users[-1] not in ("root", "0")
    health = next(v for k, v in steps if k == "HEALTHCHECK")
    assert "/readyz" in health
    cmd = next(v for k, v in reversed(steps) if k == "CMD")
    assert "dashboard.launch" in cmd


def test_dockerfile_copies_only_what_exists():
    for kind, value in dockerfile_instructions():
        if kind == "COPY":
            *sources, _ = value.split()
            for source in sources:
                assert (ROOT / source).exists(), f"COPY {source}: not in the repository"


# --- compose -------------------------------------------------------------------------------------

def test_compose_has_replicas_behind_the_proxy_and_only_the_proxy_published():
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text(encoding="utf-8"))
    app, proxy = compose["services"]["app"], compose["services"]["proxy"]
    assert "ports" not in app, "Streamlit must be reachable through nginx only"
    assert app["deploy"]["replicas"] >= 2
    assert "/readyz" in " ".join(app["healthcheck"]["test"])  # healthy = serves a validated release
    assert proxy["ports"] and proxy["depends_on"]["app"]["condition"] == "service_healthy"
    command = " ".join(proxy["command"])
    assert "deploy.serve" in command and "--upstream app:8501" in command
    build = app["build"]
    assert (DEPLOY / build["context"] / build["dockerfile"]).resolve() == (DEPLOY / "Dockerfile").resolve()
    assert app["environment"]["DASHBOARD_LIGHT_URL"] == "/light/"  # the proxy serves the light edition there
    assert any(k == "RUN" and "dashboard light-edition" in v for k, v in dockerfile_instructions())


# --- Kubernetes ----------------------------------------------------------------------------------

def k8s_objects() -> dict[str, dict]:
    objects = {}
    for path in sorted((DEPLOY / "k8s").glob("*.yaml")):
        for doc in yaml.safe_load_all(path.read_text(encoding="utf-8")):
            objects[doc["kind"]] = doc
    return objects


def test_k8s_manifests_parse_and_are_listed_in_the_kustomization():
    objects = k8s_objects()
    assert {"Deployment", "Service", "Ingress", "Kustomization"} <= set(objects)
    listed = set(objects["Kustomization"]["resources"])
    assert listed == {p.name for p in (DEPLOY / "k8s").glob("*.yaml")} - {"kustomization.yaml"}


def test_k8s_deployment_is_ready_only_when_it_serves_a_validated_release():
    deployment = k8s_objects()["Deployment"]
    container = deployment["spec"]["template"]["spec"]["containers"][0]
    ports = {p.get("name") for p in container["ports"]} | {p["containerPort"] for p in container["ports"]}
    for kind in ("readinessProbe", "startupProbe"):
        probe = container[kind]["httpGet"]
        assert probe["path"] == "/readyz", kind
        assert probe["port"] in ports
    # Liveness only asks whether the process answers: a broken release must not restart pods.
    assert container["livenessProbe"]["httpGet"]["path"] == "/_stcore/health"
    assert deployment["spec"]["replicas"] >= 2
    labels = deployment["spec"]["template"]["metadata"]["labels"]
    assert deployment["spec"]["selector"]["matchLabels"].items() <= labels.items()


def test_k8s_service_and_ingress_reach_the_deployment():
    objects = k8s_objects()
    deployment, service, ingress = objects["Deployment"], objects["Service"], objects["Ingress"]
    labels = deployment["spec"]["template"]["metadata"]["labels"]
    assert service["spec"]["selector"].items() <= labels.items()
    port_names = {p["name"] for p in deployment["spec"]["template"]["spec"]["containers"][0]["ports"]}
    assert all(p["targetPort"] in port_names for p in service["spec"]["ports"])
    backend = ingress["spec"]["rules"][0]["http"]["paths"][0]["backend"]["service"]
    assert backend["name"] == service["metadata"]["name"]
    assert backend["port"]["name"] in {p["name"] for p in service["spec"]["ports"]}


def test_k8s_ingress_is_sticky_keeps_websockets_open_and_sends_the_same_headers():
    annotations = k8s_objects()["Ingress"]["metadata"]["annotations"]
    prefix = "nginx.ingress.kubernetes.io/"
    assert annotations[prefix + "affinity"] == "cookie"
    assert int(annotations[prefix + "proxy-read-timeout"]) >= 3600
    assert int(annotations[prefix + "proxy-send-timeout"]) >= 3600
    assert annotations[prefix + "configuration-snippet"] == ingress_configuration_snippet(), (
        "regenerate the snippet: python -m deploy.security_headers")


def test_a_replica_that_is_not_ready_is_marked_down_and_keeps_its_place(tmp_path):
    ready = render_nginx_config(settings(tmp_path))
    warming = render_nginx_config(NginxSettings(tmp_path / "nginx", "127.0.0.1:8080",
                                                ["127.0.0.1:8601", "127.0.0.1:8602"], ROOT / "data" / "releases",
                                                down=frozenset({"127.0.0.1:8601"})))
    assert re.search(r"server 127\.0\.0\.1:8601 [^;]* down;", warming)
    assert not re.search(r"server 127\.0\.0\.1:8602 [^;]* down;", warming)
    assert " down;" not in ready
