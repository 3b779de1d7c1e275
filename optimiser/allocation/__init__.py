"""Cost allocation over the cooperative's parties: cost games and allocation rules.

A cost game gives, for every coalition of parties, what serving that coalition costs
(:mod:`optimiser.allocation.game`). Allocation rules are plain functions of a game
(:mod:`optimiser.allocation.rules`), and every allocation can be checked against the
core (:func:`optimiser.allocation.game.core_check`).
"""
