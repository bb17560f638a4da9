"""Synthesis of public comments (tổng hợp ý kiến): plain Python, no Django, so the command line
and the background jobs share one engine."""
