"""The model gateway (BentoML): fraud and severity scoring by registry alias, A/B split, shadow scoring.

Only `service.py` imports BentoML; nothing the embedded default runs imports this package.
"""
