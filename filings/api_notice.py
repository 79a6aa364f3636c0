"""The Notice of Service PDF in the API."""
