"""Qualitative Comparative Analysis (crisp and fuzzy sets), exact up to 10 conditions.

calibration → truth_table → implicants (prime implicants, every minimal cover) → solutions
(conservative, parsimonious, intermediate) → fit (consistency, coverage, necessity) → notation.
`configurations.analyse_configurations` runs them on one case table. Checked against the published
results of R's QCA package (Dusa) in tests/analysis/qca/.
"""
