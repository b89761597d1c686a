"""The catalog and its rules: platforms, resources, hours, closures, policies, tariffs.

Knows tables and domain rules; knows nothing of HTTP or of who books.
"""
