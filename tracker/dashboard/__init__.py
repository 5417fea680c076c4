"""The Streamlit dashboard: the only code that imports streamlit. Thin pages over the other layers.

`pages/` holds the page scripts `navigation` lists by audience. Page families each have a folder:
`quarter/` (Log a quarter), `timeline/` (the persistence timeline and its charts), `story/` (the
contribution story), `portfolio/` (the funder's portfolio), `review/` (the review queue and due
board) and `admin/` (users, portfolios, retraction, first steps). What every page shares stays
here: `session` and `auth` (who is acting), `page_opening` (the opening of a page and the sidebar),
`page_data` and `loaders` (cached, scoped reads), `labels`, `text`, `sample_notice`,
`targets_view`. The dashboard may import every other layer; nothing imports the dashboard.
"""
