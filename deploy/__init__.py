"""Serving the dashboard in production: nginx in front of Streamlit replicas (make serve), containers, Kubernetes."""
