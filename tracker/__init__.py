"""tracker: does institutional change survive turnover?

A longitudinal contribution-analysis tracker for place-based institutional change.
"""

__version__ = "0.1.0"
