"""tracker: does institutional change survive turnover? A longitudinal contribution-analysis tracker."""

__version__ = "0.1.0"
