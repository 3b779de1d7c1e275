"""Workflows chain the layers below: one run (design + full-year check), many runs on a
pool or cluster (sweeps, coalition games), the cost-CO2 front, and allocation from a
model. The CLI, the examples and the report call these."""
