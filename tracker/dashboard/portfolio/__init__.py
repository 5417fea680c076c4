"""The funder's portfolio page family: its blocks (`portfolio_view`), its charts
(`portfolio_charts`, pure) and the `.xlsx` export (`xlsx_export`, pure). Every number comes
from the analysis's `PortfolioSummary`; imports the analysis and the shared dashboard modules.
"""
