"""Pipelines that produce releases: survey answers, the DEMO generator, published figures."""
